"""Copies of the data files with every problem marked, ready to send back to the unit.

Each workbook with problems is copied (never modified): problem cells are filled (red for errors, yellow
for warnings) and carry a comment saying what is wrong and what to do, and a 问题清单 sheet, opened
first, lists all of the workbook's problems with links to their cells. A CSV file with problems becomes a
workbook of the same name with its cells marked the same way. 问题清单.xlsx lists every problem of the run,
including those that belong to no file (a unit that sent nothing).

openpyxl opens a workbook as data: formulas are kept as written and nothing is computed, and an .xlsm
keeps its macros unrun. Images and charts in a returned workbook are not carried into the copy.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet
from wcwidth import wcswidth

from common.files import write_atomic_with
from common.problems import Problem
from intake.assemble import Raw
from intake.csvdir import ENCODINGS
from intake.excel import is_workbook
from intake.layout import SHEET_PROBLEMS
from rules.language.scheme import Scheme

FILLS = {"error": PatternFill("solid", fgColor="FFC7CE"), "warning": PatternFill("solid", fgColor="FFEB9C")}
LEVELS = {"error": "错误", "warning": "警告"}
SUMMARY_BOOK = "问题清单.xlsx"
HEADERS = ["级别", "单位", "工作表", "行", "列", "值", "说明"]


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


def _csv_book(path: Path) -> Workbook:
    import csv

    wb = Workbook()
    ws = wb.active
    ws.title = path.stem[:31]
    for enc in ENCODINGS:
        try:
            text = path.read_text(encoding=enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = ""
    for row in csv.reader(text.splitlines()):
        ws.append(row)
    for cells in ws.iter_rows():
        for cell in cells:
            cell.data_type = "s"   # as written in the CSV: text, never a formula
    ws.freeze_panes = "A2"
    return wb


def _mark(ws: Worksheet, row: int, col: int, problems: list[Problem]) -> None:
    cell = ws.cell(row=row, column=col)
    level = "error" if any(p.level == "error" for p in problems) else "warning"
    cell.fill = FILLS[level]
    text = "\n".join(f"{LEVELS[p.level]}：{p.message}" for p in problems)
    if cell.comment is not None and cell.comment.text:
        text = f"{cell.comment.text}\n{text}"
    comment = Comment(text, "assess check")
    comment.width = 360
    comment.height = min(400, 60 + 40 * len(problems))
    cell.comment = comment


def _problem_sheet(wb: Workbook, problems: list[Problem], cols: dict[tuple[str, str | None], dict[str, int]],
                   with_file: bool) -> None:
    if SHEET_PROBLEMS in wb.sheetnames:
        del wb[SHEET_PROBLEMS]
    ws = wb.create_sheet(SHEET_PROBLEMS, 0)
    heads = (["文件"] if with_file else []) + HEADERS
    ws.append(heads)
    for c in ws[1]:
        c.font = Font(bold=True)
    for p in problems:
        ws.append(([Path(p.file).name if p.file else ""] if with_file else [])
                  + [LEVELS.get(p.level, p.level), p.entity or "", p.sheet or "", p.row, p.column or "",
                     "" if p.value is None else str(p.value), p.message])
        if not with_file and p.sheet and p.sheet in wb.sheetnames and p.row:
            j = cols.get((p.file or "", p.sheet), {}).get(p.column or "", 1)
            link = ws.cell(row=ws.max_row, column=heads.index("行") + 1)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quote_sheetname(p.sheet)}!{get_column_letter(j)}{p.row}")
            link.font = Font(color="0563C1", underline="single")
    widths = [max((wcswidth(str(c.value)) for c in col if c.value is not None), default=4) for col in ws.columns]
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(w + 2, 6), 80)
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
    written: list[Path] = []
    notes: list[str] = []
    for file, items in sorted(by_file.items()):
        src = Path(file)
        if src.suffix.lower() == ".csv":
            wb = _csv_book(src)
            target = out_dir / f"{src.stem}.xlsx"
            sheet_of: dict[str | None, str] = {None: wb.active.title}
        elif is_workbook(src) and src.suffix.lower() in (".xlsx", ".xlsm"):
            wb = openpyxl.load_workbook(src, keep_vba=src.suffix.lower() == ".xlsm")
            target = out_dir / src.name
            sheet_of = {}
        else:
            notes.append(f"{src.name}：.xls 文件无法标注（请让填报单位另存为 .xlsx），其问题见 {SUMMARY_BOOK}")
            continue
        cells: dict[tuple[str, int, int], list[Problem]] = defaultdict(list)
        for p in items:
            sheet = sheet_of.get(p.sheet, p.sheet)
            if not sheet or sheet not in wb.sheetnames or not p.row:
                continue
            j = cols.get((file, p.sheet), {}).get(p.column or "") or cols.get((file, p.sheet), {}).get(
                (p.column or "").strip()) or 1
            cells[(sheet, p.row, j)].append(p)
        for (sheet, row, j), ps in cells.items():
            _mark(wb[sheet], row, j, ps)
        _problem_sheet(wb, items, cols, with_file=False)
        write_atomic_with(target, wb.save)
        written.append(target)
    summary = openpyxl.Workbook()
    summary.remove(summary.active)
    _problem_sheet(summary, problems, cols, with_file=True)
    path = out_dir / SUMMARY_BOOK
    write_atomic_with(path, summary.save)
    written.append(path)
    return written, notes
