"""The expression language: grammar, safety, decimal exactness and null semantics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rules.language import expr as ex


def run(text: str, **cols: list[object]) -> list[object]:
    n = len(next(iter(cols.values()))) if cols else 1
    env = ex.Env(n, lambda name: ex.column(cols[name]))
    c = ex.evaluate(ex.parse(text), env)
    known = c.mask()
    return [v if k else None for v, k in zip(c.data.tolist(), known, strict=True)]


def test_per_point_ceil_is_exact() -> None:
    # With floats (1.00 − 0.98) × 100 is 2.0000000000000018 and ceil gives 3.
    assert run("ceil((100% - 98%) * 100)") == [Decimal(2)]


def test_decimal_sum_is_exact() -> None:
    assert run("0.1 + 0.2 == 0.3") == [True]


def test_percent_literal() -> None:
    assert run("95%") == [Decimal("0.95")]


def test_division_by_zero_is_recorded_not_raised() -> None:
    env = ex.Env(2, lambda name: ex.column([Decimal(1), Decimal(0)]))
    c = ex.evaluate(ex.parse("1 / x"), env)
    assert env.div_zero.tolist() == [False, True]
    assert c.mask().tolist() == [True, False]


def test_null_comparisons_are_false_and_null_checks_work() -> None:
    assert run("x < 5", x=[None, 3]) == [False, True]
    assert run("x == null", x=[None, 3]) == [True, False]
    assert run("x != null", x=[None, 3]) == [False, True]


def test_kleene_logic() -> None:
    assert run("a and b", a=[True, False, None], b=[None, None, None]) == [None, False, None]
    assert run("a or b", a=[True, False, None], b=[None, None, None]) == [True, None, None]
    assert run("not a", a=[True, False, None]) == [False, True, None]


def test_in_list_and_dates() -> None:
    assert run("x in ['一般', '重大']", x=["重大", "较大"]) == [True, False]
    d1, d2 = dt.date(2020, 3, 31), dt.date(2020, 4, 3)
    assert run("days(a, b)", a=[d1], b=[d2]) == [3]
    assert run("b > date('2020-04-01')", b=[d2]) == [True]


def test_round_half_up() -> None:
    assert run("round(2.345, 2)") == [Decimal("2.35")]
    assert run("round(2.5)") == [Decimal(3)]


def test_chinese_names() -> None:
    assert run("整改完成日期 == null and 挂牌督办", 整改完成日期=[None], 挂牌督办=[True]) == [True]


@pytest.mark.parametrize("text", [
    "__import__('os').system('echo hi')",
    "open('/etc/passwd')",
    "x.__class__.__mro__",
    "(lambda: 1)()",
    "eval('1')",
    "x[0]",
    "x if y else z",
    "exec('import os')",
    "x = 1",
    "a; b",
    "`ls`",
    "getattr(x, 'y')",
    "{1: 2}",
])
def test_python_is_unreachable(text: str) -> None:
    """A criteria file cannot call Python, import, read files or reach attributes."""
    try:
        node = ex.parse(text)
    except ex.ExprError as e:
        assert e.message  # a Chinese message, not a Python traceback
        return
    # What parses can only read names, which the loader resolves against the scheme's own
    # inputs (tests/test_criteria_errors.py proves such names are refused there).
    assert not isinstance(node, ex.Call) or node.func in ex.FUNCTIONS
    assert ex.names(node)


def test_dotted_names_resolve_only_as_plain_names() -> None:
    node = ex.parse("x.__class__")
    assert ex.names(node) == {"x.__class__"}  # then rejected as undefined at load time


def test_type_errors_are_reported() -> None:
    types = {"d": "date", "n": "number", "s": "str", "b": "bool"}.get
    with pytest.raises(ex.ExprError, match="days"):
        ex.infer(ex.parse("d - d"), types)
    with pytest.raises(ex.ExprError):
        ex.infer(ex.parse("s < n"), types)
    with pytest.raises(ex.ExprError):
        ex.infer(ex.parse("n and b"), types)
    assert ex.infer(ex.parse("n > 1 and b"), types) == "bool"


@pytest.mark.parametrize("text,hint", [("a = 1", "=="), ("a （ 1", "半角"), ("a && b", "and"), ("", "为空"),
                                       ("max(1)", "参数"), ("a < b < c", "连续比较")])
def test_syntax_errors_say_what_to_do(text: str, hint: str) -> None:
    with pytest.raises(ex.ExprError) as info:
        ex.parse(text)
    assert hint in info.value.message
