"""What a reader hands over: tables as found, raw cells and where each came from, not yet checked.

Readers (CSV folder, Excel workbooks) fill these in and `intake.assemble` checks and types them; keeping
them apart from the checking lets a reader change without touching the checks, and the other way round.
The header names below are the ones both sides recognise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from intake.dataset import Origin

if TYPE_CHECKING:
    from intake.rollup import LowerUnit

ENTITY_ID_COLUMNS = ("id", "编号", "单位编号", "entity")
ENTITY_NAME_COLUMNS = ("name", "名称", "单位名称", "单位")
UNIT_COLUMNS = ("entity", "单位编号", "单位")
SELF_SCORE_PREFIX = "自评分:"
SELF_SCORE_ITEM_COLUMNS = ("项目编号", "考核项目", "item")   # a self_scores table: item id, and its 自评分
SELF_SCORE_COLUMN = "自评分"


@dataclass
class RawTable:
    """A table as found by a reader: raw cells, headers as written, user-visible row numbers."""

    kind: str                 # entities | values | ledger | findings | self_scores
    name: str                 # ledger id for kind == 'ledger'
    frame: pd.DataFrame       # raw cells; columns are the headers as written
    origin: Origin
    rows: Sequence[int]       # user-visible row number of each frame row (a range for CSV files)
    unit: str | None = None   # a per-unit workbook: every row belongs to this unit
    # A transposed one-row table (a per-unit sheet with one input a row): header -> (user-visible row,
    # column header as written, the name to put in messages). None for ordinary tables.
    cells: dict[str, tuple[int, str, str]] | None = None
    col_index: dict[str, int] = field(default_factory=dict)   # header -> 1-based column in the source
    unit_cell: tuple[str | None, int, str] | None = None      # per-unit workbook: (sheet, row, column) of its id
    # Read from a workbook (a template): every input has its row or column there, so a missing one was
    # deleted, even an optional one's; a CSV file may leave optional columns out.
    template: bool = False


@dataclass
class Raw:
    tables: list[RawTable] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)   # file -> sha256
    where: str = ""                                        # the data path as given (for problems)
    # Ledgers found, as (ledger id, unit): unit None for a file or sheet holding every unit's rows, a unit id
    # for a sheet of that unit's workbook. Found means present, even when unreadable (reported as such).
    found: set[tuple[str, str | None]] = field(default_factory=set)
    books: dict[str, str] = field(default_factory=dict)   # per-unit workbook (as shown) -> its unit id
    unread: set[str] = field(default_factory=set)   # kinds of table found but unreadable (already reported)
    # earlier results given directly (cases files); None: read the files the scheme's `previous` names
    previous: dict[str, dict[str, dict[str, Any]]] | None = None
    # period results given directly (cases files); None: read the files the scheme's `periods` name
    periods: dict[str, dict[str, dict[str, Any]]] | None = None
    # lower results of each rollup (criteria/README.md 2.19), gathered by scoring/rollup.py or a cases file
    rollups: dict[str, list[LowerUnit] | None] | None = None

    def of(self, kind: str, name: str | None = None) -> list[RawTable]:
        return [t for t in self.tables if t.kind == kind and (name is None or t.name == name)]
