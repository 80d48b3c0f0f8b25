"""Pro rata: what accumulates over the year, projected from the data as of a date to the end of the period.

A figure accumulates when the scheme says so (`accumulate.values`), when it counts or sums a ledger dated
by a column (`accumulate.ledgers`, `period_dates`), or when it is computed from such figures (then it is
computed again from their projections, so a rate of two projected counts stays what it was). Projected =
figure × days in the period / days elapsed (both ends counted), in Decimal: 4 deaths by 30 September 2020
(274 of 366 days) → 4 × 366 / 274 = 5.34 by the year end. It assumes the rest of the year goes as the part
already over did; early in the year one event weighs a lot (docs/预警.md says so to the office).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np

from rules.evaluation.derive import Frame
from rules.language import expr as ex
from rules.language.scheme import Scheme


def days(start: dt.date, end: dt.date) -> int:
    """Days from start to end, both counted."""
    return (end - start).days + 1


def pro_rata(value: Any, elapsed: int, total: int) -> Any:
    """A figure as of `elapsed` days of `total`, projected to the end (None and non-numbers unchanged)."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | Decimal):
        return value
    return Decimal(value) * total / elapsed


def project(scheme: Scheme, frame: Frame, elapsed: int, total: int) -> tuple[Frame, set[str]]:
    """A copy of the frame with every accumulating figure projected, and the names projected."""
    acc = scheme.accumulate
    out = Frame(frame.ids, dict(frame.cols), dict(frame.na), frame.ledgers, frame.columns)
    moved: set[str] = set()
    if acc is None or elapsed >= total:
        return out, moved

    def scale(name: str) -> None:
        out.cols[name] = np.array([pro_rata(v, elapsed, total) for v in frame.cols[name]], dtype=object)
        moved.add(name)

    for name in acc.values:
        if name in scheme.inputs and name in frame.cols:
            scale(name)
    for d in scheme.derived:
        if d.kind == "expr" and d.deps & moved:
            _recompute(out, d.expr, d.id, d.if_zero)
            moved.add(d.id)
        elif (d.kind in ("count", "sum") and d.table in acc.ledgers) or d.id in acc.values:
            scale(d.id)
    return out, moved


def _recompute(f: Frame, expr: ex.Node | None, name: str, if_zero: Decimal | None) -> None:
    """A derived value computed again from projected figures (as derivation computes it)."""
    assert expr is not None
    env = f.env()
    col = ex.evaluate(expr, env)
    values = col.data.copy() if col.data.dtype == object else col.data.astype(object)
    if col.known is not None:
        values[~col.known] = None
    if env.div_zero.any():
        values[env.div_zero] = if_zero
    f.cols[name] = values
