"""The results workbook (results.xlsx): 汇总, 明细, 扣分说明, 数据问题 — formatted to print on A4 landscape.

Scores are stored as numbers (exact decimals) and shown with the scheme's decimals by a number format,
so a reader can still sum them in Excel; 不适用 is shown as text.
"""

from __future__ import annotations

import io
import math
from copy import copy
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from wcwidth import wcswidth

from common.formulas import set_cell
from reports.summary import KIND_TEXT, base_title, evidence_text, problem_level, veto_marks
from scoring.pipeline import Results

PAGE_WIDTH_UNITS = 215
NOT_APPLICABLE = "不适用"
ITEM_WIDTH = 9

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDE4EE")
HEAD_FONT = Font(name="宋体", bold=True, size=10)
BODY_FONT = Font(name="宋体", size=10)
TITLE_FONT = Font(name="黑体", bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _formats(places: int) -> tuple[str, str]:
    """(score format, signed event format) with the scheme's decimals; events may show two more."""
    dec = "0." + "0" * places if places > 0 else "0"
    extra = "#" * 2
    ev = (dec + extra) if places > 0 else "0." + extra
    return dec, f"+{ev};-{ev};0"


def _width(value: Any) -> int:
    text = "" if value is None else str(value)
    return max((wcswidth(line) if wcswidth(line) >= 0 else len(line) for line in text.splitlines() or [""]),
               default=0)


def _number(v: Any) -> Any:
    """Whole decimals as int (Excel stores doubles either way; this keeps the XML plain)."""
    if isinstance(v, Decimal) and v == v.to_integral_value():
        return int(v)
    return v


class _Sheet:
    """One sheet: a title row, header rows, body rows; then print setup and widths."""

    def __init__(self, wb: Workbook, name: str, title: str, first: bool = False):
        ws = wb.active if first else wb.create_sheet()
        assert isinstance(ws, Worksheet)
        ws.title = name
        self.ws = ws
        self.title = title
        self.header_rows = 0
        self.last_row = 1                       # counted here: openpyxl's ws.max_row scans every cell
        self.widths: dict[int, int] = {}
        self.styles: dict[tuple[bool, str | None], Any] = {}    # a body cell's style, by kind
        self.caps: dict[int, int] = {}

    def header(self, cells: list[Any]) -> None:
        ws = self.ws
        row = 2 + self.header_rows
        self.header_rows += 1
        self.last_row = max(self.last_row, row)
        for c, v in enumerate(cells, 1):
            cell = set_cell(ws.cell(row=row, column=c), _number(v))
            cell.font, cell.fill, cell.alignment, cell.border = HEAD_FONT, HEAD_FILL, CENTER, BORDER
            self._note(c, v, header=True)

    def row(self, cells: list[Any], formats: dict[int, str] | None = None) -> None:
        ws = self.ws
        self.last_row += 1
        r = self.last_row
        for c, v in enumerate(cells, 1):
            v = _number(v)
            cell = set_cell(ws.cell(row=r, column=c), v)
            number = isinstance(v, (int, Decimal)) and not isinstance(v, bool)
            fmt = formats.get(c) if formats and number else None
            key = (number, fmt)
            style = self.styles.get(key)
            if style is not None:
                cell._style = copy(style)   # openpyxl hashes a style on every assignment: reuse the first
            else:
                cell.font, cell.border = BODY_FONT, BORDER
                if number:
                    cell.alignment = Alignment(horizontal="right", vertical="center")
                    if fmt:
                        cell.number_format = fmt
                else:
                    cell.alignment = WRAP
                self.styles[key] = copy(cell._style)
            self._note(c, v)

    def _note(self, col: int, value: Any, header: bool = False) -> None:
        w = _width(value)
        if header:
            w = min(w, 16)  # long headers wrap instead of widening the column
        self.widths[col] = max(self.widths.get(col, 0), w)

    def finish(self, freeze: str | None, caps: dict[int, int] | None = None, title_cols: str | None = None) -> None:
        ws = self.ws
        ncols = max(ws.max_column, 1)
        set_cell(ws.cell(row=1, column=1), self.title).font = TITLE_FONT
        ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
        if ncols > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
        ws.row_dimensions[1].height = 26
        total = 0
        for col, w in self.widths.items():
            cap = (caps or {}).get(col, 40)
            # wcwidth counts a Chinese character as 2, which is close to Excel's width units in 宋体 10pt
            width = max(6, min(cap, w + 2))
            ws.column_dimensions[get_column_letter(col)].width = width
            total += width
        if freeze:
            ws.freeze_panes = freeze
        ps = ws.page_setup
        ps.orientation = "landscape"
        ps.paperSize = ws.PAPERSIZE_A4
        # A4 landscape holds about 150 width units at 100%: shrink to at most ~70%, then use more pages across
        ps.fitToWidth = max(1, math.ceil(total / PAGE_WIDTH_UNITS))
        ps.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        last = 1 + self.header_rows
        ws.print_title_rows = f"1:{last}"
        if title_cols and ps.fitToWidth > 1:
            ws.print_title_cols = title_cols
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.oddHeader.center.text = "&A"


def _summary_sheet(wb: Workbook, results: Results, fmt_score: str) -> None:
    s = results.scheme
    sh = _Sheet(wb, "汇总", f"{base_title(s)}结果汇总（{len(results.units)}个单位）", first=True)
    cats = s.categories
    sh.header(["名次", "编号", "单位", "总分", "等次", "基础分", "加分", "扣分",
               *[f"{c.name}（{c.id}）" for c in cats], "否决/限制评优", "等次说明"])
    numeric = {4, 6, 7, 8, *range(9, 9 + len(cats))}
    formats = dict.fromkeys(numeric, fmt_score)
    for r in results.units:
        marks = "；".join(f"{m.name}（{m.effect}）" for m in veto_marks(results, r))
        sh.row([r.rank, r.entity, r.name, r.total, r.grade or "", r.base, r.bonus, r.penalty,
                *[r.categories.get(c.id, "—") for c in cats], marks, "；".join(r.grade_notes)], formats)
    caps = {c: 10 for c in range(9, 9 + len(cats))} | {9 + len(cats): 30, 10 + len(cats): 36}
    sh.finish("D3", caps=caps, title_cols="A:C")


def _detail_sheet(wb: Workbook, results: Results, fmt_score: str) -> None:
    s = results.scheme
    sh = _Sheet(wb, "明细", f"{base_title(s)}各项目得分明细")
    items = s.items
    head_cat: list[Any] = ["名次", "编号", "单位"]
    for c in s.categories:
        head_cat += [f"{c.name}（{c.id}）"] + [None] * (len(c.items) - 1)
    sh.header(head_cat)
    sh.header(["", "", "", *[f"{i.id} {i.name}" for i in items]])
    sh.header(["满分", "", "", *[i.points for i in items]])
    ws = sh.ws
    col = 4
    for c in s.categories:
        if len(c.items) > 1:
            ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + len(c.items) - 1)
        col += len(c.items)
    for c0 in (1, 2, 3):
        ws.merge_cells(start_row=2, start_column=c0, end_row=3, end_column=c0)
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=3)
    for cell in ws[4][3:]:
        cell.number_format = "0.##"
    formats = {c: fmt_score for c in range(4, 4 + len(items))}
    for r in results.units:
        sh.row([r.rank, r.entity, r.name,
                *[r.items[i.id] if r.items.get(i.id) is not None else NOT_APPLICABLE for i in items]], formats)
    caps = {c: ITEM_WIDTH for c in range(4, 4 + len(items))}
    sh.finish("D5", caps=caps, title_cols="A:C")
    lines = max((math.ceil(_width(f"{i.id} {i.name}") / (ITEM_WIDTH - 1)) for i in items), default=1)
    ws.row_dimensions[3].height = 13.5 * min(lines, 8)


def _events_sheet(wb: Workbook, results: Results, fmt_event: str) -> None:
    s = results.scheme
    sh = _Sheet(wb, "扣分说明", f"{base_title(s)}扣分（加分）说明")
    sh.header(["名次", "编号", "单位", "项目编号", "项目名称", "分值变动", "类型", "理由", "条款", "依据数据", "评分单位"])
    cat_names = {c.id: c.name for c in s.categories}
    adjust_names = {a.id: a.name for a in s.adjustments()}
    n = 0
    for r in results.units:
        for e in r.events:
            item = s.item(e.item) if e.item else None
            if item is not None:
                name = item.name
            else:
                owner = e.rule.split(".")[0].split(":")[-1]
                name = cat_names.get(e.category or owner) or adjust_names.get(owner) or ""
            sh.row([r.rank, r.entity, r.name, e.item or e.category or e.rule, name, e.points,
                    KIND_TEXT.get(e.kind, e.kind), e.reason, e.clause or "", evidence_text(e.evidence, s),
                    e.scorer or ""], {6: fmt_event})
            n += 1
    if n == 0:
        sh.row(["", "", "本次考核没有扣分或加分事件"])
    sh.finish("D3", caps={5: 20, 7: 12, 8: 50, 10: 40, 11: 16}, title_cols="A:C")


def _problems_sheet(wb: Workbook, results: Results) -> None:
    sh = _Sheet(wb, "数据问题", f"{base_title(results.scheme)}数据问题")
    sh.header(["序号", "级别", "位置", "单位", "说明", "代码"])
    names = {r.entity: r.name for r in results.units}
    for i, p in enumerate(results.problems.items, 1):
        unit = f"{names.get(p.entity, '')}（{p.entity}）" if p.entity else ""
        sh.row([i, problem_level(p), p.where(), unit, p.message, p.code])
    if not results.problems.items:
        sh.row(["", "", "", "", "未发现数据问题", ""])
    sh.finish("A3", caps={3: 36, 5: 70})


def build_workbook(results: Results) -> bytes:
    """The workbook as bytes (the caller writes it atomically)."""
    fmt_score, fmt_event = _formats(results.scheme.meta.decimals)
    wb = Workbook()
    _summary_sheet(wb, results, fmt_score)
    _detail_sheet(wb, results, fmt_score)
    _events_sheet(wb, results, fmt_event)
    _problems_sheet(wb, results)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
