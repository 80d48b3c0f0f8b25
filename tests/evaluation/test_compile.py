"""rules.evaluation.compile: values as durable-rules holds them; numbers of any size encoded without raising."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pytest

from rules.evaluation.compile import encode


@pytest.mark.parametrize("value,expected", [
    (None, None), (True, 1), (np.bool_(False), 0), (np.int64(7), 7), (Decimal("12"), 12), (Decimal("12.000"), 12),
    (Decimal("1.5"), 1.5), (dt.date(2020, 1, 1), dt.date(2020, 1, 1).toordinal()), ("重大", "重大"),
    (Decimal(2**53), 2**53), (Decimal("9" * 300), int("9" * 300)),   # exact: the guard says it is out of range
])
def test_values_are_encoded_exactly(value: object, expected: object) -> None:
    assert encode(value) == expected and type(encode(value)) is type(expected)


@pytest.mark.parametrize("value,sign", [
    (Decimal("1e5000"), 1), (Decimal("-1e5000"), -1), (Decimal("1" + "0" * 300), 1), (Decimal("1e1000000000"), 1),
    (10**5000, 1), (-(10**400), -1), (Decimal("Infinity"), 1), (Decimal("-Infinity"), -1),
], ids=["1e5000", "-1e5000", "301-digits", "1e1000000000", "int-5000-digits", "int-negative", "inf", "-inf"])
def test_numbers_too_large_to_compare_are_infinite_never_an_error(value: object, sign: int) -> None:
    got = encode(value)
    assert isinstance(got, float) and math.isinf(got) and (got > 0) == (sign > 0)


def test_nan_stays_nan_for_the_guard_to_refuse() -> None:
    got = encode(Decimal("NaN"))
    assert isinstance(got, float) and math.isnan(got)
