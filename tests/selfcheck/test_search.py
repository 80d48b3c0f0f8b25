"""Searches along an axis, on their own: a stand-in prober scores each change by a known formula, so the
position a search returns and the rounds it takes can be checked exactly (the self-check tests check the
same searches through the real pipeline)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from rules.language import expr as ex
from rules.language.scheme import Scheme
from selfcheck.axes import Flip, RowAxis, ScalarAxis, scalar_axis
from selfcheck.probe import Change
from selfcheck.search import drive, search

D = Decimal


class FormulaProber:
    """Scores a change by `formula` (of the change itself) and counts the batches `drive` asks for."""

    def __init__(self, formula: Callable[[Change], Decimal]):
        self.formula = formula
        self.batches = 0

    def get(self, change: Change) -> Any:
        return self.formula(change)

    def score(self, changes: Iterable[Change]) -> None:
        list(changes)
        self.batches += 1


def value(change: Change) -> Any:
    return dict(change.values)["patrols"] if change.values else None


def identity(r: Any) -> Any:
    return r


def patrols(depot: Scheme) -> ScalarAxis:
    axis = scalar_axis(depot, "patrols", 8)     # int, 0..24, now 8
    assert axis is not None and axis.kind == "grid"
    return axis


def run(axis: Any, formula: Callable[[Change], Decimal], base: Decimal, best: Decimal) -> tuple[Any, int]:
    prober = FormulaProber(formula)
    found = drive(prober, [search(axis, prober, identity, base, best)])  # type: ignore[arg-type]
    return found[0], prober.batches


def test_grid_finds_the_nearest_value_reaching_full_marks(depot: Scheme) -> None:
    axis = patrols(depot)
    pos, _ = run(axis, lambda c: D(4) - D("0.5") * max(0, 12 - value(c)), D(2), D(4))
    assert axis.value(pos) == 12


def test_grid_bisects_between_the_last_miss_and_the_first_hit(depot: Scheme) -> None:
    axis = patrols(depot)
    pos, _ = run(axis, lambda c: D(3) if value(c) >= 19 else D(0), D(0), D(3))
    assert axis.value(pos) == 19       # doubling steps reach 16 (miss) and 24 (the bound, a hit)


def test_grid_finds_nothing_when_nothing_beats_now(depot: Scheme) -> None:
    pos, _ = run(patrols(depot), lambda c: D(1), D(1), D(3))
    assert pos is None


def test_discrete_takes_the_best_value(depot: Scheme) -> None:
    axis = scalar_axis(depot, "stage", "推进中")
    assert axis is not None and axis.choices == ["未启动", "完成"]
    scores = {"未启动": D(0), "推进中": D(1), "完成": D(2)}
    pos, _ = run(axis, lambda c: scores[dict(c.values)["stage"]], D(1), D(2))
    assert axis.value(pos) == "完成"


def rows(n: int) -> RowAxis:
    flips = [Flip(k, {"修复日期": dt.date(2021, 12, 31)}, f"第{k + 2}行", None) for k in range(n)]
    return RowAxis("faults", ex.parse("修复日期 != null"), True, "faults_fixed", "已修复故障数", flips, 0, True)


def test_rows_needs_the_fewest_flips_reaching_the_best() -> None:
    pos, _ = run(rows(10), lambda c: D(min(len(c.cells), 4)), D(0), D(6))
    assert pos == 4


def test_searches_run_in_lockstep(depot: Scheme) -> None:
    """All searches share each round's batch: as many batches as the longest search needs, not their sum."""
    axes: list[tuple[Any, Callable[[Change], Decimal], Decimal, Decimal]] = [
        (patrols(depot), lambda c: D(3) if value(c) >= 19 else D(0), D(0), D(3)),
        (rows(10), lambda c: D(min(len(c.cells), 4)), D(0), D(6)),
    ]
    alone = [run(*a) for a in axes]
    prober = FormulaProber(lambda c: axes[0][1](c) if c.values else axes[1][1](c))
    together = drive(prober, [search(a, prober, identity, base, best)  # type: ignore[arg-type]
                              for a, _, base, best in axes])
    assert together == [pos for pos, _ in alone]
    assert prober.batches == max(batches for _, batches in alone) < sum(batches for _, batches in alone)
