"""The vectorised evaluator: an expression over columns of values, with the language's null semantics.

A name stands for a column of values (one per unit, or one per ledger row), and the result is a column.
The same code scores one unit, all units, or a million ledger rows, so an expression means the same
everywhere. Null semantics (documented in criteria/README.md): arithmetic with null is null; comparisons
with null are false except `== null` / `!= null`; `and`/`or`/`not` are three-valued (Kleene); a `when`
that is null does not fire.

A division by zero gives null. Where such a null decides a result (it is not masked by `x == null`, or by
the other side of an `and` that is false or of an `or` that is true), the result column says so
(`Col.div_zero`), so that the caller can report it at that unit or row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd

from rules.language.expr.functions import FUNCTIONS
from rules.language.expr.syntax import COMPARISONS, Bin, Call, ExprError, In, Lit, Name, Node, Unary


@dataclass
class Col:
    """A column of values: `data` holds values (object array, or bool array for conditions);
    `known` marks non-null positions (None: all known); `div_zero` marks positions whose value a division
    by zero decided (None: none)."""

    data: np.ndarray
    known: np.ndarray | None = None
    div_zero: np.ndarray | None = None

    def mask(self) -> np.ndarray:
        return np.ones(len(self.data), dtype=bool) if self.known is None else self.known


def _const(value: Any, n: int) -> Col:
    if value is None:
        return Col(np.full(n, None, dtype=object), np.zeros(n, dtype=bool))
    if isinstance(value, bool):
        return Col(np.full(n, value, dtype=bool))
    arr = np.empty(n, dtype=object)
    arr[:] = [value] * n
    return Col(arr)


def column(values: Any) -> Col:
    """Wrap a sequence of Python values (None = null) as a Col."""
    arr = values if isinstance(values, np.ndarray) and values.dtype == object else np.asarray(
        values if isinstance(values, (list, np.ndarray)) else list(values), dtype=object)
    if arr.dtype != object:
        arr = arr.astype(object)
    known = ~pd.isna(arr)
    return Col(arr, None if known.all() else known)


class Env:
    """What names mean during one evaluation: `lookup(name) -> Col` of length `n`."""

    def __init__(self, n: int, lookup: Callable[[str], Col]):
        self.n = n
        self.lookup = lookup
        self.div_zero = np.zeros(n, dtype=bool)  # positions where any division by zero happened
        # results of compound sub-expressions by their structure (repr: operators, names, literal values with
        # their digits; not `text`, which may be partial), as conditions repeat `x == null`, date ranges...;
        # a result is never modified in place
        self.memo: dict[str, Col] = {}


def _both(a: Col, b: Col) -> np.ndarray:
    if a.known is None and b.known is None:
        return np.ones(len(a.data), dtype=bool)
    return a.mask() & b.mask()


def _either(*masks: np.ndarray | None) -> np.ndarray | None:
    """The union of some optional masks (None when none is set)."""
    out: np.ndarray | None = None
    for m in masks:
        if m is not None:
            out = m.copy() if out is None else out | m
    return out if out is not None and out.any() else None


def _to_bool(c: Col, text: str) -> tuple[np.ndarray, np.ndarray]:
    """(value, known) of a condition column; values must be booleans."""
    if c.data.dtype == bool:
        return c.data, c.mask()
    known = c.mask()
    vals = c.data[known]
    # every value a bool (Python's or numpy's), checked in C
    if len(vals) and pd.api.types.infer_dtype(vals, skipna=False) != "boolean":
        raise ExprError(f"“{text}”不是是/否条件", text)
    out = np.zeros(len(c.data), dtype=bool)
    out[known] = vals.astype(bool)
    return out, known


def _elementwise(fn: Callable[[Any], Any], arr: np.ndarray) -> np.ndarray:
    out = np.empty(len(arr), dtype=object)
    out[:] = [fn(v) for v in arr]
    return out


def _scalar(x: Node) -> np.ndarray | None:
    """A number, text or date literal as a 0-d object array: compared with a column without a column of
    copies (the same object comparisons)."""
    if isinstance(x, Lit) and x.kind in ("number", "str", "date"):
        out = np.empty((), dtype=object)
        out[()] = x.value
        return out
    return None


_COMPARE = {"==": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal, ">": np.greater,
            ">=": np.greater_equal}
_ARITHMETIC = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.true_divide}


def evaluate(node: Node, env: Env) -> Col:
    n = env.n
    memo = env.memo

    def go(x: Node) -> Col:
        if isinstance(x, Lit):
            return _const(x.value, n)
        if isinstance(x, Name):
            return env.lookup(x.name)
        key = repr(x)
        found = memo.get(key)
        if found is None:
            found = memo[key] = compound(x)
        return found

    def compound(x: Node) -> Col:
        if isinstance(x, Unary):
            c = go(x.operand)
            if x.op == "not":
                v, k = _to_bool(c, x.operand.text)
                return Col(~v & k, None if c.known is None else k, c.div_zero)
            m = c.mask()
            out = np.full(n, None, dtype=object)
            out[m] = -c.data[m]
            return Col(out, c.known, c.div_zero)
        if isinstance(x, Bin):
            if x.op in ("and", "or"):
                return logic(x)
            if x.op in COMPARISONS:
                return compare(x)
            return arithmetic(x)
        if isinstance(x, In):
            c = go(x.item)
            m = c.mask()
            opts = [o.value for o in x.options]
            out = np.zeros(n, dtype=bool)
            if m.any():
                out[m] = pd.Series(c.data[m], dtype=object).isin(opts).to_numpy(dtype=bool)
            if x.negated:
                out = ~out & m
            return Col(out, None, c.div_zero)
        if isinstance(x, Call):
            return _call(x, [go(a) for a in x.args], n)
        raise ExprError("无法识别的表达式", x.text)  # pragma: no cover

    def logic(x: Bin) -> Col:
        left, right = go(x.left), go(x.right)
        lv, lk = _to_bool(left, x.left.text)
        rv, rk = _to_bool(right, x.right.text)
        if x.op == "and":
            false = (lk & ~lv) | (rk & ~rv)
            true = lk & lv & rk & rv
        else:
            true = (lk & lv) | (rk & rv)
            false = lk & ~lv & rk & ~rv
        known = true | false
        # a division by zero on one side does not matter where the other side settles the result alone
        # (false for `and`, true for `or`)
        settles = (lambda k, v: k & ~v) if x.op == "and" else (lambda k, v: k & v)
        dz = _either(None if left.div_zero is None else left.div_zero & ~settles(rk, rv),
                     None if right.div_zero is None else right.div_zero & ~settles(lk, lv))
        return Col(true, None if known.all() else known, dz)

    def compare(x: Bin) -> Col:
        if isinstance(x.right, Lit) and x.right.kind == "null":
            a = go(x.left)
            return Col(a.mask().copy() if x.op == "!=" else ~a.mask())
        if isinstance(x.left, Lit) and x.left.kind == "null":
            b = go(x.right)
            return Col(b.mask().copy() if x.op == "!=" else ~b.mask())
        left, right = _scalar(x.left), _scalar(x.right)
        if (left is None) != (right is None):  # a column and a constant
            c = go(x.right if right is None else x.left)
            m = c.mask()
            out = np.zeros(n, dtype=bool)
            if m.any():
                try:
                    fn = _COMPARE[x.op]
                    constant = right if right is not None else left
                    assert constant is not None
                    res = fn(c.data[m], constant) if right is not None else fn(constant, c.data[m])
                except TypeError:
                    raise ExprError(f"“{x.text}”两边的值类型不同，无法比较", x.text) from None
                out[m] = np.asarray(res, dtype=bool)
            return Col(out, None, c.div_zero)
        a, b = go(x.left), go(x.right)
        m = _both(a, b)
        out = np.zeros(n, dtype=bool)
        if m.any():
            try:
                res = _COMPARE[x.op](a.data[m], b.data[m])
            except TypeError:
                raise ExprError(f"“{x.text}”两边的值类型不同，无法比较", x.text) from None
            out[m] = np.asarray(res, dtype=bool)
        return Col(out, None, _either(a.div_zero, b.div_zero))

    def arithmetic(x: Bin) -> Col:
        a, b = go(x.left), go(x.right)
        m = _both(a, b)
        out = np.full(n, None, dtype=object)
        zero: np.ndarray | None = None
        if x.op == "/":
            zero = np.zeros(n, dtype=bool)
            zero[m] = _elementwise(lambda v: v == 0, b.data[m]).astype(bool)
            env.div_zero |= zero
            m = m & ~zero
        if m.any():
            av, bv = a.data[m], b.data[m]
            if x.op == "/":
                # int / int would give a float: make the numerator decimal first.
                av = _elementwise(lambda v: v if isinstance(v, Decimal) else Decimal(v), av)
            out[m] = _ARITHMETIC[x.op](av, bv)
        return Col(out, None if m.all() else m, _either(a.div_zero, b.div_zero, zero))

    try:
        return go(node)
    except (InvalidOperation, ArithmeticError) as exc:
        raise ExprError(f"计算“{node.text}”时出错：{exc.__class__.__name__}", node.text) from None


def _call(x: Call, args: list[Col], n: int) -> Col:
    m = np.ones(n, dtype=bool)
    for a in args:
        if a.known is not None:
            m &= a.known
    out = np.full(n, None, dtype=object)
    dz = _either(*(a.div_zero for a in args))
    if not m.any():
        return Col(out, m, dz)
    implementation = FUNCTIONS[x.func].implementation
    assert implementation is not None  # functions without one are folded by the parser
    out[m] = implementation([a.data[m] for a in args], x)
    return Col(out, None if m.all() else m, dz)


def truthy(c: Col) -> np.ndarray:
    """Where a condition holds (null counts as not holding)."""
    if c.data.dtype == bool:
        return c.data & c.mask()
    v, k = _to_bool(c, "")
    return v & k
