"""`assessed` items with no record for a unit: listed at score time (which item, which scorer, which units),
with the scheme able to say what no record means (`missing: full | zero | error`); the 2020 schemes score as
before, now with the warning."""

from __future__ import annotations

from pathlib import Path

from common.problems import Problems
from scoring.cases import run_cases_file
from scoring.pipeline import run

ROOT = Path(__file__).parent.parent
CASES = ROOT / "rules" / "language" / "constructs" / "assessed_missing.cases.yaml"


def test_the_missing_record_cases_pass() -> None:
    problems = Problems()
    results = run_cases_file(None, CASES, problems)
    # the second case reports “扣分 0” for an item whose range is [0.5, 2]: a 0 is how a scorer says
    # “checked, nothing deducted”, so it must be accepted
    assert len(results) == 3 and all(r.ok for r in results), [p.render() for p in problems.items]


def test_the_2020_county_scheme_warns_of_missing_records_and_scores_as_before() -> None:
    problems = Problems()
    results = run(ROOT / "criteria" / "2020" / "county.yaml", ROOT / "examples" / "city-2020" / "counties", problems)
    assert results is not None
    missing = [p for p in problems.items if p.code == "assessed-missing"]
    assert missing and all(p.level == "warning" for p in missing)
    f4 = next(p.message for p in missing if p.message.startswith("F4"))
    assert "市应急管理局" in f4 and "暂按不扣分计" in f4 and "missing: full" in f4
    # the default keeps the score: a unit without an F4 record keeps F4's full points
    unit = next(u for u in results.units if u.name in f4)
    item = next(i for i in results.scheme.items if i.id == "F4")
    assert unit.items["F4"] == item.points
    assert not any(e.rule.endswith(".missing") for e in unit.events)

