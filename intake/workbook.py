"""Write the Excel form of a data set: fill-in templates (blank, or pre-filled for each unit) and data
sets converted to workbooks. Everything comes from the scheme; no sheet is drawn by hand.

Cells are typed as the scheme declares (numbers as numbers, dates as dates, percents as fractions shown
with %); a value a float cannot carry exactly is written as text, so a round trip loses nothing. Each cell
to fill carries Excel data validation (type, range, allowed values; 不涉及 where the engine accepts it)
and an input prompt saying what it wants. Headers are frozen, widths fit Chinese text, and labels, ids
and names a unit must not change are locked with sheet protection (no password: it prevents slips, the
office can lift it).

This module puts the workbooks together and saves them; the sheets are written by `intake.unit_sheets`,
`intake.consolidated_sheets`, `intake.record_sheets` and `intake.guide_sheet`, their look is
`intake.sheet_style`, their validation `intake.cell_validation`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from common.files import unique_file_names, write_atomic_with
from intake import consolidated_sheets, record_sheets, unit_sheets
from intake.cell_validation import Validations
from intake.dataset import DataSet
from intake.guide_sheet import guide
from intake.layout import CONSOLIDATED_BOOK, REGISTER_BOOK, SHEET_VALUES
from rules.language.scheme import Scheme


def _new_book() -> tuple[Workbook, Validations]:
    """An empty workbook (no default sheet) and the validations of its cells."""
    wb = Workbook()
    wb.remove(wb.active)
    return wb, Validations()


def _unit_book(s: Scheme, unit: str | None, data: DataSet | None, deadline: str | None) -> Workbook:
    """One unit's workbook, pre-filled from `data` when the unit is given, else a blank template."""
    wb, validations = _new_book()
    unit_sheets.unit_info(s, wb, validations, unit, data)
    unit_sheets.values_vertical(s, wb, validations, unit, data)
    for t in s.tables:
        record_sheets.ledger(s, wb, validations, t, _ledger_rows(data, t, unit) if unit is not None else [],
                             with_unit=False)
    record_sheets.self_scores(s, wb, [(unit, None)], data, with_unit=False)
    record_sheets.findings(s, wb, validations, _ledger_rows(data, "findings", unit) if unit is not None else [],
                           with_unit=False)
    guide(s, wb, per_unit=True, deadline=deadline)
    _activate(wb, SHEET_VALUES)
    return wb


def _consolidated_book(s: Scheme, data: DataSet | None, deadline: str | None) -> Workbook:
    """Every unit in one workbook (one unit a row, a unit column on every record), pre-filled from `data`."""
    wb, validations = _new_book()
    consolidated_sheets.register(s, wb, validations, data)
    consolidated_sheets.values_horizontal(s, wb, validations, data)
    for t in s.tables:
        record_sheets.ledger(s, wb, validations, t, _ledger_rows(data, t, None), with_unit=True)
    units: list[tuple[str | None, str | None]] = [(u, data.names.get(u)) for u in data.ids] if data else []
    record_sheets.self_scores(s, wb, units, data, with_unit=True)
    record_sheets.findings(s, wb, validations, _ledger_rows(data, "findings", None), with_unit=True)
    guide(s, wb, per_unit=False, deadline=deadline)
    _activate(wb, SHEET_VALUES)
    return wb


def _register_book(s: Scheme, data: DataSet) -> Workbook:
    """单位名册.xlsx: the register alone, beside the units' workbooks."""
    wb, validations = _new_book()
    consolidated_sheets.register(s, wb, validations, data)
    return wb


def _activate(wb: Workbook, name: str) -> None:
    """Open on one sheet (only one tab selected: several would open grouped, and edits would hit them all)."""
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = False
    wb.active = wb.sheetnames.index(name)
    wb[name].sheet_view.tabSelected = True


def _ledger_rows(data: DataSet | None, table: str, unit: str | None) -> list[tuple[str, dict[str, Any]]]:
    """(unit, record) for each row of a ledger in `data` (one unit's rows when `unit` is given)."""
    if data is None or table not in data.ledgers:
        return []
    frame = data.ledgers[table].frame
    if unit is not None:
        frame = frame[frame["entity"] == unit]
    cols = [c for c in frame.columns if not str(c).startswith("_") and c != "entity"]
    return [(str(e), dict(zip(cols, rest, strict=True)))
            for e, *rest in frame[["entity", *cols]].itertuples(index=False, name=None)]


def _save(wb: Workbook, path: Path) -> None:
    """Save atomically: an interrupted run never leaves half a workbook where a unit expects one."""
    write_atomic_with(path, lambda tmp: wb.save(tmp))


def unit_book_names(data: DataSet) -> dict[str, str]:
    """unit id -> its workbook's file name: '编号_名称.xlsx', cut to the file-name limit, unique."""
    texts = [REGISTER_BOOK.removesuffix(".xlsx"), *(f"{u}_{data.names.get(u, u)}" for u in data.ids)]
    return dict(zip(data.ids, unique_file_names(texts, ".xlsx")[1:], strict=True))


def unit_book_paths(data: DataSet, folder: Path) -> list[Path]:
    """Every file `write_unit_books` writes (to check them against the inputs before writing)."""
    return [folder / REGISTER_BOOK, *(folder / name for name in unit_book_names(data).values())]


def write_template(scheme: Scheme, path: Path, *, deadline: str | None = None, consolidated: bool = False) -> Path:
    """A blank template: one unit's workbook (it fills in its own id), or a consolidated one."""
    wb = _consolidated_book(scheme, None, deadline) if consolidated else _unit_book(scheme, None, None, deadline)
    _save(wb, path)
    return path


def write_unit_books(scheme: Scheme, data: DataSet, folder: Path, *, deadline: str | None = None) -> list[Path]:
    """单位名册.xlsx and one workbook per unit (pre-filled with whatever `data` holds; id and name locked)."""
    out = [folder / REGISTER_BOOK]
    _save(_register_book(scheme, data), out[0])
    for u, name in unit_book_names(data).items():
        path = folder / name
        _save(_unit_book(scheme, u, data, deadline), path)
        out.append(path)
    return out


def write_consolidated(scheme: Scheme, data: DataSet, folder: Path, *, deadline: str | None = None) -> list[Path]:
    path = folder / CONSOLIDATED_BOOK
    _save(_consolidated_book(scheme, data, deadline), path)
    return [path]
