"""A typed data set: what the engine scores. Readers (CSV, Excel) in `intake` produce it.

Values are already converted to their declared types: `int`, `Decimal` (number, percent as a fraction),
`bool`, `datetime.date`, `str`, or None (blank optional). `不涉及` is kept apart, in `na`, because it
means "this item does not apply", not "zero" and not "blank".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd


@dataclass
class Origin:
    """Where a record came from, for evidence and problems: file (and sheet) and the user-visible row."""

    file: str
    sheet: str | None = None

    def show(self, row: int | None = None) -> str:
        parts = [self.file] + ([self.sheet] if self.sheet else [])
        if row is not None:
            parts.append(f"第{row}行")
        return "·".join(parts)


@dataclass
class Ledger:
    """One table input: a frame with column `entity` (unit id), the declared columns, `_row` (the
    user-visible row number in its source), `_file` (its source as shown: file·sheet), `_path` and `_sheet`
    (file and sheet apart, to locate a cell), plus where it came from."""

    frame: pd.DataFrame
    origin: Origin


@dataclass
class DataSet:
    ids: list[str]                                  # assessed units, in register order
    names: dict[str, str]                           # unit id -> name
    fields: dict[str, dict[str, Any]]               # unit id -> entity field -> value
    values: dict[str, dict[str, Any]]               # unit id -> scalar input -> typed value
    na: dict[str, set[str]]                         # unit id -> inputs marked 不涉及
    ledgers: dict[str, Ledger]                      # table input id (and 'findings') -> ledger
    value_origin: dict[str, tuple[Origin, int]] = field(default_factory=dict)  # unit -> values row
    self_scores: dict[str, dict[str, Any]] = field(default_factory=dict)       # unit -> item -> 自评分
    files: dict[str, str] = field(default_factory=dict)                        # file name -> sha256
    # unit -> input -> where its cell is (origin, user-visible row, column header as written)
    value_cells: dict[str, dict[str, tuple[Origin, int, str]]] = field(default_factory=dict)
    # unit -> period -> ids of the vetoes it hit in that period (a year run reading period results; 2.20)
    period_vetoes: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def index(self) -> dict[str, int]:
        return {e: i for i, e in enumerate(self.ids)}

    def column(self, name: str) -> np.ndarray:
        out = np.empty(len(self.ids), dtype=object)
        out[:] = [self.values[e].get(name) for e in self.ids]
        return out

    def na_mask(self, name: str) -> np.ndarray:
        return np.array([name in self.na.get(e, ()) for e in self.ids], dtype=bool)

    def ledger(self, name: str) -> Ledger | None:
        return self.ledgers.get(name)

    def subset(self, keep: list[str]) -> DataSet:
        """The same data restricted to some units (used by self-checks and cases)."""
        keep_set = set(keep)
        ledgers = {k: Ledger(v.frame[v.frame["entity"].isin(keep_set)].reset_index(drop=True), v.origin)
                   for k, v in self.ledgers.items()}
        return DataSet([e for e in self.ids if e in keep_set], self.names, self.fields, self.values, self.na,
                       ledgers, self.value_origin, self.self_scores, self.files, self.value_cells,
                       self.period_vetoes)
