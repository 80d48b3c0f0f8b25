"""Bad data sets, generated here, each must end in a located Chinese problem: never a traceback, a hang or a
silent default. One case a row: how the good data set is spoiled, and the problem code expected."""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from common.codes import meaning
from common.problems import Problems
from intake import read_data
from intake.convert import convert_one
from rules.language.criteria import load_criteria
from tests.helpers import SPEC, SPEC_DATA, cli

SCHEME = load_criteria(SPEC, Problems())
assert SCHEME is not None


@pytest.fixture(scope="module")
def books_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("books") / "xlsx"
    result = cli("convert", str(SPEC_DATA), "-c", str(SPEC), "--to", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def _edit_csv(name: str, edit: Callable[[str], str]) -> Callable[[Path], None]:
    def spoil(folder: Path) -> None:
        p = folder / name
        p.write_text(edit(p.read_text(encoding="utf-8-sig")), encoding="utf-8")
    return spoil


def _replace_cell(file: str, column: str, row: int, text: str) -> Callable[[Path], None]:
    """Replace one CSV cell (row as the user counts it, header = 1)."""
    def edit(t: str) -> str:
        lines = t.splitlines()
        header = lines[0].split(",")
        cells = lines[row - 1].split(",")
        cells[header.index(column)] = text
        lines[row - 1] = ",".join(cells)
        return "\n".join(lines) + "\n"
    return _edit_csv(file, edit)


def _rename(old: str, new: str) -> Callable[[Path], None]:
    return lambda folder: (folder / old).rename(folder / new)


def _into_subfolder(folder: Path) -> None:
    (folder / "台账").mkdir()
    (folder / "hazards.csv").rename(folder / "台账" / "hazards.csv")


def _fifo(folder: Path) -> None:
    (folder / "hazards.csv").unlink()
    os.mkfifo(folder / "hazards.csv")


def _loop(folder: Path) -> None:
    (folder / "hazards.csv").unlink()
    os.symlink("hazards.csv", folder / "hazards.csv")


def _dangling(folder: Path) -> None:
    (folder / "hazards.csv").unlink()
    os.symlink("nowhere.csv", folder / "hazards.csv")


def _unreadable(folder: Path) -> None:
    (folder / "hazards.csv").chmod(0)


CSV_CASES: list[tuple[str, Callable[[Path], None], str]] = [
    ("ledger file deleted", lambda f: (f / "hazards.csv").unlink(), "missing-ledger"),
    ("values file deleted", lambda f: (f / "values.csv").unlink(), "missing-values"),
    # items scored by others read the scorers' records: without them every such item would score as unrecorded
    ("findings file deleted", lambda f: (f / "findings.csv").unlink(), "missing-ledger"),
    ("ledger file upper-case suffix is read", _rename("honours.csv", "honours.CSV"), ""),
    ("ledger file as .txt", _rename("hazards.csv", "hazards.txt"), "near-miss-file"),
    ("ledger file in a subfolder", _into_subfolder, "misplaced-file"),
    ("ledger file is a FIFO", _fifo, "bad-path"),
    ("ledger file is a symlink loop", _loop, "bad-path"),
    ("ledger file is a dangling symlink", _dangling, "bad-path"),
    ("decimal comma", _replace_cell("penalties.csv", "金额", 2, '"1,5"'), "bad-value"),
    ("decimal comma percent", _replace_cell("values.csv", "awareness", 2, '"88,5%"'), "bad-value"),
    ("full-width comma", _replace_cell("values.csv", "criticisms", 2, "1，234"), "bad-value"),
    ("underscore in a number", _replace_cell("values.csv", "criticisms", 2, "3_8"), "bad-value"),
    ("exponent count", _replace_cell("values.csv", "criticisms", 2, "1e300"), "bad-value"),
    ("huge count", _replace_cell("values.csv", "criticisms", 2, "1" * 300), "bad-value"),
    ("1e40 amount", _replace_cell("penalties.csv", "金额", 2, "1e40"), "bad-value"),
    ("unit id with a space", _replace_cell("entities.csv", "id", 2, "c 01"), "bad-id"),
    ("unit id with a dot", _replace_cell("entities.csv", "id", 2, "c.01"), "bad-id"),
    ("empty unit id", _replace_cell("entities.csv", "id", 2, ""), "bad-value"),
    ("column by id and by label", _edit_csv("values.csv", lambda t: "\n".join(
        line + ("," + ("已发现" if i == 0 else line.split(",")[1])) for i, line in enumerate(t.splitlines()))
        .replace("已发现", "死亡人数") + "\n"), "duplicate-column"),
    ("same column twice", _edit_csv("penalties.csv", lambda t: "\n".join(
        line + "," + line.split(",")[1] for line in t.splitlines()) + "\n"), "duplicate-column"),
    ("one row with an extra field", _edit_csv("hazards.csv", lambda t: t.replace("2020-02-20", "2020-02-20,x", 1)),
     "csv-fields"),
    ("a trailing comma on every row", _edit_csv("honours.csv", lambda t: "\n".join(
        (line if i == 0 else line + ",") for i, line in enumerate(t.splitlines())) + "\n"), "csv-fields"),
]


def _read(path: Path) -> tuple[object, Problems]:
    problems = Problems()
    return read_data(SCHEME, path, problems), problems


@pytest.mark.parametrize(("case", "spoil", "code"), CSV_CASES, ids=[c[0] for c in CSV_CASES])
def test_bad_csv_data_set_is_a_located_problem(tmp_path: Path, case: str, spoil: Callable[[Path], None],
                                               code: str) -> None:
    folder = tmp_path / "data"
    shutil.copytree(SPEC_DATA, folder)
    if case == "column by id and by label":
        # the label of `deaths` as a second column beside its id
        label = SCHEME.inputs["deaths"].label
        text = (folder / "values.csv").read_text(encoding="utf-8-sig").splitlines()
        text = [line + "," + (label if i == 0 else line.split(",")[1]) for i, line in enumerate(text)]
        (folder / "values.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    else:
        spoil(folder)
    if case == "ledger file is unreadable" and os.geteuid() == 0:
        pytest.skip("root reads every file")
    data, problems = _read(folder)
    if not code:
        assert data is not None, [p.render() for p in problems.errors]
        return
    assert data is None
    found = [p for p in problems.errors if p.code == code]
    assert found, [p.render() for p in problems.items]
    assert all(p.file for p in found)                      # located
    assert all(re.search(r"[\u4e00-\u9fff]", p.message) for p in problems.items)   # in Chinese
    assert all(len(p.render()) < 1000 for p in problems.items)                     # nothing huge echoed
    assert meaning(code)


def test_a_missing_values_file_is_one_problem_naming_it(tmp_path: Path) -> None:
    """Not one "没有填报数据" a unit, none of which says that values.csv is what is missing."""
    folder = tmp_path / "data"
    shutil.copytree(SPEC_DATA, folder)
    (folder / "values.csv").unlink()
    data, problems = _read(folder)
    assert data is None
    assert [p.code for p in problems.errors] == ["missing-values"], [p.render() for p in problems.items]
    assert "values.csv" in problems.errors[0].message


def test_unreadable_ledger_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    folder = tmp_path / "data"
    shutil.copytree(SPEC_DATA, folder)
    _unreadable(folder)
    data, problems = _read(folder)
    assert data is None and any(p.code == "bad-path" for p in problems.errors)


def test_empty_ledger_is_a_legitimate_zero(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(SPEC_DATA, folder)
    header = (folder / "penalties.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    (folder / "penalties.csv").write_text(header + "\n", encoding="utf-8")
    data, problems = _read(folder)
    assert data is not None, [p.render() for p in problems.errors]


def test_explicit_no_records_row_is_an_empty_ledger(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(SPEC_DATA, folder)
    (folder / "penalties.csv").write_text("entity,金额\nc01,本单位无此类记录\n", encoding="utf-8")
    data, problems = _read(folder)
    assert data is not None, [p.render() for p in problems.errors]
    assert len(data.ledgers["penalties"].frame) == 0


def test_optional_ledger_may_be_absent(tmp_path: Path) -> None:
    text = SPEC.read_text(encoding="utf-8").replace("    label: 行政处罚台账\n", "    label: 行政处罚台账\n    optional: true\n")
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    scheme = load_criteria(spec, Problems())
    assert scheme is not None
    folder = tmp_path / "data"
    shutil.copytree(SPEC_DATA, folder)
    (folder / "penalties.csv").unlink()
    problems = Problems()
    assert read_data(scheme, folder, problems) is not None, [p.render() for p in problems.errors]


@pytest.mark.parametrize("path_kind", ["fifo", "loop", "dangling", "file-not-folder"])
def test_data_path_itself(tmp_path: Path, path_kind: str) -> None:
    target = tmp_path / "data"
    if path_kind == "fifo":
        os.mkfifo(target)
    elif path_kind == "loop":
        os.symlink("data", target)
    elif path_kind == "dangling":
        os.symlink("nowhere", target)
    else:
        target.write_text("x", encoding="utf-8")
    data, problems = _read(target)
    assert data is None and problems.errors and all(p.file for p in problems.errors)


# ------------------------------------------------------------------------------------------- workbooks


def _book(folder: Path, unit: str) -> Path:
    return next(folder.glob(f"{unit}_*.xlsx"))


def _edit_book(unit: str, edit: Callable[[openpyxl.Workbook], None]) -> Callable[[Path], None]:
    def spoil(folder: Path) -> None:
        p = _book(folder, unit)
        wb = openpyxl.load_workbook(p)
        edit(wb)
        wb.save(p)
    return spoil


def _value_row(ws: openpyxl.worksheet.worksheet.Worksheet, ident: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == ident)


def _patch_sheet_xml(unit: str, sheet_index: int, patch: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def spoil(folder: Path) -> None:
        p = _book(folder, unit)
        with zipfile.ZipFile(p) as z:
            parts = {n: z.read(n) for n in z.namelist()}
        name = f"xl/worksheets/sheet{sheet_index}.xml"
        parts[name] = patch(parts[name])
        with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
            for n, b in parts.items():
                z.writestr(n, b)
    return spoil


def _far_cell_xml(xml_cells: bytes, dimension: bytes | None = None) -> Callable[[Path], None]:
    """The values sheet of c01 given cells by XML surgery (forms openpyxl never writes, a reader still takes)."""
    def spoil(folder: Path) -> None:
        def patch(xml: bytes) -> bytes:
            xml = xml.replace(b"</sheetData>", xml_cells + b"</sheetData>", 1)
            if dimension is not None:
                xml = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="' + dimension + b'"', xml, count=1)
            return xml
        _patch_sheet_xml("c01", _sheet_index(folder, "c01", "填报数据"), patch)(folder)
    return spoil


def _sheet_index(folder: Path, unit: str, title: str) -> int:
    wb = openpyxl.load_workbook(_book(folder, unit))
    return wb.sheetnames.index(title) + 1


def _far_cell(folder: Path) -> None:
    p = _book(folder, "c01")
    wb = openpyxl.load_workbook(p)
    wb["行政处罚台账"]["XFD1048576"] = "x"
    wb.save(p)


def _bomb(folder: Path) -> None:
    """A 20 MB inline string that packs into a few kilobytes."""
    idx = _sheet_index(folder, "c01", "行政处罚台账")
    cell = b'<row r="3"><c r="A3" t="inlineStr"><is><t>' + b"x" * 20_000_000 + b"</t></is></c></row></sheetData>"
    _patch_sheet_xml("c01", idx, lambda xml: xml.replace(b"</sheetData>", cell, 1))(folder)


def _delete_input_row(ident: str) -> Callable[[openpyxl.Workbook], None]:
    def edit(wb: openpyxl.Workbook) -> None:
        ws = wb["填报数据"]
        ws.delete_rows(_value_row(ws, ident))
    return edit


def _set_value(ident: str, value: object, column: int = 3) -> Callable[[openpyxl.Workbook], None]:
    def edit(wb: openpyxl.Workbook) -> None:
        ws = wb["填报数据"]
        ws.cell(_value_row(ws, ident), column).value = value
    return edit


def _general_date_serial(wb: openpyxl.Workbook) -> None:
    ws = wb["填报数据"]
    c = ws.cell(_value_row(ws, "plan_sent"), 3)
    c.value = 44196
    c.number_format = "General"


def _merge_inputs(wb: openpyxl.Workbook) -> None:
    ws = wb["填报数据"]
    r = _value_row(ws, "deaths")
    ws.merge_cells(start_row=r, start_column=3, end_row=r + 1, end_column=3)


def _error_cell(folder: Path) -> None:
    idx = _sheet_index(folder, "c01", "填报数据")

    def patch(xml: bytes) -> bytes:
        # the plan_sent cell (an optional date) holds a cached #DIV/0!
        wb = openpyxl.load_workbook(_book(folder, "c01"))
        ws = wb["填报数据"]
        ref = f"C{_value_row(ws, 'plan_sent')}"
        return re.sub(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)',
                      b'<c r="' + ref.encode() + b'" t="e"><f>1/0</f><v>#DIV/0!</v></c>', xml, count=1, flags=re.S)
    _patch_sheet_xml("c01", idx, patch)(folder)


def _formula_without_value(folder: Path) -> None:
    wb = openpyxl.load_workbook(_book(folder, "c01"))
    ws = wb["填报数据"]
    ref = f"C{_value_row(ws, 'plan_sent')}".encode()
    idx = wb.sheetnames.index("填报数据") + 1
    _patch_sheet_xml("c01", idx, lambda xml: re.sub(rb'<c r="' + ref + rb'"[^>]*?(?:/>|>.*?</c>)',
                                                      b'<c r="' + ref + b'"><f>TODAY()</f></c>', xml, count=1,
                                                      flags=re.S))(folder)


def _blank_header(title: str) -> Callable[[openpyxl.Workbook], None]:
    def edit(wb: openpyxl.Workbook) -> None:
        for cell in wb[title][1]:
            cell.value = None
    return edit


def _delete_header_of_rows(title: str) -> Callable[[openpyxl.Workbook], None]:
    def edit(wb: openpyxl.Workbook) -> None:
        ws = wb[title]
        for _ in range(3):   # rows enough that, headless, some would look repeated
            ws.append([c.value for c in ws[2]])
        ws.delete_rows(1)
    return edit


BOOK_CASES: list[tuple[str, Callable[[Path], None], str]] = [
    ("ledger sheet deleted", _edit_book("c02", lambda wb: wb.remove(wb["行政处罚台账"])), "missing-ledger"),
    ("findings sheet deleted", _edit_book("c02", lambda wb: wb.remove(wb["考核扣分记录"])), "missing-ledger"),
    ("ledger sheet emptied, header too", _edit_book("c02", lambda wb: wb["行政处罚台账"].delete_rows(1, 1000)),
     "missing-column"),
    ("ledger header row deleted", _edit_book("c02", lambda wb: wb["行政处罚台账"].delete_rows(1)), "missing-column"),
    ("ledger header cells blanked", _edit_book("c02", _blank_header("行政处罚台账")), "missing-column"),
    # a keyed ledger: its rows, read without their header, must not be taken as repeats of one blank key
    ("keyed ledger header row deleted", _edit_book("c01", _delete_header_of_rows("隐患排查整治台账")), "missing-column"),
    ("values sheet emptied, header too", _edit_book("c02", lambda wb: wb["填报数据"].delete_rows(1, 1000)),
     "missing-column"),
    ("ledger sheet renamed", _edit_book("c02", lambda wb: setattr(wb["行政处罚台账"], "title", "处罚")),
     "missing-ledger"),
    ("values sheet deleted", _edit_book("c02", lambda wb: wb.remove(wb["填报数据"])), "missing-sheet"),
    ("register deleted", lambda f: (f / "单位名册.xlsx").unlink(), "no-register"),
    ("locked 编号 edited", _edit_book("c01", _set_value("deaths", "criticisms", column=1)), "locked-cell"),
    ("optional input row deleted", _edit_book("c01", _delete_input_row("plan_sent")), "missing-column"),
    ("two input cells merged", _edit_book("c01", _merge_inputs), "merged-cells"),
    ("date serial in a General cell", _edit_book("c01", _general_date_serial), "bad-value"),
    ("decimal comma text", _edit_book("c01", _set_value("criticisms", "1,5")), "bad-value"),
    ("1e300 as a count", _edit_book("c01", _set_value("criticisms", 1e300)), "bad-value"),
    ("cached error in an optional cell", _error_cell, "bad-value"),
    ("formula without a cached value", _formula_without_value, "bad-value"),
    ("stray value in XFD1048576", _far_cell, "workbook-bounds"),
    # the same far cell with its reference in single quotes (XML allows it; the reader takes it): found in review
    ("far cell, reference in single quotes", _far_cell_xml(b"<row r='1048576'><c r='XFD1048576' t='n'><v>1</v></c></row>"),
     "workbook-bounds"),
    ("far cell, spaces around =", _far_cell_xml(b'<row r = "1048576"><c r = "XFD1048576"><v>1</v></c></row>'),
     "workbook-bounds"),
    ("huge declared dimension", _far_cell_xml(b"", b"A1:XFD1048576"), "workbook-bounds"),
    ("rows and cells without references", _far_cell_xml(b"<row>" + b"<c><v>1</v></c>" * 16384 + b"</row>"
                                                        + b"<row/>" * 1300), "workbook-bounds"),
    ("a huge string", _bomb, "workbook-bounds"),
]


@pytest.mark.parametrize(("case", "spoil", "code"), BOOK_CASES, ids=[c[0] for c in BOOK_CASES])
def test_bad_workbook_is_a_located_problem(tmp_path: Path, books_template: Path, case: str,
                                           spoil: Callable[[Path], None], code: str) -> None:
    folder = tmp_path / "xlsx"
    shutil.copytree(books_template, folder)
    spoil(folder)
    data, problems = _read(folder)
    assert data is None
    found = [p for p in problems.errors if p.code == code]
    assert found, [p.render() for p in problems.items]
    assert all(p.file for p in found)
    assert all(len(p.render()) < 1000 for p in problems.items)
    assert meaning(code)


def test_good_workbooks_read(books_template: Path) -> None:
    data, problems = _read(books_template)
    assert data is not None, [p.render() for p in problems.errors]


def test_a_units_book_given_twice_is_one_problem(tmp_path: Path, books_template: Path) -> None:
    """Not hundreds of repeated-key lines from reading the same ledgers twice: one problem naming both books."""
    folder = tmp_path / "xlsx"
    shutil.copytree(books_template, folder)
    shutil.copy(_book(folder, "c02"), folder / "c02_copy.xlsx")
    data, problems = _read(folder)
    assert data is None
    assert [p.code for p in problems.errors] == ["duplicate-unit"], [p.render() for p in problems.errors][:5]
    assert "c02_copy.xlsx" in problems.errors[0].render() and problems.errors[0].entity == "c02"


def test_a_locked_unit_field_edited_is_said(tmp_path: Path, books_template: Path) -> None:
    """The register decides a unit's class; an edit of the locked cell in the unit's book is said, located."""
    folder = tmp_path / "xlsx"
    shutil.copytree(books_template, folder)
    book = _book(folder, "c02")
    wb = openpyxl.load_workbook(book)
    ws = wb["单位信息"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value not in (None, "项目", "单位编号", "单位名称"))
    ws.cell(row, 2).value = "改过的值"
    wb.save(book)
    data, problems = _read(folder)
    assert data is not None, [p.render() for p in problems.errors]
    found = [p for p in problems.warnings if p.code == "unit-name" and p.entity == "c02"]
    assert found and found[0].row == row and "改过的值" in found[0].message, [p.render() for p in problems.items]


def test_a_workbook_open_in_excel_is_said(tmp_path: Path, books_template: Path) -> None:
    """Excel's ~$ lock file beside the books: the data still reads (the saved version), with a warning."""
    folder = tmp_path / "xlsx"
    shutil.copytree(books_template, folder)
    lock = folder / ("~$" + _book(folder, "c01").name[2:])
    lock.write_bytes(b"\x05someone")
    data, problems = _read(folder)
    assert data is not None, [p.render() for p in problems.errors]
    found = [p for p in problems.warnings if p.code == "open-workbook"]
    assert found and found[0].file == str(lock), [p.render() for p in problems.items]


# ------------------------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(("text", "typ", "value"), [
    ("1,234", "int", 1234), ("1,234,567.5", "number", Decimal("1234567.5")), ("１２３", "int", 123),
    ("-0.5", "number", Decimal("-0.5")), ("87%", "percent", Decimal("0.87")), (".5", "number", Decimal("0.5")),
])
def test_numbers_read_exactly(text: str, typ: str, value: object) -> None:
    assert convert_one(text, typ) == value


@pytest.mark.parametrize(("text", "typ"), [
    ("1,5", "number"), ("52,30", "number"), ("88,5%", "percent"), ("3_8", "int"), ("1_234", "int"),
    ("1，234", "int"), ("12,34", "int"), ("1e3", "int"), ("1e300", "number"), ("9" * 300, "int"),
    ("NaN", "number"), ("Infinity", "number"), (float("inf"), "number"), (1e40, "int"),
])
def test_numbers_refused(text: object, typ: str) -> None:
    with pytest.raises(ValueError, match=r"[\u4e00-\u9fff]"):
        convert_one(text, typ)


def test_consolidated_workbook_without_a_ledger_sheet(tmp_path: Path) -> None:
    out = tmp_path / "one"
    result = cli("convert", str(SPEC_DATA), "-c", str(SPEC), "--to", "xlsx", "-o", str(out), "--layout",
                 "consolidated")
    assert result.exit_code == 0, result.output
    book = next(out.glob("*.xlsx"))
    wb = openpyxl.load_workbook(book)
    del wb["行政处罚台账"]
    wb.save(book)
    data, problems = _read(book)
    assert data is None
    assert [p.file for p in problems.errors if p.code == "missing-ledger"] == [str(book)]


def test_one_row_with_an_extra_field_is_one_problem(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(SPEC_DATA, folder)
    p = folder / "values.csv"
    lines = p.read_text(encoding="utf-8-sig").splitlines()
    lines[1] += ",x"    # the first data row: pandas would have made the unit column the index
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    data, problems = _read(folder)
    assert data is None
    assert [(p.code, p.row) for p in problems.errors] == [("csv-fields", 2)]


@pytest.mark.parametrize("content", [b"", b"x\n", b"PK\x03\x04broken", b"entity,deaths\nc01,1\n"],
                         ids=["empty", "text", "truncated zip", "csv named xlsx"])
def test_a_workbook_that_is_not_one_is_said_in_chinese(tmp_path: Path, books_template: Path, content: bytes) -> None:
    folder = tmp_path / "xlsx"
    shutil.copytree(books_template, folder)
    _book(folder, "c01").write_bytes(content)
    data, problems = _read(folder)
    assert data is None
    found = [p for p in problems.errors if p.code == "bad-workbook"]
    assert found, [p.render() for p in problems.items]
    assert not re.search(r"[A-Za-z]{4,}", found[0].message.replace("xlsx", "").replace("Excel", "").replace("WPS", "")), \
        found[0].message
