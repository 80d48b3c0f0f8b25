"""Earlier results as input (`previous:`): read from a results file this tool wrote, matched by unit id, and
every way it can go wrong is a located Chinese error (criteria/README.md 2.18)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import cli

SCHEME = """\
scheme:
  id: prev-test
  title: 往期结果测试
  total: 100
  grades:
    - {name: 优秀, min: 90}
    - {name: 合格, min: 0}
inputs:
  missed: {label: 未完成项数, type: int, min: 0}
categories:
  - id: A
    name: 工作落实
    points: 100
    items:
      - {id: A1, name: 任务完成, points: 100, deduct: 5, per: missed}
"""
PREVIOUS = """\
previous:
  last_year: {label: 上一年度考核结果, file: FILE, scheme: prev-test}
vetoes:
  - {id: V1, name: 位次后退2位以上, when: rank - last_year.rank >= 2, effect: {deduct: 1}}
"""


def _setup(tmp_path: Path, units: dict[str, int]) -> Path:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "entities.csv").write_text("id,name\n" + "".join(f"{u},{u}县\n" for u in units), encoding="utf-8")
    (data / "values.csv").write_text("entity,missed\n" + "".join(f"{u},{m}\n" for u, m in units.items()),
                                     encoding="utf-8")
    return data


def _last_year(tmp_path: Path) -> Path:
    """Last year's published results, written by `assess score --format json`."""
    crit = tmp_path / "2020.yaml"
    crit.write_text(SCHEME, encoding="utf-8")
    data = _setup(tmp_path, {"u1": 5, "u2": 1, "u3": 0})    # ranks: u3 1, u2 2, u1 3
    out = tmp_path / "2020结果.json"
    result = cli("score", "-c", str(crit), "-d", str(data), "-f", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def _this_year(tmp_path: Path, file: str) -> Path:
    crit = tmp_path / "2021.yaml"
    crit.write_text(SCHEME + PREVIOUS.replace("FILE", file), encoding="utf-8")
    return crit


def test_a_unit_that_fell_two_places_loses_a_point(tmp_path: Path) -> None:
    _last_year(tmp_path)
    crit = _this_year(tmp_path, "2020结果.json")
    data = _setup(tmp_path, {"u1": 0, "u2": 1, "u3": 2})    # ranks: u1 1, u2 2, u3 3: u3 fell two places
    result = cli("score", "-c", str(crit), "-d", str(data), "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    got = {r["entity"]: (r["total"], [v["id"] for v in r["vetoes"]]) for r in doc["results"]}
    assert got == {"u1": ("100.00", []), "u2": ("95.00", []), "u3": ("89.00", ["V1"])}
    assert any(k.endswith("2020结果.json") for k in doc["inputs"]), doc["inputs"]   # in the run record


def test_each_way_an_earlier_result_cannot_be_used_is_a_located_error(tmp_path: Path) -> None:
    _last_year(tmp_path)
    data = _setup(tmp_path, {"u1": 0, "u2": 1, "u4": 2})
    result = cli("score", "-c", str(_this_year(tmp_path, "2020结果.json")), "-d", str(data))
    assert result.exit_code != 0
    assert "2021.yaml:17:" in result.output and "中没有单位 u4（u4县）" in result.output \
        and "(previous-unit)" in result.output, result.output
    for file, said in (("无此文件.json", "不存在"), ("2020.yaml", "不是有效的 JSON")):
        result = cli("score", "-c", str(_this_year(tmp_path, file)), "-d", str(data))
        assert "2021.yaml:17:" in result.output and said in result.output and "(previous-file)" in result.output, \
            result.output
    crit = _this_year(tmp_path, "2020结果.json")
    crit.write_text(crit.read_text(encoding="utf-8").replace("scheme: prev-test}", "scheme: county-2020}"),
                    encoding="utf-8")
    result = cli("score", "-c", str(crit), "-d", str(data))
    assert "出自细则“prev-test”，而 previous 要求出自“county-2020”" in result.output, result.output


def test_a_file_of_other_units_is_one_error_saying_so(tmp_path: Path) -> None:
    """Found by a blind test: a results file of other units (another scheme, no `scheme:` declared) gave one
    previous-unit error per unit; it is one error asking whether the file is the right one."""
    _last_year(tmp_path)
    data = _setup(tmp_path, {"x1": 0, "x2": 1, "x3": 2})
    crit = _this_year(tmp_path, "2020结果.json")
    crit.write_text(crit.read_text(encoding="utf-8").replace(", scheme: prev-test}", "}"), encoding="utf-8")
    result = cli("score", "-c", str(crit), "-d", str(data))
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if "(previous-unit)" in line]
    assert len(lines) == 1 and "一个本次考核的单位都没有" in lines[0] and "拿错" in lines[0], result.output


def test_an_earlier_result_with_a_key_written_twice_is_refused(tmp_path: Path) -> None:
    """A hand-edited results file with a key written twice: which value is meant cannot be known (compare and
    verify refuse it too; intake/resultsfile.py is the one reader of results files given as inputs)."""
    out = _last_year(tmp_path)
    text = out.read_text(encoding="utf-8")
    out.write_text(text.replace('"rank": 1,', '"rank": 1, "rank": 3,', 1), encoding="utf-8")
    data = _setup(tmp_path, {"u1": 0, "u2": 1, "u3": 2})
    result = cli("score", "-c", str(_this_year(tmp_path, "2020结果.json")), "-d", str(data))
    assert result.exit_code == 1 and "键“rank”写了两次" in result.output and "(previous-file)" in result.output, \
        result.output
