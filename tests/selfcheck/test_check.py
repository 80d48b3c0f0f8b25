"""Self-check: gaps ordered by points lost, with their events and targets found by re-scoring.

Tested on the spec scheme and on a scheme written only here (nothing in the code knows its names), and
by a property: applying a suggested target to the unit's data and scoring it the ordinary way wins back
exactly the stated gain.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.problems import Problems
from intake.assemble import assemble
from intake.dataset import DataSet
from rules.language.criteria import load_criteria
from rules.language.scheme import Scheme
from scoring.cases import _build_raw
from scoring.pipeline import score_dataset
from selfcheck.check import selfcheck
from selfcheck.model import SelfCheck, Target
from tests.helpers import SPEC, SPEC_DATA, cli
from tests.test_properties import SCHEME as SPEC_SCHEME
from tests.test_properties import units as spec_units

D = Decimal

# A scheme nobody else wrote: a depot's maintenance assessment, with every kind of driver.
DEPOT = """\
scheme:
  id: depot-2021
  title: 仓储站点维护考核（测试）
  total: 30
  period: {start: 2021-01-01, end: 2021-12-31}
  grades:
    - {name: 甲等, min: 27, quota: 1}
    - {name: 乙等, min: 20}
    - {name: 丙等, min: 0}
inputs:
  patrols:   {label: 巡查次数, type: int, min: 0, max: 24, unit: 次}
  drills_ok: {label: 是否开展演练, type: bool}
  coverage:  {label: 培训覆盖率, type: percent}
  stage:     {label: 建设阶段, type: str, values: [未启动, 推进中, 完成]}
  filed_on:  {label: 报表报送日期, type: date}
  due_on:    {label: 报表截止日期, type: date, default: 2021-06-30}
  leaks:     {label: 泄漏次数, type: int, min: 0, unit: 次}
  faults:
    label: 故障台账
    type: table
    key: 编号
    columns:
      编号: {type: str}
      严重: {type: bool}
      修复日期: {type: date, optional: true}
derived:
  faults_all:   {label: 故障数, count: faults}
  faults_fixed: {label: 已修复故障数, count: faults, where: "修复日期 != null"}
  fix_rate:     {label: 故障修复率, expr: "faults_fixed / faults_all", if_zero: 1, unit: "%"}
categories:
  - id: P
    name: 日常维护
    points: 20
    items:
      - {id: P1, name: 巡查, points: 4, when: patrols < 12, deduct: 0.5, per: 12 - patrols}
      - {id: P2, name: 演练, points: 3, when: not drills_ok, deduct: 3}
      - id: P3
        name: 培训
        points: 3
        basis: zero
        table:
          - {when: coverage >= 80%, score: 3}
          - {when: coverage >= 50%, score: 1}
          - {score: 0}
      - id: P4
        name: 建设
        points: 2
        basis: zero
        table:
          - {when: "stage == '完成'", score: 2}
          - {when: "stage == '推进中'", score: 1}
          - {score: 0}
      - {id: P5, name: 报表, points: 2, when: filed_on > due_on, deduct: 0.5, per: "days(due_on, filed_on)"}
      - id: P6
        name: 故障修复率
        points: 6
        rules:
          - {when: fix_rate < 100%, deduct: 0.1, per: (100% - fix_rate) * 100, per_rounding: ceil}
  - id: Q
    name: 严重故障与排名
    points: 10
    items:
      - {id: Q1, name: 严重故障未修复, points: 5, for_each: faults, when: 严重 and 修复日期 == null, deduct: 2}
      - id: Q2
        name: 巡查排名
        points: 5
        rank: {by: patrols, order: desc, first: 5, step: 1, floor: 2}
vetoes:
  - {id: X1, name: 泄漏过多, when: leaks >= 3, effect: {max_grade: 乙等}}
penalties:
  - {id: Z1, name: 泄漏, deduct: 1, per: leaks}
"""


def depot_units(w1: dict[str, Any] | None = None, faults: list[dict[str, Any]] | None = None,
                peers: list[int] | None = None) -> list[dict[str, Any]]:
    values = {"patrols": 8, "drills_ok": False, "coverage": "60%", "stage": "推进中",
              "filed_on": dt.date(2021, 7, 2), "leaks": 2, **(w1 or {})}
    if faults is None:
        faults = [{"编号": f"F{k}", "严重": k in (7, 9),
                   **({"修复日期": dt.date(2021, 5, 1)} if k < 6 else {})} for k in range(10)]
    units = [{"id": "w1", "name": "东站", "entity": {}, "values": values, "tables": {"faults": faults},
              "findings": []}]
    for k, p in enumerate(peers if peers is not None else [12, 10]):
        units.append({"id": f"w{k + 2}", "name": f"站{k + 2}", "entity": {},
                      "values": {"patrols": p, "drills_ok": True, "coverage": "90%", "stage": "完成",
                                 "filed_on": dt.date(2021, 6, 1), "leaks": 0},
                      "tables": {"faults": []}, "findings": []})
    return units


def load(text: str, tmp: Path) -> Scheme:
    f = tmp / "scheme.yaml"
    f.write_text(text, encoding="utf-8")
    problems = Problems()
    s = load_criteria(f, problems)
    assert s is not None, [p.render() for p in problems.errors]
    return s


def dataset(scheme: Scheme, units: list[dict[str, Any]]) -> DataSet:
    problems = Problems()
    data = assemble(scheme, _build_raw(scheme, units, "t"), problems)
    assert data is not None, [p.render() for p in problems.errors]
    return data


def check(scheme: Scheme, units: list[dict[str, Any]], entity: str) -> SelfCheck:
    sc = selfcheck(scheme, dataset(scheme, units), entity, Problems())
    assert sc is not None
    return sc


@pytest.fixture(scope="module")
def depot(tmp_path_factory: pytest.TempPathFactory) -> Scheme:
    return load(DEPOT, tmp_path_factory.mktemp("depot"))


def targets(sc: SelfCheck, item: str) -> dict[str, Target]:
    g = next(g for g in sc.gaps if g.item == item)
    return {t.input: t for t in g.targets}


# --------------------------------------------------------------------------------------- the depot scheme


def test_depot_gaps_in_order_with_points_lost(depot: Scheme) -> None:
    sc = check(depot, depot_units(), "w1")
    assert [(g.item, g.lost) for g in sc.gaps] == [
        ("P6", 4), ("Q1", 4), ("P2", 3), ("P1", 2), ("P3", 2), ("Q2", 2), ("Z1", 2), ("P4", 1), ("P5", 1)]
    assert sc.result.total == D("9.00") and sc.result.grade == "丙等"
    q1 = next(g for g in sc.gaps if g.item == "Q1")
    assert [e.evidence["编号"] for e in q1.events] == ["F7", "F9"]     # the events behind the gap


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


def test_rank_items_need_the_city_without_peers(depot: Scheme) -> None:
    sc = check(depot, depot_units(peers=[]), "w1")
    assert "Q2" not in [g.item for g in sc.gaps]
    assert sc.rank_items[0]["status"] == "provisional"
    assert any("需全市数据" in n for n in sc.notes)
    with_peers = check(depot, depot_units(), "w1")
    assert with_peers.rank_items[0] | {} == {"item": "Q2", "name": "巡查排名", "score": 3, "status": "scored",
                                            "rank": 3, "of": 3}
    assert any("名额" in n for n in sc.notes)


def test_copies_are_scored_alone_when_the_scheme_reads_the_unit_id(depot: Scheme, tmp_path: Path) -> None:
    text = DEPOT.replace("      - {id: P2, name: 演练, points: 3, when: not drills_ok, deduct: 3}",
                         "      - {id: P2, name: 演练, points: 3, when: not drills_ok and entity.id != 'w9', deduct: 3}")
    assert text != DEPOT
    by_id = load(text, tmp_path)
    from selfcheck.probe import Prober

    assert not Prober(by_id, dataset(by_id, depot_units()), "w1", {}).batch
    a, b = check(by_id, depot_units(), "w1"), check(depot, depot_units(), "w1")
    assert [(g.item, [(t.input, t.after, t.gain) for t in g.targets]) for g in a.gaps] == \
        [(g.item, [(t.input, t.after, t.gain) for t in g.targets]) for g in b.gaps]


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


# --------------------------------------------------------------------------------------- the property

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                           HealthCheck.function_scoped_fixture])


@st.composite
def depot_case(draw: Any) -> list[dict[str, Any]]:
    faults = []
    for k in range(draw(st.integers(0, 6))):
        row: dict[str, Any] = {"编号": f"F{k}", "严重": draw(st.booleans())}
        if draw(st.booleans()):
            row["修复日期"] = dt.date(2021, 3, 1) + dt.timedelta(days=draw(st.integers(0, 200)))
        faults.append(row)
    w1 = {"patrols": draw(st.integers(0, 24)), "drills_ok": draw(st.booleans()),
          "coverage": f"{draw(st.integers(0, 100))}%", "stage": draw(st.sampled_from(["未启动", "推进中", "完成"])),
          "filed_on": dt.date(2021, 6, 30) + dt.timedelta(days=draw(st.integers(-3, 6))),
          "leaks": draw(st.integers(0, 4))}
    return depot_units(w1, faults, draw(st.lists(st.integers(0, 24), min_size=0, max_size=2)))


def _cell(v: Any) -> Any:
    if isinstance(v, Decimal):
        return f"{v}"
    return v


def apply(units: list[dict[str, Any]], entity: str, t: Target) -> list[dict[str, Any]]:
    """Apply a target the way a user would: write the value in, or complete the listed ledger rows."""
    import copy

    out = copy.deepcopy(units)
    unit = next(u for u in out if u["id"] == entity)
    if t.kind == "value":
        unit["values"][t.input] = _cell(t.after)
        return out
    for r in t.rows:
        table, row = re.search(r"tables\.(\w+)·第(\d+)行", r["出处"]).groups()  # type: ignore[union-attr]
        flat = [row_ for u in out for row_ in u["tables"].get(table) or []]
        flat[int(row) - 2].update(r["set"])
    return out


def assert_targets_win_back(scheme: Scheme, units: list[dict[str, Any]], entity: str) -> int:
    sc = check(scheme, units, entity)
    before = score_dataset(scheme, dataset(scheme, units), Problems()).unit(entity)
    assert before is not None and before.total_exact == sc.result.total_exact
    n = 0
    for g in sc.gaps:
        for t in [*g.targets]:
            after = score_dataset(scheme, dataset(scheme, apply(units, entity, t)), Problems()).unit(entity)
            assert after is not None
            assert after.total_exact - before.total_exact == t.gain, (g.item, t.text)
            if g.kind == "item":
                assert after.items[g.item] - before.items[g.item] == t.item_gain, (g.item, t.text)  # type: ignore[operator]
            n += 1
    for v in sc.vetoes:
        for t in v.targets:
            after = score_dataset(scheme, dataset(scheme, apply(units, entity, t)), Problems()).unit(entity)
            assert after is not None and v.id not in [h["id"] for h in after.vetoes]
            assert after.total_exact - before.total_exact == t.gain
    return n


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
