"""The built-in functions of the expression language: each one's arity, argument and result types, the
check made when it is parsed, and its implementation, in one table.

An implementation receives the columns of its arguments' values where all of them are known (null in,
null out) and the call node (for constant arguments such as round's places); it returns the values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any

import numpy as np

from rules.language.expr.syntax import Call, ExprError, Lit, Node

# round(x, n): n within this range (beyond it a value would have more digits than any score needs)
ROUND_PLACES = (-10, 10)


@dataclass(frozen=True)
class Function:
    name: str
    arity: tuple[int, int]                       # least and most arguments
    args: str                                    # the type every argument must have: number | date | str
    result: str
    implementation: Callable[[list[np.ndarray], Call], Any] | None  # values (a list or an array); None: folded when parsed
    check: Callable[[list[Node], str], Node | None] | None = None  # at parse time; a node replaces the call


def _elementwise(fn: Callable[[Any], Any], values: np.ndarray) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = [fn(v) for v in values]
    return out


def quantize(value: Any, places: int, rounding: str) -> Decimal:
    """A number to `places` decimal places, exactly, however many digits that takes."""
    d = value if isinstance(value, Decimal) else Decimal(value)
    exponent = Decimal(1).scaleb(-places)
    try:
        return d.quantize(exponent, rounding=rounding)
    except InvalidOperation:
        # more digits than the context's 28: widen it for this value alone (quantize is exact)
        with localcontext() as ctx:
            ctx.prec = max(ctx.prec, d.adjusted() + places + 2)
            return d.quantize(exponent, rounding=rounding)


def _places(call: Call) -> int:
    return int(call.args[1].value) if len(call.args) == 2 and isinstance(call.args[1], Lit) else 0


def _round_check(args: list[Node], text: str) -> Node | None:
    if len(args) == 2:
        n = args[1]
        if not (isinstance(n, Lit) and n.kind == "number"):
            raise ExprError("round(x, n) 的 n 必须是整数常量", text)
        lo, hi = ROUND_PLACES
        if n.value != n.value.to_integral_value() or not lo <= n.value <= hi:
            raise ExprError(f"round(x, n) 的 n 必须是 {lo} 到 {hi} 之间的整数，实际为{n.text}", text)
    return None


def _date_check(args: list[Node], text: str) -> Node:
    arg = args[0]
    if not (isinstance(arg, Lit) and arg.kind == "str"):
        raise ExprError("date(...) 的参数必须是 'YYYY-MM-DD' 形式的文本常量", text)
    try:
        return Lit(text, dt.date.fromisoformat(arg.value), "date")
    except ValueError:
        raise ExprError(f"日期“{arg.value}”无效，请写成 'YYYY-MM-DD'", text) from None


def _pick(choose: Callable[..., Any]) -> Callable[[list[np.ndarray], Call], list[Any]]:
    return lambda vals, _call: [choose(t) for t in zip(*vals, strict=True)]


_TABLE = [
    Function("abs", (1, 1), "number", "number", lambda vals, _c: _elementwise(abs, vals[0])),
    Function("ceil", (1, 1), "number", "number",
             lambda vals, _c: _elementwise(lambda v: quantize(v, 0, ROUND_CEILING), vals[0])),
    Function("floor", (1, 1), "number", "number",
             lambda vals, _c: _elementwise(lambda v: quantize(v, 0, ROUND_FLOOR), vals[0])),
    Function("round", (1, 2), "number", "number",
             lambda vals, c: _elementwise(lambda v: quantize(v, _places(c), ROUND_HALF_UP), vals[0]),
             _round_check),
    Function("min", (2, 99), "number", "number", _pick(min)),
    Function("max", (2, 99), "number", "number", _pick(max)),
    Function("days", (2, 2), "date", "number",
             lambda vals, _c: [(b - a).days for a, b in zip(vals[0], vals[1], strict=True)]),
    Function("date", (1, 1), "str", "date", None, _date_check),
]

FUNCTIONS: dict[str, Function] = {f.name: f for f in _TABLE}
