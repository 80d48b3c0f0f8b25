"""Chinese renderings of expressions and values, for reasons and evidence a user reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from common import numbers
from rules.language import expr as ex

if TYPE_CHECKING:
    from rules.language.scheme import Scheme

_OPS = {"==": "为", "!=": "不为", "<": "<", "<=": "≤", ">": ">", ">=": "≥", "+": "+", "-": "-", "*": "×",
        "/": "÷"}


def _lit(node: ex.Lit) -> str:
    if node.kind == "bool":
        return "是" if node.value else "否"
    if node.kind == "null":
        return "空"
    if node.kind == "str":
        return str(node.value)
    return node.text


def describe(node: ex.Node | None, scheme: Scheme | None = None, as_condition: bool = True) -> str:
    """An expression with names replaced by the labels users know them by."""
    if node is None:
        return ""

    def label(name: str) -> str:
        return scheme.label(name) if scheme is not None else name

    def go(n: ex.Node, parent: int = 0) -> str:
        if isinstance(n, ex.Lit):
            return _lit(n)
        if isinstance(n, ex.Name):
            return label(n.name)
        if isinstance(n, ex.Unary):
            if n.op == "not":
                inner = n.operand
                if isinstance(inner, ex.Name):
                    return f"{label(inner.name)}为否"
                return f"并非（{go(inner)}）"
            return f"-{go(n.operand, 9)}"
        if isinstance(n, ex.Bin):
            if n.op in ("and", "or"):
                prec = 1 if n.op == "or" else 2
                text = f"{go(n.left, prec)}{'且' if n.op == 'and' else '或'}{go(n.right, prec)}"
                return f"（{text}）" if parent > prec else text
            if n.op in ("==", "!=") and isinstance(n.right, ex.Lit) and n.right.kind == "null":
                return f"{go(n.left, 5)}{'未填' if n.op == '==' else '已填'}"
            if n.op in ex.COMPARISONS:
                return f"{go(n.left, 5)}{_OPS[n.op]}{go(n.right, 5)}"
            prec = 6 if n.op in ("+", "-") else 7
            text = f"{go(n.left, prec)}{_OPS[n.op]}{go(n.right, prec + 1)}"
            return f"（{text}）" if parent > prec else text
        if isinstance(n, ex.In):
            opts = "、".join(_lit(o) for o in n.options)
            return f"{go(n.item, 5)}{'不' if n.negated else ''}属于{opts}"
        if isinstance(n, ex.Call):
            if n.func == "days":
                return f"{go(n.args[0])}至{go(n.args[1])}的天数"
            return f"{n.func}({', '.join(go(a) for a in n.args)})"
        return n.text

    if as_condition and isinstance(node, ex.Name) and scheme is not None and node.name in scheme.inputs \
            and scheme.inputs[node.name].type == "bool":
        # a bare boolean name as a condition: '是否印发方案' reads as '是否印发方案为是'
        return f"{label(node.name)}为是"
    return go(node)


def show_value(v: Any, scheme: Scheme | None = None, name: str | None = None) -> Any:
    """A value for evidence: JSON-friendly and as the user wrote it (87% for a percent)."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, (bool, np.bool_)):
        return "是" if v else "否"
    if isinstance(v, Decimal):
        percent = scheme is not None and name is not None and scheme.is_percent(name)
        return numbers.readable_percent(v) if percent else numbers.readable(v)
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    return v
