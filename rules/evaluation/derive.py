"""Derived values: counts and sums over ledgers and expressions over inputs, all units at once.

Everything is computed by the engine's own decimal evaluator, vectorised over units (for `expr`) or
over ledger rows (for `where`). A derived value that reads a 不涉及 input is 不涉及 too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from common.problems import Problems
from rules.evaluation.tables import Tables as DataSet
from rules.language import expr as ex
from rules.language.scheme import Scheme


@dataclass
class Frame:
    """Scalar values of all units, column by name (inputs, derived, entity.*, period.*)."""

    ids: list[str]
    cols: dict[str, np.ndarray] = field(default_factory=dict)
    na: dict[str, np.ndarray] = field(default_factory=dict)   # name -> where it is 不涉及
    # ledger -> the environment over its rows that derived its values, for the evaluator to reuse (a name's
    # column never changes once set, so what it cached stays true)
    row_envs: dict[str, RowEnv] = field(default_factory=dict, repr=False, compare=False)

    @property
    def n(self) -> int:
        return len(self.ids)

    def col(self, name: str) -> ex.Col:
        if name not in self.cols:
            raise ex.ExprError(f"名称“{name}”没有数据", name)
        return ex.column(self.cols[name])

    def env(self) -> ex.Env:
        return ex.Env(self.n, self.col)

    def na_of(self, names: set[str]) -> np.ndarray:
        out = np.zeros(self.n, dtype=bool)
        for name in names:
            if name in self.na:
                out |= self.na[name]
        return out


def unit_positions(ids: list[str], entity: Any) -> np.ndarray:
    """The position in `ids` of each row's unit (int64; KeyError for a unit not in `ids`)."""
    codes, units = pd.factorize(np.asarray(entity, dtype=object))   # each distinct unit looked up once
    index = {e: i for i, e in enumerate(ids)}
    return np.array([index[e] for e in units], dtype=np.int64)[codes] if len(codes) else np.zeros(0, np.int64)


class RowEnv(ex.Env):
    """An environment over ledger rows; `unit_pos` is the position of each row's unit in the frame."""

    def __init__(self, n: int, lookup: Callable[[str], ex.Col], unit_pos: np.ndarray):
        super().__init__(n, lookup)
        self.unit_pos = unit_pos


def row_env(frame: Frame, ledger: pd.DataFrame, columns: list[str], unit_pos: np.ndarray | None = None) -> RowEnv:
    """An environment over ledger rows: the row's columns, and its unit's scalar values."""
    if unit_pos is None:
        unit_pos = unit_positions(frame.ids, ledger["entity"])
    cache: dict[str, ex.Col] = {}

    def lookup(name: str) -> ex.Col:
        if name not in cache:
            if name in columns:
                cache[name] = ex.column(ledger[name].to_numpy(dtype=object))
            else:
                cache[name] = ex.column(frame.cols[name][unit_pos])
        return cache[name]

    return RowEnv(len(ledger), lookup, unit_pos)


def base_frame(scheme: Scheme, data: DataSet) -> Frame:
    f = Frame(list(data.ids))
    for name in scheme.scalar_inputs:
        f.cols[name] = data.column(name)
        f.na[name] = data.na_mask(name)
    f.cols["entity.id"] = np.array(data.ids, dtype=object)
    f.cols["entity.name"] = np.array([data.names[e] for e in data.ids], dtype=object)
    for fld in scheme.entity_fields:
        f.cols[f"entity.{fld}"] = np.array([data.fields[e].get(fld) for e in data.ids], dtype=object)
    period = scheme.meta.period
    if period is not None:
        f.cols["period.start"] = np.array([period.start] * f.n, dtype=object)
        f.cols["period.end"] = np.array([period.end] * f.n, dtype=object)
    else:
        f.cols["period.start"] = np.full(f.n, None, dtype=object)
        f.cols["period.end"] = np.full(f.n, None, dtype=object)
    return f


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


def derive(scheme: Scheme, data: DataSet, problems: Problems) -> Frame:
    """The frame of every scalar value the rules read, derived values included."""
    f = base_frame(scheme, data)
    for d in scheme.derived:
        if d.kind in ("count", "sum"):
            assert d.table is not None
            ledger = data.ledgers[d.table].frame
            rows = f.row_envs.get(d.table)
            if rows is None:
                rows = f.row_envs[d.table] = row_env(f, ledger, list(scheme.columns(d.table)))
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
