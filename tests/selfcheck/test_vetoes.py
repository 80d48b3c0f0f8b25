"""Vetoes near and hit: the distance of a veto from firing, and the change that lifts one that hit."""

from __future__ import annotations

from rules.language.scheme import Scheme
from tests.selfcheck.depot import check, depot_units


def test_depot_vetoes(depot: Scheme) -> None:
    sc = check(depot, depot_units(), "w1")
    x1 = sc.vetoes[0]
    assert (x1.id, x1.status) == ("X1", "near")
    assert "再增加1次" in x1.distance[0]
    hit = check(depot, depot_units({"leaks": 3}), "w1")
    assert hit.vetoes[0].status == "hit" and hit.result.grade == "丙等"
    lift = hit.vetoes[0].targets[0]
    assert (lift.input, lift.after) == ("leaks", 2)
    far = check(depot, depot_units({"leaks": 0}), "w1")
    assert far.vetoes[0].status == "clear"
