"""The evaluator: functions over huge values, and where a division by zero decides a result."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from rules.language import expr as ex


def col(text: str, **cols: list[object]) -> ex.Col:
    n = len(next(iter(cols.values())))
    env = ex.Env(n, lambda name: ex.column(cols[name]))
    return ex.evaluate(ex.parse(text), env)


def decided_by_zero(c: ex.Col) -> list[bool]:
    return (np.zeros(len(c.data), dtype=bool) if c.div_zero is None else c.div_zero).tolist()


@pytest.mark.parametrize("text,want", [
    ("round(x, 10)", Decimal("1E+40")),
    ("floor(x)", Decimal("1E+40")),
])
def test_functions_never_raise_on_huge_values(text: str, want: Decimal) -> None:
    assert col(text, x=[Decimal("1e40")]).data[0] == want


def test_ceil_of_a_long_number_is_exact() -> None:
    x = Decimal("12345678901234567890123456789012345.5")
    assert col("ceil(x)", x=[x]).data[0] == Decimal("12345678901234567890123456789012346")


def test_division_by_zero_decides_a_comparison() -> None:
    c = col("a / b > 1", a=[Decimal(2), Decimal(2)], b=[Decimal(1), Decimal(0)])
    assert decided_by_zero(c) == [False, True]


def test_a_guard_masks_the_division_by_zero() -> None:
    a, b = [Decimal(2), Decimal(2)], [Decimal(1), Decimal(0)]
    assert decided_by_zero(col("b > 0 and a / b > 1", a=a, b=b)) == [False, False]
    assert decided_by_zero(col("b == 0 or a / b > 1", a=a, b=b)) == [False, False]
    assert decided_by_zero(col("a / b == null", a=a, b=b)) == [False, False]
    assert decided_by_zero(col("not (a / b > 1)", a=a, b=b)) == [False, True]
    assert decided_by_zero(col("ceil(a / b) * 2", a=a, b=b)) == [False, True]


def test_env_still_records_every_division_by_zero() -> None:
    """Derived values rely on it (if_zero)."""
    env = ex.Env(2, lambda name: ex.column([Decimal(1), Decimal(0)]))
    ex.evaluate(ex.parse("x > 0 and 1 / x > 0"), env)
    assert env.div_zero.tolist() == [False, True]
