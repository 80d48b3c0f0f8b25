"""Every output is safe to open: no formula from user text, no input overwritten, names any disk accepts,
results files read back without tracebacks (issue 17). Hostile inputs are generated here."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from common import numbers
from common.files import NAME_BYTES, file_mode, input_clash, safe_file_name, unique_file_names
from common.formulas import csv_cell, is_formula_like, xml_text
from tests.helpers import SPEC, SPEC_DATA, cli

HOSTILE = ["=HYPERLINK(\"http://x\",\"点我\")", "=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0", "＝1+1", "\t=1+1"]
FORMULA_XML = re.compile(rb"<f[ >]")


def hostile_data(tmp_path: Path) -> Path:
    """The spec's data with every unit name, and the texts of findings and hazards, made hostile."""
    data = tmp_path / "data"
    shutil.copytree(SPEC_DATA, data)
    path = data / "entities.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    for i, row in enumerate(rows[1:]):
        row[1] = HOSTILE[i % len(HOSTILE)] + f"县{i}"
    _write_csv(path, rows)
    path = data / "findings.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    for row in rows[1:]:
        row[4], row[5] = "=cmd|' /C calc'!A0", "@评分单位"
    _write_csv(path, rows)
    return data


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def formula_cells(path: Path) -> list[str]:
    """Formula cells in a workbook, by the file's XML (what Excel reads), and by openpyxl's view of it."""
    found = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and FORMULA_XML.search(z.read(name)):
                found.append(f"{path.name}:{name}")
    wb = openpyxl.load_workbook(path)
    found += [f"{path.name}!{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows()
              for c in row if c.data_type == "f"]
    return found


def all_text(path: Path) -> set[str]:
    wb = openpyxl.load_workbook(path)
    return {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}


# ----------------------------------------------------------------------------- no formula in any output


def test_results_workbook_has_no_formula_and_shows_the_names(tmp_path: Path) -> None:
    data = hostile_data(tmp_path)
    result = cli("report", "-c", str(SPEC), "-d", str(data), "-o", str(tmp_path / "rep"))
    assert result.exit_code in (0, 1), result.output
    book = tmp_path / "rep" / "results.xlsx"
    assert formula_cells(book) == []
    texts = all_text(book)
    assert HOSTILE[1] + "县1" in texts                                   # shown as written, as text
    wb = openpyxl.load_workbook(book)
    assert {"汇总", "明细", "扣分说明"} <= set(wb.sheetnames)
    events = {str(c.value) for row in wb["扣分说明"].iter_rows() for c in row}
    assert any(e.startswith("=cmd|' /C calc'!A0（@评分单位") for e in events) and "@评分单位" in events
    numbers_ok = [c.value for c in wb["汇总"]["D"][2:] if c.value is not None]
    assert numbers_ok and all(isinstance(v, (int, float)) for v in numbers_ok)   # scores stay numbers
    page = (tmp_path / "rep" / "report.html").read_text(encoding="utf-8")
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;点我&quot;)" in page and '=HYPERLINK("' not in page
    md = (tmp_path / "rep" / "通报.md").read_text(encoding="utf-8")
    assert "|" not in md.replace("\\|", "")                                # markup escaped
    with zipfile.ZipFile(tmp_path / "rep" / "通报.docx") as z:
        assert not FORMULA_XML.search(z.read("word/document.xml"))


def test_score_csv_neutralises_formulas_but_keeps_numbers(tmp_path: Path) -> None:
    data = hostile_data(tmp_path)
    result = cli("score", "-c", str(SPEC), "-d", str(data), "-f", "csv", "-o", str(tmp_path / "r.csv"))
    assert result.exit_code in (0, 1), result.output
    rows = list(csv.reader(io.StringIO((tmp_path / "r.csv").read_text(encoding="utf-8"))))
    cells = [c for r in rows for c in r]
    assert not [c for c in cells if is_formula_like(c)]
    names = [r[2] for r in rows[1:]]
    assert "'" + HOSTILE[1] + "县1" in names and "'" + HOSTILE[3] + "县3" in names
    assert all(re.fullmatch(r"-?\d+\.\d\d", r[3]) for r in rows[1:])       # totals: numbers, not quoted


def test_convert_to_csv_and_xlsx_write_no_formula(tmp_path: Path) -> None:
    data = hostile_data(tmp_path)
    assert cli("convert", str(data), "-c", str(SPEC), "--to", "xlsx", "-o", str(tmp_path / "x")).exit_code == 0
    books = sorted((tmp_path / "x").glob("*.xlsx"))
    assert len(books) > 3 and [f for b in books for f in formula_cells(b)] == []
    assert cli("convert", str(data), "-c", str(SPEC), "--to", "csv", "-o", str(tmp_path / "c")).exit_code == 0
    for f in (tmp_path / "c").glob("*.csv"):
        cells = [c for r in csv.reader(io.StringIO(f.read_text(encoding="utf-8-sig"))) for c in r]
        assert not [c for c in cells if is_formula_like(c)], f.name
    penalties = (tmp_path / "c" / "penalties.csv").read_text(encoding="utf-8-sig")
    assert "12.5" in penalties and "'" not in penalties


def test_templates_for_hostile_units_write_no_formula(tmp_path: Path) -> None:
    data = hostile_data(tmp_path)
    for layout in ("unit", "consolidated"):
        out = tmp_path / layout
        result = cli("template", "-c", str(SPEC), "-e", str(data / "entities.csv"), "-o", str(out), "--layout", layout)
        assert result.exit_code == 0, result.output
        books = sorted(out.glob("*.xlsx"))
        assert books and [f for b in books for f in formula_cells(b)] == []
        assert any(HOSTILE[0] + "县0" in all_text(b) for b in books)


def test_annotated_copies_write_no_formula(tmp_path: Path) -> None:
    data = hostile_data(tmp_path)
    values = data / "values.csv"
    values.write_text(values.read_text(encoding="utf-8").replace("\nc01,0,", "\nc01,两人,", 1), encoding="utf-8")
    out = tmp_path / "back"
    result = cli("check", "-c", str(SPEC), "-d", str(data), "--annotate", str(out))
    assert result.exit_code == 1
    books = sorted(out.glob("*.xlsx"))
    assert {b.name for b in books} >= {"values.xlsx", "问题清单.xlsx"}
    assert [f for b in books for f in formula_cells(b)] == []


def test_annotated_workbook_copy_carries_values_not_formulas(tmp_path: Path) -> None:
    books = tmp_path / "xlsx"
    assert cli("convert", str(SPEC_DATA), "-c", str(SPEC), "--to", "xlsx", "-o", str(books)).exit_code == 0
    wb = openpyxl.load_workbook(books / "c01_一县.xlsx")
    ws = wb["填报数据"]
    ws["C2"] = "两人"
    ws["G2"] = "=cmd|' /C calc'!A0"          # a live formula typed by the unit
    wb.save(books / "c01_一县.xlsx")
    result = cli("check", "-c", str(SPEC), "-d", str(books), "--annotate", str(tmp_path / "back"))
    assert result.exit_code == 1
    copies = sorted((tmp_path / "back").glob("*.xlsx"))
    assert copies and [f for b in copies for f in formula_cells(b)] == []


# ----------------------------------------------------------------------------- inputs never overwritten


@pytest.mark.parametrize("target", ["criteria", "data-file", "symlink"])
def test_score_refuses_to_overwrite_an_input(tmp_path: Path, target: str) -> None:
    data = tmp_path / "data"
    shutil.copytree(SPEC_DATA, data)
    criteria = tmp_path / "spec.yaml"
    shutil.copy(SPEC, criteria)
    out = {"criteria": criteria, "data-file": data / "values.csv", "symlink": tmp_path / "link.yaml"}[target]
    if target == "symlink":
        out.symlink_to(criteria)
    before = {p: p.read_bytes() for p in [criteria, *data.iterdir()]}
    result = cli("score", "-c", str(criteria), "-d", str(data), "-f", "csv", "-o", str(out))
    assert result.exit_code == 2 and "不会覆盖" in result.output
    assert {p: p.read_bytes() for p in before} == before


def test_report_template_and_convert_refuse_inputs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(SPEC_DATA, data)
    criteria = tmp_path / "rep" / "通报.md"      # criteria that happen to sit where the report goes
    criteria.parent.mkdir()
    shutil.copy(SPEC, criteria)
    result = cli("report", "-c", str(criteria), "-d", str(data), "-o", str(criteria.parent))
    assert result.exit_code == 2 and criteria.read_bytes() == SPEC.read_bytes()
    assert sorted(p.name for p in criteria.parent.iterdir()) == ["通报.md"]
    result = cli("template", "-c", str(SPEC), "-o", str(SPEC))
    assert result.exit_code != 0 and "scheme:" in SPEC.read_text(encoding="utf-8")
    assert cli("convert", str(data), "-c", str(SPEC), "--to", "csv", "-o", str(data)).exit_code == 2


def test_score_out_is_a_folder_is_a_message(tmp_path: Path) -> None:
    result = cli("score", "-c", str(SPEC), "-d", str(SPEC_DATA), "-f", "json", "-o", str(tmp_path))
    assert result.exit_code == 2 and "文件夹" in result.output


def test_outputs_have_one_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        assert cli("score", "-c", str(SPEC), "-d", str(SPEC_DATA), "-f", "json", "-o", str(tmp_path / "r.json")).exit_code == 0
        assert cli("template", "-c", str(SPEC), "-o", str(tmp_path / "t.xlsx")).exit_code == 0
        cli("report", "-c", str(SPEC), "-d", str(SPEC_DATA), "-o", str(tmp_path / "rep"))
        modes = {p.name: p.stat().st_mode & 0o777 for p in [tmp_path / "r.json", tmp_path / "t.xlsx",
                                                            *(tmp_path / "rep").iterdir()]}
        assert set(modes.values()) == {0o644} and file_mode() == 0o644
    finally:
        os.umask(old)


# ----------------------------------------------------------------------------- file names


def test_long_unit_names_are_cut_to_the_byte_limit_and_stay_unique(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(SPEC_DATA, data)
    path = data / "entities.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    long = "很长的单位名称" * 60
    lines[1] = lines[1].replace("一县", long + "甲", 1)
    lines[2] = lines[2].replace("二县", long + "乙", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for cmd in (["template", "-c", str(SPEC), "-e", str(path), "-o", str(tmp_path / "t")],
                ["convert", str(data), "-c", str(SPEC), "--to", "xlsx", "-o", str(tmp_path / "x")]):
        result = cli(*cmd)
        assert result.exit_code == 0, result.output
        names = [p.name for p in Path(cmd[cmd.index("-o") + 1]).iterdir()]
        assert len(names) == len(set(names)) == len(lines)           # the register and one book per unit
        assert all(len(n.encode("utf-8")) <= NAME_BYTES for n in names)


def test_safe_file_name_rules() -> None:
    assert safe_file_name("c01_一县", ".xlsx") == "c01_一县.xlsx"
    assert safe_file_name('a/b\\c:d*?"<>|', ".xlsx") == "a_b_c_d______.xlsx"
    assert safe_file_name("CON", ".xlsx") == "_CON.xlsx" and safe_file_name("...") == "_"
    a, b = safe_file_name("县" * 200 + "甲", ".xlsx"), safe_file_name("县" * 200 + "乙", ".xlsx")
    assert a != b and len(a.encode()) <= 255 and len(b.encode()) <= 255 and a.endswith(".xlsx")
    assert unique_file_names(["A", "a", "a"], ".x") == ["A.x", "a-2.x", "a-3.x"]


def test_input_clash_sees_hard_links(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("x", encoding="utf-8")
    os.link(src, tmp_path / "hard.csv")
    assert input_clash([tmp_path / "hard.csv"], [src]) is not None
    assert input_clash([tmp_path / "new.csv"], [src]) is None


# ----------------------------------------------------------------------------- results read back


def bad_results(tmp_path: Path) -> dict[str, Path]:
    doc = {"results": [{"entity": "u1", "name": "北山县", "total": "62.05"}]}
    files = {
        "gbk": json.dumps(doc, ensure_ascii=False).encode("gbk"),
        "deep": b'{"results": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}",
        "digits": b'{"results": [{"entity": "u1", "rank": ' + b"9" * 5000 + b"}]}",
        "digits-string": b'{"results": [{"entity": "u1", "total": "' + b"9" * 5000 + b'"}]}',
        "shape": b'{"results": [{"entity": "u1", "items": {"A1": "abc"}}]}',
        "not-json": b'{"results": [1,,]}',
        "nan": b'{"results": [{"entity": "u1", "rank": NaN}]}',
        "run": b'{"results": [], "run": {"tool": [1]}}',
        "list": b'[1, 2, 3]',
        "no-results": b'{"results": "x"}',
        "repeated-key": b'{"results": [{"entity": "u1", "total": 1, "total": 99}]}',
    }
    out = {}
    for name, content in files.items():
        out[name] = tmp_path / f"{name}.json"
        out[name].write_bytes(content)
    return out


@pytest.mark.parametrize("name", ["gbk", "deep", "digits", "digits-string", "shape", "not-json", "nan", "run", "list",
                                  "no-results", "repeated-key"])
def test_compare_and_verify_refuse_bad_results_with_a_located_message(tmp_path: Path, name: str) -> None:
    path = bad_results(tmp_path)[name]
    good = tmp_path / "good.json"
    assert cli("score", "-c", str(SPEC), "-d", str(SPEC_DATA), "-f", "json", "-o", str(good)).exit_code == 0
    for args in (["compare", str(path), str(good)], ["verify", str(path)]):
        result = cli(*args)
        assert result.exit_code == 1, result.output
        assert str(path) in result.output and "Traceback" not in result.output
        assert re.search(r"第\d+行|results\[0\]|run\.|results", result.output)


# ----------------------------------------------------------------------------- the shared rules


@pytest.mark.parametrize(("text", "written"), [
    ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-cmd", "'-cmd"), ("@x", "'@x"), ("\t=x", "'\t=x"), ("\r=x", "'\r=x"),
    ("＝1", "'＝1"), ("  =x", "'  =x"), ("-1.5", "-1.5"), ("+2", "+2"), ("87.5%", "87.5%"), ("-3e2", "-3e2"),
    ("一县", "一县"), ("", ""),
])
def test_csv_cells(text: str, written: str) -> None:
    assert csv_cell(text) == written


def test_xml_text_keeps_a_docx_writable() -> None:
    assert xml_text("a\x01b\udc80c") == "a\ufffdb\ufffdc"


def test_number_display_rules() -> None:
    from decimal import Decimal as D

    assert numbers.plain(D("1.50")) == "1.5" and numbers.plain(D("-0")) == "0" and numbers.plain(D("1E+2")) == "100"
    assert numbers.signed(D("2")) == "+2" and numbers.signed(D("-0.5")) == "-0.5" and numbers.signed(D(0)) == "0"
    assert numbers.fixed(D("2.345"), 2) == "2.35" and numbers.fixed(None, 2) is None
    assert numbers.approx(D(2) / D(3)) == "≈0.6667" and numbers.approx(D("0.25")) == "0.25"
    assert numbers.percent(D("0.875")) == "87.5%" and numbers.readable_percent(D(2) / D(3)) == "约66.6667%"
    assert numbers.readable(D(5) / D(7)) == "约0.714286" and numbers.readable(D("3.0")) == "3"


def test_annotate_is_bounded_per_sheet_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import intake.annotate as annotate

    monkeypatch.setattr(annotate, "MARKS_PER_SHEET", 2)
    monkeypatch.setattr(annotate, "LIST_ROWS", 3)
    data = tmp_path / "data"
    shutil.copytree(SPEC_DATA, data)
    path = data / "hazards.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    head, first = lines[0], lines[1].split(",")
    rows = [",".join([first[0], f"B{i}", first[2], first[3], "坏日期", *first[5:]]) for i in range(10)]
    path.write_text("\n".join([head, *rows]) + "\n", encoding="utf-8")
    out = tmp_path / "back"
    assert cli("check", "-c", str(SPEC), "-d", str(data), "--annotate", str(out)).exit_code == 1
    wb = openpyxl.load_workbook(out / "hazards.xlsx")
    marked = [c for row in wb["hazards"].iter_rows() for c in row if c.comment is not None]
    assert len(marked) == 2
    listed = list(wb["问题清单"].iter_rows(min_row=2, values_only=True))
    assert len(listed) == 4 and "另有" in str(listed[-1][0]) and "assess check -f json" in str(listed[-1][0])


def test_convert_to_csv_and_back_gives_the_texts_as_typed(tmp_path: Path) -> None:
    """The apostrophe that keeps a formula-like text from running is not part of the text: read back, the
    unit names and findings are what the user typed, and the scores are the same."""
    data = hostile_data(tmp_path)
    assert cli("convert", str(data), "-c", str(SPEC), "--to", "csv", "-o", str(tmp_path / "c")).exit_code == 0
    assert "'=cmd" in (tmp_path / "c" / "findings.csv").read_text(encoding="utf-8-sig")
    assert cli("convert", str(tmp_path / "c"), "-c", str(SPEC), "--to", "csv", "-o", str(tmp_path / "c2")).exit_code == 0
    for name in ("entities.csv", "findings.csv"):
        assert (tmp_path / "c2" / name).read_text(encoding="utf-8-sig") == \
            (tmp_path / "c" / name).read_text(encoding="utf-8-sig"), name   # no apostrophe added twice
    for src, out in ((data, "first.json"), (tmp_path / "c", "again.json")):
        assert cli("score", "-c", str(SPEC), "-d", str(src), "-f", "json", "-o", str(tmp_path / out)).exit_code == 0
    first, again = (json.loads((tmp_path / f).read_text(encoding="utf-8"))["results"] for f in ("first.json", "again.json"))
    assert any(u["name"].startswith("=HYPERLINK") for u in again), [u["name"] for u in again]
    assert [(u["entity"], u["name"], u["total"]) for u in first] == [(u["entity"], u["name"], u["total"]) for u in again]


def test_outputs_are_never_written_into_the_data_folder(tmp_path: Path) -> None:
    """The next run would read them as data: refused before anything is written, the folder untouched."""
    data = tmp_path / "data"
    shutil.copytree(SPEC_DATA, data)
    before = sorted(p.name for p in data.iterdir())
    report = cli("report", "-c", str(SPEC), "-d", str(data), "-o", str(data))
    score = cli("score", "-c", str(SPEC), "-d", str(data), "-f", "csv", "-o", str(data / "结果.csv"))
    assert report.exit_code == score.exit_code == 2
    assert "数据文件夹" in report.output and "数据文件夹" in score.output
    assert sorted(p.name for p in data.iterdir()) == before
    assert cli("score", "-c", str(SPEC), "-d", str(data), "-f", "csv", "-o", str(tmp_path / "结果.csv")).exit_code == 0


def test_an_output_that_is_a_device_or_pipe_is_refused_and_a_link_written_through(tmp_path: Path) -> None:
    """`-o /dev/full` as root once replaced the device with a file: special files are refused, untouched; a
    symbolic link keeps being a link and its target gets the output."""
    import os
    import stat

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    result = cli("score", "-c", str(SPEC), "-d", str(SPEC_DATA), "-f", "json", "-o", str(pipe))
    assert result.exit_code == 1 and "不是普通文件" in result.output
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "target.json")
    assert cli("score", "-c", str(SPEC), "-d", str(SPEC_DATA), "-f", "json", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and (tmp_path / "target.json").read_text(encoding="utf-8").startswith("{")


def test_a_million_of_one_mistake_is_shown_as_a_few_and_a_count() -> None:
    """A column pasted wrong gives one problem a row: the list shows the first ones of a kind and says how many
    more there are, instead of millions of lines that hide every other problem."""
    from common.problems import SHOWN_OF_A_KIND, Problem, capped

    items = [Problem(f"第{i}行错误", file="hazards.csv", row=i, code="bad-value") for i in range(SHOWN_OF_A_KIND + 50)]
    items.append(Problem("另一种问题", file="values.csv", code="missing-column"))
    shown, notes = capped(items)
    assert len(shown) == SHOWN_OF_A_KIND + 1 and shown[-1].code == "missing-column"
    assert len(notes) == 1 and "另有 50 个" in notes[0] and "hazards.csv" in notes[0]
