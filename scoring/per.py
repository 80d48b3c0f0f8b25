"""`per`: a rule that moves its amount for each one of a figure (“每…扣0.5分”).

Evaluation finds the figure (the value of the rule's `per` expression, as the unit's data gives it); what
it is worth is counted here: rounded as `per_rounding` says, times the amount, never below zero.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from rules.evaluation.evaluate import Firing
from rules.language.scheme import Scheme
from scoring.events import arithmetic
from scoring.per_words import PerWords

ZERO = Decimal(0)


def per_round(value: Decimal, mode: str) -> Decimal:
    """The figure a rule counts: rounded up (`ceil`), down (`floor`), or as it is (`exact`)."""
    if mode == "ceil":
        return value.to_integral_value(rounding=ROUND_CEILING)
    if mode == "floor":
        return value.to_integral_value(rounding=ROUND_FLOOR)
    return value


def per_points(amount: Decimal, figure: Decimal, mode: str) -> tuple[Decimal, Decimal]:
    """(points moved, unsigned; the figure counted) for a figure of a `per` rule."""
    counted = per_round(figure, mode)
    with arithmetic((amount, counted)):
        return max(ZERO, amount * counted), counted


class PerCounter:
    """Turns the firings of `per` rules into what they are worth, with the sentence that says how
    (worded by scoring.per_words: the figures found, how they were counted, the unit rate, the points)."""

    def __init__(self, scheme: Scheme, values: dict[str, dict[str, Any]] | None = None):
        self.s = scheme
        self.rules = {r.uid: r for r in [*(r for i in scheme.items for r in i.rules),
                                         *(a.rule for a in scheme.adjustments())]}
        self.values = values or {}   # unit -> name -> exact value (rules.evaluation's Evaluation.values)
        self.words = PerWords(scheme)

    def settle(self, f: Firing) -> Firing | None:
        """The firing with its points and reason; None when it moves nothing."""
        assert f.per is not None
        r = self.rules[f.rule]
        assert r.amount is not None and r.per is not None
        pts, counted = per_points(r.amount, f.per, r.per_rounding)
        if pts == 0:
            return None
        verb = "扣" if r.sign < 0 else "加"
        own = self.values.get(f.entity, {})

        def lookup(name: str) -> Any:
            v = own.get(name)
            return f.evidence.get(name) if v is None or v == "不涉及" else v   # a ledger row's column

        how = self.words.reason(r.per, lookup, f.per, counted, r.per_rounding, verb, r.amount, pts)
        return replace(f, points=pts if r.sign > 0 else pts.copy_negate(),
                       reason=f"{f.reason}：{how}" if f.reason else how)


__all__ = ["PerCounter", "per_points", "per_round"]
