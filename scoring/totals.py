"""From item scores to a unit's total: categories (cap, scale_to), base (normalise), bonuses, penalties,
and the vetoes that change the total (zero, deduct). Each step that moves points is an event."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from common.numbers import honest
from rules.evaluation.evaluate import Evaluation
from rules.language.scheme import CAdjust, Scheme
from scoring.events import Event, arithmetic, fmt, total_of
from scoring.items import ItemScorer, finding_events, rule_events
from scoring.periods import combine
from scoring.vetoes import ACTIONS

ZERO = Decimal(0)


@dataclass
class UnitResult:
    entity: str
    name: str
    fields: dict[str, Any]
    items: dict[str, Decimal | None] = field(default_factory=dict)
    not_applicable: dict[str, str] = field(default_factory=dict)
    categories: dict[str, Decimal] = field(default_factory=dict)
    base: Decimal = ZERO
    bonus: Decimal = ZERO
    penalty: Decimal = ZERO
    total_exact: Decimal = ZERO
    total: Decimal = ZERO
    start: Decimal = ZERO                 # the starting points of the counted items
    grade: str | None = None
    grade_by_score: str | None = None
    grade_notes: list[str] = field(default_factory=list)
    rank: int | None = None
    vetoes: list[dict[str, Any]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    self_scores: dict[str, Decimal] = field(default_factory=dict)


def quantize(d: Decimal, places: int) -> Decimal:
    with arithmetic((d,)):   # a huge total keeps all its digits
        return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _adjust_events(scorer: ItemScorer, unit: str, a: CAdjust) -> list[Event]:
    kind = a.kind
    events = rule_events(a.rule, scorer.firings.get((unit, a.rule.uid), []), None, a.clause, None, kind)
    events += finding_events(scorer.findings.get((unit, a.id), []), a.id, None, a.clause, None, kind)
    for e in events:
        # the name says what the adjustment is, unless the reason already starts with it
        e.reason = e.reason if e.reason.startswith(a.name) else f"{a.name}：{e.reason}"
    return events


def score_unit(ev: Evaluation, scorer: ItemScorer, unit: str) -> UnitResult:
    s: Scheme = ev.scheme
    data = ev.data
    r = UnitResult(unit, data.names[unit], dict(data.fields.get(unit, {})))
    r.values = ev.values.get(unit, {})
    r.self_scores = dict(data.self_scores.get(unit, {}))
    normalise = s.meta.normalise
    places = s.meta.decimals   # figures in reasons: exact, or 约 past these decimals plus four
    base = ZERO
    base_full = ZERO
    for cat in s.categories:
        raw = ZERO
        counted_points = ZERO
        for item in cat.items:
            score, events = scorer.score(unit, item)
            r.items[item.id] = score
            r.events += events
            if score is None:
                r.not_applicable[item.id] = ev.not_applicable.get(unit, {}).get(item.id, "不适用")
                if normalise:
                    continue
                score = item.points  # 不涉及的不扣分: counted as full marks when not normalising
                r.start += item.points
            else:
                r.start += item.points if item.basis == "full" else ZERO
            raw += score
            counted_points += item.points
        if counted_points == 0:
            continue
        if cat.cap is not None and counted_points - raw > cat.cap:
            back = counted_points - raw - cat.cap
            r.events.append(Event(unit, None, f"{cat.id}.cap", back,
                                  f"“{cat.name}”本类最多扣{fmt(cat.cap)}分，超出的{fmt(back)}分不计", "cap",
                                  cat.clause, cat.id))
            raw += back
        full = counted_points
        if cat.scale_to is not None:
            scaled = raw * cat.scale_to / cat.points
            full = counted_points * cat.scale_to / cat.points
            if scaled != raw:
                r.events.append(Event(unit, None, f"{cat.id}.scale_to", scaled - raw,
                                      f"“{cat.name}”按{fmt(cat.points)}分制得{honest(raw, places)}分，"
                                      f"折算为{fmt(cat.scale_to)}分制得{honest(scaled, places)}分", "scale", cat.clause, cat.id))
            raw = scaled
        r.categories[cat.id] = raw
        base += raw
        base_full += full
    if normalise and base_full != s.meta.total and base_full > 0:
        rescaled = base * s.meta.total / base_full
        r.events.append(Event(unit, None, "normalise", rescaled - base,
                              f"有不涉及的项目，应得分{honest(base_full, places)}分，实得{honest(base, places)}分，"
                              f"按满分{fmt(s.meta.total)}分折算为{honest(rescaled, places)}分", "normalise"))
        base = rescaled
    r.base = base
    # Bonuses and penalties, outside the categories.
    bonus_events: list[Event] = []
    for a in s.bonuses:
        bonus_events += _adjust_events(scorer, unit, a)
    bonus = total_of(e.points for e in bonus_events)
    cap = s.meta.bonus_cap
    if cap is not None and bonus > cap:
        bonus_events.append(Event(unit, None, "bonus_cap", total_of((cap, bonus.copy_negate())),
                                  f"加分合计{fmt(bonus)}分，最多计{fmt(cap)}分", "cap"))
        bonus = cap
    penalty_events: list[Event] = []
    for a in s.penalties:
        penalty_events += _adjust_events(scorer, unit, a)
    penalty = total_of(e.points.copy_negate() for e in penalty_events)
    r.events += bonus_events + penalty_events
    r.bonus, r.penalty = bonus, penalty
    total = total_of((bonus, penalty.copy_negate()), base)   # exact when a penalty is huge (10^30 deaths)
    total = combine(s, data.values.get(unit, {}), unit, total, r.events)   # periods and year-end by weight (2.20), before the vetoes
    # Vetoes that change the total (scoring.vetoes): deduct first, then zero.
    hits = [h for h in ev.veto_hits if h.entity == unit]
    vetoes = {v.id: v for v in s.vetoes}
    order = {v.id: i for i, v in enumerate(s.vetoes)}
    # deductions first (they change the total), then in the order the scheme lists them
    for h in sorted(hits, key=lambda h: (not ACTIONS[vetoes[h.veto].effect].first, order[h.veto])):
        v = vetoes[h.veto]
        r.vetoes.append({"id": v.id, "name": v.name, "effect": v.effect_text(), "reason": h.reason,
                         "evidence": h.evidence, "clause": v.clause})
        total = ACTIONS[v.effect].total(v, h, unit, total, r.events)
    if total < 0:
        r.events.append(Event(unit, None, "floor", total.copy_negate(), f"总分不低于0分，{fmt(total.copy_negate())}分不计",
                              "clamp"))
        total = ZERO
    r.total_exact = total
    r.total = quantize(total, s.meta.decimals)
    return r
