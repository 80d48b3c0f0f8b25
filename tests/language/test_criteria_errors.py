"""Broken criteria: each problem is reported as FILE:LINE with a Chinese message, all at once, exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.problems import Problems
from rules.language.criteria import load_criteria
from tests.helpers import MINIMAL, cli


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "scheme.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def problems_of(path: Path) -> list[str]:
    problems = Problems()
    load_criteria(path, problems)
    return [p.render() for p in problems.items]


def test_minimal_scheme_is_valid(tmp_path: Path) -> None:
    p = write(tmp_path, MINIMAL)
    result = cli("validate", str(p))
    assert result.exit_code == 0, result.output
    assert "通过" in result.output


@pytest.mark.parametrize("change,line,text", [
    # points that do not add up
    (("points: 10\n        deduct", "points: 9\n        deduct"), 14, "各项分值之和为9，应为10"),
    # an undefined name, with "did you mean"
    (("per: missed", "per: mised"), 19, "未定义的名称“mised”（是否指 missed？）"),
    # an expression that tries to call Python
    (("per: missed", "per: __import__('os').getcwd()"), 19, "不支持函数“__import__”"),
    (("per: missed", "per: missed.__class__"), 19, "未定义的名称“missed.__class__”"),
    (("per: missed", "per: open('/etc/passwd')"), 19, "不支持函数“open”"),
    # a wrong type
    (("points: 10\n        deduct", "points: 十\n        deduct"), 17, "应为数值"),
    (("type: int, min: 0}", "type: integer, min: 0}"), 9, "取值“integer”无效"),
    # an unknown key, with "did you mean"
    (("deduct: 1", "deductt: 1"), 18, "未知的键“deductt”（是否指 deduct？）"),
    # grades out of order
    (("{name: 合格, min: 6}", "{name: 合格, min: -1}"), 7, "等次须从高到低排列"),
    # a label where an id is expected
    (("per: missed", "per: 未完成项数"), 19, "表达式中请写 missed"),
    # a boolean written as yes
    (("total: 10", "total: 10\n  normalise: yes"), 5, "应为是/否值"),
])
def test_each_error_names_file_line_and_says_what(tmp_path: Path, change: tuple[str, str], line: int,
                                                   text: str) -> None:
    p = write(tmp_path, MINIMAL.replace(*change, 1))
    result = cli("validate", str(p))
    assert result.exit_code == 1
    assert f"{p}:{line}:" in result.output
    assert text in result.output


def test_duplicate_key_is_refused(tmp_path: Path) -> None:
    p = write(tmp_path, MINIMAL.replace("  total: 10\n", "  total: 10\n  total: 20\n"))
    out = problems_of(p)
    assert any(f"{p}:5:" in o and "键“total”重复" in o for o in out), out


def test_every_problem_at_once(tmp_path: Path) -> None:
    text = (MINIMAL.replace("per: missed", "per: mised")
            .replace("{name: 合格, min: 6}", "{name: 合格, min: -1}")
            .replace("points: 10\n        deduct", "points: 9\n        deduct"))
    out = problems_of(write(tmp_path, text))
    assert len([o for o in out if "警告" not in o]) >= 3, out


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    p = write(tmp_path, MINIMAL.replace("  total: 10", "  total: [10"))
    result = cli("validate", str(p))
    assert result.exit_code == 1
    assert "YAML 格式错误" in result.output and f"{p}:" in result.output


def test_nothing_is_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = MINIMAL.replace("per: missed", f"per: __import__('os').system('touch {marker}')")
    result = cli("validate", str(write(tmp_path, text)))
    assert result.exit_code == 1
    assert not marker.exists()


def test_python_yaml_tags_are_not_constructed(tmp_path: Path) -> None:
    text = MINIMAL.replace("title: 最小考核细则", "title: !!python/object/apply:os.system ['echo hi']")
    out = problems_of(write(tmp_path, text))
    assert out  # refused or read as text, never executed


def test_table_unreachable_row_and_gap(tmp_path: Path) -> None:
    text = MINIMAL.replace("""        deduct: 1
        per: missed
""", """        basis: zero
        table:
          - {when: missed <= 1, score: 10}
          - {when: missed <= 0, score: 5}
          - {when: missed > 3, score: 0}
""")
    out = "\n".join(problems_of(write(tmp_path, text)))
    assert "永远不会被用到" in out
    assert "没有任何一行匹配" in out and "(1, 3]" in out


def test_rows_after_unconditional_row(tmp_path: Path) -> None:
    text = MINIMAL.replace("""        deduct: 1
        per: missed
""", """        table:
          - {score: 10}
          - {when: missed > 3, score: 0}
""")
    out = "\n".join(problems_of(write(tmp_path, text)))
    assert "在无条件行（第1行）之后" in out


def test_per_that_can_exceed_the_item_is_a_warning(tmp_path: Path) -> None:
    text = MINIMAL.replace("{label: 未完成项数, type: int, min: 0}", "{label: 未完成项数, type: int, min: 0, max: 20}")
    p = write(tmp_path, text)
    result = cli("validate", str(p))
    assert result.exit_code == 0
    assert "警告：按“missed”最大值20计最多可变动20分，超过本项分值10分" in result.output


def test_unused_input_is_a_warning(tmp_path: Path) -> None:
    text = MINIMAL.replace("inputs:\n", "inputs:\n  spare: {label: 备用, type: int}\n")
    result = cli("validate", str(write(tmp_path, text)))
    assert result.exit_code == 0
    assert "“spare”已定义但未被任何规则" in result.output


def test_duplicate_ids(tmp_path: Path) -> None:
    text = MINIMAL.replace("""      - id: A1
        name: 任务完成
        points: 10""", """      - id: A1
        name: 任务完成
        points: 5
        deduct: 1
        per: missed
      - id: A1
        name: 任务完成2
        points: 5""")
    out = "\n".join(problems_of(write(tmp_path, text)))
    assert "编号“A1”重复" in out


def test_quota_must_be_sane(tmp_path: Path) -> None:
    text = MINIMAL.replace("{name: 合格, min: 6}", "{name: 合格, min: 6, quota: 130%}")
    out = "\n".join(problems_of(write(tmp_path, text)))
    assert "名额比例“130%”无效" in out


def test_a_wrong_form_inside_an_item_points_to_its_section(tmp_path: Path) -> None:
    """Found by a blind test: `missing: eror` on an assessed item said what was allowed but not where it is
    documented; forms inside an item point to their section as the top-level constructs do."""
    text = ("scheme:\n  id: t\n  title: t\n  total: 10\n  grades:\n    - {name: 合格, min: 6}\n"
            "    - {name: 不合格, min: 0}\ncategories:\n  - id: A\n    name: A\n    points: 10\n    items:\n"
            "      - {id: A1, name: a, points: 10, assessed: {deduct: [0, 10], missing: eror}}\n")
    out = problems_of(write(tmp_path, text))
    assert any("assessed.missing" in o and "criteria/README.md 2.13" in o for o in out), out
