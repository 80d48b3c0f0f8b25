"""Rollup (criteria/README.md 2.19): a city's figures from its counties' results, read from a results document or
scored in the same run, with every way it can go wrong reported where it is. The arithmetic over rows is held by
rules/language/constructs/rollup.cases.yaml; these tests run the real sources: the example city's 13 counties."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.helpers import cli
from tests.language.test_criteria_errors import problems_of, write

ROOT = Path(__file__).parent.parent.parent
COUNTY = ROOT / "criteria" / "2020" / "county.yaml"
COUNTIES = ROOT / "examples" / "city-2020" / "counties"

CITY = f"""\
scheme:
  id: city-rollup-test
  title: 省对市（测试）
  total: 100
  grades:
    - {{name: 优秀, min: 90}}
    - {{name: 合格, min: 60}}
    - {{name: 不合格, min: 0}}
rollup:
  counties: {{label: 所辖县区考核结果, scheme: {COUNTY}}}
derived:
  deaths: {{label: 全市死亡人数, sum: counties.deaths}}
  death_target: {{label: 全市死亡人数控制指标, sum: counties.death_target}}
  failed: {{label: 考核不合格的县区个数, count: counties, where: "grade == '不合格'"}}
categories:
  - id: A
    name: 事故控制
    points: 100
    items:
      - {{id: A1, name: 全市死亡人数, points: 50, when: deaths > death_target, deduct: 1, per: deaths - death_target}}
      - {{id: A2, name: 县区死亡人数, points: 50, for_each: counties, when: deaths > death_target, deduct: 5,
          reason: 死亡人数超控制指标}}
vetoes:
  - {{id: V1, name: 所辖县区考核结果未全部合格以上, when: failed > 0, effect: {{max_grade: 合格}}}}
"""


@pytest.fixture(scope="module")
def county_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("county") / "县区考核结果.json"
    result = cli("score", "-c", str(COUNTY), "-d", str(COUNTIES), "-f", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def _city(tmp_path: Path, units: str = "C1,秦州市\n", text: str = CITY) -> tuple[Path, Path]:
    data = tmp_path / "cities"
    data.mkdir(exist_ok=True)
    (data / "entities.csv").write_text("id,name\n" + units, encoding="utf-8")
    (data / "values.csv").write_text("entity\n" + "".join(f"{u.split(',')[0]}\n" for u in units.splitlines()),
                                     encoding="utf-8")
    return write(tmp_path, text), data


def _score(scheme: Path, data: Path, *rollups: str) -> dict:
    result = cli("score", "-c", str(scheme), "-d", str(data), "-f", "json", "--at", "2021-01-15",
                 *[x for r in rollups for x in ("--rollup", r)])
    assert result.exit_code == 0, result.output
    return json.JSONDecoder().raw_decode(result.output[result.output.index("{"):])[0]   # stderr follows


def test_the_city_scored_from_its_counties_data_and_from_their_results_is_the_same(
        tmp_path: Path, county_json: Path) -> None:
    scheme, data = _city(tmp_path)
    same_run = _score(scheme, data, f"counties@秦州市={COUNTIES}")
    from_file = _score(scheme, data, f"counties@C1={county_json}")
    city = same_run["results"][0]
    assert city["values"]["deaths"] == 25    # the notice: 25 deaths over the 13 counties, nobody typed it
    assert city["items"] == from_file["results"][0]["items"]
    assert city["total"] == from_file["results"][0]["total"]
    assert city["grade"] == "合格" and [v["id"] for v in city["vetoes"]] == ["V1"]   # a county is 不合格
    # the lower files are inputs of the run, with their sha256
    assert any(k.endswith("values.csv") and "city-2020" in k for k in same_run["inputs"])
    assert str(county_json) in from_file["inputs"]


def test_a_deduction_from_a_row_names_the_county_and_points_at_its_data(tmp_path: Path) -> None:
    scheme, data = _city(tmp_path)
    result = cli("explain", "-c", str(scheme), "-d", str(data), "--rollup", f"counties@C1={COUNTIES}", "C1", "A2")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if "北山县：死亡人数超控制指标" in x)
    evidence = result.output.split(line, 1)[1].splitlines()[1]
    assert "下级单位=北山县（u12）" in evidence and "生产安全事故死亡人数=3" in evidence
    assert "下级否决情形" not in evidence                        # it did not read the county's vetoes
    assert "city-2020/counties/values.csv·第13行" in evidence     # the county's own row
    result = cli("explain", "-c", str(scheme), "-d", str(data), "--rollup", f"counties@C1={COUNTIES}", "C1")
    # a count over the counties says which counties it counted
    assert "考核不合格的县区个数=1；考核不合格的县区个数明细=麟北县" in result.output, result.output
    text = CITY.replace("when: deaths > death_target, deduct: 1", "when: deaths > 20, deduct: 1")
    scheme = write(tmp_path, text.replace("per: deaths - death_target", "per: deaths - 20"))
    result = cli("explain", "-c", str(scheme), "-d", str(data), "--rollup", f"counties@C1={COUNTIES}", "C1", "A1")
    # a sum says what it is made of, the largest first
    assert "全市死亡人数=25；全市死亡人数明细=渭北县3、麟北县3、槐岭县3、北山县3、秦川区2" in result.output, result.output


def test_peer_cities_each_with_their_own_counties(tmp_path: Path, county_json: Path) -> None:
    scheme, data = _city(tmp_path, "C1,秦州市\nC2,岐州市\n")
    peers = tmp_path / "各市县区"
    peers.mkdir()
    shutil.copy(county_json, peers / "C2.json")   # a folder of sources, one per city, named by the city
    got = _score(scheme, data, f"counties@C1={COUNTIES}", f"counties={peers}")
    assert [r["total"] for r in got["results"]] == [got["results"][0]["total"]] * 2


def test_a_city_without_counties_and_a_source_of_another_scheme_are_errors(tmp_path: Path,
                                                                          county_json: Path) -> None:
    scheme, data = _city(tmp_path, "C1,秦州市\nC2,岐州市\n")
    result = cli("score", "-c", str(scheme), "-d", str(data), "--rollup", f"counties@C1={county_json}")
    assert result.exit_code == 1
    assert "岐州市" in result.output and "(rollup-empty)" in result.output
    other = tmp_path / "other.json"
    doc = json.loads(county_json.read_text(encoding="utf-8"))
    other.write_text(json.dumps({**doc, "scheme": "department-2020"}, ensure_ascii=False), encoding="utf-8")
    result = cli("score", "-c", str(scheme), "-d", str(data), "--rollup", f"counties@C1={other}",
                 "--rollup", f"counties@C2={county_json}")
    assert result.exit_code == 1
    assert "department-2020" in result.output and "(rollup-source)" in result.output


def test_no_source_an_unknown_city_and_lower_data_with_errors(tmp_path: Path) -> None:
    scheme, data = _city(tmp_path)
    result = cli("score", "-c", str(scheme), "-d", str(data))
    assert result.exit_code == 1 and "--rollup counties=" in result.output and "(rollup-source)" in result.output
    result = cli("score", "-c", str(scheme), "-d", str(data), "--rollup", f"counties@汉阳市={COUNTIES}")
    assert result.exit_code == 1 and "汉阳市" in result.output and "(rollup-unit)" in result.output
    broken = tmp_path / "counties"
    shutil.copytree(COUNTIES, broken)
    values = broken / "values.csv"
    values.write_text(values.read_text(encoding="utf-8").replace("u12,0,", "u12,x,", 1), encoding="utf-8")
    result = cli("score", "-c", str(scheme), "-d", str(data), "--rollup", f"counties@C1={broken}")
    assert result.exit_code == 1
    assert "values.csv" in result.output and "评分时有 1 个错误" in result.output, result.output


def test_by_names_the_city_in_each_county_and_a_wrong_by_is_located(tmp_path: Path) -> None:
    text = CITY.replace("scheme: " + str(COUNTY) + "}", "scheme: " + str(COUNTY) + ", by: kind}")
    out = problems_of(write(tmp_path, text))
    assert out == [], out   # kind is an entity field of the county scheme (区/县/开发区)
    scheme, data = _city(tmp_path, "县,县\n区,区\n开发区,开发区\n", text)
    got = _score(scheme, data, f"counties={COUNTIES}")
    deaths = {r["entity"]: r["values"]["deaths"] for r in got["results"]}
    assert sum(deaths.values()) == 25 and set(deaths) == {"县", "区", "开发区"}
    result = cli("score", "-c", str(scheme), "-d", str(data), "--rollup", f"counties@县={COUNTIES}")
    assert result.exit_code == 1 and "@县" in result.output and "(rollup-source)" in result.output
    out = problems_of(write(tmp_path, text.replace("by: kind", "by: city")))
    assert any("(rollup-by)" in o and "class、kind" in o and "2.19" in o for o in out), out


def test_wrong_forms_point_to_the_section(tmp_path: Path) -> None:
    out = problems_of(write(tmp_path, CITY.replace("label: 所辖县区考核结果,", "lable: 所辖县区考核结果,")))
    assert any("lable" in o and "2.19" in o and "(schema)" in o for o in out), out
    out = problems_of(write(tmp_path, CITY.replace(str(COUNTY), "nowhere.yaml")))
    assert any("nowhere.yaml" in o and "(rollup-scheme)" in o and "2.19" in o for o in out), out
    out = problems_of(write(tmp_path, CITY.replace("  counties: {", "  deaths: {").replace("counties", "deaths")))
    assert any("(rollup-name)" in o for o in out), out
    itself = write(tmp_path, CITY.replace(str(COUNTY), "scheme.yaml"))
    assert any("绕成了圈" in o and "(rollup-scheme)" in o for o in problems_of(itself))
    out = problems_of(write(tmp_path, CITY.replace("sum: counties.deaths", "sum: counties.deths")))
    assert any("deths" in o and "deaths" in o and "(undefined-column)" in o for o in out), out


def test_verify_re_scores_with_the_recorded_sources_and_sees_a_county_file_change(tmp_path: Path) -> None:
    scheme, data = _city(tmp_path)
    counties = tmp_path / "counties"
    shutil.copytree(COUNTIES, counties)
    out = tmp_path / "结果.json"
    result = cli("score", "-c", str(scheme), "-d", str(data), "-f", "json", "-o", str(out),
                 "--rollup", f"counties@C1={counties}")
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["run"]["rollup"] == [f"counties@C1={counties}"]
    assert cli("verify", str(out)).exit_code == 0
    accidents = counties / "accident_records.csv"
    accidents.write_text(accidents.read_text(encoding="utf-8").replace(",一般,1,", ",一般,2,", 1), encoding="utf-8")
    result = cli("verify", str(out))
    assert result.exit_code == 1 and "accident_records.csv" in result.output, result.output


def test_a_rollup_nobody_reads_is_a_warning(tmp_path: Path) -> None:
    text = CITY.split("derived:")[0] + "categories:" + CITY.split("categories:")[1].split("      - {id: A2")[0]
    text = text.replace("when: deaths > death_target, deduct: 1, per: deaths - death_target", "deduct: 1")
    out = problems_of(write(tmp_path, text))
    assert any("counties" in o and "(unused)" in o and "警告" in o for o in out), out


def test_check_lists_a_missing_source_as_a_data_problem(tmp_path: Path) -> None:
    scheme, data = _city(tmp_path)
    result = cli("check", "-c", str(scheme), "-d", str(data), "--rollup", f"counties@C1={tmp_path / 'nowhere'}")
    assert result.exit_code == 1 and "nowhere" in result.output and "未发现问题" not in result.output, result.output


def test_a_column_read_as_a_figure_says_how_to_read_a_rollup(tmp_path: Path) -> None:
    out = problems_of(write(tmp_path, CITY.replace("when: failed > 0", "when: counties.deaths > 0")))
    assert any("counties.deaths" in o and "sum: counties.deaths" in o and "2.19" in o for o in out), out


def test_a_results_file_that_is_not_one_is_refused_saying_why(tmp_path: Path, county_json: Path) -> None:
    scheme, data = _city(tmp_path)
    doc = json.loads(county_json.read_text(encoding="utf-8"))
    doc["results"][2]["values"]["hazards_found"] = "很多"
    bad = {"broken.json": "{not json", "other.json": json.dumps({"a": 1}),
           "typed.json": json.dumps(doc, ensure_ascii=False, indent=2)}
    said = {"broken.json": "不是有效的 JSON", "other.json": "不是 assess 的结果文件",
            "typed.json": "hazards_found 的值“很多”不是整数"}
    for name, text in bad.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        result = cli("score", "-c", str(scheme), "-d", str(data), "--rollup", f"counties@C1={tmp_path / name}")
        assert result.exit_code == 1 and said[name] in result.output and "(rollup-source)" in result.output, \
            result.output


def test_two_schemes_rolling_each_other_up_are_a_circle_named_once(tmp_path: Path) -> None:
    (tmp_path / "b.yaml").write_text(CITY.replace(str(COUNTY), "a.yaml").replace("city-rollup-test", "city-b"),
                                     encoding="utf-8")
    a = tmp_path / "a.yaml"
    a.write_text(CITY.replace(str(COUNTY), "b.yaml"), encoding="utf-8")
    out = problems_of(a)
    assert len(out) == 2, out   # a's lower scheme has an error; b's is the circle; nothing cascades
    assert "a.yaml" in out[0] and "b.yaml" in out[0] and "(rollup-scheme)" in out[0], out
    assert "b.yaml:" in out[1] and "绕成了圈" in out[1], out


def test_a_county_naming_an_unknown_city_points_at_its_register_not_its_values_row(tmp_path: Path) -> None:
    """Found by a blind test: the field naming the higher unit is in the lower data's register; the problem named
    a row of values.csv instead."""
    text = CITY.replace("scheme: " + str(COUNTY) + "}", "scheme: " + str(COUNTY) + ", by: kind}")
    scheme, data = _city(tmp_path, "县,县\n区,区\n", text)          # no 开发区 among the cities
    result = cli("score", "-c", str(scheme), "-d", str(data), "--rollup", f"counties={COUNTIES}")
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "(rollup-unit)" in line]
    assert lines and all("单位名册" in line and "kind 列" in line and "values.csv" not in line for line in lines), lines


def test_a_grade_written_without_quotes_is_told_to_quote_it(tmp_path: Path) -> None:
    """Found by a blind test: `where: "grade == 不合格"` only said 未定义的名称; the grades of this scheme and of a
    rollup's lower scheme are texts the guide says to quote."""
    out = problems_of(write(tmp_path, CITY.replace("where: \"grade == '不合格'\"", "where: \"grade == 不合格\"")))
    assert any("未定义的名称“不合格”" in o and "文字要加引号：'不合格'" in o for o in out), out


def test_a_wrong_by_is_one_error_not_a_cascade(tmp_path: Path) -> None:
    """Found by a blind test: one wrong `by` gave 8 errors, most of them misleading (counties 不是台账…)."""
    text = CITY.replace("scheme: " + str(COUNTY) + "}", "scheme: " + str(COUNTY) + ", by: cty}")
    out = [o for o in problems_of(write(tmp_path, text)) if "警告" not in o]
    assert len(out) == 1 and "(rollup-by)" in out[0], out


def test_one_city_given_on_the_command_line_keeps_the_others_declared_sources() -> None:
    """Found by a blind test: `--rollup counties@M1=…` dropped the scheme's `source` for M2, which then had no
    counties (rollup-empty). A per-city source replaces that city's declared source only."""
    here = Path(__file__).parent.parent / "selfcheck" / "forecast_blind"
    declared = json.loads(cli("score", "-c", str(here / "city.yaml"), "-d", str(here / "cities"), "-f", "json").stdout)
    result = cli("score", "-c", str(here / "city.yaml"), "-d", str(here / "cities"), "-f", "json",
                 "--rollup", f"counties@M1={here / 'counties' / 'M1'}")
    assert result.exit_code == 0, result.output
    given = json.loads(result.stdout)
    assert [(r["entity"], r["total"]) for r in given["results"]] == \
        [(r["entity"], r["total"]) for r in declared["results"]]
