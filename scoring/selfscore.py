"""Self-score vs the office's score: per item, where a unit's own 自评分 differs, and the events that explain
the difference (every point the office moved on that item)."""

from __future__ import annotations

from typing import Any

from rules.language.scheme import Scheme
from scoring.events import fmt
from scoring.totals import UnitResult


def self_score_diff(scheme: Scheme, r: UnitResult) -> list[dict[str, Any]]:
    """[{item, name, self, office, diff, events}] for the items whose 自评分 differs from the office's score.

    A not-applicable item (office score null) counts as full marks, so a full self-score agrees with it."""
    out: list[dict[str, Any]] = []
    for item in scheme.items:
        own = r.self_scores.get(item.id)
        if own is None:
            continue
        office = r.items.get(item.id)
        if (own == item.points) if office is None else (own == office):
            continue
        d: dict[str, Any] = {"item": item.id, "name": item.name, "self": fmt(own), "office": fmt(office),
                             "diff": fmt(office - own) if office is not None else None,
                             "events": [e.as_dict() for e in r.events if e.item == item.id]}
        if office is None:
            d["not_applicable"] = r.not_applicable.get(item.id, "不适用")
        out.append(d)
    return out
