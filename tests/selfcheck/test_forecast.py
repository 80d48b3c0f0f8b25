"""Forecast (`assess forecast`): the city's score from its counties' data rolled up, every point down to its
county row, and the targets measured through the lower scheme — against hand computation on a small scheme
(tests/selfcheck/forecast_scheme/, written only for these tests: nothing in the code knows its names).

By hand (city.yaml, county.yaml, the data beside them):
- 北山县 (a1): deaths 3 > target 2, training 5 → county 60, 合格; 南河县 (a2): training 2 < 4 → county 40, 不合格.
- 甲市 (C1): A1 北山县 over its death target −10; B1 rate (80+90)/(100+100) = 85%, 5 points under 90% → −5;
  C1 南河县 不合格 −10; D1 plan not issued −10 → 65, 合格; 乙市 (C2) loses nothing → 100, 优秀, first.
- Targets: 南河县 training 2→4 makes it 100, 合格 → C1 +10 (city 75); 北山县 rectified 80→90 or 南河县 90→100
  makes 90% → B1 +5 (city 70); the city's own plan → D1 +10 (75). 北山县's deaths are a fact: no target.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from common.problems import Problems
from reports.forecastreport import forecast_html, forecast_text
from rules.language.criteria import load_criteria
from selfcheck.forecast import run_forecast
from selfcheck.forecast_model import Forecast
from tests.helpers import cli

D = Decimal
HERE = Path(__file__).parent / "forecast_scheme"
CITY, CITIES = HERE / "city.yaml", HERE / "cities"


@pytest.fixture(scope="module")
def fc() -> Forecast:
    problems = Problems()
    scheme = load_criteria(CITY, problems)
    assert scheme is not None
    f = run_forecast(scheme, CITIES, "甲市", problems)
    assert f is not None and not problems.errors
    return f


def test_score_grade_and_rank_match_hand_computation(fc: Forecast) -> None:
    assert (fc.result.total, fc.result.grade, fc.result.rank) == (D(65), "合格", 2)
    assert [(p.id, p.total, p.grade, p.rank) for p in fc.peers] == [("C2", D(100), "优秀", 1), ("C1", D(65), "合格", 2)]
    assert fc.result.items == {"A1": D(20), "B1": D(25), "C1": D(20), "D1": D(0)}


def test_every_point_names_its_county_and_row(fc: Forecast) -> None:
    got = {(p.item.split()[0], p.points, p.lower) for p in fc.points}
    assert got == {("A1", D(-10), "北山县（a1）"), ("B1", D(-5), None), ("C1", D(-10), "南河县（a2）"),
                   ("D1", D(-10), None)}
    assert sum(p.points for p in fc.points) == fc.result.total_exact - fc.result.start   # every point, once
    a1 = next(p for p in fc.points if p.item.startswith("A1"))
    assert a1.source is not None and a1.source.endswith("C1/values.csv·第2行")
    assert a1.category == "A 事故控制" and "北山县：死亡人数超控制指标" in a1.reason
    # the rolled-up rate is explained by the county rows it is summed from
    (led,) = fc.ledgers
    rows = {r[0]: r for r in led.rows}
    assert set(rows) == {"北山县（a1）", "南河县（a2）"}
    assert rows["北山县（a1）"][-1].endswith("C1/values.csv·第2行")
    assert "已整改隐患数" in led.headers and "等次" in led.headers


def test_targets_per_county_measured_through_the_county_scheme(fc: Forecast) -> None:
    got = [(t.who, t.gain, t.total, t.items, t.lower_before, t.lower_after) for t in fc.lower_targets]
    assert got[0] == ("南河县", D(10), D(75), ["C1"], "40.00 不合格", "100.00 合格")
    assert "安全培训次数" in fc.lower_targets[0].text and "4" in fc.lower_targets[0].text
    rest = {(t.who, t.gain, t.total, tuple(t.items)) for t in fc.lower_targets[1:]}
    assert rest == {("北山县", D(5), D(70), ("B1",)), ("南河县", D(5), D(70), ("B1",))}
    texts = {t.who: t.text for t in fc.lower_targets[1:]}
    assert "90" in texts["北山县"] and "100" in texts["南河县"]
    assert [(t.gain, t.total) for t in fc.own_targets] == [(D(10), D(75))]
    assert "印发年度安全生产工作要点" in fc.own_targets[0].text


def test_no_target_for_what_cannot_change(fc: Forecast) -> None:
    everything = [t.text for t in [*fc.lower_targets, *fc.own_targets]]
    assert not any("死亡" in t or "控制指标" in t or "排查隐患数" in t for t in everything)
    assert any(t.who == "北山县" for t in fc.lower_targets)   # 北山县 has work; its deaths still get none
    (why,) = fc.no_target
    assert why.startswith("北山县：死亡人数超控制指标") and "不设目标" in why


def test_results_file_source_says_no_figure_can_change(tmp_path: Path) -> None:
    out = tmp_path / "c1.json"
    assert cli("score", "-c", str(HERE / "county.yaml"), "-d", str(HERE / "counties" / "C1"), "-f", "json",
               "-o", str(out)).exit_code == 0
    problems = Problems()
    scheme = load_criteria(CITY, problems)
    assert scheme is not None
    from scoring.rollup import parse_source
    f = run_forecast(scheme, CITIES, "C1", problems, [parse_source(f"counties@C1={out}"),
                                                      parse_source(f"counties@C2={HERE / 'counties' / 'C2'}")])
    assert f is not None and f.result.total == D(65)
    assert not f.lower_targets
    assert len([n for n in f.no_target if "结果文件" in n]) == 2


def test_text_xlsx_and_html(fc: Forecast, tmp_path: Path) -> None:
    text = forecast_text(fc)
    assert "甲市（C1）预测得分 65 分，等次 合格，在2个同类单位中第2名" in text
    assert "北山县：死亡人数超控制指标：扣10分 → 甲市 A 事故控制 -10分" in text
    page = forecast_html(fc)
    assert page.startswith("<!DOCTYPE html>") and "南河县" in page and "<script" not in page
    xlsx = tmp_path / "预测.xlsx"
    r = cli("forecast", "-c", str(CITY), "-d", str(CITIES), "-e", "甲市", "-o", str(xlsx))
    assert r.exit_code == 0, r.output
    wb = load_workbook(xlsx)
    assert wb.sheetnames[0] == "概况"
    cells = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert any("预测得分 65 分" in c for c in cells)
    assert any("安全培训次数" in c for c in cells) and "+10分" in cells
    html = tmp_path / "预测.html"
    assert cli("forecast", "-c", str(CITY), "-d", str(CITIES), "-e", "C1", "-o", str(html)).exit_code == 0
    assert "所辖单位目标" in html.read_text(encoding="utf-8")


def test_cli_refuses_without_unit_and_never_writes_over_inputs(tmp_path: Path) -> None:
    r = cli("forecast", "-c", str(CITY), "-d", str(CITIES))
    assert r.exit_code == 1 and "forecast-unit" in r.output and "-e" in r.output
    data = tmp_path / "cities"
    shutil.copytree(CITIES, data)
    r = cli("forecast", "-c", str(CITY), "-d", str(data), "-e", "甲市", "-o", str(data / "values.csv"))
    assert r.exit_code == 2
    assert (data / "values.csv").read_text(encoding="utf-8") == (CITIES / "values.csv").read_text(encoding="utf-8")


def test_json_gives_every_figure_exactly(tmp_path: Path) -> None:
    out = tmp_path / "预测.json"
    assert cli("forecast", "-c", str(CITY), "-d", str(CITIES), "-e", "甲市", "-f", "json", "-o", str(out)).exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert (doc["total"], doc["grade"], doc["rank"], doc["of"]) == ("65", "合格", 2, 2)
    assert doc["items"] == {"A1": "20", "B1": "25", "C1": "20", "D1": "0"}
    first = doc["lower_targets"][0]
    assert (first["who"], first["gain"]) == ("南河县", "10")
    assert {p["lower"] for p in doc["points"]} == {"北山县（a1）", "南河县（a2）", None}


def test_the_province_example_forecast() -> None:
    """examples/province-rollup: 秦州市 from its 13 counties (examples/city-2020/counties), two generated peers."""
    root = Path(__file__).parents[2] / "examples" / "province-rollup"
    problems = Problems()
    scheme = load_criteria(root / "city.yaml", problems)
    assert scheme is not None
    f = run_forecast(scheme, root / "cities", "秦州市", problems)
    assert f is not None
    assert (f.result.total, f.result.grade, f.result.rank, len(f.peers)) == (D(88), "良好", 2, 3)
    assert [(p.item.split()[0], p.points, p.lower) for p in f.points] == [
        ("A2", D(-5), "北山县（u12）"), ("C1", D(-5), "麟北县（u09）"), ("B1", D(-2), None)]
    # deaths are a fact, 麟北县's grade rests on a concealed accident (a fact): neither gets a target
    assert {t.who for t in f.lower_targets} == {"安塬县", "黄塬县"}
    assert all(t.gain == D(1) and t.items == ["B1"] for t in f.lower_targets)
    assert [n.split("：")[0] for n in f.no_target] == ["北山县", "麟北县"]


def test_targets_per_department_through_a_second_rollup(tmp_path: Path) -> None:
    """Two rollups (counties and departments, any lower scheme): each lower unit's targets are its own."""
    root = tmp_path / "s"
    shutil.copytree(HERE, root)
    city = (root / "city.yaml").read_text(encoding="utf-8")
    city = city.replace("\ninputs:", """
  departments:
    label: 市级部门考核结果
    scheme: county.yaml
    source: {C1: depts/C1, C2: depts/C2}

inputs:""", 1) + """
  - id: E
    name: 部门考核
    points: 10
    items:
      - {id: E1, name: 部门考核不合格, points: 10, clause: 市级部门考核不合格的，每个扣5分, for_each: departments,
         when: "grade == '不合格'", deduct: 5}
"""
    city = city.replace("total: 100", "total: 110")
    (root / "city.yaml").write_text(city, encoding="utf-8")
    for c, rows in {"C1": "d1,0,0,10,10,1\n", "C2": "d2,0,0,10,10,4\n"}.items():
        (root / "depts" / c).mkdir(parents=True)
        (root / "depts" / c / "entities.csv").write_text(f"id,name\n{rows[:2]},{'应急局' if c == 'C1' else '交通局'}\n",
                                                         encoding="utf-8")
        (root / "depts" / c / "values.csv").write_text(
            "entity,deaths,death_target,found,rectified,training\n" + rows, encoding="utf-8")
    problems = Problems()
    scheme = load_criteria(root / "city.yaml", problems)
    assert scheme is not None, problems.items
    f = run_forecast(scheme, root / "cities", "甲市", problems)
    assert f is not None, [p.message for p in problems.errors]
    assert f.result.total == D(70) and f.result.items["E1"] == D(5)   # 65 as before + E1 5/10 (应急局 不合格 -5)
    dept = [t for t in f.lower_targets if t.whose.startswith("市级部门考核结果·应急局")]
    assert [(t.gain, t.items, t.lower_before, t.lower_after) for t in dept] == [
        (D(5), ["E1"], "40.00 不合格", "100.00 合格")]
    assert "安全培训次数" in dept[0].text
    assert f.lower_targets[0].who == "南河县" and f.lower_targets[0].gain == D(10)


def test_a_whole_city_loss_without_a_target_is_listed_with_its_reason() -> None:
    """Found by a blind test (its schemes, tests/selfcheck/forecast_blind): the city's summed deaths over its
    target cost 3 points; no target can win them back (deaths are facts, the target a reference) and the loss was
    missing from 无法挽回的失分. A loss a target serves (B1, the rectification rate) is not listed there."""
    here = Path(__file__).parent / "forecast_blind"
    problems = Problems()
    scheme = load_criteria(here / "city.yaml", problems)
    assert scheme is not None, problems.items
    fc = run_forecast(scheme, here / "cities", "甲市", problems)
    assert fc is not None and fc.result.total == Decimal("71"), problems.items
    assert [t for t in fc.no_target if "（A1 " in t and "-3分" in t], fc.no_target
    assert not [t for t in fc.no_target if "（B1 " in t], fc.no_target
    assert any("B1" in t.items for t in fc.lower_targets)
