"""How a written sheet looks: number formats by type, header and locked-cell styles, column widths that fit
Chinese text, and header notes. Kept apart from what the sheets hold, so the look changes in one place.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from wcwidth import wcswidth

from common.formulas import set_cell

FORMATS = {"int": "0", "number": "General", "percent": "0.00%", "date": "yyyy-mm-dd", "str": "@", "bool": "@"}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)


def display_width(text: Any) -> int:
    """Display width in Excel columns: a Chinese character is two."""
    if text is None:
        return 0
    s = str(text)
    w = wcswidth(s)
    return w if w >= 0 else len(s) * 2


class SheetWriter:
    """A sheet being written: tracks widths, and writes cells with their style."""

    def __init__(self, ws: Worksheet, caps: dict[int, int] | None = None):
        self.ws = ws
        self.widths: dict[int, int] = {}
        self.caps = caps or {}

    def put(self, row: int, col: int, value: Any, *, fmt: str | None = None, locked: bool | None = None,
            header: bool = False) -> None:
        """Write a cell: a header, a locked (grey) cell, or one left unlocked for the unit to fill."""
        cell = set_cell(self.ws.cell(row=row, column=col), value)   # text stays text: never a formula
        if fmt:
            cell.number_format = fmt
        if header:
            cell.font = BOLD
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cell.border = BOX
        elif locked:
            cell.fill = LOCKED_FILL
        if locked is False:
            cell.protection = UNLOCKED
        width = display_width(value.isoformat() if isinstance(value, dt.date) else value)
        self.widths[col] = max(self.widths.get(col, 0), width)

    def headers(self, names: list[str], row: int = 1) -> None:
        for j, h in enumerate(names, start=1):
            self.put(row, j, h, header=True)
        self.ws.row_dimensions[row].height = 30

    def fit(self, minimum: int = 8, maximum: int = 40) -> None:
        """Column widths from the widest cell, within bounds; a column capped narrower wraps its text."""
        for col, w in self.widths.items():
            cap = self.caps.get(col, maximum)
            self.ws.column_dimensions[get_column_letter(col)].width = max(minimum, min(w + 2, cap))
            if w + 2 > cap:
                for row in self.ws.iter_rows(min_col=col, max_col=col, min_row=1):
                    for cell in row:
                        if cell.value is not None:
                            cell.alignment = WRAP


def comment(ws: Worksheet, row: int, col: int, text: str) -> None:
    """A note on a cell (a header's requirement), sized to show a few lines without resizing."""
    c = Comment(text, "assess")
    c.width = 320
    c.height = 110
    ws.cell(row=row, column=col).comment = c
