"""Periods in the year's result (criteria/README.md 2.20): the composite total and the vetoes carried from the
periods. Neither applies when a scheme is scored for one period (`--period`).

The composite: total = periods weight × (average or sum of the period totals) + year_end weight × the year-end
score (this scheme's items, bonuses and penalties). As events, so the total stays a sum of events: one event
moves the year-end score to its weighted share (−40% of it for a 60% weight), one adds the periods' weighted
share. Both come before the vetoes, so a veto reading `total` reads the combined total.

Carried vetoes: a veto the scheme lists in `composite.carry_vetoes` hits a unit in the year when the unit hit
it in any period ("季度考核中瞒报事故的，全年一票否决"), with the scheme's effect; the reason names the period.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from intake.dataset import DataSet
from intake.periods import period_sources
from rules.evaluation.outcome import VetoHit
from rules.language.scheme import Scheme
from scoring.events import Event, approx, fmt, total_of

ONE = Decimal(1)
YEAR_END, PERIODS = "composite.year_end", "composite.periods"   # the rules of the composite's two events
RULE_LABELS = {YEAR_END: "年终考核（按权重计入）", PERIODS: "平时考核（按权重计入）"}   # their rows in a 评分表


def _percent(w: Decimal) -> str:
    return f"{fmt(w * 100)}%"


def combine(s: Scheme, values: dict[str, Any], unit: str, total: Decimal, events: list[Event]) -> Decimal:
    """The unit's total combined from its period results (in its `values`: Q1.total…) and its year-end score
    `total` (events added)."""
    periods = s.periods
    c = periods.composite if periods is not None and s.period_id is None else None
    if periods is None or c is None:
        return total
    if c.year_end != ONE:
        share = total * c.year_end
        events.append(Event(unit, None, YEAR_END, share - total,
                            f"{c.label}：年终考核得分{approx(total)}分，按{_percent(c.year_end)}计入，"
                            f"计{approx(share)}分", "composite", evidence={"年终考核得分": approx(total)}))
    else:
        share = total
    read = periods.read()
    got = {p.id: values.get(f"{p.id}.total") for p in read}
    if c.periods == 0 or not read or any(v is None for v in got.values()):
        return share   # a unit without a period total was refused when the data were assembled
    summed = total_of(v for v in got.values() if v is not None)
    base = summed / len(read) if c.periods_by == "average" else summed
    part = base * c.periods
    how = "平均" if c.periods_by == "average" else "合计"
    said = "、".join(f"{p.name}{fmt(got[p.id])}分" for p in read)
    events.append(Event(unit, None, PERIODS, part,
                        f"{c.label}：平时考核（{said}）{how}{approx(base)}分，按{_percent(c.periods)}计入，"
                        f"计{approx(part)}分", "composite",
                        evidence={f"{p.name}考核结果·总分": fmt(got[p.id]) for p in read}))
    return total_of((part,), share)


def carry_vetoes(s: Scheme, data: DataSet, hits: list[VetoHit]) -> None:
    """Add to `hits` the vetoes a unit hit in a period that the scheme carries to the year."""
    periods = s.periods
    c = periods.composite if periods is not None and s.period_id is None else None
    if periods is None or c is None or not c.carry:
        return
    names = {v.id: v.name for v in s.vetoes}
    already = {(h.entity, h.veto) for h in hits}
    for unit in data.ids:
        by_period = data.period_vetoes.get(unit, {})
        for vid in c.carry:
            when = [p for p in periods.read() if vid in by_period.get(p.id, [])]
            if not when or (unit, vid) in already:
                continue
            said = "、".join(p.name for p in when)
            hits.append(VetoHit(unit, vid, f"{said}考核中触发“{names[vid]}”（{vid}），全年同样否决",
                                {f"{p.name}考核结果·否决项": vid for p in when}))


def case_periods(s: Scheme, units: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]] | None:
    """Period results as a cases file writes them per unit (`periods: {Q1: {total: 90, vetoes: [V1]}}`); a unit
    that gives none of a period read by the year is missing from that period's results."""
    sources = period_sources(s)
    if not sources:
        return None
    out: dict[str, dict[str, dict[str, Any]]] = {p.name: {} for p in sources}
    for u in units:
        for pid, figures in (u.get("periods") or {}).items():
            if pid not in out or not isinstance(figures, dict):
                continue
            got: dict[str, Any] = {
                k: (Decimal(str(v)) if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) else v)
                for k, v in figures.items()}
            said = got.get("vetoes")
            ids = [str(x) for x in said] if isinstance(said, list) else []
            count = said if isinstance(said, Decimal) else Decimal(len(ids))
            out[pid][u["id"]] = {"total": got.get("total"), "rank": got.get("rank"), "grade": got.get("grade"),
                                 "units": got.get("units"), "vetoes": count, "vetoed": count > 0, "veto_ids": ids}
    return out
