"""Derived values: counts and sums over ledgers and expressions over inputs, all units at once.

The first stage of evaluation: it makes the frame (rules.evaluation.frame) that evaluation consumes.
Everything is computed by the engine's own decimal evaluator, vectorised over units (for `expr`) or
over ledger rows (for `where`). A derived value that reads a 不涉及 input is 不涉及 too.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from common.problems import Problems
from rules.evaluation.frame import Frame, RowEnv, base_frame, row_env, unit_positions
from rules.evaluation.tables import Tables as DataSet
from rules.language import expr as ex
from rules.language.scheme import Scheme
from rules.language.text import show_value

__all__ = ["Frame", "RowEnv", "base_frame", "derive", "row_env", "unit_positions"]


def _group_total(ledger: pd.DataFrame, keep: np.ndarray, column: str | None, ids: list[str],
                 integer: bool = False, unit_pos: np.ndarray | None = None) -> np.ndarray:
    """Per unit: the number of kept rows, or the sum of `column` over them (`zero` plus each value, in row
    order; whole numbers in int64 when they cannot overflow, which gives the same exact sum)."""
    if unit_pos is None:
        unit_pos = unit_positions(ids, ledger["entity"])
    pos = unit_pos[keep]
    out = np.empty(len(ids), dtype=object)
    if column is None:
        out[:] = np.bincount(pos, minlength=len(ids)).tolist()
        return out
    zero: Any = 0 if integer else Decimal(0)  # a sum of whole numbers is a whole number (JSON int)
    values = ledger[column].to_numpy(dtype=object)[keep]
    present = values != None  # noqa: E711 - elementwise: the values that are not None
    values, pos = values[present], pos[present]
    if len(values) and pd.api.types.infer_dtype(values, skipna=False) == "integer":
        try:
            whole = values.astype(np.int64)
        except OverflowError:
            whole = None
        if whole is not None and int(np.abs(whole).max()) * len(whole) < 2**63:
            totals = np.zeros(len(ids), dtype=np.int64)
            np.add.at(totals, pos, whole)
            out[:] = [zero + t for t in totals.tolist()]
            return out
    sums: dict[int, Any] = {}
    for u, v in zip(pos.tolist(), values, strict=True):
        sums[u] = sums.get(u, zero) + v
    out[:] = [sums.get(u, zero) for u in range(len(ids))]
    return out


def _parts(ledger: pd.DataFrame, keep: np.ndarray, column: str | None, n: int, unit_pos: np.ndarray) -> np.ndarray:
    """Per unit, the rows of a rollup ledger behind a count (their names) or a sum (name and value, zeros left
    out): what a city's figure is made of, county by county."""
    out: list[list[tuple[Any, str]]] = [[] for _ in range(n)]
    names = ledger["name"].to_numpy(dtype=object)
    values = ledger[column].to_numpy(dtype=object) if column is not None else None
    for j in np.flatnonzero(keep).tolist():
        if values is None:
            out[unit_pos[j]].append((0, str(names[j])))
        elif values[j] is not None and values[j] != 0:
            out[unit_pos[j]].append((-values[j], f"{names[j]}{show_value(values[j])}"))
    col = np.empty(n, dtype=object)
    col[:] = ["、".join(text for _, text in sorted(p, key=lambda x: x[0])) for p in out]   # the largest first
    return col


def derive(scheme: Scheme, data: DataSet, problems: Problems) -> Frame:
    """The frame of every scalar value the rules read, derived values included."""
    f = base_frame(scheme, data)
    for d in scheme.derived:
        if d.kind in ("count", "sum"):
            assert d.table is not None
            ledger = f.ledgers[d.table]
            rows = f.rows(d.table)
            keep = np.ones(len(ledger), dtype=bool)
            if d.where is not None and len(ledger):
                where = ex.evaluate(d.where, rows)
                keep = ex.truthy(where)
                for j in np.flatnonzero(where.div_zero) if where.div_zero is not None else []:
                    problems.add(f"派生值“{d.label}”（{d.id}）的 where 计算时除数为零（{ledger['_file'].iloc[j]}·第"
                                 f"{ledger['_row'].iloc[j]}行），该行不计入；请核对数据，或先判断除数不为0",
                                 entity=str(ledger["entity"].iloc[j]), file=scheme.file, level="warning",
                                 code="div-zero-rule")
            integer = d.column is not None and scheme.columns(d.table)[d.column].type == "int"
            f.cols[d.id] = _group_total(ledger, keep, d.column, f.ids, integer, rows.unit_pos)
            if scheme.rollup(d.table) is not None:   # evidence names the lower units behind the figure
                f.parts[d.id] = _parts(ledger, keep, d.column, f.n, rows.unit_pos)
            f.na[d.id] = f.na_of(d.deps)
        else:
            assert d.expr is not None
            env = f.env()
            col = ex.evaluate(d.expr, env)
            values = col.data.copy() if col.data.dtype == object else col.data.astype(object)
            if col.known is not None:
                values[~col.known] = None
            if env.div_zero.any():
                if d.if_zero is not None:
                    values[env.div_zero] = d.if_zero
                else:
                    for i in np.flatnonzero(env.div_zero & ~f.na_of(d.deps)):
                        problems.add(f"派生值“{d.label}”（{d.id}）计算时除数为零，结果记为空；可在考核细则中为它设置 if_zero",
                                     entity=f.ids[i], level="warning", code="div-zero")
            f.cols[d.id] = values
            f.na[d.id] = f.na_of(d.deps)
    return f
