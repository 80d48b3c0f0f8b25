"""Reasons read as an office clerk writes a 扣分说明: the figures found, the unit rate, how many were counted, the
points — never a formula ("按…=24（向上取整）计，每1扣") nor a 28-digit decimal, and each can be checked line by
line. One scheme with every rule shape, scored on a small data set; then the example city as a whole."""

from __future__ import annotations

import json
import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from common import numbers
from tests.helpers import cli

ROOT = Path(__file__).resolve().parents[1]

SCHEME = """\
scheme:
  id: words
  title: 扣分说明写法
  total: 75
  decimals: 2
  grades:
    - {name: 合格, min: 0}
inputs:
  missed:    {label: 未完成重点工作任务数, type: int, min: 0, unit: 项}
  held:      {label: 召开调度会次数, type: int, min: 0, unit: 次}
  quarters:  {label: 召开会议的季度数, type: number, min: 0}
  deaths:    {label: 事故死亡人数, type: int, min: 0, unit: 人}
  target:    {label: 死亡人数控制指标, type: int, min: 0, unit: 人, role: reference}
  done:      {label: 已整改隐患数, type: int, min: 0}
  found:     {label: 排查隐患数, type: int, min: 1}
  coverage:  {label: 培训覆盖率, type: percent}
  due:       {label: 报送期限, type: date, role: reference}
  sent:      {label: 实际报送日期, type: date}
  issued:    {label: 方案印发日期, type: date}
  score:     {label: 抽查得分, type: number, min: 0}
  plan:      {label: 是否制定方案, type: bool}
  cases:     {label: 立案查处起数, type: int, min: 0, unit: 起}
  issues:
    label: 交办问题台账
    type: table
    columns:
      编号: {type: str}
      来源: {type: str, values: [市督查, 省督查]}
derived:
  rate: {label: 隐患整改率, expr: "done / found", if_zero: 1, unit: "%"}
categories:
  - id: A
    name: 全部
    points: 75
    items:
      - {id: P1, name: 计数, points: 5, deduct: 0.5, per: missed, reason: 重点工作任务未完成}
      - {id: P2, name: 少于标准, points: 5, when: held < 4, deduct: 0.5, per: 4 - held, reason: 调度会次数不足}
      - {id: P3, name: 超过指标, points: 5, when: deaths > target, deduct: 2, per: deaths - target}
      - {id: P4, name: 百分点向上, points: 5, when: rate < 100%, deduct: 0.1, per: (100% - rate) * 100,
         per_rounding: ceil, reason: 隐患整改率低于100%}
      - {id: P5, name: 百分点向下, points: 5, when: coverage < 100%, deduct: 0.1, per: (100% - coverage) * 100,
         per_rounding: floor, reason: 培训未全覆盖}
      - {id: P6, name: 百分点按实, points: 5, when: coverage < 100%, deduct: 0.05, per: (100% - coverage) * 100,
         reason: 培训未全覆盖}
      - {id: P7, name: 天数, points: 5, when: sent > due, deduct: 0.5, per: "days(due, sent)", reason: 超期报送}
      - {id: P8, name: 按月, points: 5, when: "issued > date('2020-03-31')", deduct: 0.5,
         per: "days(date('2020-03-31'), issued) / 30", per_rounding: ceil, cap: 2, reason: 方案逾期印发}
      - {id: P9, name: 其他写法, points: 5, deduct: 0.5, per: score / 2 + 1, reason: 抽查扣分}
      - {id: P10, name: 没有单位, points: 5, when: quarters < 4, deduct: 0.5, per: 4 - quarters}
      - {id: W1, name: 仅条件, points: 5, when: rate < 90%, deduct: 1, reason: 隐患整改率低于90%}
      - {id: W2, name: 是否, points: 5, when: not plan, deduct: 1, reason: 未制定方案}
      - id: T1
        name: 判定表
        points: 5
        table:
          - {when: cases >= 10, score: 5}
          - {when: cases >= 5, score: 3}
          - {score: 0}
      - id: L1
        name: 按列取分
        points: 5
        for_each: issues
        deduct_by: {column: 来源, values: {市督查: 0.5, 省督查: 1}}
        reason: 交办问题未整改
      - {id: F1, name: 记录, points: 5, assessed: {deduct: [0, 5], scorer: 市安委办}}
"""

VALUES = ("entity,missed,held,quarters,deaths,target,done,found,coverage,due,sent,issued,score,plan,cases\n"
          "u1,2,3,3,3,1,5,7,92.5%,2020-12-10,2020-12-12,2020-05-10,1,否,12\n"
          "u2,0,4,4,0,1,19,25,95%,2020-12-10,2020-12-10,2020-08-10,0,是,0\n")


@pytest.fixture(scope="module")
def reasons(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[str]]]:
    """unit -> item -> its events' reasons, scored through the command users run."""
    tmp = tmp_path_factory.mktemp("words")
    crit = tmp / "words.yaml"
    crit.write_text(SCHEME, encoding="utf-8")
    d = tmp / "data"
    d.mkdir()
    (d / "entities.csv").write_text("id,name\nu1,一县\nu2,二县\n", encoding="utf-8")
    (d / "values.csv").write_text(VALUES, encoding="utf-8")
    (d / "issues.csv").write_text("entity,编号,来源\nu1,D1,市督查\nu1,D2,省督查\n", encoding="utf-8")
    (d / "findings.csv").write_text("entity,考核项目,扣分,得分,事由,评分单位,依据\n"
                                    "u1,F1,1.5,,宣传栏内容陈旧,市安委办,暗访通报\nu2,F1,0,,,市安委办,\n",
                                    encoding="utf-8")
    r = cli("score", "-c", str(crit), "-d", str(d), "-f", "json")
    assert r.exit_code == 0, r.output
    out: dict[str, dict[str, list[str]]] = {}
    for res in json.loads(r.stdout)["results"]:
        for e in res["events"]:
            out.setdefault(res["entity"], {}).setdefault(e["item"] or e["rule"], []).append(e["reason"])
    return out


def test_per_with_a_plain_count(reasons: dict[str, dict[str, list[str]]]) -> None:
    assert reasons["u1"]["P1"] == ["重点工作任务未完成：未完成重点工作任务数2项，每项扣0.5分，扣1分"]


def test_per_short_of_a_standard(reasons: dict[str, dict[str, list[str]]]) -> None:
    assert reasons["u1"]["P2"] == ["调度会次数不足：召开调度会次数3次，比4次少1次，每少1次扣0.5分，扣0.5分"]


def test_per_without_a_unit(reasons: dict[str, dict[str, list[str]]]) -> None:
    assert reasons["u1"]["P10"] == ["召开会议的季度数<4：召开会议的季度数3，比4少1，每少1扣0.5分，扣0.5分"]


def test_per_over_a_target_reads_the_reference_role(reasons: dict[str, dict[str, list[str]]]) -> None:
    # no reason written: the condition says what happened, the figures how much
    assert reasons["u1"]["P3"] == ["事故死亡人数>死亡人数控制指标：事故死亡人数3人，比死亡人数控制指标1人多2人，"
                                   "每多1人扣2分，扣4分"]


def test_percent_rounded_up_says_about_and_how_it_was_counted(reasons: dict[str, dict[str, list[str]]]) -> None:
    # 5/7 = 71.428571…%: never shown as if exact, and the count says why 29
    assert reasons["u1"]["P4"] == ["隐患整改率低于100%：隐患整改率约71.43%，比100%低约28.57个百分点，"
                                   "按29个百分点计（不足1个百分点的按1个百分点计），每低1个百分点扣0.1分，扣2.9分"]
    assert reasons["u2"]["P4"] == ["隐患整改率低于100%：隐患整改率76%，比100%低24个百分点，每低1个百分点扣0.1分，扣2.4分"]


def test_percent_rounded_down_and_exact(reasons: dict[str, dict[str, list[str]]]) -> None:
    assert reasons["u1"]["P5"] == ["培训未全覆盖：培训覆盖率92.5%，比100%低7.5个百分点，按7个百分点计"
                                   "（不足1个百分点的部分不计），每低1个百分点扣0.1分，扣0.7分"]
    assert reasons["u1"]["P6"] == ["培训未全覆盖：培训覆盖率92.5%，比100%低7.5个百分点，每低1个百分点扣0.05分，扣0.375分"]


def test_days_late_and_days_by_the_month_with_a_cap(reasons: dict[str, dict[str, list[str]]]) -> None:
    assert reasons["u1"]["P7"] == ["超期报送：实际报送日期2020-12-12，比报送期限2020-12-10晚2天，每晚1天扣0.5分，扣1分"]
    # 40 days / 30 = 1.33… is counted as 2 months: the days are shown whole, not 39.99…
    assert reasons["u1"]["P8"] == ["方案逾期印发：方案印发日期2020-05-10，比2020-03-31晚40天，按60天计"
                                   "（不足30天的按30天计），每晚30天扣0.5分，扣1分"]


def test_any_other_expression_shows_its_value(reasons: dict[str, dict[str, list[str]]]) -> None:
    assert reasons["u1"]["P9"] == ["抽查扣分：抽查得分÷2+1为1.5，每1扣0.5分，扣0.75分"]


def test_when_only_rules_show_the_figures_compared(reasons: dict[str, dict[str, list[str]]]) -> None:
    assert reasons["u1"]["W1"] == ["隐患整改率低于90%（隐患整改率约71.43%）：扣1分"]
    assert reasons["u1"]["W2"] == ["未制定方案：扣1分"]   # yes/no says itself


def test_table_rows_say_the_figure_and_the_row(reasons: dict[str, dict[str, list[str]]]) -> None:
    assert reasons["u1"]["T1"] == ["立案查处起数12起，符合判定表第1行（立案查处起数≥10）：得5分"]
    assert reasons["u2"]["T1"] == ["立案查处起数0起，属判定表第3行（其他情形）：得0分"]


def test_amount_by_a_column_says_the_value(reasons: dict[str, dict[str, list[str]]]) -> None:
    assert reasons["u1"]["L1"] == ["交办问题未整改，来源为市督查：扣0.5分", "交办问题未整改，来源为省督查：扣1分"]


def test_findings_and_caps(reasons: dict[str, dict[str, list[str]]]) -> None:
    assert reasons["u1"]["F1"] == ["宣传栏内容陈旧（市安委办，依据暗访通报）：扣1.5分"]
    # a cap is an event of its own, after the count it limits
    assert reasons["u2"]["P8"] == ["方案逾期印发：方案印发日期2020-08-10，比2020-03-31晚132天，按150天计"
                                   "（不足30天的按30天计），每晚30天扣0.5分，扣2.5分",
                                   "本项最多扣2分（扣完为止），超出的0.5分不计"]


def test_no_reason_reads_like_a_formula(reasons: dict[str, dict[str, list[str]]]) -> None:
    for items in reasons.values():
        for texts in items.values():
            for t in texts:
                assert "取整）计" not in t, t
                assert "每1扣" not in t or "为" in t, t   # only an expression of no known shape, with its value
                assert not re.search(r"=\d", t), t


def test_honest_figures() -> None:
    assert numbers.honest(D("0.25"), 2) == "0.25"
    assert numbers.honest(D("71.425"), 2) == "71.425"            # exact within decimals + 4
    assert numbers.honest(D(200) / D(7), 2) == "约28.57"          # never 28 digits, never claiming exactness
    assert numbers.honest(D(1) / D(3000), 2) == "约0.0003"        # a non-zero figure is not rounded to 约0
    assert numbers.honest_percent(D(5) / D(7), 2) == "约71.43%"
    assert numbers.honest_percent(D("0.76"), 2) == "76%"
    assert numbers.honest(D(2) / D(3), 0) == "约1"


# --- the example city: every reason, whatever the shape -----------------------------------------------------------

EXAMPLES = [("criteria/2020/county.yaml", "examples/city-2020/counties"),
            ("criteria/2020/department.yaml", "examples/city-2020/departments")]


@pytest.mark.parametrize(("criteria", "data"), EXAMPLES)
def test_example_city_reasons_are_plain(criteria: str, data: str) -> None:
    r = cli("score", "-c", str(ROOT / criteria), "-d", str(ROOT / data), "-f", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    places = int(doc["decimals"])
    texts = [e["reason"] for res in doc["results"] for e in res["events"]]
    texts += [v["reason"] for res in doc["results"] for v in res["vetoes"] if v.get("reason")]
    assert len(texts) > 100
    for t in texts:
        assert "取整）计" not in t, t
        long = [m for m in re.findall(r"\d+\.(\d+)", t) if len(m) > places + 4]
        assert not long, t
    # the per rules say their rate the way the scheme's clause does
    assert any("个百分点" in t and "每低1个百分点扣" in t for t in texts)


def test_the_score_sheet_standard_says_the_same_rate(tmp_path: Path) -> None:
    from common.problems import Problems
    from reports.standard import item_standard
    from rules.language.criteria import load_criteria

    crit = tmp_path / "words.yaml"
    crit.write_text(SCHEME, encoding="utf-8")
    s = load_criteria(crit, Problems())
    assert s is not None
    said = {i.id: item_standard(s, i) for i in s.items}
    assert said["P1"] == "重点工作任务未完成，每项扣0.5分。"
    assert said["P2"] == "调度会次数不足，每少1次扣0.5分。"
    assert said["P4"] == "隐患整改率低于100%，每低1个百分点扣0.1分（不足1个百分点的按1个百分点计）。"
    assert said["P5"] == "培训未全覆盖，每低1个百分点扣0.1分（不足1个百分点的部分不计）。"
    assert said["P8"] == "方案逾期印发，每晚30天扣0.5分（不足30天的按30天计）；本项最多扣2分。"
    assert said["P9"] == "抽查扣分，按抽查得分÷2+1计，每1扣0.5分。"
