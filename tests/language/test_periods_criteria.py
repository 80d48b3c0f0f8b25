"""Each wrong form of `periods`, `period_dates` and `composite` is refused at validate time, at its line, in
Chinese, pointing to criteria/README.md 2.20."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import cli

HEAD = """\
scheme:
  id: p
  title: 分期
  period: {start: 2020-01-01, end: 2020-12-31}
  total: 100
  grades:
    - {name: 合格, min: 60}
    - {name: 不合格, min: 0}
inputs:
  missed: {label: 未完成项数, type: int, min: 0}
  accidents:
    label: 事故台账
    type: table
    columns:
      发生日期: {type: date}
      死亡人数: {type: int}
categories:
  - id: A
    name: 工作落实
    points: 100
    items:
      - {id: A1, name: 任务完成, points: 60, deduct: 5, per: missed}
      - {id: A2, name: 事故控制, points: 40, for_each: accidents, when: 死亡人数 > 0, deduct: 10}
vetoes:
  - {id: V1, name: 瞒报, when: missed > 9, effect: fail}
  - {id: V2, name: 未达60分, when: total < 60, effect: flag}
"""
PERIODS = """\
periods:
  Q1: {name: 第一季度, start: 2020-01-01, end: 2020-03-31, results: q1.json}
  Q2: {name: 第二季度, start: 2020-04-01, end: 2020-06-30, results: q2.json}
"""


@pytest.mark.parametrize(("tail", "line", "code", "words"), [
    ("periods:\n  Q1: {name: 一季度, start: 2020-01-01, end: 2020-03-31}\n"
     "  Q2: {name: 二季度, start: 2020-03-31, end: 2020-06-30}\n", 3, "periods-form", "日期重叠"),
    ("periods:\n  Q1: {name: 一季度, start: 2019-12-01, end: 2020-03-31}\n", 2, "periods-form", "不在考核时段"),
    ("periods:\n  Q1: {name: 一季度, start: 2020-04-01, end: 2020-03-31}\n", 2, "periods-form", "晚于结束日期"),
    ("periods:\n  missed: {name: 一季度, start: 2020-01-01, end: 2020-03-31}\n", 2, "periods-form", "重名"),
    (PERIODS + "period_dates: {accidents: 死亡人数}\n", 4, "period-column", "不是日期列"),
    (PERIODS + "period_dates: {accidents: 日期}\n", 4, "period-column", "是否指 发生日期"),
    (PERIODS + "period_dates: {hazards: 日期}\n", 4, "undefined-table", "不是台账"),
    ("period_dates: {accidents: 发生日期}\n", 1, "periods-form", "没有声明各期 periods"),
    ("periods:\n  Q1: {name: 一季度, start: 2020-01-01, end: 2020-03-31}\n"
     "composite: {periods: 40%, year_end: 60%}\n", 3, "composite", "Q1 没有写 results"),
    (PERIODS + "composite: {periods: 140%, year_end: 60%}\n", 4, "composite", "应在 0 到 100% 之间，实际为 140%"),
    (PERIODS + "composite: {periods: 40%, year_end: 60%, carry_vetoes: [V9]}\n", 4, "composite", "不是本细则的否决项"),
    (PERIODS + "composite: {periods: 40%, year_end: 60%, carry_vetoes: [V2]}\n", 4, "composite", "不能带到全年"),
    (PERIODS + "composite: {periods: 40%, year_end: 60%, periods_by: median}\n", 4, "schema", "2.20"),
    ("periods:\n  Q1: {name: 一季度, start: 2020-01-01, end: 2020-03-31}\n"
     "derived:\n  last: {label: 上季名次, expr: Q1.rank}\n", 4, "undefined-name", "写了 results 才能读取"),
    ("periods:\n  Q1: {name: 一季度, start: 2020-01-01, end: 2020-03-31}\n"
     "  Q2: {name: 二季度, start: 2020-04-01, end: 2020-06-30, results: q2.json}\n"
     "derived:\n  last: {label: 上期名次, expr: last_period.rank}\n", 1, "periods-form", "Q1 却没有写 results"),
])
def test_a_wrong_form_is_located_and_points_to_the_guide(tmp_path: Path, tail: str, line: int, code: str,
                                                         words: str) -> None:
    crit = tmp_path / "p.yaml"
    crit.write_text(HEAD + tail, encoding="utf-8")
    result = cli("validate", str(crit))
    assert result.exit_code == 1, result.output
    line += HEAD.count("\n")   # lines counted from the end of HEAD
    hit = [x for x in result.output.splitlines() if f"({code})" in x]
    assert hit and any(f"p.yaml:{line}:" in x and words in x for x in hit), result.output
    assert "2.20" in result.output or code == "undefined-table", result.output


def test_the_well_formed_periods_validate(tmp_path: Path) -> None:
    crit = tmp_path / "p.yaml"
    crit.write_text(HEAD + PERIODS + "period_dates: {accidents: 发生日期}\n"
                    "composite: {periods: 40%, year_end: 60%, carry_vetoes: [V1]}\n", encoding="utf-8")
    result = cli("validate", str(crit))
    assert result.exit_code == 0, result.output


def test_last_period_is_named_by_the_period_it_is(tmp_path: Path) -> None:
    """Found by a blind test: explain said 上一期考核结果·名次 without saying which period that was."""
    from common.problems import Problems
    from rules.language.constructs.periods import for_period
    from rules.language.criteria import load_criteria

    f = tmp_path / "p.yaml"
    v3 = "  - {id: V3, name: 连续末位, when: 'rank == units and last_period.rank == last_period.units', effect: flag}\n"
    f.write_text(HEAD + v3 + PERIODS, encoding="utf-8")
    problems = Problems()
    scheme = load_criteria(f, problems)
    assert scheme is not None, [p.render() for p in problems.items]
    q2, why = for_period(scheme, "Q2")
    assert why is None
    assert q2.label("last_period.rank") == "上一期（第一季度）考核结果·名次"
    assert scheme.label("last_period.rank") == "上一期（第二季度）考核结果·名次"      # the year: the last period
