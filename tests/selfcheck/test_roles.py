"""Roles: advice only for what the unit can still do.

On the example city (北山县 in the county scheme, a department in the department scheme): no target moves a
fact, a reference or a filled date; ledger work is named by the scheme's `work` text; a veto triggered by
facts says it cannot be lifted; items scored by others are listed apart with their range. Roles are
validated with located Chinese messages and change no score.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

from common.problems import Problems
from intake import read_data
from reports.selfcheckreport import selfcheck_document, selfcheck_table
from rules.language.criteria import load_criteria
from rules.language.scheme import Scheme
from scoring.pipeline import score_dataset
from selfcheck.check import selfcheck
from selfcheck.model import SelfCheck, Target
from tests.selfcheck.depot import DEPOT, SETTINGS, assert_targets_win_back, check, depot_case, depot_units, load

ROOT = Path(__file__).parent.parent.parent
COUNTY = ROOT / "criteria" / "2020" / "county.yaml"
DEPARTMENT = ROOT / "criteria" / "2020" / "department.yaml"
COUNTIES = ROOT / "examples" / "city-2020" / "counties"
DEPARTMENTS = ROOT / "examples" / "city-2020" / "departments"


def run(criteria: Path, data: Path, entity: str) -> SelfCheck:
    problems = Problems()
    scheme = load_criteria(criteria, problems)
    assert scheme is not None
    dataset = read_data(scheme, data, problems)
    assert dataset is not None
    sc = selfcheck(scheme, dataset, entity, problems)
    assert sc is not None
    return sc


@pytest.fixture(scope="module")
def beishan() -> SelfCheck:
    return run(COUNTY, COUNTIES, "u12")


@pytest.fixture(scope="module")
def department() -> SelfCheck:
    return run(DEPARTMENT, DEPARTMENTS, "d01")


def all_targets(sc: SelfCheck) -> list[Target]:
    return [t for g in sc.gaps for t in g.targets] + [t for v in sc.vetoes for t in v.targets]


def assert_only_work(sc: SelfCheck) -> None:
    """Every target moves only inputs and columns the scheme calls work, and never a filled date."""
    s = sc.scheme
    for t in all_targets(sc):
        if t.kind == "value":
            inp = s.inputs[t.input]
            assert inp.role == "work", (t.input, t.text)
            assert inp.type != "date" or t.before is None, t.text          # a filled date is past data
        else:
            for row in t.rows:
                table = re.search(r"/(\w+)\.csv", row["出处"]).group(1)  # type: ignore[union-attr]
                for column in row["set"]:
                    spec = s.columns(table)[column]
                    assert (spec.role or s.inputs[table].role) == "work", (table, column, t.text)


def test_beishan_advises_only_work(beishan: SelfCheck) -> None:
    assert_only_work(beishan)
    assert all_targets(beishan)                                            # and there is advice
    text = selfcheck_table(beishan)
    for wrong in ("控制指标”提高", "上年同期生产安全事故死亡人数”提高", "森林草原火灾起数”降至", "补填", "参照值，通常"):
        assert wrong not in text, wrong


def test_beishan_names_the_work_of_ledgers(beishan: SelfCheck) -> None:
    c1 = next(g for g in beishan.gaps if g.item == "C1")
    assert c1.targets[0].text.startswith("再整改65项隐患并在隐患排查整治台账中填写“整改完成日期”")
    f2 = next(g for g in beishan.gaps if g.item == "F2")
    assert f2.targets[0].text.startswith("再建成6个乡镇(街道)标准化应急管理站")


def test_beishan_facts_and_references_get_reasons_not_targets(beishan: SelfCheck) -> None:
    gaps = {g.item: g for g in beishan.gaps}
    for item, why in [("H1", "年度生产安全事故死亡人数控制指标（参照值）"), ("H2", "上年同期生产安全事故死亡人数（参照值）"),
                      ("G8", "森林草原火灾起数（已发生的事实）"), ("B3", "已发生的日期不改")]:
        assert not gaps[item].targets, item
        assert why in gaps[item].notes[0] and "自查不给挽回目标" in gaps[item].notes[0], (item, gaps[item].notes)
    v6 = next(v for v in beishan.vetoes if v.id == "V6")
    assert v6.status == "hit" and not v6.targets
    assert "生产安全事故台账（已发生的事实）" in v6.notes[0] and "无法解除" in v6.notes[0]
    assert "解除办法" not in selfcheck_table(beishan)
    assert not any("推定" in n for n in beishan.notes)                   # every role is declared


def test_beishan_items_scored_by_others_are_apart_with_their_range(beishan: SelfCheck) -> None:
    assessed = {a.item: a for a in beishan.assessed}
    assert set(assessed) == {"A6", "B6", "F4"}
    assert not {"A6", "B6", "F4"} & {g.item for g in beishan.gaps}
    a6 = assessed["A6"]                                                    # deduct 0.5—3 of 3 points, now 2
    assert (a6.score, a6.low, a6.high, a6.total_low, a6.total_high) == (2, 0, 3, -2, 1)
    doc = selfcheck_document(beishan)
    assert {d["item"] for d in doc["assessed"]} == {"A6", "B6", "F4"}
    text = selfcheck_table(beishan)
    assert "四、由评分单位评分的项目" in text and "A6" in text.split("四、")[1]


def test_department_advises_only_work(department: SelfCheck) -> None:
    assert_only_work(department)
    gaps = {g.item: g for g in department.gaps}
    assert not gaps["F1"].targets and "信息迟报次数（已发生的事实）" in gaps["F1"].notes[0]
    assessed = {a.item: a for a in department.assessed}
    assert set(assessed) == {"A4", "C3", "H1", "I1", "I2"}
    i2 = assessed["I2"]                      # 30 points scaled to 10% of the total: the range on the total's scale
    assert not i2.scored and (i2.low, i2.high) == (20, 30) and i2.total_high == 0 and -2 < i2.total_low < 0
    json.dumps(selfcheck_document(department), ensure_ascii=False)


# ------------------------------------------------------------------------------- a scheme written here

ANNOTATED = (DEPOT
             .replace("  leaks:     {label: 泄漏次数, type: int, min: 0, unit: 次}",
                      "  leaks:     {label: 泄漏次数, type: int, min: 0, unit: 次, role: fact}")
             .replace("  due_on:    {label: 报表截止日期, type: date, default: 2021-06-30}",
                      "  due_on:    {label: 报表截止日期, type: date, default: 2021-06-30, role: reference}")
             .replace("      修复日期: {type: date, optional: true}",
                      "      修复日期: {type: date, optional: true, role: work, work: \"修复{n}项故障\"}")
             .replace("    key: 编号\n", "    key: 编号\n    role: fact\n"))


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory) -> Scheme:
    assert ANNOTATED.count("role:") == 4
    return load(ANNOTATED, tmp_path_factory.mktemp("annotated"))


def test_declared_roles_decide(annotated: Scheme) -> None:
    sc = check(annotated, depot_units({"leaks": 3}), "w1")
    gaps = {g.item: g for g in sc.gaps}
    assert not gaps["Z1"].targets and "泄漏次数（已发生的事实）" in gaps["Z1"].notes[0]
    x1 = sc.vetoes[0]
    assert x1.status == "hit" and not x1.targets and "无法解除" in x1.notes[0]
    p6 = gaps["P6"].targets[0]
    assert p6.text.startswith("再修复4项故障并在故障台账中填写“修复日期”（已修复故障数 6→10）")
    q1 = gaps["Q1"].targets[0]                                   # the rows a deduction fires on
    assert q1.text.startswith("再修复2项故障并在故障台账中填写“修复日期”")
    inferred = next(n for n in sc.notes if "推定" in n)                # the other inputs have no role: said so
    assert "推定为参照值" not in inferred and "其余" in inferred        # (the deadline's role is declared now)


@SETTINGS
@given(depot_case())
def test_applying_a_target_wins_back_its_gain_with_roles(annotated: Scheme, units: list[dict[str, Any]]) -> None:
    assert_targets_win_back(annotated, units, "w1")


# ------------------------------------------------------------------------------- validation


@pytest.mark.parametrize(("edit", "line", "words"), [
    (("role: fact}", "role: maybe}"), 1, "取值“maybe”无效，应为 fact、reference、work 之一"),
    (('work: "修复{n}项故障"', 'work: "修复故障"'), 1, "应含且只含一处 {n}"),
    (("role: reference}", 'role: reference, work: "提交{n}份"}'), 1, "work 只能写在台账"),
])
def test_roles_are_validated_with_located_chinese_messages(tmp_path: Path, edit: tuple[str, str], line: int,
                                                           words: str) -> None:
    text = ANNOTATED.replace(*edit, 1)
    assert text != ANNOTATED
    f = tmp_path / "scheme.yaml"
    f.write_text(text, encoding="utf-8")
    problems = Problems()
    assert load_criteria(f, problems) is None
    (p,) = problems.errors
    at = next(k for k, ln in enumerate(text.splitlines(), 1) if edit[1] in ln)
    assert words in p.message and p.file == str(f) and p.line == at, p.render()


def test_roles_do_not_change_scores(tmp_path: Path) -> None:
    plain = re.sub(r",? role: \w+|\n +role: \w+( +#.*)?|,? work: \"[^\"]*\"|\n +work: \"[^\"]*\"", "",
                   COUNTY.read_text(encoding="utf-8"))
    assert "role:" not in plain and "work:" not in plain
    f = tmp_path / "county.yaml"
    f.write_text(plain, encoding="utf-8")
    results = []
    for path in (COUNTY, f):
        problems = Problems()
        scheme = load_criteria(path, problems)
        assert scheme is not None, [p.render() for p in problems.errors]
        data = read_data(scheme, COUNTIES, problems)
        assert data is not None
        # every event but its wording: a role says which side of `target - done` a reason tells the
        # comparison from (立案查处起数6起，比任务数8起少2起), never what it is worth
        results.append([(u.entity, u.total_exact, u.grade,
                         [{k: v for k, v in e.as_dict().items() if k != "reason"} for e in u.events])
                        for u in score_dataset(scheme, data, problems).units])
    assert results[0] == results[1]
