"""`per`: a rule that moves its amount for each one of a figure (“每…扣0.5分”).

Evaluation finds the figure (the value of the rule's `per` expression, as the unit's data gives it); what
it is worth is counted here: rounded as `per_rounding` says, times the amount, never below zero.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from rules.evaluation.evaluate import Firing
from rules.language.scheme import Scheme
from rules.language.text import describe
from scoring.events import arithmetic

ZERO = Decimal(0)
ROUNDING_TEXT = {"ceil": "（向上取整）", "floor": "（向下取整）"}


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
    """Turns the firings of `per` rules into what they are worth, with the sentence that says how."""

    def __init__(self, scheme: Scheme):
        self.s = scheme
        self.rules = {r.uid: r for r in [*(r for i in scheme.items for r in i.rules),
                                         *(a.rule for a in scheme.adjustments())]}
        self.texts: dict[str, str] = {}   # rule uid -> its `per` expression in words

    def settle(self, f: Firing) -> Firing | None:
        """The firing with its points and reason; None when it moves nothing."""
        assert f.per is not None
        r = self.rules[f.rule]
        assert r.amount is not None and r.per is not None
        pts, counted = per_points(r.amount, f.per, r.per_rounding)
        if pts == 0:
            return None
        if r.uid not in self.texts:
            self.texts[r.uid] = describe(r.per, self.s, as_condition=False)
        verb = "扣" if r.sign < 0 else "加"
        how = (f"按{self.texts[r.uid]}={_num(counted)}{ROUNDING_TEXT.get(r.per_rounding, '')}计，"
               f"每1{verb}{_num(r.amount)}分")
        return replace(f, points=pts if r.sign > 0 else pts.copy_negate(),
                       reason=f"{'；'.join(p for p in (f.reason, how) if p)}：{verb}{_num(pts)}分")


def _num(d: Decimal) -> str:
    with arithmetic((d,)):   # normalize() rounds to the context's digits
        return f"{d.normalize():f}"


__all__ = ["PerCounter", "per_points", "per_round"]
