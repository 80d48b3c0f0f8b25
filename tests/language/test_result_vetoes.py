"""Vetoes reading the unit's own result (total, rank, grade, units): what validate accepts and refuses, and where.

The order they are decided in is held by rules/language/constructs/vetoes_on_results.cases.yaml."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import MINIMAL
from tests.language.test_criteria_errors import problems_of, write


def _with(*vetoes: str, extra: str = "") -> str:
    return MINIMAL + extra + "vetoes:\n" + "".join(f"  - {v}\n" for v in vetoes)


def test_a_veto_may_read_total_rank_grade_and_units(tmp_path: Path) -> None:
    out = problems_of(write(tmp_path, _with(
        "{id: V1, name: 未达80分, when: total < 8, effect: fail}",
        "{id: V2, name: 后两位, when: rank > units - 2, effect: {flag: 约谈}}",
        "{id: V3, name: 不合格标记, when: grade == '不合格', effect: flag}",
        "{id: V4, name: 低分扣分, when: total < 5, effect: {deduct: 1}}")))
    assert out == [], out


def test_a_veto_reading_the_grade_that_changes_the_total_is_a_cycle_at_its_line(tmp_path: Path) -> None:
    out = problems_of(write(tmp_path, _with(
        "{id: V1, name: 末位扣分, when: rank == units, effect: {deduct: 1}}",
        "{id: V2, name: 不合格扣分, when: grade == '不合格', effect: {deduct: 1}}")))
    # MINIMAL has 19 lines: `vetoes:` is line 20, V2 line 22; V1 (reads the rank before its deduction) is fine
    assert len(out) == 1, out
    assert ":22:" in out[0] and "vetoes[1].effect" in out[0] and "循环" in out[0] and "2.15.1" in out[0] \
        and "(veto-cycle)" in out[0], out
    out = problems_of(write(tmp_path, _with("{id: V1, name: 不合格计零, when: grade == '不合格', effect: zero}")))
    assert any("grade（等次）" in o and "(veto-cycle)" in o for o in out), out


def test_a_row_veto_cannot_read_the_result(tmp_path: Path) -> None:
    table = "  hazards:\n    label: 隐患台账\n    type: table\n    columns:\n      等级: {type: str}\n"
    text = MINIMAL.replace("categories:", table + "categories:") + (
        "vetoes:\n  - {id: V1, name: 隐患, for_each: hazards, when: 等级 == '重大' and total < 8, effect: fail}\n")
    out = problems_of(write(tmp_path, text))
    assert any("for_each" in o and "(veto-result-read)" in o for o in out), out


def test_total_outside_a_veto_points_to_the_section_and_suggests_no_look_alike(tmp_path: Path) -> None:
    text = MINIMAL.replace("inputs:\n", "inputs:\n  media_total: {label: 媒体曝光, type: int}\n") + (
        "derived:\n  x: {label: 某值, expr: total + media_total}\n")
    out = problems_of(write(tmp_path, text))
    said = [o for o in out if "未定义的名称“total”" in o]
    assert said and "只能在否决项 vetoes 的 when 中读取" in said[0] and "2.15.1" in said[0], out
    assert "media_total" not in said[0].split("未定义的名称")[1], said


def test_an_input_named_total_is_what_the_scheme_means(tmp_path: Path) -> None:
    text = MINIMAL.replace("inputs:\n", "inputs:\n  rank: {label: 上年名次, type: int}\n")
    out = problems_of(write(tmp_path, text + "vetoes:\n  - {id: V1, name: 名次, when: rank > 3, effect: {deduct: 1}}\n"))
    assert out == [], out


def test_a_wrong_previous_form_points_to_its_section(tmp_path: Path) -> None:
    text = MINIMAL + "previous:\n  last_year: {label: 上年, fil: a.json}\n"
    out = problems_of(write(tmp_path, text))
    assert any("缺少必填项“file”" in o and "criteria/README.md 2.18" in o for o in out), out
    out = problems_of(write(tmp_path, MINIMAL + "previous:\n  missed: {label: 上年, file: a.json}\n"))
    assert any("重名" in o and "(previous-name)" in o for o in out), out


def test_an_undeclared_or_unknown_earlier_figure_points_to_its_section(tmp_path: Path) -> None:
    veto = "vetoes:\n  - {id: V1, name: 后退, when: rank - last_year.rank >= 5, effect: {deduct: 1}}\n"
    out = problems_of(write(tmp_path, MINIMAL + veto))
    assert any("请先在 previous 中声明 last_year" in o and "2.18" in o for o in out), out
    declared = "previous:\n  last_year: {label: 上年, file: a.json}\n"
    out = problems_of(write(tmp_path, MINIMAL + declared + veto.replace("last_year.rank", "last_year.ranking")))
    assert any("（是否指 last_year.rank？）" in o for o in out), out
    out = problems_of(write(tmp_path, MINIMAL + declared + veto.replace("last_year.rank", "last_year.位次")))
    assert any("往期结果 last_year 提供 total、rank" in o for o in out), out


def test_a_grade_the_scheme_does_not_have_is_a_warning(tmp_path: Path) -> None:
    """Found by a blind test: `grade == '差'` passed validate, and the veto could never fire."""
    out = problems_of(write(tmp_path, _with("{id: V3, name: 差等次标记, when: grade == '差', effect: flag}")))
    assert any("“差”不是“grade”的可选值" in o and "(unknown-value)" in o and "不予评定" in o for o in out), out
