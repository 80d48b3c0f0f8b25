"""Periods end to end (criteria/README.md 2.20): each quarter scored with `--period` from one year-long dated
ledger and its own values, each quarter's results written as JSON, then the year scored from the year-end data
and the four quarters' results: 平时40%、年终60%, and a veto hit in a quarter carried to the year."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import cli

SCHEME = """\
scheme:
  id: periods-test
  title: 分期考核测试
  period: {start: 2020-01-01, end: 2020-12-31}
  total: 100
  grades:
    - {name: 优秀, min: 90}
    - {name: 合格, min: 60}
    - {name: 不合格, min: 0}
periods:
  Q1: {name: 第一季度, start: 2020-01-01, end: 2020-03-31, results: 结果/Q1.json, scheme: periods-test}
  Q2: {name: 第二季度, start: 2020-04-01, end: 2020-06-30, results: 结果/Q2.json}
  Q3: {name: 第三季度, start: 2020-07-01, end: 2020-09-30, results: 结果/Q3.json}
  Q4: {name: 第四季度, start: 2020-10-01, end: 2020-12-31, results: 结果/Q4.json}
period_dates: {accidents: 发生日期}
composite:
  periods: 40%
  periods_by: average
  year_end: 60%
  carry_vetoes: [V1]
inputs:
  missed: {label: 未完成项数, type: int, min: 0}
  concealed: {label: 瞒报事故起数, type: int, min: 0}
  accidents:
    label: 事故台账
    type: table
    columns:
      发生日期: {type: date}
      死亡人数: {type: int, min: 0}
categories:
  - id: A
    name: 工作落实
    points: 100
    items:
      - {id: A1, name: 任务完成, points: 60, deduct: 5, per: missed}
      - {id: A2, name: 事故控制, points: 40, for_each: accidents, when: 死亡人数 > 0, deduct: 10}
vetoes:
  - {id: V1, name: 瞒报事故, when: concealed > 0, effect: fail, clause: 季度考核中瞒报事故的，全年一票否决}
"""
LEDGER = "entity,发生日期,死亡人数\nu1,2020-02-10,1\nu1,2020-08-01,1\nu3,2020-11-11,2\n"
QUARTERS = {   # unit -> (missed, concealed) in each quarter
    "Q1": {"u1": (0, 0), "u2": (0, 0), "u3": (0, 0)},
    "Q2": {"u1": (0, 0), "u2": (2, 0), "u3": (0, 1)},
    "Q3": {"u1": (0, 0), "u2": (0, 0), "u3": (0, 0)},
    "Q4": {"u1": (0, 0), "u2": (0, 0), "u3": (0, 0)},
}
YEAR_END = {"u1": (0, 0), "u2": (1, 0), "u3": (0, 0)}


def _data(folder: Path, values: dict[str, tuple[int, int]], ledger: str = LEDGER) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "entities.csv").write_text("id,name\n" + "".join(f"{u},{u}县\n" for u in values), encoding="utf-8")
    (folder / "values.csv").write_text("entity,missed,concealed\n" + "".join(
        f"{u},{m},{c}\n" for u, (m, c) in values.items()), encoding="utf-8")
    (folder / "accidents.csv").write_text(ledger, encoding="utf-8")   # the whole year's ledger, dated
    return folder


def _quarters(tmp_path: Path) -> Path:
    crit = tmp_path / "county.yaml"
    crit.write_text(SCHEME, encoding="utf-8")
    (tmp_path / "结果").mkdir()
    for q, values in QUARTERS.items():
        data = _data(tmp_path / f"data-{q}", values)
        out = tmp_path / "结果" / f"{q}.json"
        result = cli("score", "-c", str(crit), "-d", str(data), "--period", q, "-f", "json", "-o", str(out))
        assert result.exit_code == 0, result.output
    return crit


def _totals(doc: dict) -> dict[str, tuple[str, str, int, list[str]]]:
    return {r["entity"]: (r["total"], r["grade"], r["rank"], [v["id"] for v in r["vetoes"]]) for r in doc["results"]}


def test_each_quarter_is_ranked_on_its_own_rows_and_the_year_combines_them(tmp_path: Path) -> None:
    crit = _quarters(tmp_path)
    q1 = json.loads((tmp_path / "结果" / "Q1.json").read_text(encoding="utf-8"))
    assert q1["period"] == {"id": "Q1", "name": "第一季度", "start": "2020-01-01", "end": "2020-03-31"}
    assert q1["title"] == "分期考核测试（第一季度）"
    # only u1's February accident counts in the first quarter; its August one is the third quarter's
    assert _totals(q1) == {"u2": ("100.00", "优秀", 1, []), "u3": ("100.00", "优秀", 1, []), "u1": ("90.00", "优秀", 3, [])}
    q2 = json.loads((tmp_path / "结果" / "Q2.json").read_text(encoding="utf-8"))
    assert _totals(q2)["u3"] == ("100.00", "不合格", 1, ["V1"])
    year = cli("score", "-c", str(crit), "-d", str(_data(tmp_path / "data-year", YEAR_END)), "-f", "json")
    assert year.exit_code == 0, year.output
    doc = json.loads(year.output)
    assert "period" not in doc
    # u1: quarters 90 100 90 100 (avg 95), year-end 80 (two accidents): 38 + 48
    # u2: quarters 100 90 100 100 (avg 97.5), year-end 95: 39 + 57; u3: avg 97.5, year-end 90: 39 + 54, V1 carried
    assert _totals(doc) == {"u2": ("96.00", "优秀", 1, []), "u3": ("93.00", "不合格", 2, ["V1"]),
                            "u1": ("86.00", "合格", 3, [])}
    u3 = next(r for r in doc["results"] if r["entity"] == "u3")
    assert "第二季度考核中触发“瞒报事故”（V1），全年同样否决" in u3["vetoes"][0]["reason"]
    composite = [e for e in u3["events"] if e["kind"] == "composite"]
    assert [e["points"] for e in composite] == ["-36", "+39"], composite
    assert sum(1 for k in doc["inputs"] if "结果" in k) == 4, doc["inputs"]   # the quarters' sha256 in the record


def test_explain_shows_each_part_and_its_weight(tmp_path: Path) -> None:
    crit = _quarters(tmp_path)
    result = cli("explain", "-c", str(crit), "-d", str(_data(tmp_path / "data-year", YEAR_END)), "u1")
    assert result.exit_code == 0, result.output
    assert "年终考核得分80分，按60%计入，计48分" in result.output, result.output
    assert "平时考核（第一季度90分、第二季度100分、第三季度90分、第四季度100分）平均95分，按40%计入，计38分" in result.output
    q3 = cli("explain", "-c", str(crit), "-d", str(tmp_path / "data-Q3"), "--period", "Q3", "u1")
    assert q3.exit_code == 0 and "2020-08-01" in q3.output and "2020-02-10" not in q3.output, q3.output


def test_a_period_result_verifies_for_its_period(tmp_path: Path) -> None:
    _quarters(tmp_path)
    result = cli("verify", str(tmp_path / "结果" / "Q2.json"))
    assert result.exit_code == 0, result.output


def test_a_row_in_no_period_and_an_unknown_period_are_located_errors(tmp_path: Path) -> None:
    crit = tmp_path / "county.yaml"
    crit.write_text(SCHEME, encoding="utf-8")
    data = _data(tmp_path / "data", YEAR_END, LEDGER + "u2,2021-01-05,1\n")
    result = cli("score", "-c", str(crit), "-d", str(data), "--period", "Q1")
    assert result.exit_code == 1
    assert "accidents.csv·第5行" in result.output and "为 2021-01-05，不在考核时段 2020-01-01 至 2020-12-31内" in result.output \
        and "(period-row)" in result.output, result.output
    checked = cli("check", "-c", str(crit), "-d", str(data), "--period", "Q1", "-f", "json")
    assert checked.exit_code == 1 and "2021-01-05" in checked.output and '"period-row"' in checked.output
    result = cli("score", "-c", str(crit), "-d", str(data), "--period", "Q5")
    assert result.exit_code == 1 and "没有期别“Q5”" in result.output and "(period-unknown)" in result.output


def test_a_quarter_file_of_another_quarter_or_missing_is_refused(tmp_path: Path) -> None:
    crit = _quarters(tmp_path)
    (tmp_path / "结果" / "Q3.json").write_bytes((tmp_path / "结果" / "Q4.json").read_bytes())
    (tmp_path / "结果" / "Q2.json").unlink()
    result = cli("score", "-c", str(crit), "-d", str(_data(tmp_path / "data-year", YEAR_END)))
    assert result.exit_code == 1
    assert "county.yaml:13: 分期结果 Q3（第三季度考核结果" in result.output \
        and "是期别 Q4 的结果，不是期别 Q3 的" in result.output, result.output
    assert "county.yaml:12: 分期结果 Q2" in result.output and "不存在" in result.output \
        and "改正 results" in result.output, result.output


def test_the_report_of_the_year_shows_each_part_on_the_unit_sheet(tmp_path: Path) -> None:
    import openpyxl

    crit = _quarters(tmp_path)
    out = tmp_path / "报告"
    result = cli("report", "-c", str(crit), "-d", str(_data(tmp_path / "data-year", YEAR_END)), "-o", str(out))
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out / "results.xlsx")["u1县"]
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row[0]}
    assert "年终考核（按权重计入）" in rows and "平时考核（按权重计入）" in rows, list(rows)
    assert rows["总分"][3] in (86, "86.00"), rows["总分"]


def test_a_row_in_the_year_but_in_no_period_counts_in_the_year_and_is_named_in_a_period_run(tmp_path: Path) -> None:
    crit = tmp_path / "county.yaml"   # three quarters only: the fourth is left to the year-end assessment
    crit.write_text(SCHEME.replace("  Q4: {name: 第四季度, start: 2020-10-01, end: 2020-12-31, results: 结果/Q4.json}\n", ""),
                    encoding="utf-8")
    data = _data(tmp_path / "data", YEAR_END)
    q1 = cli("score", "-c", str(crit), "-d", str(data), "--period", "Q1", "-f", "json")
    assert q1.exit_code == 0, q1.output
    assert "accidents.csv·第4行" in q1.output and "为 2020-11-11，不属于任何一期" in q1.output \
        and "按第一季度评分时不计入" in q1.output, q1.output
    doc = json.loads(q1.stdout)
    assert _totals(doc)["u3"][0] == "100.00"
