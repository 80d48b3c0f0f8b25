"""The table of functions: every function in one place, and the type checker reads it."""

from __future__ import annotations

import pytest

from rules.language import expr as ex


def test_each_function_has_its_arity_types_and_implementation() -> None:
    for name, fn in ex.FUNCTIONS.items():
        assert fn.name == name
        assert 1 <= fn.arity[0] <= fn.arity[1]
        assert fn.args in ex.TYPE_LABELS and fn.result in ex.TYPE_LABELS
        assert fn.implementation is not None or fn.check is not None   # date() is folded when parsed


@pytest.mark.parametrize("name", sorted(ex.FUNCTIONS))
def test_arity_comes_from_the_table(name: str) -> None:
    hi = ex.FUNCTIONS[name].arity[1]
    with pytest.raises(ex.ExprError, match="参数"):
        ex.parse(f"{name}({', '.join(['x'] * (hi + 1))})")


def test_argument_types_come_from_the_table() -> None:
    types = {"d": "date", "n": "number"}.get
    with pytest.raises(ex.ExprError, match="日期"):
        ex.infer(ex.parse("days(n, d)"), types)
    with pytest.raises(ex.ExprError, match="数值"):
        ex.infer(ex.parse("abs(d)"), types)
    assert ex.infer(ex.parse("max(n, 1, 2)"), types) == "number"
