"""Excel intake: generated templates, workbooks read back, conversion without loss, every problem located.

Workbooks are made by the project's own commands (template, convert) and then edited with openpyxl the
way a unit would fill them in. A formula cell with a cached value is made by writing the cell's XML
(`<f>` and `<v>`) into the saved file: openpyxl itself never stores a computed value, and LibreOffice is
not needed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from common.problems import Problems
from intake import read_data
from intake.dataset import DataSet
from intake.layout import sheet_name
from rules.evaluation.evaluate import EVIDENCE_SOURCE
from rules.language.criteria import load_criteria
from tests.helpers import SPEC, SPEC_DATA, cli

ROOT = Path(__file__).parent.parent
COUNTY = ROOT / "criteria" / "2020" / "county.yaml"
CITY = ROOT / "examples" / "city-2020"
ROW_CHECK = """  - for_each: hazards
    when: 整改完成日期 >= 发现日期
    message: 整改完成日期早于发现日期，请核对这两个日期
"""


# ------------------------------------------------------------------------------------------ helpers


def spec_with_row_check(tmp_path: Path) -> Path:
    text = SPEC.read_text(encoding="utf-8")
    assert "\nchecks:\n" in text
    path = tmp_path / "spec.yaml"
    path.write_text(text.replace("\nchecks:\n", "\nchecks:\n" + ROW_CHECK, 1), encoding="utf-8")
    return path


def convert(tmp_path: Path, name: str, *args: str, criteria: Path = SPEC, data: Path = SPEC_DATA) -> Path:
    out = tmp_path / name
    result = cli("convert", str(data), "--criteria", str(criteria), "--out", str(out), *args)
    assert result.exit_code == 0, result.output
    return out


def covered(ws: Worksheet, ref: str) -> bool:
    return any(ref in dv.sqref for dv in ws.data_validations.dataValidation)


def header_row(ws: Worksheet) -> list[Any]:
    return [c.value for c in ws[1]]


def scores(criteria: Path, data: Path) -> list[dict[str, Any]]:
    """The JSON results without what names the files read (evidence 出处, inputs)."""
    result = cli("score", "--criteria", str(criteria), "--data", str(data), "--format", "json")
    assert result.exit_code == 0, result.output
    text = result.output[result.output.index("{"):result.output.rindex("}") + 1]
    doc = json.loads(text)
    for r in doc["results"]:
        for e in r["events"]:
            e["evidence"].pop(EVIDENCE_SOURCE, None)
        for d in r.get("self_score_diff", []):
            for e in d["events"]:
                e["evidence"].pop(EVIDENCE_SOURCE, None)
        for v in r["vetoes"]:
            v.get("evidence", {}).pop(EVIDENCE_SOURCE, None)
    return doc["results"]


def dataset(criteria: Path, data: Path) -> DataSet:
    problems = Problems()
    scheme = load_criteria(criteria, problems)
    assert scheme is not None
    d = read_data(scheme, data, problems)
    assert d is not None, [p.render() for p in problems.errors]
    return d


def same_data(a: DataSet, b: DataSet) -> None:
    assert a.ids == b.ids and a.names == b.names and a.fields == b.fields
    assert a.values == b.values and a.na == b.na and a.self_scores == b.self_scores
    assert set(a.ledgers) == set(b.ledgers)
    order = {u: i for i, u in enumerate(a.ids)}
    for name, ledger in a.ledgers.items():
        cols = [c for c in ledger.frame.columns if not str(c).startswith("_")]

        def records(frame: Any, cols: list[str] = cols) -> list[tuple[Any, ...]]:
            rows = list(frame[cols].itertuples(index=False, name=None))
            return sorted(rows, key=lambda r: order[r[0]])   # stable: keeps each unit's own row order

        assert records(ledger.frame) == records(b.ledgers[name].frame), name


def set_formula(path: Path, sheet: str, ref: str, formula: str, cached: str) -> None:
    """Turn a saved cell into a formula with a cached value, as Excel stores it."""
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n) for n in z.namelist()}
    book = files["xl/workbook.xml"].decode()
    rels = files["xl/_rels/workbook.xml.rels"].decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="(rId\d+)"', book)
    assert rid
    target = re.search(rf'<Relationship [^>]*Id="{rid.group(1)}"[^>]*/>', rels)
    assert target
    part = re.search(r'Target="([^"]+)"', target.group(0))
    assert part
    name = part.group(1).lstrip("/")
    name = name if name.startswith("xl/") else f"xl/{name}"
    xml, n = re.subn(rf'<c r="{ref}"([^>]*?)(?: t="\w+")?([^>/]*)>.*?</c>',
                     rf'<c r="{ref}"\1\2><f>{formula}</f><v>{cached}</v></c>', files[name].decode())
    assert n == 1
    files[name] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in files.items():
            z.writestr(k, v)


def value_row(ws: Worksheet, input_id: str) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == input_id)


# ---------------------------------------------------------------------------------------- templates


@pytest.mark.parametrize("criteria", [SPEC, COUNTY], ids=["spec", "county"])
def test_template_carries_every_input_and_column_with_validation(tmp_path: Path, criteria: Path) -> None:
    scheme = load_criteria(criteria, Problems())
    assert scheme is not None
    out = tmp_path / "t.xlsx"
    result = cli("template", "--criteria", str(criteria), "--out", str(out), "--deadline", "2021年1月10日")
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "填报说明"
    guide = "\n".join(str(c.value) for row in wb["填报说明"].iter_rows() for c in row if c.value)
    assert "2021年1月10日" in guide and "不涉及" in guide
    ws = wb["填报数据"]
    assert ws.freeze_panes and ws.protection.sheet
    labels = {ws.cell(r, 2).value: r for r in range(2, ws.max_row + 1)}
    for name, inp in scheme.scalar_inputs.items():
        assert inp.label in labels, inp.label
        r = labels[inp.label]
        assert ws.cell(r, 1).value == name
        assert ws.cell(r, 3).protection.locked is False and ws.cell(r, 2).protection.locked is True
        if inp.type != "str" or inp.values:
            assert covered(ws, f"C{r}"), name
        if inp.min is not None or inp.max is not None or inp.values:
            assert any(s in str(ws.cell(r, 5).value) for s in ("～", "不小于", "不大于", "下拉")), name
    for table, inp in scheme.tables.items():
        ledger = wb[sheet_name(inp.label)]
        heads = header_row(ledger)
        assert ledger.freeze_panes == "A2"
        for j, (c, col) in enumerate((inp.columns or {}).items(), start=1):
            assert heads[j - 1] == (col.label or c)
            letter = openpyxl.utils.get_column_letter(j)
            if col.type != "str" or col.values or c == inp.key:
                assert covered(ledger, f"{letter}2:{letter}1048576"), (table, c)
            assert ledger.column_dimensions[letter].width >= 8
    findings = wb["考核扣分记录"]
    assert header_row(findings) == ["考核项目", "扣分", "得分", "事由", "评分单位", "依据"]
    assert covered(findings, "A2:A1048576")
    assert header_row(wb["自评分"]) == ["项目编号", "项目名称", "分值", "自评分"]
    assert [wb["自评分"].cell(r, 1).value for r in range(2, wb["自评分"].max_row + 1)] == [i.id for i in scheme.items]


def test_consolidated_template_has_a_column_per_input(tmp_path: Path) -> None:
    scheme = load_criteria(SPEC, Problems())
    assert scheme is not None
    out = tmp_path / "all.xlsx"
    assert cli("template", "-c", str(SPEC), "-o", str(out), "--layout", "consolidated").exit_code == 0
    wb = openpyxl.load_workbook(out)
    heads = header_row(wb["填报数据"])
    assert heads[:2] == ["单位编号", "单位名称"]
    assert heads[2:] == [inp.label for inp in scheme.scalar_inputs.values()]
    assert all(covered(wb["填报数据"], f"{openpyxl.utils.get_column_letter(j)}2:"
                                      f"{openpyxl.utils.get_column_letter(j)}1048576") for j in range(3, len(heads) + 1))
    assert header_row(wb["隐患排查整治台账"])[0] == "单位编号"
    assert "单位名册" in wb.sheetnames


def test_template_per_unit_prefilled_and_locked(tmp_path: Path) -> None:
    out = tmp_path / "books"
    result = cli("template", "-c", str(SPEC), "-o", str(out), "--entities", str(SPEC_DATA / "entities.csv"))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["单位名册.xlsx", "c01_一县.xlsx", "c02_二县.xlsx", "c03_三县.xlsx", "c04_四县.xlsx"])
    wb = openpyxl.load_workbook(out / "c02_二县.xlsx")
    info = wb["单位信息"]
    assert [info.cell(r, 2).value for r in (2, 3, 4, 5)] == ["c02", "二县", "二类", "其他部门"]
    assert info.protection.sheet and info["B2"].protection.locked and info["B3"].protection.locked
    assert wb.active.title == "填报数据"
    # the blank templates read back: every unit is reported as having sent nothing yet
    result = cli("check", "-c", str(SPEC), "-d", str(out), "-f", "json")
    assert result.exit_code == 1
    doc = json.loads(result.output[result.output.index("{"):result.output.rindex("}") + 1])
    required = [p for p in doc["problems"] if p["code"] == "bad-value"]
    assert required and all(p["sheet"] == "填报数据" and p["column"] == "填报值" for p in required)


def test_bad_entities_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "entities.csv"
    bad.write_text("id,name,考核类别,单位类型\nc01,一县,四类,其他部门\n", encoding="utf-8")
    result = cli("template", "-c", str(SPEC), "-o", str(tmp_path / "b"), "--entities", str(bad))
    assert result.exit_code == 1
    assert "“四类”不是允许的取值" in result.output
    assert not (tmp_path / "b").exists()


# ------------------------------------------------------------------------------------ reading, scores


@pytest.mark.parametrize("layout", ["unit", "consolidated"])
def test_xlsx_scores_exactly_as_csv(tmp_path: Path, layout: str) -> None:
    books = convert(tmp_path, "xlsx", "--to", "xlsx", "--layout", layout)
    data = books / "填报数据汇总.xlsx" if layout == "consolidated" else books
    assert scores(SPEC, data) == scores(SPEC, SPEC_DATA)
    same_data(dataset(SPEC, SPEC_DATA), dataset(SPEC, data))


@pytest.mark.parametrize("scheme,data", [("county", "counties"), ("department", "departments")])
def test_example_city_workbooks_score_as_its_csv(tmp_path: Path, scheme: str, data: str) -> None:
    """Schemes written elsewhere and their example city, converted to one workbook per unit."""
    criteria, csv = ROOT / "criteria" / "2020" / f"{scheme}.yaml", CITY / data
    books = convert(tmp_path, "xlsx", "--to", "xlsx", criteria=criteria, data=csv)
    units = len((csv / "entities.csv").read_text(encoding="utf-8").strip().splitlines()) - 1
    assert len(list(books.glob("*.xlsx"))) == units + 1      # and 单位名册.xlsx
    assert scores(criteria, books) == scores(criteria, csv)


def test_round_trip_csv_xlsx_csv_preserves_every_value(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(SPEC_DATA, src)
    values = (src / "values.csv").read_text(encoding="utf-8").splitlines()
    values = [values[0] + ",自评分:A1,自评分:C2"] + [row + (",2,1.5" if row.startswith("c01") else ",,")
                                                   for row in values[1:]]
    (src / "values.csv").write_text("\n".join(values) + "\n", encoding="utf-8")
    for layout in ("unit", "consolidated"):
        books = convert(tmp_path, f"xlsx-{layout}", "--to", "xlsx", "--layout", layout, data=src)
        back = convert(tmp_path, f"csv-{layout}", "--to", "csv",
                       data=books / "填报数据汇总.xlsx" if layout == "consolidated" else books)
        original, returned = dataset(SPEC, src), dataset(SPEC, back)
        same_data(original, returned)
        assert returned.self_scores == {"c01": {"A1": Decimal(2), "C2": Decimal("1.5")}}
        assert scores(SPEC, back) == scores(SPEC, src)


def test_convert_refuses_bad_data_and_its_own_folder(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(SPEC_DATA, src)
    result = cli("convert", str(src), "-c", str(SPEC), "--to", "xlsx", "-o", str(src))
    assert result.exit_code == 2
    text = (src / "values.csv").read_text(encoding="utf-8")
    (src / "values.csv").write_text(text.replace("c01,0,0,", "c01,两人,0,", 1), encoding="utf-8")
    result = cli("convert", str(src), "-c", str(SPEC), "--to", "xlsx", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1 and "应为整数，实际为“两人”" in result.output
    assert not (tmp_path / "out").exists()


def test_formula_cell_is_read_as_its_cached_value(tmp_path: Path) -> None:
    books = convert(tmp_path, "xlsx", "--to", "xlsx")
    book = books / "c02_二县.xlsx"
    wb = openpyxl.load_workbook(book)
    row = value_row(wb["填报数据"], "deaths")
    set_formula(book, "填报数据", f"C{row}", "1+1", "3")    # were it computed, it would read 2
    result = cli("score", "-c", str(SPEC), "-d", str(books), "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output[result.output.index("{"):result.output.rindex("}") + 1])
    c02 = next(r for r in doc["results"] if r["entity"] == "c02")
    assert c02["values"]["deaths"] == 3
    assert openpyxl.load_workbook(book)["填报数据"][f"C{row}"].value == "=1+1"   # the file still holds the formula


def test_xlsm_is_read_without_running_macros(tmp_path: Path) -> None:
    books = convert(tmp_path, "xlsx", "--to", "xlsx")
    book = books / "c02_二县.xlsx"
    macro = book.with_suffix(".xlsm")
    book.rename(macro)
    with zipfile.ZipFile(macro, "a") as z:
        z.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not a real VBA project: never loaded")
    assert scores(SPEC, books) == scores(SPEC, SPEC_DATA)


def test_header_under_a_title_row_and_labels_as_columns(tmp_path: Path) -> None:
    books = convert(tmp_path, "xlsx", "--to", "xlsx", "--layout", "consolidated")
    book = books / "填报数据汇总.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["隐患排查整治台账"]
    ws.insert_rows(1)
    ws["A1"] = "2020年隐患排查整治台账（各县区填报）"
    ws["D9"] = "不是"   # a bad value: now on row 9, since the title pushed everything down one row
    wb.save(book)
    result = cli("check", "-c", str(SPEC), "-d", str(book), "-f", "json")
    doc = json.loads(result.output[result.output.index("{"):result.output.rindex("}") + 1])
    bad = [p for p in doc["problems"] if p["level"] == "error"]
    assert len(bad) == 1 and bad[0]["row"] == 9 and bad[0]["column"] == "挂牌督办" and bad[0]["value"] == "不是"


def test_units_without_workbook_and_register_as_csv(tmp_path: Path) -> None:
    books = convert(tmp_path, "xlsx", "--to", "xlsx")
    (books / "单位名册.xlsx").unlink()
    shutil.copy(SPEC_DATA / "entities.csv", books / "entities.csv")
    (books / "c03_三县.xlsx").unlink()
    result = cli("check", "-c", str(SPEC), "-d", str(books))
    assert result.exit_code == 1
    assert "单位“c03”没有填报数据" in result.output
    (books / "entities.csv").unlink()
    result = cli("check", "-c", str(SPEC), "-d", str(books))
    assert result.exit_code == 1   # without a register the missing c03 would be silently absent
    assert "数据文件夹中没有单位名册" in result.output


# ---------------------------------------------------------------------------------- bad workbooks


def bad_unit_books(tmp_path: Path) -> Path:
    books = convert(tmp_path, "xlsx", "--to", "xlsx")
    wb = openpyxl.load_workbook(books / "c01_一县.xlsx")
    ws = wb["填报数据"]
    ws.cell(value_row(ws, "deaths"), 3).value = "两人"                      # text in a number cell
    wb["隐患排查整治台账"]["F3"] = dt.date(2020, 1, 5)                        # H2 completed before it was found
    wb.save(books / "c01_一县.xlsx")
    wb = openpyxl.load_workbook(books / "c04_四县.xlsx")
    ws = wb["填报数据"]
    ws.cell(value_row(ws, "criticisms"), 3).value = -1                       # a negative count
    wb.save(books / "c04_四县.xlsx")
    wb = openpyxl.load_workbook(books / "c03_三县.xlsx")
    wb["隐患排查整治台账"]["A4"] = "H1"                                        # a duplicate hazard id
    wb.save(books / "c03_三县.xlsx")
    wb = openpyxl.load_workbook(books / "c02_二县.xlsx")
    wb["单位信息"]["B2"] = "c99"                                              # a unit not in the register
    wb.save(books / "c99_九县.xlsx")
    return books


def test_bad_unit_workbooks_every_problem_located_in_one_run(tmp_path: Path) -> None:
    criteria = spec_with_row_check(tmp_path)
    books = bad_unit_books(tmp_path)
    before = {p.name: p.read_bytes() for p in books.iterdir()}
    result = cli("check", "-c", str(criteria), "-d", str(books), "-f", "json")
    assert result.exit_code == 1
    doc = json.loads(result.output[result.output.index("{"):result.output.rindex("}") + 1])
    found = {(Path(p["file"]).name, p.get("sheet"), p.get("row"), p.get("column"), p.get("value"), p["code"])
             for p in doc["problems"] if p["level"] == "error"}
    c01 = openpyxl.load_workbook(books / "c01_一县.xlsx")["填报数据"]
    c04 = openpyxl.load_workbook(books / "c04_四县.xlsx")["填报数据"]
    assert ("c01_一县.xlsx", "填报数据", value_row(c01, "deaths"), "填报值", "两人", "bad-value") in found
    assert ("c04_四县.xlsx", "填报数据", value_row(c04, "criticisms"), "填报值", "-1", "bad-value") in found
    assert ("c01_一县.xlsx", "隐患排查整治台账", 3, "整改完成日期", "2020-01-05", "check") in found
    assert ("c03_三县.xlsx", "隐患排查整治台账", 4, "隐患编号", "H1", "duplicate-key") in found
    assert ("c99_九县.xlsx", "单位信息", 2, "内容", "c99", "unknown-unit") in found
    for p in doc["problems"]:
        assert {"level", "message", "code"} <= set(p)
    table = cli("check", "-c", str(criteria), "-d", str(books))
    assert "c01_一县.xlsx" in table.output and "整改完成日期早于发现日期" in table.output
    score = cli("score", "-c", str(criteria), "-d", str(books))
    assert score.exit_code == 1
    assert "c01_一县.xlsx·隐患排查整治台账·第3行·“整改完成日期”列: 整改完成日期早于发现日期" in score.output
    assert {p.name: p.read_bytes() for p in books.iterdir()} == before


def test_bad_consolidated_workbook_every_problem_located(tmp_path: Path) -> None:
    criteria = spec_with_row_check(tmp_path)
    books = convert(tmp_path, "xlsx", "--to", "xlsx", "--layout", "consolidated")
    book = books / "填报数据汇总.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["填报数据"]
    ws["C2"] = "两人"
    ws["C5"] = -1
    h = wb["隐患排查整治台账"]
    h.append(["c99", "H9", "一般", "否", dt.date(2020, 2, 1), dt.date(2020, 3, 1), None])
    h.append(["c01", "H1", "一般", "否", dt.date(2020, 2, 1), dt.date(2020, 3, 1), None])
    h["G3"] = dt.date(2020, 1, 5)
    wb.save(book)
    result = cli("check", "-c", str(criteria), "-d", str(book), "-f", "json")
    assert result.exit_code == 1
    doc = json.loads(result.output[result.output.index("{"):result.output.rindex("}") + 1])
    found = {(p.get("sheet"), p.get("row"), p.get("column"), p["code"]) for p in doc["problems"] if p["level"] == "error"}
    assert found == {("填报数据", 2, "生产安全事故死亡人数", "bad-value"), ("填报数据", 5, "生产安全事故死亡人数", "bad-value"),
                     ("隐患排查整治台账", 3, "整改完成日期", "check"), ("隐患排查整治台账", 9, "单位编号", "unknown-unit"),
                     ("隐患排查整治台账", 10, "隐患编号", "duplicate-key")}
    assert all(p["file"] == str(book) for p in doc["problems"] if p["level"] == "error")


def test_annotated_copies_mark_every_problem_and_leave_inputs_alone(tmp_path: Path) -> None:
    criteria = spec_with_row_check(tmp_path)
    books = bad_unit_books(tmp_path)
    before = {p.name: p.read_bytes() for p in books.iterdir()}
    out = tmp_path / "back"
    result = cli("check", "-c", str(criteria), "-d", str(books), "--annotate", str(out))
    assert result.exit_code == 1
    assert {p.name: p.read_bytes() for p in books.iterdir()} == before
    assert sorted(p.name for p in out.iterdir()) == sorted(["c01_一县.xlsx", "c03_三县.xlsx", "c04_四县.xlsx",
                                                             "c99_九县.xlsx", "问题清单.xlsx"])
    wb = openpyxl.load_workbook(out / "c01_一县.xlsx")
    assert wb.sheetnames[0] == "问题清单" and wb.active.title == "问题清单"
    cell = wb["隐患排查整治台账"]["F3"]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE") and "整改完成日期早于发现日期" in cell.comment.text
    ws = wb["填报数据"]
    cell = ws.cell(value_row(ws, "deaths"), 3)
    assert cell.value == "两人" and "应为整数" in cell.comment.text
    assert ws.protection.sheet   # the copy keeps the template's locks
    listed = [r for r in wb["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert len(listed) == 2
    assert cli("check", "-c", str(criteria), "-d", str(books), "--annotate", str(books)).exit_code == 2


def test_scalar_check_is_located_at_the_input_it_reads(tmp_path: Path) -> None:
    books = convert(tmp_path, "xlsx", "--to", "xlsx")
    wb = openpyxl.load_workbook(books / "c01_一县.xlsx")
    ws = wb["填报数据"]
    row = value_row(ws, "reported_rate")
    ws.cell(row, 3).value = 0.5      # the ledger says 100%
    wb.save(books / "c01_一县.xlsx")
    result = cli("check", "-c", str(SPEC), "-d", str(books), "-f", "json")
    assert result.exit_code == 0
    doc = json.loads(result.output[result.output.index("{"):result.output.rindex("}") + 1])
    (p,) = [p for p in doc["problems"] if p["code"] == "check"]
    assert (Path(p["file"]).name, p["sheet"], p["row"], p["column"], p["value"]) == \
        ("c01_一县.xlsx", "填报数据", row, "填报值", "50%")
    assert p["entity"] == "c01" and p["rule"].startswith(f"{SPEC}:")


# ------------------------------------------------------------------------------------- self-scores


def test_self_scores_are_compared_with_the_office_score(tmp_path: Path) -> None:
    books = convert(tmp_path, "xlsx", "--to", "xlsx")
    wb = openpyxl.load_workbook(books / "c02_二县.xlsx")
    ws = wb["自评分"]
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 4).value = ws.cell(r, 3).value       # full marks claimed everywhere
    wb.save(books / "c02_二县.xlsx")
    result = cli("score", "-c", str(SPEC), "-d", str(books), "-f", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output[result.output.index("{"):result.output.rindex("}") + 1])
    c02 = next(r for r in doc["results"] if r["entity"] == "c02")
    diff = {d["item"]: d for d in c02["self_score_diff"]}
    assert diff["A1"]["self"] == "2" and diff["A1"]["office"] == "1.5" and diff["A1"]["diff"] == "-0.5"
    assert any("未履行职责" in e["reason"] for e in diff["A1"]["events"])
    assert "C2" in diff and diff["C2"]["events"][0]["kind"] == "finding"
    assert "D2" not in diff        # not applicable: counted as full marks, as claimed
    assert all(r["self_score_diff"] == [] for r in doc["results"] if r["entity"] != "c02")
    table = cli("score", "-c", str(SPEC), "-d", str(books))
    assert "自评分与考核得分不一致的项目" in table.output and "A1 党委主要负责人履职" in table.output


def test_clean_data_and_a_unit_workbook_without_its_unit(tmp_path: Path) -> None:
    books = convert(tmp_path, "xlsx", "--to", "xlsx")
    result = cli("check", "-c", str(SPEC), "-d", str(books))
    assert result.exit_code == 0 and "未发现问题" in result.output
    wb = openpyxl.load_workbook(books / "c02_二县.xlsx")
    del wb["单位信息"]
    wb.save(books / "c02_二县.xlsx")
    result = cli("check", "-c", str(SPEC), "-d", str(books))
    assert result.exit_code == 1
    assert "工作簿缺少“单位信息”表" in result.output and "单位“c02”没有填报数据" in result.output
