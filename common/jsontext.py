"""Indented JSON text, byte for byte what `json.dumps(obj, ensure_ascii=False, indent=2, default=default)`
writes, but with orjson's C encoder when it can: the standard library falls back to its pure-Python encoder
whenever `indent` is given, which took ~1 s of a nation run's write stage for the results document
(docs/performance.md). Any value orjson cannot write as the standard library would (an integer beyond 64 bits,
a lone surrogate, a non-text key) makes the whole document go through the standard library instead: the text is
the same either way. The documents written here hold no floats (the product computes in Decimal), the one type
whose spelling differs between the two (1e16 vs 1e+16)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; the standard library gives the same text
    orjson = None  # type: ignore[assignment]

# dates and dataclasses go to `default`, as they do with the standard library
_OPTIONS = 0 if orjson is None else orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def dumps_indented(obj: Any, default: Callable[[Any], Any] | None = None) -> str:
    """`obj` as JSON text indented by two spaces, non-ASCII written as is, ending in a newline."""
    if orjson is not None:
        try:
            return orjson.dumps(obj, default=default, option=_OPTIONS).decode("utf-8") + "\n"
        except (TypeError, orjson.JSONEncodeError):
            pass
    return json.dumps(obj, ensure_ascii=False, indent=2, default=default) + "\n"
