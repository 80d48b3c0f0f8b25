"""Search axes: the one-dimensional ranges a target is searched along, one per driver of a gap.

Each axis turns a position into a `Change` of the unit's data (`selfcheck.probe`), so a search
(`selfcheck.search`) only ever handles positions and scores, never inputs or ledgers.

- `ScalarAxis` — one scalar input. `bool` and `str` with `values` are *discrete*: every other allowed
  value is a position. `int`, `number`, `percent`, `date` are a *grid* (1; 0.01, or finer when the figure
  has more decimals; 0.1 percentage point; 1 day) inside `min`/`max` (a percent without `max` stops at
  100%, a date within a year of the period). Blank optional inputs start from `period.end` (dates) or the
  minimum; no position ever blanks a filled value (and a filled date gets no axis: `selfcheck.drivers`).
- `RowAxis` — ledger rows: position k completes the first k rows of a list of `Flip`s, each the least
  invasive edit of one row (found by `selfcheck.rowflips`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from rules.language import expr as ex
from rules.language.model import Input
from rules.language.scheme import Scheme
from selfcheck.probe import Change

ZERO = Decimal(0)


@dataclass
class ScalarAxis:
    name: str
    inp: Input
    current: Any                       # typed value (None: blank)
    kind: str                          # discrete | grid
    choices: list[Any] = field(default_factory=list)     # discrete: the values to try
    res: Decimal = Decimal(1)          # grid: value of one step (days for dates)
    base_step: int = 1                 # grid steps of the first doubling
    lo: int | None = None              # grid bounds (positions)
    hi: int | None = None
    origin: Decimal = ZERO             # grid position of the current value (or the start when blank)

    @property
    def key(self) -> str:
        return f"value:{self.name}"

    def value(self, pos: Any) -> Any:
        if self.kind == "discrete":
            return self.choices[pos]
        if self.inp.type == "date":
            return dt.date.fromordinal(int(pos))
        if self.inp.type == "int":
            return int(pos)
        return (Decimal(pos) * self.res).normalize() + 0  # +0 turns -0 into 0

    def change(self, pos: Any) -> Change:
        return Change(values=((self.name, self.value(pos)),))


@dataclass
class Flip:
    pos: int                           # row position in the unit's ledger
    sets: dict[str, Any]               # column -> new value
    source: str                        # 出处 of the row
    key: Any                           # the row's key value, when the ledger has a key


@dataclass
class RowAxis:
    table: str
    cond: ex.Node
    want: bool                         # the flipped rows come to satisfy (True) / stop satisfying (False) cond
    name: str                          # the derived value counting the rows, or the ledger for a rule's rows
    label: str
    flips: list[Flip]
    satisfied: int                     # rows of the unit satisfying cond now
    filled_only: bool                  # every flip only fills blanks

    @property
    def key(self) -> str:
        return f"rows:{self.table}:{self.cond.text}:{self.want}"

    def change(self, k: int) -> Change:
        return Change(cells=tuple((self.table, f.pos, tuple(f.sets.items())) for f in self.flips[:k]))


Axis = ScalarAxis | RowAxis


def _places(d: Decimal) -> int:
    exp = d.normalize().as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def scalar_axis(scheme: Scheme, name: str, current: Any) -> ScalarAxis | None:
    """The axis of one scalar input around its current value; None when there is nothing to search (free
    text, or a blank date in a scheme without a period)."""
    inp = scheme.inputs[name]
    t = inp.type
    if t == "bool":
        choices = [v for v in (True, False) if v != current]
        return ScalarAxis(name, inp, current, "discrete", choices)
    if t == "str":
        if not inp.values:
            return None  # free text: nothing to search
        return ScalarAxis(name, inp, current, "discrete", [v for v in inp.values if v != current])
    if t == "date":
        period = scheme.meta.period
        start = current or (period.end if period else None)
        if start is None:
            return None
        lo = (period.start.toordinal() - 366) if period else start.toordinal() - 1000
        hi = (period.end.toordinal() + 366) if period else start.toordinal() + 1000
        lo, hi = min(lo, start.toordinal()), max(hi, start.toordinal())
        return ScalarAxis(name, inp, current, "grid", res=Decimal(1), base_step=1, lo=lo, hi=hi,
                          origin=Decimal(start.toordinal()))
    if t == "int":
        res, step = Decimal(1), 1
    elif t == "percent":
        res, step = Decimal("0.001"), 10
    else:
        places = max([2] + [_places(v) for v in (current, inp.min, inp.max) if isinstance(v, Decimal)])
        res, step = Decimal(1).scaleb(-min(places, 4)), 10 ** min(places, 4)
    lo_v = inp.min if inp.min is not None else (ZERO if t == "percent" else None)
    hi_v = inp.max if inp.max is not None else (Decimal(1) if t == "percent" else None)
    lo = int((lo_v / res).to_integral_value(ROUND_CEILING)) if lo_v is not None else None
    hi = int((hi_v / res).to_integral_value(ROUND_FLOOR)) if hi_v is not None else None
    start = Decimal(current) if current is not None else (lo_v if lo_v is not None else ZERO)
    return ScalarAxis(name, inp, current, "grid", res=res, base_step=step, lo=lo, hi=hi, origin=start / res)
