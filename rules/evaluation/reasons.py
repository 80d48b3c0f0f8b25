"""A rule's reason for one unit, in the scheme's words: the rule's reason (or its condition), the unit's figures the
condition compares, and for a `deduct_by` rule the value that set the amount: 督查暗访交办问题未整改，来源为省督查：扣1分.
A `per` rule's count and rate are added by scoring.per (worded in scoring/per_words.py)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rules.language import expr as ex
from rules.language.scheme import CRule


def _num(d: Decimal | None) -> str:
    if d is None:
        return ""
    return f"{d.normalize():f}"


def rule_reason(r: CRule, pts: Decimal, per: Decimal | None, ev: dict[str, Any], i: int | None,
                describe: Callable[[ex.Node], str], figures: Callable[[list[ex.Node | None], int], str],
                label: Callable[[str], str]) -> str:
    """`describe` words a condition, `figures` gives unit `i`'s figures a condition compares, `label` names a
    value as the scheme does."""
    verb = "扣" if r.sign < 0 else "加"
    if r.reason:
        base = r.reason
    elif r.when is not None:
        base = describe(r.when)
    elif r.for_each:
        base = f"{label(r.for_each)}每条记录"
    else:
        base = ""
    if i is not None and r.when is not None and (per is None or r.per is None):
        seen = figures([r.when], i)
        if seen:
            base = f"{base}（{seen}）"
    if r.per is not None and per is not None:
        return base   # what happened; scoring.per says what the figure is worth
    how = ""
    if r.by is not None:
        value = ev.get(r.by.column)
        how = f"{r.by.column}为{value}" if value not in (None, "") else f"按“{r.by.column}”取分"
    parts = [p for p in (base, how) if p]
    return f"{'，'.join(parts)}：{verb}{_num(pts)}分" if parts else f"{verb}{_num(pts)}分"
