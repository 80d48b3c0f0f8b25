"""Vetoes that read the unit's own result (`total`, `rank`, `grade`, `units`), decided in a fixed order.

The order (criteria/README.md 2.15.1), one stage after the other, each decided once and never again:
1. stage 0 — vetoes on the data, decided by the evaluation (rules.evaluation), as every veto always was;
2. stage 1 — vetoes reading `total` alone: `total` is the total before any veto (rounded as published, not
   below 0), so "考核未达80分的，实行一票否决" reads the points the unit earned; their effects on the total
   (deduct, zero) then count, and only then are units ranked;
3. stage 2 — vetoes reading `rank` or `units` (not `grade`): the rank by the total after stages 0 and 1
   ("位次较上一年度后退5位以上的扣1分" reads the rank before its own deduction); a deduction they make ranks
   the units again, and they are not decided again on the new rank;
4. stage 3 — vetoes reading `grade`: the grade once the total is final, after the grade effects of stages
   0-2 (before quotas). They cannot change the total (the compiler refuses it as a cycle); their grade effects
   apply after, then quotas.
A veto is applied by adding its hit to the evaluation and scoring the unit again, so its events, notes and
order among the other vetoes are exactly those of any veto.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import numpy as np

from rules.evaluation.evaluate import Evaluation
from rules.evaluation.outcome import VetoHit
from rules.language import expr as ex
from rules.language.text import describe
from scoring.totals import UnitResult, quantize

ZERO = Decimal(0)


def has_stage(ev: Evaluation, stage: int) -> bool:
    return any(v.stage == stage for v in ev.scheme.vetoes)


def before_vetoes(ev: Evaluation, r: UnitResult) -> Decimal:
    """The unit's total before any veto: its total with the points every veto moved given back."""
    moved = sum((e.points for e in r.events if e.kind == "veto"), ZERO)
    floor = sum((e.points for e in r.events if e.kind == "clamp" and e.rule == "floor"), ZERO)
    return quantize(max(r.total_exact - moved - floor, ZERO), ev.scheme.meta.decimals)


RANK_NAMES = {"rank", "units"}


def decide(ev: Evaluation, results: list[UnitResult], stage: int, totals: dict[str, Decimal],
           ranked: bool = True) -> set[str]:
    """Decide the vetoes of a stage for every unit; their hits join the evaluation. Returns the units hit.
    `ranked` False: units scored apart (a self-check), whose rank among the others is not known: vetoes
    reading `rank` or `units` are not decided (as quotas are not applied)."""
    ids = ev.frame.ids
    by_id = {r.entity: r for r in results}
    cols: dict[str, list[object]] = {
        "total": [totals.get(u) for u in ids],
        "rank": [by_id[u].rank if u in by_id else None for u in ids],
        "grade": [by_id[u].grade if u in by_id else None for u in ids],
        "units": [len(results)] * len(ids),
    }
    base: Callable[[str], ex.Col] = ev.frame.col

    def lookup(name: str) -> ex.Col:
        return ex.column(cols[name]) if name in cols and not _declared(ev, name) else base(name)

    hit: set[str] = set()
    for v in ev.scheme.vetoes:
        if v.stage != stage or (not ranked and v.results & RANK_NAMES):
            continue
        mask = ex.truthy(ex.evaluate(v.when, ex.Env(len(ids), lookup))) & ~ev.frame.na_of(v.reads)
        reason = v.reason or describe(v.when, ev.scheme)
        for i in np.flatnonzero(mask):
            unit = ids[i]
            if unit not in by_id:
                continue   # left out by a failed check: not scored
            evidence = ev.evidence_of(int(i), v.reads)
            evidence.update({ev.scheme.label(n): _show(cols[n][i]) for n in sorted(v.results)})
            ev.veto_hits.append(VetoHit(unit, v.id, reason, evidence))
            hit.add(unit)
    return hit


def _declared(ev: Evaluation, name: str) -> bool:
    return name in ev.frame.cols   # an input or derived value of that name is what the scheme means


def _show(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"
    return "" if value is None else str(value)
