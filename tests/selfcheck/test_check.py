"""Self-check: gaps ordered by points lost, with their events, rank items and notes, on the whole run.

Tested on the spec scheme and on the depot scheme (`tests.selfcheck.depot`, written only for these tests:
nothing in the code knows its names). Targets, vetoes and what-if scoring have their own test modules.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from common.problems import Problems
from intake.dataset import DataSet
from rules.language.criteria import load_criteria
from rules.language.scheme import Scheme
from scoring.pipeline import score_dataset
from selfcheck.check import selfcheck
from tests.helpers import SPEC, SPEC_DATA, cli
from tests.selfcheck.depot import check, dataset, depot_units, targets

D = Decimal


# --------------------------------------------------------------------------------------- the depot scheme


def test_depot_gaps_in_order_with_points_lost(depot: Scheme) -> None:
    sc = check(depot, depot_units(), "w1")
    assert [(g.item, g.lost) for g in sc.gaps] == [
        ("P6", 4), ("Q1", 4), ("P2", 3), ("P1", 2), ("P3", 2), ("Q2", 2), ("Z1", 2), ("P4", 1), ("P5", 1)]
    assert sc.result.total == D("9.00") and sc.result.grade == "丙等"
    q1 = next(g for g in sc.gaps if g.item == "Q1")
    assert [e.evidence["编号"] for e in q1.events] == ["F7", "F9"]     # the events behind the gap


def test_rank_items_need_the_city_without_peers(depot: Scheme) -> None:
    sc = check(depot, depot_units(peers=[]), "w1")
    assert "Q2" not in [g.item for g in sc.gaps]
    assert sc.rank_items[0]["status"] == "provisional"
    assert any("需全市数据" in n for n in sc.notes)
    with_peers = check(depot, depot_units(), "w1")
    assert with_peers.rank_items[0] | {} == {"item": "Q2", "name": "巡查排名", "score": 3, "status": "scored",
                                            "rank": 3, "of": 3}
    assert any("名额" in n for n in sc.notes)


def test_selfcheck_total_is_the_full_runs_total(depot: Scheme) -> None:
    units = depot_units()
    full = score_dataset(depot, dataset(depot, units), Problems()).unit("w1")
    sc = check(depot, units, "w1")
    assert full is not None and sc.result.total_exact == full.total_exact


# --------------------------------------------------------------------------------------- the spec scheme


@pytest.fixture(scope="module")
def spec() -> tuple[Scheme, DataSet]:
    problems = Problems()
    s = load_criteria(SPEC, problems)
    assert s is not None
    from intake import read_data

    d = read_data(s, SPEC_DATA, problems)
    assert d is not None
    return s, d


def test_spec_gaps(spec: tuple[Scheme, DataSet]) -> None:
    s, d = spec
    sc = selfcheck(s, d, "c03", Problems())
    assert sc is not None
    # F1 lost 20 of its 100-point sub-scheme, 4 of the total (scale_to 20): ordered by the total's points
    assert [(g.item, g.lost) for g in sc.gaps] == [
        ("D3", 8), ("B1", 6), ("A2", 5), ("C3", 5), ("F1", 20), ("A1", 2), ("B2", 2), ("C1", 2),
        ("D2", 2), ("D1", D("0.6"))]
    assert next(g for g in sc.gaps if g.item == "F1").lost_in_total == 4
    assert targets(sc, "D3")["deaths"].after == 0
    assert targets(sc, "A2")["plan_issued"].after is True
    b1 = targets(sc, "B1")["hazards_rectified"]
    assert (b1.before, b1.after, b1.item_gain, b1.gain) == (0, 3, 6, 8)   # and B2's 2 unrectified listed rows
    assert targets(sc, "C1")["awareness"].after == D("0.9")
    assert targets(sc, "D1")["station_rate"].after == D("0.95")          # ties the leaders: rank 1
    assert "C2" not in [g.item for g in sc.gaps]                      # scored by others: listed apart
    c2 = next(a for a in sc.assessed if a.item == "C2")
    assert (c2.low, c2.high) == (c2.points - 2, c2.points)
    assert sc.vetoes[0].id == "V1" and sc.vetoes[0].status == "hit"


def test_selfcheck_cli_json_and_table() -> None:
    result = cli("selfcheck", "-c", str(SPEC), "-d", str(SPEC_DATA), "-e", "二县", "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) >= {"entity", "total", "grade", "vetoes", "gaps"}
    assert doc["entity"] == "c02" and doc["total"] == "79.16"
    g = doc["gaps"][0]
    assert set(g) >= {"item", "name", "lost", "events", "targets"}
    assert set(g["targets"][0]) >= {"input", "from", "to", "gain"}
    table = cli("selfcheck", "-c", str(SPEC), "-d", str(SPEC_DATA), "-e", "c02")
    assert "失分项目" in table.stdout and "挽回办法" in table.stdout and "否决" in table.stdout
    unknown = cli("selfcheck", "-c", str(SPEC), "-d", str(SPEC_DATA), "-e", "c9")
    assert unknown.exit_code == 2 and "单位“c9”不存在" in unknown.output
