"""Problems of a raw table, reported where the user will look: the workbook, sheet, row and column of the
cell, or once on a per-unit workbook's 单位信息 sheet for what is wrong with the unit itself.

Every check in `intake.assemble` reports through `Assembly`, so all formats show problems alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from common.problems import Problems, did_you_mean
from intake.columns import duplicate_headers, header_map
from intake.convert import is_blank, shown
from intake.raw import Raw, RawTable
from rules.language.scheme import Scheme


def shown_value(value: Any) -> Any:
    """A cell's value as a problem carries it: long texts cut (a 500 MB cell must not be echoed)."""
    return shown(value, 200) if isinstance(value, str) and len(value) > 200 else value


class Assembly:
    """What the checks of one `assemble` run share: the scheme, the raw tables, and where problems go."""

    def __init__(self, scheme: Scheme, raw: Raw, problems: Problems):
        self.scheme = scheme
        self.raw = raw
        self.problems = problems
        self.reported: set[tuple[str, str]] = set()   # (workbook, code) of problems reported once a workbook

    def unit_cell(self, t: RawTable, pos: int, ucol: str | None, value: Any, message: str, code: str) -> None:
        """A problem with a row's unit. In a per-unit workbook the unit is named once, on its 单位信息 sheet:
        the problem is reported there, once for the workbook, not on every row of every sheet."""
        if ucol is None and t.unit_cell is not None:
            key = (t.origin.file, code)
            if key in self.reported:
                return
            self.reported.add(key)
            sheet, row, column = t.unit_cell
            self.problems.add(message, file=t.origin.file, sheet=sheet, row=row, column=column,
                              value=shown_value(value), code=code)
            return
        self.cell(t, pos, ucol or "", value, message, code=code)

    def header_map(self, t: RawTable, headers: list[str], wanted: Mapping[str, str | None]) -> dict[str, str]:
        """`intake.columns.header_map`, reporting a column given twice (once by id, once by label): neither may win silently."""
        hmap = header_map(headers, wanted)
        for first, second, key in duplicate_headers(headers, hmap):
            self.problems.add(f"“{second}”与“{first}”是同一项（{key}），只能填写一列：请删除其中一列", file=t.origin.file,
                              sheet=t.origin.sheet, row=1, column=second, code="duplicate-column")
            del hmap[second]
        return hmap

    def cell(self, t: RawTable, pos: int, column: str, value: Any, message: str, *, unit: str | None = None,
             level: str = "error", code: str = "bad-value") -> None:
        """A problem with one cell; in a transposed sheet (one input a row) the input's own row and name."""
        row = t.rows[pos]
        if t.cells is not None and column in t.cells:
            row, column, name = t.cells[column]
            if name not in message:
                message = f"“{name}”{message}"
        self.problems.add(message, file=t.origin.file, sheet=t.origin.sheet, row=row, column=column,
                          value=None if is_blank(value) else shown_value(value), entity=unit, level=level,  # type: ignore[arg-type]
                          code=code)

    def unknown_columns(self, t: RawTable, headers: list[str], known: list[str]) -> None:
        """Headers naming nothing the scheme knows: an error when close to a known one, else a warning."""
        for h in headers:
            if str(h).startswith("Unnamed") or is_blank(h):
                continue
            hint = did_you_mean(str(h), known)
            if hint:  # a misspelt header: ignoring it would score the default or a blank instead
                self.problems.add(f"未知的列“{shown(h)}”{hint}；请改正列名", file=t.origin.file, sheet=t.origin.sheet,
                                  row=1, column=shown(h), code="unknown-column")
            else:
                self.problems.add(f"未知的列“{shown(h)}”，将被忽略", file=t.origin.file, sheet=t.origin.sheet, row=1,
                                  column=shown(h), level="warning", code="unknown-column")
