"""Drivers: what a target may move to win a gap back, read off the scheme, never off an item's name.

The drivers of a gap are the names its rules (the deductions that fired, any award), its decision table or
its rank read, followed through derived values down to scalar inputs and ledger rows: a derived `count …
where W` and a `for_each` deduction that fired become *row* drivers. Entity fields and the period are not
the unit's to change. Each driver becomes a search axis (`selfcheck.axes`), built once and cached.

Only the unit's work is a driver (`selfcheck.roles`): an input, ledger or column that is a fact or a
reference is recorded in `blocked`, a filled date (when something happened, never moved) in `past`, so the
self-check can say why a gap has no target (`selfcheck.wording.no_target_text`).
"""

from __future__ import annotations

from intake.dataset import DataSet
from rules.evaluation.derive import Frame
from rules.language import expr as ex
from rules.language.scheme import CAdjust, CItem, CVeto, Scheme
from scoring.events import Event
from scoring.totals import UnitResult
from selfcheck.axes import Axis, scalar_axis
from selfcheck.roles import Roles
from selfcheck.rowflips import RowFlipper


class Drivers:
    """What drives a score: the search axes for scalar names and ledger row conditions."""

    def __init__(self, scheme: Scheme, base: DataSet, entity: str, frame: Frame, result: UnitResult,
                 roles: Roles):
        self.s = scheme
        self.roles = roles
        self.blocked: set[str] = set()    # inputs and ledgers met that are facts or references (callers reset)
        self.past: set[str] = set()       # filled date inputs met: past data, never moved (callers reset)
        self.considered: set[str] = set()  # every input and ledger met, for the note on inferred roles
        self.base = base
        self.entity = entity
        self.frame = frame
        self.result = result
        self.na = base.na.get(entity, set())
        self.derived = {d.id: d for d in scheme.derived}
        self.cache: dict[str, Axis | None] = {}
        self.flippers: dict[str, RowFlipper] = {}

    def of_names(self, names: set[str] | list[str]) -> list[Axis]:
        out: list[Axis] = []
        seen: set[str] = set()

        def visit(name: str) -> None:
            if name in seen:
                return
            seen.add(name)
            if name in self.s.scalar_inputs:
                if name not in self.na:
                    out.extend(a for a in [self.scalar(name)] if a is not None)
                return
            d = self.derived.get(name)
            if d is None:
                return  # entity fields and the period are not the unit's to change
            if d.table is not None and not self.workable(d.table):
                return  # counted or summed from a ledger of facts: nothing to change
            if d.kind == "count" and d.where is not None and d.table is not None:
                for want in (True, False):
                    out.extend(a for a in [self.rows(d.table, d.where, want, d.id, d.label)] if a is not None)
            for dep in sorted(d.deps):
                visit(dep)

        for n in sorted(names):
            visit(n)
        return out

    def workable(self, name: str) -> bool:
        """Whether a target may move this input or ledger (its role is work); records it when not."""
        self.considered.add(name)
        if self.roles.workable(name):
            return True
        self.blocked.add(name)
        return False

    def scalar(self, name: str) -> Axis | None:
        if not self.workable(name):
            return None
        current = self.base.values[self.entity].get(name)
        if self.s.inputs[name].type == "date" and current is not None:
            self.past.add(name)     # a filled date says when something happened: never moved
            return None
        key = f"value:{name}"
        if key not in self.cache:
            self.cache[key] = scalar_axis(self.s, name, self.base.values[self.entity].get(name))
        return self.cache[key]

    def rows(self, table: str, cond: ex.Node, want: bool, name: str, label: str) -> Axis | None:
        if not self.workable(table):
            return None
        axis = self._rows(table, cond, want, name, label)
        if axis is None:        # say why: the columns the condition reads that no target may change
            for c in sorted(ex.names(cond) & set(self.s.columns(table))):
                if not self.roles.column(table, c).work:
                    self.blocked.add(f"{table}.{c}")
                elif self.s.columns(table)[c].type == "date":
                    self.past.add(f"{table}.{c}")
        return axis

    def _rows(self, table: str, cond: ex.Node, want: bool, name: str, label: str) -> Axis | None:
        key = f"rows:{table}:{cond.text}:{want}"
        if key not in self.cache:
            if table not in self.flippers:
                def editable(column: str, table: str = table) -> bool:
                    return self.roles.column(table, column).work
                self.flippers[table] = RowFlipper(self.s, self.frame, self.base.ledgers[table].frame, table,
                                                  editable)
            self.cache[key] = self.flippers[table].axis(cond, want, name, label)
        return self.cache[key]

    def of_item(self, item: CItem, events: list[Event]) -> list[Axis]:
        fired = {e.rule for e in events}
        names: set[str] = set()
        row_axes: list[Axis] = []
        for r in item.rules:
            if r.sign < 0 and r.uid not in fired:
                continue  # a deduction that did not fire cannot give points back
            names |= r.reads
            if r.for_each is not None and r.sign < 0 and r.when is not None:
                row_axes += [a for a in [self.rows(r.for_each, r.when, False, r.for_each, self.s.label(r.for_each))]
                             if a is not None]
        for row in item.table or []:
            if row.when is not None:
                names |= ex.names(row.when)
        if item.rank is not None:
            names |= ex.names(item.rank.by)
        return _unique([*self.of_names(names), *row_axes])

    def of_adjustment(self, a: CAdjust) -> list[Axis]:
        r = a.rule
        axes = self.of_names(r.reads)
        if r.for_each is not None and r.sign < 0 and r.when is not None:
            axes += [x for x in [self.rows(r.for_each, r.when, False, r.for_each, self.s.label(r.for_each))]
                     if x is not None]
        return _unique(axes)

    def of_veto(self, v: CVeto) -> list[Axis]:
        if v.stage:
            return []   # it reads the unit's total, rank or grade: the item gaps are the targets that move it
        axes = self.of_names(v.reads | (set() if v.for_each else ex.names(v.when)))
        if v.for_each is not None:
            axes += [x for x in [self.rows(v.for_each, v.when, False, v.for_each, self.s.label(v.for_each))]
                     if x is not None]
        return _unique(axes)


def _unique(axes: list[Axis]) -> list[Axis]:
    out: dict[str, Axis] = {}
    for a in axes:
        out.setdefault(a.key, a)
    return list(out.values())
