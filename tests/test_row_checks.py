"""Row-level checks: a `checks` entry with `for_each: TABLE` tests every ledger row and reports a failure at
that row (file·row·column), whatever the form of the data (CSV here; workbooks in test_excel.py)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from common.problems import Problems
from rules.language.criteria import load_criteria
from tests.helpers import SPEC, SPEC_DATA, cli


def scheme_with(tmp_path: Path, checks: str) -> Path:
    text = SPEC.read_text(encoding="utf-8")
    path = tmp_path / "spec.yaml"
    path.write_text(text.replace("\nchecks:\n", "\nchecks:\n" + checks, 1), encoding="utf-8")
    return path


def data_with(tmp_path: Path, old: str, new: str) -> Path:
    d = tmp_path / "data"
    shutil.copytree(SPEC_DATA, d)
    text = (d / "hazards.csv").read_text(encoding="utf-8")
    assert old in text
    (d / "hazards.csv").write_text(text.replace(old, new, 1), encoding="utf-8")
    return d


DATES = """  - for_each: hazards
    when: 整改完成日期 >= 发现日期
    message: 整改完成日期早于发现日期，请核对
"""


def test_a_row_check_fails_at_its_row(tmp_path: Path) -> None:
    criteria = scheme_with(tmp_path, DATES)
    data = data_with(tmp_path, "c01,H2,重大,是,2020-03-01,2020-06-01,2020-05-20",
                     "c01,H2,重大,是,2020-03-01,2020-06-01,2020-02-20")
    result = cli("score", "-c", str(criteria), "-d", str(data))
    assert result.exit_code == 1
    assert (f"{data / 'hazards.csv'}·第3行·“整改完成日期”列: 整改完成日期早于发现日期，请核对"
            "（整改完成日期=2020-02-20，发现日期=2020-03-01）") in result.output
    check = cli("check", "-c", str(criteria), "-d", str(data), "-f", "json")
    doc = json.loads(check.output[check.output.index("{"):check.output.rindex("}") + 1])
    (p,) = [p for p in doc["problems"] if p["code"] == "check"]
    assert (p["entity"], p["row"], p["column"], p["value"], p["level"]) == ("c01", 3, "整改完成日期", "2020-02-20", "error")


def test_rows_with_a_blank_are_skipped_unless_the_check_tests_for_it(tmp_path: Path) -> None:
    # the spec data have hazards with no completion date: the date check passes over them
    criteria = scheme_with(tmp_path, DATES)
    assert cli("score", "-c", str(criteria), "-d", str(SPEC_DATA)).exit_code == 0
    # a check about blanks sees them; as a warning, the run still scores
    blanks = """  - for_each: hazards
    when: not 挂牌督办 or 整改完成日期 != null
    level: warning
    message: 挂牌督办隐患尚未整改完成
"""
    criteria = scheme_with(tmp_path, blanks)
    result = cli("score", "-c", str(criteria), "-d", str(SPEC_DATA))
    assert result.exit_code == 0
    assert result.output.count("挂牌督办隐患尚未整改完成") == 3      # c02 H2, c03 H2, c03 H3
    assert f"{SPEC_DATA / 'hazards.csv'}·第5行·“挂牌督办”列: 警告：挂牌督办隐患尚未整改完成" in result.output


def test_a_row_check_may_read_the_units_values(tmp_path: Path) -> None:
    criteria = scheme_with(tmp_path, """  - for_each: hazards
    when: 发现日期 <= plan_due or not plan_issued
    level: warning
    message: 方案印发前不应有隐患
""")
    result = cli("score", "-c", str(criteria), "-d", str(SPEC_DATA))
    assert result.exit_code == 0
    assert "方案印发前不应有隐患" not in result.output      # every hazard was found before the due date


def test_row_check_errors_in_the_criteria(tmp_path: Path) -> None:
    criteria = scheme_with(tmp_path, """  - for_each: hazard
    when: 整改完成日期 >= 发现日期
    message: x
  - for_each: hazards
    when: 完成日期 >= 发现日期
    message: y
  - when: 整改完成日期 >= 发现日期
    message: z
""")
    problems = Problems()
    assert load_criteria(criteria, problems) is None
    text = "\n".join(p.render() for p in problems.errors)
    assert "checks[0].for_each: “hazard”不是台账" in text and "（是否指 hazards？）" in text
    assert "checks[1].when: 未定义的名称“完成日期”（是否指 整改完成日期？）" in text
    assert "checks[2].when: 未定义的名称“整改完成日期”" in text and "台账的列只能在 for_each" in text
