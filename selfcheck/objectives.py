"""Objectives: the one figure a search raises, read off a what-if result of the unit.

A gap on an item is won back when the item's score rises, a penalty's when it takes fewer points, a veto
that hit when it no longer fires (1, else 0). A search (`selfcheck.search`) compares these figures only;
None means the change leaves the unit unscored (e.g. a failed check), which no search takes for a gain.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from rules.language.scheme import CAdjust, CItem, CVeto
from scoring.events import Event
from scoring.totals import UnitResult

ZERO = Decimal(0)
Objective = Callable[[UnitResult | None], Decimal | None]


def item_objective(item: CItem) -> Objective:
    def value(r: UnitResult | None) -> Decimal | None:
        return None if r is None else r.items.get(item.id)
    return value


def adjustment_events(r: UnitResult, a: CAdjust) -> list[Event]:
    """The events of a bonus or penalty: its rule's, its sub-rules' and the assessors' findings on it."""
    ids = {a.id, f"findings:{a.id}"}
    return [e for e in r.events if e.item is None and (e.rule in ids or e.rule.startswith(f"{a.id}."))]


def adjustment_objective(a: CAdjust) -> Objective:
    def value(r: UnitResult | None) -> Decimal | None:
        return None if r is None else sum((e.points for e in adjustment_events(r, a)), ZERO)
    return value


def veto_objective(v: CVeto) -> Objective:
    def value(r: UnitResult | None) -> Decimal | None:
        if r is None:
            return None
        return ZERO if any(h["id"] == v.id for h in r.vetoes) else Decimal(1)
    return value
