"""Finding what a raw table holds: which header names which input, which column names the unit, and the
unit of every row. Shared by every check in `intake.assemble`, so all tables are read the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from common.problems import Problems
from intake.convert import convert_one, is_blank
from intake.raw import UNIT_COLUMNS, RawTable


def header_map(headers: list[str], wanted: Mapping[str, str | None]) -> dict[str, str]:
    """Map written headers to ids: a header may be the id or the label."""
    by_label = {label: key for key, label in wanted.items() if label}
    out: dict[str, str] = {}
    for h in headers:
        hs = str(h).strip()
        if hs in wanted:
            out[h] = hs
        elif hs in by_label:
            out[h] = by_label[hs]
    return out


def duplicate_headers(headers: list[str], hmap: dict[str, str]) -> list[tuple[str, str, str]]:
    """(first header, second header, id) for two headers naming the same thing (an id and its label)."""
    first: dict[str, str] = {}
    out = []
    for h in headers:
        key = hmap.get(h)
        if key is None:
            continue
        if key in first:
            out.append((first[key], h, key))
        else:
            first[key] = h
    return out


def unit_column(t: RawTable, problems: Problems, candidates: tuple[str, ...] = UNIT_COLUMNS) -> str | None:
    """The header of the column naming each row's unit; None in a per-unit workbook (its rows are all its
    unit's), else a missing column reported."""
    for c in t.frame.columns:
        if str(c).strip() in candidates:
            return str(c)
    if t.unit is not None:
        return None
    problems.add(f"缺少单位编号列（列名写 {' 或 '.join(candidates)}）", file=t.origin.file, sheet=t.origin.sheet,
                 row=1, code="missing-column")
    return None


def units_of(t: RawTable, col: str | None) -> list[str]:
    return unit_ids(t, col).tolist()


def unit_ids(t: RawTable, col: str | None) -> np.ndarray:
    """The unit of every row (an object array): '' for a blank cell, else the cell's text, stripped."""
    if col is None:
        out = np.empty(len(t.frame), dtype=object)
        out[:] = t.unit or ""
        return out
    cells = column_cells(t.frame, col)
    if len(cells) and pd.api.types.infer_dtype(cells, skipna=False) == "string":
        codes, uniques = pd.factorize(cells)   # a ledger names each unit on thousands of rows: strip each once
        texts = np.empty(len(uniques), dtype=object)
        texts[:] = ["" if is_blank(v) else v.strip() for v in uniques]
        return texts[codes]
    out = np.empty(len(cells), dtype=object)
    out[:] = ["" if is_blank(v) else str(v).strip() for v in cells]
    return out


def column_cells(frame: pd.DataFrame, col: str) -> np.ndarray:
    """A column's raw cells as an object array (what `convert_column` reads)."""
    return frame[col].to_numpy(dtype=object)


def default_value(default: Any, typ: str) -> Any:
    """An input's declared default, typed as a filled-in cell would be (None when it has none)."""
    if default is None:
        return None
    try:
        return convert_one(default, typ)
    except ValueError:
        return None
