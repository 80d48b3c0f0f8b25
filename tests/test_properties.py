"""Invariants over random data for the spec scheme: bounds, monotonicity, determinism, event sums."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.problems import Problems
from intake.assemble import assemble
from results.document import to_json
from rules.language.criteria import load_criteria
from scoring.cases import _build_raw
from scoring.pipeline import Results, score_dataset
from tests.helpers import SPEC

SCHEME = load_criteria(SPEC, Problems())
assert SCHEME is not None
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

percent = st.integers(0, 100).map(lambda v: f"{v}%")


@st.composite
def units(draw: Any, n: int = 1) -> list[dict[str, Any]]:
    out = []
    for k in range(n):
        hazards = []
        for h in range(draw(st.integers(0, 6))):
            done = draw(st.booleans())
            row = {"隐患编号": f"H{h}", "隐患等级": draw(st.sampled_from(["一般", "重大"])),
                   "挂牌督办": draw(st.booleans()), "发现日期": dt.date(2020, 1, 1), "整改期限": dt.date(2020, 3, 1)}
            if done:
                row["整改完成日期"] = dt.date(2020, 2, 1)
            hazards.append(row)
        out.append({
            "id": f"u{k}", "name": f"单位{k}",
            "entity": {"class": draw(st.sampled_from(["一类", "二类", "三类"])),
                       "type": draw(st.sampled_from(["负有安全监管职责部门", "其他部门"]))},
            "values": {"deaths": draw(st.integers(0, 12)), "duties_missed": draw(st.integers(0, 6)),
                       "plan_issued": draw(st.booleans()), "plan_due": dt.date(2020, 3, 31),
                       "plan_sent": dt.date(2020, 3, 31) + dt.timedelta(days=draw(st.integers(-5, 10))),
                       "awareness": draw(percent), "station_rate": draw(percent), "reported_rate": draw(percent),
                       "concealed_accidents": draw(st.integers(0, 1)), "major_accidents": draw(st.integers(0, 2)),
                       "criticisms": draw(st.integers(0, 3)),
                       "duty_score": draw(st.decimals(0, 5, places=1)), "fire_score": draw(st.integers(0, 100))},
            "tables": {"hazards": hazards, "penalties": [{"金额": draw(st.integers(0, 30))}],
                       "honours": [{"项目": "甲", "级别": draw(st.sampled_from(["国家部级", "省级", "市级"]))}]},
            "findings": [],
        })
    return out


def score(us: list[dict[str, Any]]) -> Results:
    assert SCHEME is not None
    problems = Problems()
    data = assemble(SCHEME, _build_raw(SCHEME, us, "prop"), problems)
    assert data is not None, [p.render() for p in problems.errors]
    return score_dataset(SCHEME, data, problems)


@SETTINGS
@given(units(n=3))
def test_bounds_and_event_sums(us: list[dict[str, Any]]) -> None:
    assert SCHEME is not None
    res = score(us)
    cap = SCHEME.meta.bonus_cap or Decimal(0)
    for r in res.units:
        for item in SCHEME.items:
            v = r.items[item.id]
            assert v is None or 0 <= v <= item.points
        assert 0 <= r.total_exact <= SCHEME.meta.total + cap
        assert r.start + sum((e.points for e in r.events), Decimal(0)) == r.total_exact


@SETTINGS
@given(units(n=1), st.integers(1, 5))
def test_more_deaths_never_scores_more(us: list[dict[str, Any]], extra: int) -> None:
    before = score(us).units[0].total_exact
    us[0]["values"]["deaths"] += extra
    assert score(us).units[0].total_exact <= before


@SETTINGS
@given(units(n=1))
def test_more_rectified_never_scores_less(us: list[dict[str, Any]]) -> None:
    before = score(us).units[0].total_exact
    for row in us[0]["tables"]["hazards"]:
        row["整改完成日期"] = dt.date(2020, 2, 1)
    assert score(us).units[0].total_exact >= before


@SETTINGS
@given(units(n=2))
def test_same_inputs_give_identical_json(us: list[dict[str, Any]]) -> None:
    from results.runrecord import stamp

    at = "2021-01-15T09:30:00+08:00"
    a = to_json(stamp(score(us), "s.yaml", "data", at))
    assert a == to_json(stamp(score(us), "s.yaml", "data", at))
    assert '"time": "2021-01-15T09:30:00+08:00"' in a
