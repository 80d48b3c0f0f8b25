"""assess warn (alerts/): planted cases appear with the right level, distance and date; clear units do not."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from alerts.projection import days, pro_rata
from tests.helpers import cli

HERE = Path(__file__).parent / "fixtures" / "warn"
SCHEME, DATA = str(HERE / "scheme.yaml"), str(HERE / "data")


def _warnings(*extra: str) -> list[dict]:
    r = cli("warn", "-c", SCHEME, "-d", DATA, "--as-of", "2020-09-30", "-f", "json", *extra)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["warnings"]


def _one(ws: list[dict], entity: str, rule: str) -> dict:
    found = [w for w in ws if w["entity"] == entity and w["rule"] == rule]
    assert len(found) == 1, found
    return found[0]


def test_planted_cases() -> None:
    ws = _warnings()
    deaths = _one(ws, "u1", "V1")   # 4 deaths by 30 Sept, target 5: 4 × 366 / 274 = 5.34 > 5
    assert (deaths["level"], deaths["current"], deaths["projected"], deaths["distance"], deaths["act_by"]) == \
        ("按进度将触发", "4人", "5.3人", "还可再有1人", "2020-12-31")
    past = [w for w in ws if w["entity"] == "u2" and w["rule"] == "V2"]
    assert [(w["level"], w["distance"], w["act_by"]) for w in past] == [
        ("已触发", "已逾期29天", "2020-09-01"), ("临近", "距整改期限还有20天", "2020-10-20")]
    assert "H2-1" in past[0]["current"] and "H2-2" in past[1]["current"]
    rule = _one(ws, "u1", "H2")     # the same projection costs the item its 3 points: 20 → 17, under 优秀's 18
    assert (rule["level"], rule["threat"], rule["distance"]) == ("按进度将触发", "扣3分", "还可再有1人")
    grade = _one(ws, "u1", "优秀")
    assert (grade["kind"], grade["current"], grade["projected"], grade["distance"], grade["threat"]) == \
        ("等次", "20分", "17分", "差1分", "等次由优秀降为合格")
    rate = _one(ws, "u3", "C1")     # 4 of 5 rectified: 80% against a 90% line
    assert (rate["level"], rate["current"], rate["distance"]) == ("已触发", "80%", "差10个百分点")
    late = _one(ws, "u4", "H1")     # a late accident report: a fact, nothing to date
    assert (late["level"], late["act_by"]) == ("已触发", None) and "A4-1" in late["current"]
    near = _one(ws, "u7", "C1")     # 13 of 14: 92.86%, within a twentieth of 90%
    assert (near["level"], near["distance"]) == ("临近", "距界限还有2.86个百分点")
    fire = _one(ws, "u8", "F1")     # a declared accumulating input: 2 now, one more reaches 3
    assert (fire["level"], fire["projected"], fire["distance"]) == ("临近", "2.7人", "还可再有0人")


def test_clear_units_are_not_listed() -> None:
    # u5: 1 death, its 挂牌督办 hazard due after the year end; u6: 3 deaths → 4.0 by the year end, 2 more allowed
    assert not {w["entity"] for w in _warnings()} & {"u5", "u6"}


def test_pro_rata_in_decimal() -> None:
    assert days(dt.date(2020, 1, 1), dt.date(2020, 9, 30)) == 274
    assert pro_rata(4, 274, 366) == Decimal(4) * 366 / 274
    assert str(pro_rata(4, 274, 366).quantize(Decimal("0.1"))) == "5.3"
    assert pro_rata(None, 274, 366) is None
    assert pro_rata(3, 366, 366) == 3


def test_a_date_outside_the_period_is_an_error() -> None:
    r = cli("warn", "-c", SCHEME, "-d", DATA, "--as-of", "2021-01-15")
    assert r.exit_code == 1 and "warn-date" in r.output


def test_a_row_after_the_date_is_a_located_error() -> None:
    r = cli("warn", "-c", SCHEME, "-d", DATA, "--as-of", "2020-06-30")   # u1's accident of 1 July
    assert r.exit_code == 1 and "warn-row" in r.output and "accidents.csv" in r.output and "第3行" in r.output


def test_workbook_and_page(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    (data / "accidents.csv").write_text((data / "accidents.csv").read_text(encoding="utf-8").replace(
        "A4-1", "=HYPERLINK(1)"), encoding="utf-8")
    xlsx, page = tmp_path / "预警.xlsx", tmp_path / "预警.html"
    for out in (xlsx, page):
        assert cli("warn", "-c", SCHEME, "-d", str(data), "--as-of", "2020-09-30", "-o", str(out)).exit_code == 0
    ws = load_workbook(io.BytesIO(xlsx.read_bytes())).active
    assert ws is not None
    cells = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
    assert "还可再有1人" in cells and "已逾期29天" in cells
    typed = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert typed and all(c.data_type == "s" and not str(c.value).startswith("=") for c in typed)
    html = page.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "<script" not in html and "已逾期29天" in html
    assert "戊县" not in html   # clear units get no line


def test_scheme_without_accumulate_scores_as_before() -> None:
    r = cli("validate", "criteria/2020/county.yaml")
    assert r.exit_code == 0, r.output


def test_accumulate_names_are_checked(tmp_path: Path) -> None:
    text = (HERE / "scheme.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("values: [fire_deaths]", "values: [rectification_rate, nothing]").replace(
        "ledgers: {accidents: 发生日期}", "ledgers: {accidents: 死亡人数}"), encoding="utf-8")
    r = cli("validate", str(bad))
    assert r.exit_code == 1 and r.output.count("(accumulate)") == 3, r.output


def test_period_dates_ledgers_accumulate(tmp_path: Path) -> None:
    from common.problems import Problems
    from rules.language.criteria import load_criteria

    text = (HERE / "scheme.yaml").read_text(encoding="utf-8").replace("  ledgers: {accidents: 发生日期}\n", "")
    text += ("periods:\n  H1: {name: 上半年, start: 2020-01-01, end: 2020-06-30}\n"
             "  H2: {name: 下半年, start: 2020-07-01, end: 2020-12-31}\nperiod_dates: {accidents: 发生日期}\n")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    scheme = load_criteria(path, Problems())
    assert scheme is not None and scheme.accumulate is not None
    assert scheme.accumulate.ledgers == {"accidents": "发生日期"} and scheme.accumulate.values == ("fire_deaths",)
    r = cli("warn", "-c", str(path), "-d", DATA, "--as-of", "2020-09-30", "-f", "json")
    assert r.exit_code == 0, r.output
    assert _one(json.loads(r.stdout)["warnings"], "u1", "V1")["projected"] == "5.3人"


def test_without_the_declaration_nothing_is_projected(tmp_path: Path) -> None:
    text = (HERE / "scheme.yaml").read_text(encoding="utf-8")
    start = text.index("accumulate:")
    path = tmp_path / "s.yaml"
    path.write_text(text[:start] + text[text.index("categories:"):], encoding="utf-8")
    r = cli("warn", "-c", str(path), "-d", DATA, "--as-of", "2020-09-30", "-f", "json")
    ws = json.loads(r.stdout)["warnings"]
    assert not [w for w in ws if w["entity"] == "u1"]   # 4 deaths of 5 allowed, not projected: clear
    assert [w["distance"] for w in ws if w["entity"] == "u2"] == ["已逾期29天", "距整改期限还有20天"]
