"""Targets: what wins lost points back, in values and in ledger rows, and why a gap has none.

On the depot scheme (`tests.selfcheck.depot`), and by a property: applying a suggested target to the unit's
data and scoring it the ordinary way wins back exactly the stated gain.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from rules.language.scheme import Scheme
from tests.selfcheck.depot import SETTINGS, assert_targets_win_back, check, depot_case, depot_units, targets
from tests.test_properties import SCHEME as SPEC_SCHEME
from tests.test_properties import units as spec_units

D = Decimal


def test_depot_targets(depot: Scheme) -> None:
    sc = check(depot, depot_units(), "w1")
    p1 = targets(sc, "P1")["patrols"]
    assert (p1.before, p1.after, p1.item_gain, p1.gain) == (8, 12, 2, 4)   # P1 back, and rank 1 in Q2
    assert targets(sc, "Q2")["patrols"].after == 12
    assert targets(sc, "P2")["drills_ok"].after is True
    assert targets(sc, "P3")["coverage"].after == D("0.8")
    assert targets(sc, "P4")["stage"].after == "完成"
    # a filled date is past data and the deadline reads as a reference (inferred): neither gets a target
    p5 = next(g for g in sc.gaps if g.item == "P5")
    assert not p5.targets
    assert "报表截止日期（参照值，按用法推定）" in p5.notes[0] and "已填2021-07-02，已发生的日期不改" in p5.notes[0]
    assert any("推定为参照值、不给目标值的：报表截止日期" in n for n in sc.notes)   # the fallback says so
    assert targets(sc, "Z1")["leaks"].after == 0
    # a rate from a ledger: a target in rows (fill the blank 修复日期 of 4 more faults)
    p6 = targets(sc, "P6")["faults_fixed"]
    assert (p6.kind, p6.before, p6.after, p6.item_gain) == ("rows", 6, 10, 4)
    assert "故障台账中再有4条记录完成相应工作后填写“修复日期”" in p6.text   # no `work:` text: generic
    assert all(r["set"] == {"修复日期": dt.date(2021, 12, 31)} for r in p6.rows)   # period end, never back-dated
    # the rows a deduction fires on
    q1 = targets(sc, "Q1")["faults"]
    assert (q1.before, q1.after, q1.item_gain) == (2, 0, 4)
    assert [r["key"] for r in q1.rows] == ["F7", "F9"]


@SETTINGS
@given(depot_case())
def test_applying_a_target_wins_back_its_gain(depot: Scheme, units: list[dict[str, Any]]) -> None:
    assert_targets_win_back(depot, units, "w1")


@SETTINGS
@given(st.data())
def test_applying_a_spec_target_wins_back_its_gain(data: st.DataObject) -> None:
    assert SPEC_SCHEME is not None
    us = data.draw(spec_units(n=2))
    assert_targets_win_back(SPEC_SCHEME, us, "u0")
