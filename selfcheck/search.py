"""Searches along an axis for the position that wins the most points back, closest to the unit's data now.

Every search is a generator: it yields the changes it wants scored, and `drive` runs all of them in
lockstep, so that each round scores every pending change of every search in one batch (one pipeline run
per round, `selfcheck.probe`). A search returns its best position, or None when nothing beats `base`.

- discrete (`bool`, `str` with `values`): every position is tried; the best score wins, ties by the order of `values`.
- grid (`int`, `number`, `percent`, `date`): from the current value the search steps out in both
  directions with doubling steps until the score reaches `best` (full marks), the bound, or stops
  improving for `FLAT` doublings (a direction whose first `STEPS` steps all score worse than now is
  dropped at once); then the first grid value reaching the best score is found by bisection (the score is
  taken to be monotone between the last miss and the first hit).
- rows: all flips first, then bisection on how many of them are needed.
"""

from __future__ import annotations

from collections.abc import Generator
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from selfcheck.axes import Axis, RowAxis, ScalarAxis
from selfcheck.objectives import Objective
from selfcheck.probe import Change, Prober

FLAT = 8          # doublings without improvement before a direction is given up
JMAX = 21         # at most 2**21 grid steps away
STEPS = 4         # doublings per direction per round


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
