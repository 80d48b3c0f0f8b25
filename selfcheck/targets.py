"""Targets: the value of an input (or the ledger rows to complete) that wins lost points back.

Found by the engine on the scheme itself, never by code that knows an item: for every gap, and every veto
that hit, each of its drivers (`selfcheck.drivers`: only the unit's work; facts, references and filled dates
never get a target) is searched along its axis (`selfcheck.axes`, `selfcheck.search`). Every candidate
re-scores the unit through the real pipeline (`selfcheck.probe`), all searches in lockstep, one pipeline run
per round; a search keeps the value closest to the current one that gives the best score the driver alone
can reach. Each position found becomes a `Target` with the gain on the total and on the gap, the total and
grade it gives and the advice in Chinese (`selfcheck.wording`); targets are ordered by what they win back.
A gap or a veto that hit without any target gets a note saying why.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rules.language.scheme import Scheme
from scoring.totals import UnitResult
from selfcheck.axes import Axis, RowAxis, ScalarAxis
from selfcheck.drivers import Drivers
from selfcheck.model import Gap, Target, VetoCheck
from selfcheck.objectives import Objective, adjustment_objective, item_objective, veto_objective
from selfcheck.probe import Prober
from selfcheck.search import drive, search
from selfcheck.wording import no_target_text, rows_text, scalar_text

ZERO = Decimal(0)


class TargetFinder:
    """Targets for one unit (`result`: its result now; `drivers`, `prober`: built on its data alone)."""

    def __init__(self, scheme: Scheme, drivers: Drivers, prober: Prober, result: UnitResult):
        self.s = scheme
        self.drivers = drivers
        self.prober = prober
        self.r = result
        self.roles = drivers.roles
        self.values = drivers.base.values[drivers.entity]

    def attach(self, gaps: list[Gap], vetoes: list[VetoCheck]) -> None:
        """Search every driver of every gap and of every veto that hit, and attach what wins points back."""
        jobs: list[tuple[Gap | VetoCheck, Axis, Objective]] = []
        fixed: dict[int, tuple[set[str], set[str], bool]] = {}  # owner -> (facts and references, past dates, any axis)
        for g in gaps:
            self.drivers.blocked, self.drivers.past = set(), set()
            if g.kind == "item":
                item = self.s.item(g.item)
                assert item is not None
                objective = item_objective(item)
                axes = self.drivers.of_item(item, g.events)
            else:
                a = next(x for x in self.s.penalties if x.id == g.item)
                objective = adjustment_objective(a)
                axes = self.drivers.of_adjustment(a)
            jobs += [(g, axis, objective) for axis in axes]
            fixed[id(g)] = (self.drivers.blocked, self.drivers.past, bool(axes))
        by_id = {v.id: v for v in self.s.vetoes}
        for vc in vetoes:
            if vc.status == "hit":
                v = by_id[vc.id]
                self.drivers.blocked, self.drivers.past = set(), set()
                axes = self.drivers.of_veto(v)
                jobs += [(vc, axis, veto_objective(v)) for axis in axes]
                fixed[id(vc)] = (self.drivers.blocked, self.drivers.past, bool(axes))
        searches = []
        for owner, axis, objective in jobs:
            base = objective(self.r)
            assert base is not None
            best = owner.points if isinstance(owner, Gap) and owner.points is not None else (
                ZERO if isinstance(owner, Gap) else Decimal(1))
            searches.append(search(axis, self.prober, objective, base, best))
        found = drive(self.prober, searches)
        for (owner, axis, objective), pos in zip(jobs, found, strict=True):
            if pos is None:
                continue
            t = self.target(axis, pos, objective)
            if t is not None:
                owner.targets.append(t)
        owners: list[Gap | VetoCheck] = [*gaps, *vetoes]
        for has in owners:
            has.targets.sort(key=lambda t: (-t.item_gain, -t.gain))
        for g in gaps:
            if not g.targets and not g.notes:
                g.notes.append(self.no_target(*fixed[id(g)], veto=False))
        for vc in vetoes:
            if vc.status == "hit" and not vc.targets:
                vc.notes.append(self.no_target(*fixed[id(vc)], veto=True))

    def no_target(self, blocked: set[str], past: set[str], any_axis: bool, veto: bool) -> str:
        return no_target_text(self.s, self.roles, self.values, blocked, past, any_axis, veto)

    def target(self, axis: Axis, pos: Any, objective: Objective) -> Target | None:
        change = axis.change(pos)
        after = self.prober.get(change)
        base_obj = objective(self.r)
        got = objective(after)
        if after is None or got is None or base_obj is None or got <= base_obj:
            return None
        gain = after.total_exact - self.r.total_exact
        if isinstance(axis, ScalarAxis):
            to = axis.value(pos)
            return Target(axis.name, self.s.label(axis.name), "value", axis.current, to, gain, got - base_obj,
                          after.total, after.grade, scalar_text(self.s, axis, to), change)
        before, now = self.count(axis, self.r), self.count(axis, after, pos)
        rows = [{"出处": f.source, **({"key": f.key} if f.key is not None else {}), "set": f.sets}
                for f in axis.flips[:pos]]
        work = self.roles.work_template(axis.table, list(dict.fromkeys(c for f in axis.flips[:pos] for c in f.sets)))
        return Target(axis.name, axis.label, "rows", before, now, gain, got - base_obj, after.total, after.grade,
                      rows_text(self.s, axis, pos, before, now, work), change, rows=rows)

    def count(self, axis: RowAxis, r: UnitResult, k: int = 0) -> Any:
        if axis.name in r.values:
            return r.values[axis.name]
        return axis.satisfied + (k if axis.want else -k)
