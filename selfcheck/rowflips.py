"""Row flips: the least invasive edit that makes a ledger row satisfy (or stop satisfying) a condition.

A row is *flipped* first by filling blank optional columns the condition reads (dates with `period.end`:
“done now, by the end of the period”, never back-dated); only to make a row *satisfy* a condition (a
standard met), when no row can be flipped by filling, by changing `bool` and number columns the condition
reads, one conjunct at a time, each by the smallest step. Text columns with `values` (classifications such
as a source or a level) and dates already filled are never changed, and no row is ever made to *stop*
satisfying a condition except by filling a blank: a finding is not argued away. Only columns whose role is
work are ever filled or changed (`editable`, from `selfcheck.roles`).

The flips, fewest edits first and then in ledger order, make a `RowAxis` (`selfcheck.axes`): the search is
over how many of them are applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from rules.evaluation.derive import Frame, row_env
from rules.language import expr as ex
from rules.language.model import Column
from rules.language.scheme import Scheme
from selfcheck.axes import Flip, RowAxis

ZERO = Decimal(0)


def _conjuncts(node: ex.Node) -> list[ex.Node]:
    return ex.operands(node, "and")


class RowFlipper:
    """Finds, for rows of one unit's ledger, the least invasive edit that flips a row condition."""

    def __init__(self, scheme: Scheme, frame: Frame, ledger: pd.DataFrame, table: str,
                 editable: Callable[[str], bool] = lambda column: True):
        self.s = scheme
        self.editable = editable          # columns a flip may fill or change (their role is work)
        self.frame = frame
        self.ledger = ledger
        self.table = table
        self.columns: dict[str, Column] = scheme.columns(table)
        key = scheme.inputs[table].key if table in scheme.inputs else None
        self.key = key

    def holds(self, node: ex.Node, rows: pd.DataFrame) -> np.ndarray:
        if not len(rows):
            return np.zeros(0, dtype=bool)
        return ex.truthy(ex.evaluate(node, row_env(self.frame, rows, list(self.columns))))

    def axis(self, cond: ex.Node, want: bool, name: str, label: str) -> RowAxis | None:
        now = self.holds(cond, self.ledger)
        todo = [int(i) for i in np.flatnonzero(now != want)]
        if not todo:
            return None
        reads = [c for c in self.columns if c in ex.names(cond) and c != self.key and self.editable(c)]
        flips = self.fill(cond, want, todo, reads)
        filled_only = True
        if not flips and want:
            flips = self.meet(cond, todo, reads)
            filled_only = False
        if not flips:
            return None
        flips.sort(key=lambda f: (len(f.sets), f.pos))
        return RowAxis(self.table, cond, want, name, label, flips, int(now.sum()), filled_only)

    def _flip(self, pos: int, sets: dict[str, Any]) -> Flip:
        row = self.ledger.iloc[pos]
        source = f"{row['_file']}·第{row['_row']}行" if "_file" in row.index else f"第{pos + 1}行"
        return Flip(pos, sets, source, row[self.key] if self.key and self.key in row.index else None)

    def _fill_values(self, col: str, row: pd.Series) -> list[Any]:
        spec = self.columns[col]
        if spec.type == "date":
            period = self.s.meta.period
            if period is not None:
                return [period.end]
            dates = [v for c, s in self.columns.items() if s.type == "date" and isinstance(v := row[c], dt.date)]
            return [max(dates)] if dates else []
        if spec.type == "bool":
            return [True, False]
        if spec.type in ("int", "number", "percent"):
            lo = spec.min if spec.min is not None else ZERO
            vals: list[Any] = [int(lo) if spec.type == "int" else lo]
            if spec.max is not None:
                vals.append(int(spec.max) if spec.type == "int" else spec.max)
            return vals
        return list(spec.values) if spec.values else ["已补填"]

    def fill(self, cond: ex.Node, want: bool, todo: list[int], reads: list[str]) -> list[Flip]:
        """Fill blank optional columns the condition reads: one column first, else all of them."""
        options: list[tuple[int, dict[str, Any]]] = []
        for pos in todo:
            row = self.ledger.iloc[pos]
            blanks = [c for c in reads if self.columns[c].optional and pd.isna(row[c])]
            singles = [(pos, {c: v}) for c in blanks for v in self._fill_values(c, row)]
            options += singles
            if len(blanks) > 1:
                combo = {c: vals[0] for c in blanks if (vals := self._fill_values(c, row))}
                options.append((pos, combo))
        return self._first_flipping(cond, want, options)

    def _first_flipping(self, cond: ex.Node, want: bool, options: list[tuple[int, dict[str, Any]]]) -> list[Flip]:
        if not options:
            return []
        ok = self.holds(cond, self._apply(options)) == want
        done: dict[int, Flip] = {}
        for (pos, sets), good in zip(options, ok, strict=True):
            if good and pos not in done:
                done[pos] = self._flip(pos, sets)
        return list(done.values())

    def _apply(self, options: list[tuple[int, dict[str, Any]]]) -> pd.DataFrame:
        rows = self.ledger.iloc[[p for p, _ in options]].reset_index(drop=True).astype(object)
        for k, (_, sets) in enumerate(options):
            for c, v in sets.items():
                rows.at[k, c] = v
        return rows

    def meet(self, cond: ex.Node, todo: list[int], reads: list[str]) -> list[Flip]:
        """Make rows satisfy the condition by changing bool and number columns, conjunct by conjunct."""
        editable = [c for c in reads if self.columns[c].type in ("bool", "int", "number", "percent")]
        if not editable:
            return []
        conjs = _conjuncts(cond)
        flips = []
        for pos in todo:
            sets: dict[str, Any] = {}
            for _ in range(len(conjs) + len(editable)):
                current = self._apply([(pos, sets)])
                if self.holds(cond, current)[0]:
                    flips.append(self._flip(pos, dict(sets)))
                    break
                truth = [bool(self.holds(c, current)[0]) for c in conjs]
                failing = next(c for c, t in zip(conjs, truth, strict=True) if not t)
                step = self._step(pos, sets, failing, conjs, sum(truth), editable)
                if step is None:
                    break
                sets.update(step)
        return flips

    def _step(self, pos: int, sets: dict[str, Any], target: ex.Node, conjs: list[ex.Node], true_now: int,
              editable: list[str]) -> dict[str, Any] | None:
        row = self.ledger.iloc[pos]
        options: list[dict[str, Any]] = []
        for c in editable:
            if c not in ex.names(target):
                continue
            spec = self.columns[c]
            value = sets.get(c, row[c])
            if value is None or (not isinstance(value, bool | Decimal | int) and pd.isna(value)):
                continue
            if spec.type == "bool":
                options.append({c: not bool(value)})
                continue
            unit = Decimal("0.01") if spec.type == "percent" else Decimal(1)
            for k in range(1, 101):
                for sign in (1, -1):
                    v = value + sign * k * (int(unit) if spec.type == "int" else unit)
                    if (spec.min is not None and v < spec.min) or (spec.max is not None and v > spec.max):
                        continue
                    options.append({c: v})
        if not options:
            return None
        rows = self._apply([(pos, {**sets, **o}) for o in options])
        hit = self.holds(target, rows)
        count = np.sum([self.holds(c, rows).astype(int) for c in conjs], axis=0)
        for o, h, n in zip(options, hit, count, strict=True):  # options are ordered by column, then size
            if h and n > true_now:
                return o
        return None
