"""Events: every point moved, with its reason, clause and evidence. Totals are sums of events."""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Any

# Points are added and subtracted in Decimal's default 28 significant digits, which keep any amount below
# HUGE to within 10^-7 of a point. A bigger amount (10^30 deaths at 1 point each) would lose units, and a
# clamp computed from a rounded sum would give the whole deduction back; such sums are made exactly.
HUGE = Decimal("1e20")
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def arithmetic(points: Iterable[Decimal | None]) -> AbstractContextManager[Any]:
    """The context to add, subtract and multiply these points in (not to divide: exact division has no end):
    the default one, or an exact one when one of them is huge."""
    if any(p is not None and abs(p) >= HUGE for p in points):
        return localcontext(_EXACT)
    return nullcontext()


def total_of(points: Iterable[Decimal], start: Decimal = Decimal(0)) -> Decimal:
    """`start` plus the points (exactly when one of them is huge)."""
    values = list(points)
    with arithmetic([start, *values]):
        return sum(values, start)


@dataclass
class Event:
    entity: str
    item: str | None          # item id; None for category/scheme-level events
    rule: str                 # rule uid, or e.g. 'A.cap', 'normalise', 'V1'
    points: Decimal           # signed
    reason: str               # Chinese
    kind: str                 # rule | finding | table | rank | clamp | cap | scale | normalise | bonus | penalty | veto
    clause: str | None = None
    category: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)
    scorer: str | None = None  # 评分单位, for findings

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"item": self.item, "rule": self.rule, "points": fmt_signed(self.points),
                             "reason": self.reason, "kind": self.kind}
        if self.category:
            d["category"] = self.category
        if self.clause:
            d["clause"] = self.clause
        if self.scorer:
            d["scorer"] = self.scorer
        d["evidence"] = self.evidence
        return d


def fmt(d: Decimal | None) -> str | None:
    """An exact decimal string without trailing zeros (1.5, 2, 0.25)."""
    if d is None:
        return None
    if d == 0:
        return "0"
    with arithmetic((d,)):   # normalize() rounds to the context's digits: a huge amount keeps all of them
        return f"{d.normalize():f}"


def approx(d: Decimal, places: int = 4) -> str:
    """For reasons a person reads: exact when short, else rounded with ≈ (the event keeps the exact value)."""
    exact = fmt(d) or "0"
    if "." in exact and len(exact.split(".")[1]) > places:
        return "≈" + (fmt(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)) or "0")
    return exact


def fmt_signed(d: Decimal) -> str:
    s = fmt(d) or "0"
    return s if d < 0 or s == "0" else f"+{s}"


def fmt_fixed(d: Decimal | None, places: int) -> str | None:
    if d is None:
        return None
    with arithmetic((d,)):   # a huge value quantized keeps all its digits
        return f"{d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
