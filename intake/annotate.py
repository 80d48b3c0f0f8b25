"""Copies of the data files with every problem marked, ready to send back to the unit.

Each workbook with problems is copied (never modified): problem cells are filled (red for errors, yellow
for warnings) and carry a comment saying what is wrong and what to do, and a 问题清单 sheet, opened
first, lists all of the workbook's problems with links to their cells. A CSV file with problems becomes a
workbook of the same name with its cells marked the same way. 问题清单.xlsx lists every problem of the run,
including those that belong to no file (a unit that sent nothing).

openpyxl opens a workbook as data, values only: a cell holding a formula is copied as the value Excel last
computed for it (what the engine read), so no formula is passed on live in a file assess writes; an .xlsm
keeps its macros unrun. Images and charts in a returned workbook are not carried into the copy. Every text
written is text (`common.formulas`): a unit name or ledger text beginning with `=` is never a formula.

Bounded for huge inputs: a CSV copy and 问题清单.xlsx are streamed (openpyxl's write-only mode); each sheet
marks at most MARKS_PER_SHEET cells and each 问题清单 lists at most LIST_ROWS problems, with a line saying
how many more there are (`assess check -f json` has them all). A million bad cells would otherwise make a
copy no one can open, and cost minutes and many gigabytes to write.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet
from wcwidth import wcswidth

from common.files import clash_message, input_clash, write_atomic_with
from common.formulas import as_text, set_cell, xlsx_text, xlsx_value
from common.problems import Problem
from intake.csvdir import ENCODINGS
from intake.excel import is_workbook
from intake.layout import SHEET_PROBLEMS
from intake.raw import Raw
from rules.language.scheme import Scheme

FILLS = {"error": PatternFill("solid", fgColor="FFC7CE"), "warning": PatternFill("solid", fgColor="FFEB9C")}
LEVELS = {"error": "错误", "warning": "警告"}
SUMMARY_BOOK = "问题清单.xlsx"
HEADERS = ["级别", "单位", "工作表", "行", "列", "值", "说明"]
AUTHOR = "assess check"
MARKS_PER_SHEET = 5_000       # cells filled and commented per sheet; the rest are listed
LIST_ROWS = 20_000            # problems listed per 问题清单 (per copy, and in 问题清单.xlsx)


def _columns(raw: Raw, scheme: Scheme) -> dict[tuple[str, str | None], dict[str, int]]:
    """(file, sheet) -> header as written -> column number, also reachable by a column's id or label."""
    out: dict[tuple[str, str | None], dict[str, int]] = {}
    aliases: dict[str, set[str]] = defaultdict(set)
    for inp in scheme.tables.values():
        for c, col in (inp.columns or {}).items():
            if col.label:
                aliases[c].add(col.label)
                aliases[col.label].add(c)
    for k, inp in scheme.scalar_inputs.items():
        aliases[k].add(inp.label)
        aliases[inp.label].add(k)
    for t in raw.tables:
        cols = dict(t.col_index)
        for h, j in t.col_index.items():
            for a in aliases.get(h.strip(), ()):
                cols.setdefault(a, j)
        out.setdefault((t.origin.file, t.origin.sheet), {}).update(cols)
    return out


def _read_csv_text(path: Path) -> str:
    for enc in ENCODINGS:
        try:
            return path.read_text(encoding=enc)
        except UnicodeDecodeError:
            continue
    return ""


def _mark_text(problems: list[Problem], earlier: str | None = None) -> str:
    text = "\n".join(f"{LEVELS[p.level]}：{p.message}" for p in problems)
    return xlsx_text(f"{earlier}\n{text}" if earlier else text)


def _comment(problems: list[Problem], earlier: str | None = None) -> Comment:
    comment = Comment(_mark_text(problems, earlier), AUTHOR)
    comment.width = 360
    comment.height = min(400, 60 + 40 * len(problems))
    return comment


def _level(problems: list[Problem]) -> str:
    return "error" if any(p.level == "error" for p in problems) else "warning"


def _mark(ws: Worksheet, row: int, col: int, problems: list[Problem]) -> None:
    cell = ws.cell(row=row, column=col)
    cell.fill = FILLS[_level(problems)]
    earlier = cell.comment.text if cell.comment is not None and cell.comment.text else None
    cell.comment = _comment(problems, earlier)


def _capped(cells: dict[Any, list[Problem]]) -> tuple[dict[Any, list[Problem]], int]:
    """The first MARKS_PER_SHEET marked cells of each sheet, and how many were left unmarked."""
    kept: dict[Any, list[Problem]] = {}
    per_sheet: dict[str, int] = defaultdict(int)
    left = 0
    for key, ps in cells.items():
        if per_sheet[key[0]] >= MARKS_PER_SHEET:
            left += 1
            continue
        per_sheet[key[0]] += 1
        kept[key] = ps
    return kept, left


def _csv_book(path: Path, cells: dict[tuple[str, int, int], list[Problem]], listed: list[Problem],
              unmarked: int) -> Workbook:
    """A CSV file as a workbook, streamed (write-only: memory stays flat however long the file): a
    问题清单 sheet first, then the file's rows as text, problem cells filled and commented."""
    wb = Workbook(write_only=True)
    _stream_list(wb, listed, with_file=False, unmarked=unmarked)
    ws = wb.create_sheet(_sheet_title(path))
    ws.freeze_panes = "A2"
    sheet = ws.title
    for i, row in enumerate(csv.reader(_read_csv_text(path).splitlines()), start=1):
        out = []
        for j, v in enumerate(row, start=1):
            cell = WriteOnlyCell(ws, value=xlsx_text(v))
            cell.data_type = "s"    # as written in the CSV: text, never a formula
            ps = cells.get((sheet, i, j))
            if ps:
                cell.fill = FILLS[_level(ps)]
                cell.comment = _comment(ps)
            out.append(cell)
        ws.append(out)
    return wb


def _sheet_title(path: Path) -> str:
    title = "".join("_" if c in "[]:*?/\\" else c for c in path.stem)[:31].strip("'")
    return title or "数据"


def _list_rows(problems: list[Problem], with_file: bool) -> list[list[Any]]:
    return [([Path(p.file).name if p.file else ""] if with_file else [])
            + [LEVELS.get(p.level, p.level), p.entity or "", p.sheet or "", p.row, p.column or "",
               "" if p.value is None else str(p.value), p.message]
            for p in problems[:LIST_ROWS]]


def _more_line(problems: list[Problem], unmarked: int) -> str | None:
    parts = []
    if len(problems) > LIST_ROWS:
        parts.append(f"本清单只列出前{LIST_ROWS}个问题，另有{len(problems) - LIST_ROWS}个未列出")
    if unmarked:
        parts.append(f"每张工作表只标注前{MARKS_PER_SHEET}个单元格，另有{unmarked}个有问题的单元格未标注")
    if not parts:
        return None
    return "；".join(parts) + f"（共{len(problems)}个问题）。完整清单请用 assess check -f json 导出。"


def _widths(heads: list[str], rows: list[list[Any]]) -> list[int]:
    widths = [wcswidth(h) for h in heads]
    for row in rows:
        for j, v in enumerate(row):
            if v is not None:
                w = wcswidth(str(v))
                widths[j] = max(widths[j], w if w >= 0 else len(str(v)) * 2)
    return [min(max(w + 2, 6), 80) for w in widths]


def _stream_list(wb: Workbook, problems: list[Problem], with_file: bool, unmarked: int = 0) -> None:
    """The 问题清单 sheet of a write-only workbook (no links: its rows point into no sheet of this book)."""
    ws = wb.create_sheet(SHEET_PROBLEMS)
    heads = (["文件"] if with_file else []) + HEADERS
    rows = _list_rows(problems, with_file)
    for j, w in enumerate(_widths(heads, rows), start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A2"

    def cells(values: list[Any], bold: bool = False) -> list[WriteOnlyCell]:
        out = []
        for v in values:
            c = WriteOnlyCell(ws, value=xlsx_value(v))
            as_text(c)
            if bold:
                c.font = Font(bold=True)
            out.append(c)
        return out

    ws.append(cells(heads, bold=True))
    for row in rows:
        ws.append(cells(row))
    more = _more_line(problems, unmarked)
    if more:
        ws.append(cells([more], bold=True))


def _problem_sheet(wb: Workbook, problems: list[Problem], cols: dict[tuple[str, str | None], dict[str, int]],
                   unmarked: int) -> None:
    """The 问题清单 sheet of a copied workbook, opened first, each row linked to its cell."""
    if SHEET_PROBLEMS in wb.sheetnames:
        del wb[SHEET_PROBLEMS]
    ws = wb.create_sheet(SHEET_PROBLEMS, 0)
    rows = _list_rows(problems, with_file=False)
    for j, h in enumerate(HEADERS, start=1):
        set_cell(ws.cell(row=1, column=j), h).font = Font(bold=True)
    link_col = HEADERS.index("行") + 1
    for i, (p, row) in enumerate(zip(problems, rows, strict=False), start=2):
        for j, v in enumerate(row, start=1):
            set_cell(ws.cell(row=i, column=j), v)
        if p.sheet and p.sheet in wb.sheetnames and p.row:
            j = cols.get((p.file or "", p.sheet), {}).get(p.column or "", 1)
            link = ws.cell(row=i, column=link_col)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quote_sheetname(p.sheet)}!{get_column_letter(j)}{p.row}")
            link.font = Font(color="0563C1", underline="single")
    more = _more_line(problems, unmarked)
    if more:
        set_cell(ws.cell(row=len(rows) + 2, column=1), more).font = Font(bold=True)
    for j, w in enumerate(_widths(HEADERS, rows), start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A2"
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = False
    wb.active = 0
    ws.sheet_view.tabSelected = True


def annotate(problems: list[Problem], raw: Raw, scheme: Scheme, out_dir: Path) -> tuple[list[Path], list[str]]:
    """Write marked copies into `out_dir`; returns (files written, notes for the user)."""
    out_dir = out_dir.resolve()
    inputs = {Path(f).resolve() for f in raw.files}
    if any(p.parent == out_dir for p in inputs):
        raise ValueError(f"--annotate 的文件夹不能是数据所在的文件夹（{out_dir}）：标注副本会覆盖原件")
    cols = _columns(raw, scheme)
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for p in problems:
        if p.file and p.file in raw.files:
            by_file[p.file].append(p)
    planned = [out_dir / SUMMARY_BOOK, *(out_dir / (f"{Path(f).stem}.xlsx" if f.lower().endswith(".csv")
                                                    else Path(f).name) for f in by_file)]
    clash = input_clash(planned, [*raw.files, *([scheme.file] if scheme.file else [])])
    if clash is not None:
        raise ValueError(clash_message(clash))
    written: list[Path] = []
    notes: list[str] = []
    for file, items in sorted(by_file.items()):
        src = Path(file)
        is_csv = src.suffix.lower() == ".csv"
        if is_csv:
            target = out_dir / f"{src.stem}.xlsx"
            sheet_of: dict[str | None, str] = {None: _sheet_title(src)}
            sheets = set(sheet_of.values())
        elif is_workbook(src) and src.suffix.lower() in (".xlsx", ".xlsm"):
            # values only (data_only): the copy holds what the engine read, and a formula the workbook
            # carried is not passed on live in a file we write
            wb = openpyxl.load_workbook(src, keep_vba=src.suffix.lower() == ".xlsm", data_only=True)
            target = out_dir / src.name
            sheet_of = {}
            sheets = set(wb.sheetnames)
        else:
            notes.append(f"{src.name}：.xls 文件无法标注（请让填报单位另存为 .xlsx），其问题见 {SUMMARY_BOOK}")
            continue
        cells: dict[tuple[str, int, int], list[Problem]] = defaultdict(list)
        for p in items:
            sheet = sheet_of.get(p.sheet, p.sheet)
            if not sheet or sheet not in sheets or not p.row:
                continue
            j = cols.get((file, p.sheet), {}).get(p.column or "") or cols.get((file, p.sheet), {}).get(
                (p.column or "").strip()) or 1
            cells[(sheet, p.row, j)].append(p)
        kept, unmarked = _capped(cells)
        if is_csv:
            wb = _csv_book(src, kept, items, unmarked)
        else:
            for (sheet, row, j), ps in kept.items():
                _mark(wb[sheet], row, j, ps)
            _problem_sheet(wb, items, cols, unmarked)
        write_atomic_with(target, wb.save)
        written.append(target)
    summary = openpyxl.Workbook(write_only=True)
    _stream_list(summary, problems, with_file=True)
    path = out_dir / SUMMARY_BOOK
    write_atomic_with(path, summary.save)
    written.append(path)
    return written, notes
