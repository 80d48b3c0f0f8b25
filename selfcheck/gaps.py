"""Gaps: every item that lost points and every penalty that took some, biggest loss on the total first.

`lost` is on the item's own scale, `lost_in_total` on the total's (`scale_to`, `normalise`; category caps
are not spread over items); ties keep the scheme's order, penalties after items. Not gaps: items scored by
others (listed apart, `selfcheck.assessed`) and rank items scored without peers (provisional: rank 1 for
now, `selfcheck.check`). A gap carrying assessors' findings says the findings cannot be won back by data.
"""

from __future__ import annotations

from decimal import Decimal

from rules.language.scheme import CItem, Scheme
from scoring.totals import UnitResult
from selfcheck.model import Gap
from selfcheck.objectives import adjustment_events

ZERO = Decimal(0)
FINDINGS_NOTE = "含评分单位的评分或扣分（考核扣分记录）：请对照事由整改，这部分无法通过填报数据挽回"


def item_factors(scheme: Scheme, r: UnitResult) -> dict[str, Decimal]:
    """Per item: points on its own scale → points of the total (scale_to, normalise)."""
    out: dict[str, Decimal] = {}
    full = ZERO
    for cat in scheme.categories:
        f = cat.scale_to / cat.points if cat.scale_to is not None else Decimal(1)
        for it in cat.items:
            out[it.id] = f
            if r.items.get(it.id) is not None or not scheme.meta.normalise:
                full += it.points * f
    if scheme.meta.normalise and full:
        out = {k: v * scheme.meta.total / full for k, v in out.items()}
    return out


def provisional(item: CItem, ranked: bool) -> bool:
    """A rank item when no other unit's data ranked it (`ranked` False): its score is provisional."""
    return item.rank is not None and not ranked


def find_gaps(scheme: Scheme, r: UnitResult, factors: dict[str, Decimal], ranked: bool) -> list[Gap]:
    """The unit's gaps in order (`factors`: `item_factors`; `ranked`: whether peers ranked its rank items)."""
    gaps: list[tuple[int, Gap]] = []
    for k, item in enumerate(scheme.items):
        score = r.items.get(item.id)
        if score is None or score >= item.points or provisional(item, ranked) or item.assessed is not None:
            continue  # (items scored by others are listed apart: `selfcheck.assessed`)
        events = [e for e in r.events if e.item == item.id]
        lost = item.points - score
        g = Gap(item.id, item.name, "item", item.clause, item.points, score, lost, lost * factors[item.id], events)
        if any(e.kind == "finding" for e in events):
            g.notes.append(FINDINGS_NOTE)
        gaps.append((k, g))
    n = len(scheme.items)
    for k, a in enumerate(scheme.penalties):
        events = adjustment_events(r, a)
        took = sum((e.points for e in events), ZERO)
        if took < 0:
            g = Gap(a.id, a.name, "penalty", a.clause, None, took, -took, -took, events)
            if any(e.rule == f"findings:{a.id}" for e in events):
                g.notes.append(FINDINGS_NOTE)
            gaps.append((n + k, g))
    gaps.sort(key=lambda kg: (-kg[1].lost_in_total, kg[0]))
    return [g for _, g in gaps]
