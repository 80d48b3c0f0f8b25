"""Targets: the value of an input (or the ledger rows to complete) that wins lost points back.

Found by the engine on the scheme itself, never by code that knows an item: for every input that drives
a gap and is the unit's work (`selfcheck.roles`: facts, references and filled dates never get a target), a search over the input's allowed range re-scores the unit through the real pipeline
(`selfcheck.probe`) and keeps the value closest to the current one that gives the best score the input
alone can reach.

Search axes:

- `ScalarAxis` — one scalar input. `bool` and `str` with `values`: every other allowed value is tried.
  `int`, `number`, `percent`, `date`: a grid (1; 0.01, or finer when the figure has more decimals;
  0.1 percentage point; 1 day) inside `min`/`max` (a percent without `max` stops at 100%, a date within a
  year of the period); from the current value the search steps out in both directions with doubling
  steps until the score reaches full marks, the bound, or stops improving for 8 doublings (a direction
  whose first 4 steps all score worse than now is dropped at once); then the
  first grid value reaching the best score is found by bisection (the score is taken to be monotone
  between the last miss and the first hit). Blank optional inputs start from `period.end` (dates) or
  the minimum; no target ever blanks a filled value (and a filled date is never moved: `selfcheck.check`).
- `RowAxis` — ledger rows: the rows of a derived `count` (its `where`) or the rows a `for_each`
  deduction fires on. A row is *flipped* (made to satisfy, or no longer satisfy, the condition) by the
  least invasive edit: first by filling blank optional columns the condition reads (dates with
  `period.end`: “done now, by the end of the period”, never back-dated); only to make a row *satisfy*
  a condition (a standard met), when no row can be flipped by filling, by changing `bool` and number
  columns the condition reads, one conjunct at a time, each by the smallest step. Text columns with
  `values` (classifications such as a source or a level) and dates already filled are never changed,
  and no row is ever made to *stop* satisfying a condition except by filling a blank: a finding is not
  argued away. Only columns whose role is work are ever filled or changed. The search is over how many
  rows (fewest edits first, then ledger order) are flipped; the advice names the work by the scheme's
  `work` text (“再整改65项隐患并在…中填写…”), never as back-filling.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

import numpy as np
import pandas as pd

from rules.evaluation.derive import Frame, row_env
from rules.language import expr as ex
from rules.language.model import Column, Input
from rules.language.scheme import Scheme
from rules.language.text import describe, show_value
from scoring.totals import UnitResult
from selfcheck.probe import Change, Prober

ZERO = Decimal(0)
FLAT = 8          # doublings without improvement before a direction is given up
JMAX = 21         # at most 2**21 grid steps away
STEPS = 4         # doublings per direction per round
Objective = Callable[[UnitResult | None], Decimal | None]


# ------------------------------------------------------------------------------------------ axes


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


def _conjuncts(node: ex.Node) -> list[ex.Node]:
    return ex.operands(node, "and")


class RowFlipper:
    """Finds, for rows of one unit's ledger, the least invasive edit that flips a row condition."""

    def __init__(self, scheme: Scheme, frame: Frame, ledger: pd.DataFrame, table: str,
                 editable: Callable[[str], bool] = lambda column: True):
        self.s = scheme
        self.editable = editable          # columns a flip may fill or change (their role is work)
        self.frame = frame
        self.ledger = ledger
        self.table = table
        self.columns: dict[str, Column] = scheme.columns(table)
        key = scheme.inputs[table].key if table in scheme.inputs else None
        self.key = key

    def holds(self, node: ex.Node, rows: pd.DataFrame) -> np.ndarray:
        if not len(rows):
            return np.zeros(0, dtype=bool)
        return ex.truthy(ex.evaluate(node, row_env(self.frame, rows, list(self.columns))))

    def axis(self, cond: ex.Node, want: bool, name: str, label: str) -> RowAxis | None:
        now = self.holds(cond, self.ledger)
        todo = [int(i) for i in np.flatnonzero(now != want)]
        if not todo:
            return None
        reads = [c for c in self.columns if c in ex.names(cond) and c != self.key and self.editable(c)]
        flips = self.fill(cond, want, todo, reads)
        filled_only = True
        if not flips and want:
            flips = self.meet(cond, todo, reads)
            filled_only = False
        if not flips:
            return None
        flips.sort(key=lambda f: (len(f.sets), f.pos))
        return RowAxis(self.table, cond, want, name, label, flips, int(now.sum()), filled_only)

    def _flip(self, pos: int, sets: dict[str, Any]) -> Flip:
        row = self.ledger.iloc[pos]
        source = f"{row['_file']}·第{row['_row']}行" if "_file" in row.index else f"第{pos + 1}行"
        return Flip(pos, sets, source, row[self.key] if self.key and self.key in row.index else None)

    def _fill_values(self, col: str, row: pd.Series) -> list[Any]:
        spec = self.columns[col]
        if spec.type == "date":
            period = self.s.meta.period
            if period is not None:
                return [period.end]
            dates = [v for c, s in self.columns.items() if s.type == "date" and isinstance(v := row[c], dt.date)]
            return [max(dates)] if dates else []
        if spec.type == "bool":
            return [True, False]
        if spec.type in ("int", "number", "percent"):
            lo = spec.min if spec.min is not None else ZERO
            vals: list[Any] = [int(lo) if spec.type == "int" else lo]
            if spec.max is not None:
                vals.append(int(spec.max) if spec.type == "int" else spec.max)
            return vals
        return list(spec.values) if spec.values else ["已补填"]

    def fill(self, cond: ex.Node, want: bool, todo: list[int], reads: list[str]) -> list[Flip]:
        """Fill blank optional columns the condition reads: one column first, else all of them."""
        options: list[tuple[int, dict[str, Any]]] = []
        for pos in todo:
            row = self.ledger.iloc[pos]
            blanks = [c for c in reads if self.columns[c].optional and pd.isna(row[c])]
            singles = [(pos, {c: v}) for c in blanks for v in self._fill_values(c, row)]
            options += singles
            if len(blanks) > 1:
                combo = {c: vals[0] for c in blanks if (vals := self._fill_values(c, row))}
                options.append((pos, combo))
        return self._first_flipping(cond, want, options)

    def _first_flipping(self, cond: ex.Node, want: bool, options: list[tuple[int, dict[str, Any]]]) -> list[Flip]:
        if not options:
            return []
        ok = self.holds(cond, self._apply(options)) == want
        done: dict[int, Flip] = {}
        for (pos, sets), good in zip(options, ok, strict=True):
            if good and pos not in done:
                done[pos] = self._flip(pos, sets)
        return list(done.values())

    def _apply(self, options: list[tuple[int, dict[str, Any]]]) -> pd.DataFrame:
        rows = self.ledger.iloc[[p for p, _ in options]].reset_index(drop=True).astype(object)
        for k, (_, sets) in enumerate(options):
            for c, v in sets.items():
                rows.at[k, c] = v
        return rows

    def meet(self, cond: ex.Node, todo: list[int], reads: list[str]) -> list[Flip]:
        """Make rows satisfy the condition by changing bool and number columns, conjunct by conjunct."""
        editable = [c for c in reads if self.columns[c].type in ("bool", "int", "number", "percent")]
        if not editable:
            return []
        conjs = _conjuncts(cond)
        flips = []
        for pos in todo:
            sets: dict[str, Any] = {}
            for _ in range(len(conjs) + len(editable)):
                current = self._apply([(pos, sets)])
                if self.holds(cond, current)[0]:
                    flips.append(self._flip(pos, dict(sets)))
                    break
                truth = [bool(self.holds(c, current)[0]) for c in conjs]
                failing = next(c for c, t in zip(conjs, truth, strict=True) if not t)
                step = self._step(pos, sets, failing, conjs, sum(truth), editable)
                if step is None:
                    break
                sets.update(step)
        return flips

    def _step(self, pos: int, sets: dict[str, Any], target: ex.Node, conjs: list[ex.Node], true_now: int,
              editable: list[str]) -> dict[str, Any] | None:
        row = self.ledger.iloc[pos]
        options: list[dict[str, Any]] = []
        for c in editable:
            if c not in ex.names(target):
                continue
            spec = self.columns[c]
            value = sets.get(c, row[c])
            if value is None or (not isinstance(value, bool | Decimal | int) and pd.isna(value)):
                continue
            if spec.type == "bool":
                options.append({c: not bool(value)})
                continue
            unit = Decimal("0.01") if spec.type == "percent" else Decimal(1)
            for k in range(1, 101):
                for sign in (1, -1):
                    v = value + sign * k * (int(unit) if spec.type == "int" else unit)
                    if (spec.min is not None and v < spec.min) or (spec.max is not None and v > spec.max):
                        continue
                    options.append({c: v})
        if not options:
            return None
        rows = self._apply([(pos, {**sets, **o}) for o in options])
        hit = self.holds(target, rows)
        count = np.sum([self.holds(c, rows).astype(int) for c in conjs], axis=0)
        for o, h, n in zip(options, hit, count, strict=True):  # options are ordered by column, then size
            if h and n > true_now:
                return o
        return None


# ------------------------------------------------------------------------------------------ searches


Search = Generator[list[Change], None, Any]


def _ints_between(a: Decimal, b: Decimal) -> tuple[int, int] | None:
    """The first and last integer strictly between a and b (either order), or None."""
    lo, hi = min(a, b), max(a, b)
    first = int(lo.to_integral_value(ROUND_FLOOR)) + 1
    last = int(hi.to_integral_value(ROUND_CEILING)) - 1
    return (first, last) if first <= last else None


def search_discrete(axis: ScalarAxis, prober: Prober, objective: Objective, base: Decimal, best: Decimal
                    ) -> Search:
    positions = list(range(len(axis.choices)))
    yield [axis.change(p) for p in positions]
    scored = [(objective(prober.get(axis.change(p))), p) for p in positions]
    good = [(v, p) for v, p in scored if v is not None and v > base]
    if not good:
        return None
    top = max(v for v, _ in good)
    return next(p for v, p in good if v == top)


def search_grid(axis: ScalarAxis, prober: Prober, objective: Objective, base: Decimal, best: Decimal) -> Search:
    def obj(pos: Decimal) -> Decimal | None:
        return objective(prober.get(axis.change(pos)))

    origin = axis.origin
    seen: dict[Decimal, Decimal | None] = {}
    if axis.current is None:        # blank: the start is a candidate like any other
        yield [axis.change(origin)]
        seen[origin] = obj(origin)
    else:
        seen[origin] = base
    at_origin = seen[origin]
    start_value: Decimal = at_origin if at_origin is not None else base
    state: dict[int, dict[str, Any]] = {}
    for d in (1, -1):
        bound = axis.hi if d > 0 else axis.lo
        if bound is not None and (bound - origin) * d <= 0:
            continue
        first = origin.to_integral_value(ROUND_FLOOR if d > 0 else ROUND_CEILING)
        state[d] = {"j": 0, "flat": 0, "best": start_value, "done": False, "bound": bound, "from": first}
    while any(not st["done"] for st in state.values()):
        asked: dict[int, list[Decimal]] = {}
        for d, st in state.items():
            if st["done"]:
                continue
            ps: list[Decimal] = []
            for _ in range(STEPS):
                pos = st["from"] + d * axis.base_step * 2 ** st["j"]
                st["j"] += 1
                if st["bound"] is not None and (pos - st["bound"]) * d >= 0:
                    ps.append(Decimal(st["bound"]))
                    st["done"] = True
                    break
                ps.append(Decimal(pos))
            asked[d] = ps
        yield [axis.change(p) for ps in asked.values() for p in ps]
        for d, ps in asked.items():
            st = state[d]
            if st["j"] == len(ps) and all(seen_v is None or seen_v < start_value
                                          for seen_v in (obj(p) for p in ps)):
                st["done"] = True   # the first steps only make things worse: the wrong direction
            for p in ps:
                v = seen[p] = obj(p)
                if v is not None and v > st["best"]:
                    st["best"], st["flat"] = v, 0
                else:
                    st["flat"] += 1
                if v is not None and v >= best:
                    st["done"] = True
            if st["flat"] >= FLAT or st["j"] > JMAX:
                st["done"] = True
    values = [v for v in seen.values() if v is not None]
    top = max(values) if values else base
    if top <= base:
        return None
    if seen[origin] == top:
        return origin
    # per direction: the nearest hit, and the nearest miss between it and the origin
    ends: dict[int, list[Decimal]] = {}
    for d in (1, -1):
        hits = [p for p, v in seen.items() if v == top and (p - origin) * d > 0]
        if not hits:
            continue
        hit = min(hits, key=lambda p: abs(p - origin))
        misses = [p for p, v in seen.items() if (p - origin) * d >= 0 and abs(p - origin) < abs(hit - origin)
                  and (v is None or v < top)]
        ends[d] = [max(misses, key=lambda p: abs(p - origin)) if misses else origin, hit]
    while True:
        mids: dict[int, Decimal] = {}
        for d, (miss, hit) in ends.items():
            between = _ints_between(miss, hit)
            if between is not None:
                mids[d] = Decimal((between[0] + between[1]) // 2)
        if not mids:
            break
        yield [axis.change(p) for p in mids.values()]
        for d, mid in mids.items():
            v = obj(mid)
            if v is not None and v >= top:
                ends[d][1] = mid
            else:
                ends[d][0] = mid
    finals = [hit for _, hit in ends.values()]
    return min(finals, key=lambda p: (abs(p - origin), -p))


def search_rows(axis: RowAxis, prober: Prober, objective: Objective, base: Decimal, best: Decimal) -> Search:
    n = len(axis.flips)
    yield [axis.change(n)]
    top = objective(prober.get(axis.change(n)))
    if top is None or top <= base:
        return None
    miss, hit = 0, n
    while hit - miss > 1:
        mid = (miss + hit) // 2
        yield [axis.change(mid)]
        v = objective(prober.get(axis.change(mid)))
        if v is not None and v >= top:
            hit = mid
        else:
            miss = mid
    return hit


def search(axis: Axis, prober: Prober, objective: Objective, base: Decimal, best: Decimal) -> Search:
    if isinstance(axis, RowAxis):
        return search_rows(axis, prober, objective, base, best)
    if axis.kind == "discrete":
        return search_discrete(axis, prober, objective, base, best)
    return search_grid(axis, prober, objective, base, best)


def drive(prober: Prober, searches: list[Search]) -> list[Any]:
    """Run searches in lockstep: each round, every pending change of every search is scored in one batch."""
    out: list[Any] = [None] * len(searches)
    pending: dict[int, list[Change]] = {}
    for i, s in enumerate(searches):
        try:
            pending[i] = next(s)
        except StopIteration as stop:
            out[i] = stop.value
    while pending:
        prober.score(c for cs in pending.values() for c in cs)
        nxt: dict[int, list[Change]] = {}
        for i in pending:
            try:
                nxt[i] = searches[i].send(None)
            except StopIteration as stop:
                out[i] = stop.value
        pending = nxt
    return out


# ------------------------------------------------------------------------------------------ text


def show(scheme: Scheme, name: str, value: Any) -> str:
    if value is None:
        return "未填"
    shown = show_value(value, scheme, name)
    unit = scheme.inputs[name].unit if name in scheme.inputs else None
    return f"{shown}{unit or ''}"


def quoted(label: str) -> str:
    return label if "“" in label else f"“{label}”"


def scalar_text(scheme: Scheme, axis: ScalarAxis, to: Any) -> str:
    label = quoted(scheme.label(axis.name))
    now = show(scheme, axis.name, axis.current)
    new = show(scheme, axis.name, to)
    if axis.kind == "discrete":
        return f"{label}为“{new}”（现为“{now}”）"
    if axis.inp.type == "date":
        if axis.current is None:
            return f"{label}不晚于{new}（现未填）"
        return f"{label}{'不晚于' if to < axis.current else '不早于'}{new}（现为{now}）"
    if axis.current is None:
        return f"{label}填报为{new}（现未填）"
    return f"{label}{'达到' if to > axis.current else '降至'}{new}（现为{now}）"


def rows_text(scheme: Scheme, axis: RowAxis, k: int, before: Any, after: Any, work: str | None = None) -> str:
    """The work that completes k rows, named by the scheme's `work` text when it has one; the ledger is
    then updated as a record of that work (never "fill in" alone: the date or figure records work done)."""
    table = scheme.label(axis.table)
    cond = describe(axis.cond, scheme)
    flips = axis.flips[:k]
    cols = "“" + "”“".join(dict.fromkeys(c for f in flips for c in f.sets)) + "”"
    record = "填写" if axis.filled_only else "更新"
    rule_rows = axis.name == axis.table     # the rows a deduction fires on
    if work:
        what = f"再{work.replace('{n}', str(k))}并在{table}中{record}{cols}"
        if rule_rows:
            return f"{what}（即{table}中“{cond}”的记录）"
    elif rule_rows:
        return f"{table}中{k}条“{cond}”的记录，完成相应工作后{record}{cols}"
    elif axis.filled_only:
        what = f"{table}中再有{k}条记录完成相应工作后{record}{cols}"
    else:
        what = f"{table}中再有{k}条记录达到{quoted(axis.label)}的条件（涉及{cols}）"
    return f"{what}（{axis.label} {show_value(before, scheme, axis.name)}→{show_value(after, scheme, axis.name)}）"


def reference_names(scheme: Scheme) -> set[str]:
    """Inputs that read as reference figures rather than the unit's own results: those only ever found on
    the right of a comparison or under a division whose other side reads the unit's values too (a target,
    a plan, a deadline, last year's figure: `x > x_target`, `done / planned`). Targets that move them are
    kept, flagged and listed last: the unit usually does not decide them."""
    lever: set[str] = set()
    ref: set[str] = set()

    def own(node: ex.Node) -> set[str]:
        return {n for n in ex.names(node) if not n.startswith(("entity.", "period."))}

    def walk(tree: ex.Node | None) -> None:
        for node in ex.walk(tree):
            if isinstance(node, ex.Bin) and (node.op in ex.COMPARISONS or node.op == "/") \
                    and own(node.left) and own(node.right):
                lever.update(own(node.left))
                ref.update(own(node.right))

    for item in scheme.items:
        for r in item.rules:
            walk(r.when)
            walk(r.per)
        for row in item.table or []:
            walk(row.when)
        walk(item.rank.by if item.rank else None)
    for a in scheme.adjustments():
        walk(a.rule.when)
        walk(a.rule.per)
    for v in scheme.vetoes:
        walk(v.when)
    for d in scheme.derived:
        walk(d.expr)
    return {n for n in ref - lever if n in scheme.scalar_inputs}
