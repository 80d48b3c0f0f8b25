"""common.jsontext writes exactly the standard library's indented JSON (the results document is compared byte for
byte by `assess verify`), with orjson when it can and the standard library when orjson cannot."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from common import jsontext
from common.jsontext import dumps_indented


def _default(v: Any) -> Any:
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    raise TypeError(type(v))


text = st.text(st.characters(blacklist_categories=()), max_size=12)   # every code point, lone surrogates too
leaves = (st.none() | st.booleans() | st.integers() | text | st.decimals(allow_nan=False, allow_infinity=False)
          | st.dates() | st.datetimes(timezones=st.none() | st.just(dt.timezone(dt.timedelta(hours=8)))))
documents = st.recursive(leaves, lambda inner: st.lists(inner, max_size=4)
                         | st.dictionaries(text | st.integers(), inner, max_size=4), max_leaves=30)


@settings(max_examples=400, deadline=None)
@given(documents)
def test_the_same_text_as_the_standard_library(doc: Any) -> None:
    expected = json.dumps(doc, ensure_ascii=False, indent=2, default=_default) + "\n"
    assert dumps_indented(doc, default=_default) == expected


def test_orjson_is_what_writes_an_ordinary_document() -> None:
    assert jsontext.orjson is not None
    doc = {"results": [{"total": Decimal("97.20"), "items": {}, "vetoes": [], "name": "秦川区\n\"甲\""}]}
    assert dumps_indented(doc, default=_default) == json.dumps(doc, ensure_ascii=False, indent=2, default=_default) + "\n"
