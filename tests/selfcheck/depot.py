"""The depot scheme, written only for the self-check tests (nothing in the code knows its names), its units,
and the helpers the tests share: among them the property that applying a suggested target to the unit's
data and scoring it the ordinary way wins back exactly the stated gain.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
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


def targets(sc: SelfCheck, item: str) -> dict[str, Target]:
    g = next(g for g in sc.gaps if g.item == item)
    return {t.input: t for t in g.targets}


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
