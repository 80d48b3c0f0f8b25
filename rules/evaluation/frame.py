"""The frame: what derivation produces and evaluation consumes.

Every scalar value the rules read, per unit (inputs, derived values, entity.*, period.*), with where each is
不涉及, and the ledgers with an environment over the rows of each (a row's columns and its unit's values),
made when a stage first reads that ledger and shared by the stages after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from rules.evaluation.tables import Tables as DataSet
from rules.language import expr as ex
from rules.language.scheme import Scheme


@dataclass
class Frame:
    """Scalar values of all units, column by name (inputs, derived, entity.*, period.*)."""

    ids: list[str]
    cols: dict[str, np.ndarray] = field(default_factory=dict)
    na: dict[str, np.ndarray] = field(default_factory=dict)   # name -> where it is 不涉及
    ledgers: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)
    columns: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)  # ledger -> its columns
    # ledger -> the environment over its rows, made by `rows` when a stage first reads the ledger and shared by
    # the stages after it (a name's column never changes once set, so what it cached stays true)
    row_envs: dict[str, RowEnv] = field(default_factory=dict, repr=False, compare=False)
    # a count or sum over lower results (rollup) -> per unit, the lower units making it up ("北山县3、麟北县3")
    parts: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    @property
    def n(self) -> int:
        return len(self.ids)

    def col(self, name: str) -> ex.Col:
        if name not in self.cols:
            raise ex.ExprError(f"名称“{name}”没有数据", name)
        return ex.column(self.cols[name])

    def env(self) -> ex.Env:
        return ex.Env(self.n, self.col)

    def rows(self, table: str) -> RowEnv:
        """The environment over a ledger's rows (made once, then shared)."""
        env = self.row_envs.get(table)
        if env is None:
            env = self.row_envs[table] = row_env(self, self.ledgers[table], self.columns[table])
        return env

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
    ledgers = {k: v.frame for k, v in data.ledgers.items()}
    f = Frame(list(data.ids), ledgers=ledgers, columns={k: list(scheme.columns(k)) for k in ledgers})
    for name in scheme.scalar_inputs:
        f.cols[name] = data.column(name)
        f.na[name] = data.na_mask(name)
    for name in scheme.previous_names():   # earlier results, matched by unit when the data were assembled
        f.cols[name] = np.array([data.values.get(e, {}).get(name) for e in data.ids], dtype=object)
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
    # the period being scored (assess score --period Q1), null in a whole-year run: `period.id != null` holds
    # only while a period is scored (criteria/README.md 2.20)
    f.cols["period.id"] = np.full(f.n, scheme.period_id, dtype=object)
    return f


def ledger_rows(ledger: pd.DataFrame, positions: list[int], columns: list[str]) -> dict[str, list[Any]]:
    """Some rows of a ledger, column by column: the values `ledger.iloc[j][c]` gives, without building a
    Series for every row (`_row` as a Python int, like iloc's object row)."""
    return {c: ledger[c].take(positions).to_numpy(dtype=object).tolist() for c in dict.fromkeys(columns)}
