"""The bundled example city adds up to the 2020 notice, and scores as the issue asks."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from common.problems import Problems
from scoring.pipeline import Results, run

ROOT = Path(__file__).parent.parent
NOTICE = {  # 《安全生产责任制落实暨专项整治三年行动情况通报》
    "accidents": 38, "deaths": 25, "accidents_last_year": 71, "deaths_last_year": 30,
    "hazards_found": 5110, "hazards_rectified": 4531, "inspections": 3246, "enterprises_inspected": 7133,
    "violations": 14316, "rectification_orders": 1259, "cases_filed": 143, "fines_wan": Decimal("369.21"),
    "licences_revoked": 14, "enterprises_closed": 1,
}


def score(scheme: str, data: str) -> Results:
    problems = Problems()
    r = run(ROOT / "criteria" / "2020" / scheme, ROOT / "examples" / "city-2020" / data, problems)
    assert r is not None and not problems.errors, [p.render() for p in problems.errors]
    return r


@pytest.fixture(scope="module")
def counties() -> Results:
    return score("county.yaml", "counties")


def test_county_values_add_up_to_the_notice(counties: Results) -> None:
    assert len(counties.units) == 13
    for key, want in NOTICE.items():
        got = sum((Decimal(str(u.values[key])) for u in counties.units), Decimal(0))
        assert got == want, key


def test_counties_spread(counties: Results) -> None:
    grades = {u.grade for u in counties.units}
    assert len(grades) >= 3
    assert any(u.vetoes for u in counties.units)
    assert any("名额" in n for u in counties.units for n in u.grade_notes)  # the quota bites
    assert any(p.code == "check" and p.level == "warning" for p in counties.problems.items)  # reported rate


def test_every_lost_point_is_explained(counties: Results) -> None:
    for u in counties.units:
        assert u.start + sum((e.points for e in u.events), Decimal(0)) == u.total_exact
        for item in counties.scheme.items:
            score = u.items[item.id]
            if score is not None and item.basis == "full" and score < item.points:
                assert [e for e in u.events if e.item == item.id], (u.entity, item.id)


def test_departments() -> None:
    d = score("department.yaml", "departments")
    assert len(d.units) >= 30
    assert len({u.grade for u in d.units}) >= 3
    assert any(u.not_applicable for u in d.units)
