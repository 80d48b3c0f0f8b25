"""The new-accounts CSV (a data URL on the accounts page) never carries a formula: a scorer name or a unit name
from an imported roster that starts like one (=, +, -, @) is written as text, as every other CSV the site
writes (common/formulas.py)."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from urllib.parse import unquote

import pytest
from django.urls import reverse

from tests.web.conftest import login

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/","点我")'


def _csv_rows(html: str) -> list[list[str]]:
    url = unescape(re.search(r'href="(data:text/csv;charset=utf-8,[^"]*)"', html).group(1))  # type: ignore[union-attr]
    text = unquote(url.split(",", 1)[1]).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_scorer_names_are_written_as_text(client, users) -> None:  # type: ignore[no-untyped-def]
    login(client, "office")
    html = client.post(reverse("accounts"), {"action": "scorers", "names": FORMULA + "\n市住建局"}).content.decode()
    rows = _csv_rows(html)
    names = [r[3] for r in rows[1:]]
    assert names == ["'" + FORMULA, "市住建局"]
    assert not any(c.startswith(("=", "+", "-", "@")) for r in rows for c in r)


def test_unit_names_from_a_roster_are_written_as_text(client, county_round, users) -> None:  # type: ignore[no-untyped-def]
    county_round.roster.filter(entity_id="u05").update(name="+1+cmd|' /C calc'!A0")
    login(client, "office")
    html = client.post(reverse("accounts"), {"action": "roster", "round": county_round.pk}).content.decode()
    rows = {r[0]: r for r in _csv_rows(html)[1:]}
    assert rows["u05"][3] == "'+1+cmd|' /C calc'!A0"
    assert not any(c.startswith(("=", "+", "-", "@")) for r in rows.values() for c in r)
