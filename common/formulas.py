"""Nothing a user typed is ever written as a formula (CSV and formula injection, OWASP).

Unit names, ledger texts, reasons and problem messages end up in workbooks and CSV files that an office
opens in Excel or WPS. Text beginning with `=` (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`) would run there.

- **xlsx**: openpyxl stores any `str` that begins with `=` as a formula (`Cell.data_type == "f"`); every other
  `str` is text. `xlsx_text` makes a value safe to store (characters XML cannot carry replaced, cut at
  Excel's 32,767-character cell limit) and `as_text` marks a cell's string as text (`data_type = "s"`), so
  a leading `=` is shown, never computed. Numbers, dates and booleans stay what they are.
- **CSV**: a CSV cell has no type; Excel evaluates a cell beginning with `=`, `+`, `-`, `@`, a tab or a
  carriage return (and, in East Asian locales, their full-width forms ＝＋－＠). OWASP's rule: such a cell
  gets a leading apostrophe, which Excel shows as nothing and which makes the rest text. A number as we
  write it (`-1.5`, `+2`, `87.5%`) is left alone: it is a number in Excel too, and stays one.
"""

from __future__ import annotations

import re
from typing import Any

EXCEL_CELL_CHARS = 32767
TRIGGERS = frozenset("=+-@\t\r＝＋－＠")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")
CUT_MARK = "…（超长，已截断）"
SURROGATES = re.compile("[\ud800-\udfff]")
# the control characters XML forbids, as openpyxl's ILLEGAL_CHARACTERS_RE (tests/test_formulas_chars.py
# checks they stay equal): written here so that importing this module (every CSV read) does not import
# openpyxl (~0.1 s of a city run's start)
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet read this CSV text as a formula? (A plain number is not one.)"""
    if not text:
        return False
    first = text.lstrip(" ")[:1]
    return (text[0] in TRIGGERS or first in TRIGGERS) and NUMBER.fullmatch(text) is None


def csv_cell(value: Any) -> Any:
    """A CSV cell as written: text that would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def csv_row(values: list[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def csv_unquote(text: str) -> str:
    """The text a CSV cell written by `csv_cell` stands for: the apostrophe before formula-like text dropped
    (as Excel drops it), so that `convert` to CSV and back gives the text the user typed. Only an apostrophe
    that `csv_cell` would have written is dropped; `'abc` stays `'abc`."""
    if text.startswith("'") and is_formula_like(text[1:]):
        return text[1:]
    return text


def xml_text(text: str) -> str:
    """A string an Office file (XML) can carry: control characters and lone surrogates become U+FFFD."""
    return SURROGATES.sub("\ufffd", ILLEGAL_CHARACTERS_RE.sub("\ufffd", text))


def xlsx_text(text: str) -> str:
    """A string a workbook can store: no characters XML forbids, no longer than an Excel cell holds."""
    text = xml_text(text)
    if len(text) > EXCEL_CELL_CHARS:
        text = text[:EXCEL_CELL_CHARS - len(CUT_MARK)] + CUT_MARK
    return text


def xlsx_value(value: Any) -> Any:
    """`value` ready for a cell: strings made storable (see `xlsx_text`), anything else unchanged."""
    return xlsx_text(value) if isinstance(value, str) else value


def as_text(cell: Any) -> Any:
    """Mark a cell holding a string as text (never a formula); returns the cell."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def set_cell(cell: Any, value: Any) -> Any:
    """Store `value` in an openpyxl cell: a string always as text. Returns the cell."""
    cell.value = xlsx_value(value)
    return as_text(cell)
