"""One printable sheet of a results workbook (title row, header rows, body rows, A4 landscape print setup),
shared by the results workbook, the per-unit 评分表 and the printed self-check."""

from __future__ import annotations

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


def formats(places: int) -> tuple[str, str]:
    """(score format, signed event format) with the scheme's decimals; events may show two more."""
    dec = "0." + "0" * places if places > 0 else "0"
    extra = "#" * 2
    ev = (dec + extra) if places > 0 else "0." + extra
    return dec, f"+{ev};-{ev};0"


def width(value: Any) -> int:
    text = "" if value is None else str(value)
    return max((wcswidth(line) if wcswidth(line) >= 0 else len(line) for line in text.splitlines() or [""]),
               default=0)


def number(v: Any) -> Any:
    """Whole decimals as int (Excel stores doubles either way; this keeps the XML plain)."""
    if isinstance(v, Decimal) and v == v.to_integral_value():
        return int(v)
    return v


class Sheet:
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
            cell = set_cell(ws.cell(row=row, column=c), number(v))
            cell.font, cell.fill, cell.alignment, cell.border = HEAD_FONT, HEAD_FILL, CENTER, BORDER
            self._note(c, v, header=True)

    def row(self, cells: list[Any], formats: dict[int, str] | None = None) -> None:
        ws = self.ws
        self.last_row += 1
        r = self.last_row
        for c, v in enumerate(cells, 1):
            v = number(v)
            cell = set_cell(ws.cell(row=r, column=c), v)
            numeric = isinstance(v, (int, Decimal)) and not isinstance(v, bool)
            fmt = formats.get(c) if formats and numeric else None
            key = (numeric, fmt)
            style = self.styles.get(key)
            if style is not None:
                cell._style = copy(style)   # openpyxl hashes a style on every assignment: reuse the first
            else:
                cell.font, cell.border = BODY_FONT, BORDER
                if numeric:
                    cell.alignment = Alignment(horizontal="right", vertical="center")
                    if fmt:
                        cell.number_format = fmt
                else:
                    cell.alignment = WRAP
                self.styles[key] = copy(cell._style)
            self._note(c, v)

    def _note(self, col: int, value: Any, header: bool = False) -> None:
        w = width(value)
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
