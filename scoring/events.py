"""Events: every point moved, with its reason, clause and evidence. Totals are sums of events."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from common import numbers
from common.numbers import HUGE, arithmetic  # noqa: F401 - the points arithmetic of scoring lives with the numbers


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
    return numbers.plain(d)


def approx(d: Decimal, places: int = 4) -> str:
    return numbers.approx(d, places)


def fmt_signed(d: Decimal) -> str:
    return numbers.signed(d)


def fmt_fixed(d: Decimal | None, places: int) -> str | None:
    return numbers.fixed(d, places)
