"""Items scored by others (`assessed`): not self-checkable, shown with the range they can move the total.

A unit cannot know what an assessor will give it, and its own data cannot change it. Scoring takes such an
item at its start (full marks, or 0 for `basis: zero`) while no finding scores it; a self-check must not
pass that off as a result: it lists each assessed item apart from the gaps, with the score the findings
give now (if any), the scores the scheme allows, and how far that moves the total (on the total's scale).

The range is read off the scheme's `assessed` span: `deduct: [lo, hi]` → from points − hi to points;
`award: [lo, hi]` → from 0 (no award) to hi; `score: [lo, hi]` → from lo to hi — each kept within 0..points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rules.language.scheme import Scheme
from scoring.events import Event
from scoring.totals import UnitResult

ZERO = Decimal(0)


@dataclass
class AssessedCheck:
    item: str
    name: str
    clause: str | None
    mode: str                       # deduct | award | score (the scheme's `assessed` span)
    span: tuple[Decimal, Decimal]   # the span as written
    points: Decimal
    score: Decimal | None           # the item's score now (None: not applicable to the unit)
    scored: bool                    # a finding scores it now; False: taken at its start until scored
    low: Decimal                    # lowest and highest score the scheme allows
    high: Decimal
    total_low: Decimal              # change of the total from now, at the lowest and the highest score
    total_high: Decimal
    events: list[Event] = field(default_factory=list)


def assessed_checks(scheme: Scheme, result: UnitResult, factors: dict[str, Decimal]) -> list[AssessedCheck]:
    """Every assessed item of the scheme, for this unit (`factors`: item points → points of the total)."""
    out = []
    for item in scheme.items:
        a = item.assessed
        if a is None:
            continue
        if a.mode == "deduct":
            low, high = item.points - a.hi, item.points
        elif a.mode == "award":
            low, high = ZERO, a.hi
        else:
            low, high = a.lo, a.hi
        low, high = max(low, ZERO), min(high, item.points)
        score = result.items.get(item.id)
        events = [e for e in result.events if e.item == item.id]
        f = factors.get(item.id, Decimal(1))
        now = score if score is not None else ZERO
        out.append(AssessedCheck(item.id, item.name, item.clause, a.mode, (a.lo, a.hi), item.points, score,
                                 any(e.kind == "finding" for e in events), low, high,
                                 (low - now) * f if score is not None else ZERO,
                                 (high - now) * f if score is not None else ZERO, events))
    return out
