"""Chinese renderings of expressions and values, for reasons and evidence a user reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from common import numbers
from rules.language import expr as ex
from rules.language.shown import show_plain

if TYPE_CHECKING:
    from rules.language.scheme import Scheme

_OPS = {"==": "为", "!=": "不为", "<": "<", "<=": "≤", ">": ">", ">=": "≥", "+": "+", "-": "-", "*": "×",
        "/": "÷"}


_ATOM = 99  # how tightly a part that is never bracketed binds


def _lit(node: ex.Lit) -> str:
    if node.kind == "bool":
        return "是" if node.value else "否"
    if node.kind == "null":
        return "空"
    if node.kind == "str":
        return str(node.value)
    if node.kind == "date" and isinstance(node.value, dt.date):
        return node.value.isoformat()   # date('2020-04-30') reads as users write it: 2020-04-30
    return node.text


def describe(node: ex.Node | None, scheme: Scheme | None = None, as_condition: bool = True) -> str:
    """An expression with names replaced by the labels users know them by."""
    if node is None:
        return ""

    def label(name: str) -> str:
        return scheme.label(name) if scheme is not None else name

    # Each part is rendered once, bottom-up (ex.fold), as (text, how tightly it binds); a part binding more
    # loosely than the place it goes in is bracketed there.
    def put(part: tuple[str, int], place: int) -> str:
        text, binds = part
        return f"（{text}）" if place > binds else text

    def render(n: ex.Node, parts: list[tuple[str, int]]) -> tuple[str, int]:
        if isinstance(n, ex.Lit):
            return _lit(n), _ATOM
        if isinstance(n, ex.Name):
            return label(n.name), _ATOM
        if isinstance(n, ex.Unary):
            if n.op == "not":
                inner = n.operand
                if isinstance(inner, ex.Name):
                    return f"{label(inner.name)}为否", _ATOM
                return f"并非（{parts[0][0]}）", _ATOM
            return f"-{put(parts[0], 9)}", _ATOM
        if isinstance(n, ex.Bin):
            left, right = parts
            if n.op in ("and", "or"):
                prec = 1 if n.op == "or" else 2
                return f"{put(left, prec)}{'且' if n.op == 'and' else '或'}{put(right, prec)}", prec
            if n.op in ("==", "!=") and isinstance(n.right, ex.Lit) and n.right.kind == "null":
                return f"{put(left, 5)}{'未填' if n.op == '==' else '已填'}", _ATOM
            if n.op in ex.COMPARISONS:
                return f"{put(left, 5)}{_OPS[n.op]}{put(right, 5)}", _ATOM
            prec = 6 if n.op in ("+", "-") else 7
            return f"{put(left, prec)}{_OPS[n.op]}{put(right, prec + 1)}", prec
        if isinstance(n, ex.In):
            opts = "、".join(_lit(o) for o in n.options)
            return f"{put(parts[0], 5)}{'不' if n.negated else ''}属于{opts}", _ATOM
        if isinstance(n, ex.Call):
            if n.func == "days":
                return f"{parts[0][0]}至{parts[1][0]}的天数", _ATOM
            return f"{n.func}({', '.join(p[0] for p in parts)})", _ATOM
        return n.text, _ATOM

    if as_condition and isinstance(node, ex.Name) and scheme is not None and node.name in scheme.inputs \
            and scheme.inputs[node.name].type == "bool":
        # a bare boolean name as a condition: '是否印发方案' reads as '是否印发方案为是'
        return f"{label(node.name)}为是"
    return ex.fold(node, render)[0]


def show_value(v: Any, scheme: Scheme | None = None, name: str | None = None) -> Any:
    """A value for evidence: JSON-friendly and as the user wrote it (87% for a percent)."""
    if isinstance(v, Decimal) and scheme is not None and name is not None and scheme.is_percent(name):
        return numbers.readable_percent(v)
    return show_plain(v)


def figure(v: Any, scheme: Scheme, name: str | None = None) -> str:
    """A value as a figure in a sentence (a reason): 76%, 约71.43% for a percent, 3起, 约0.33, 2020-12-10, 是 —
    exact, or with 约 past the scheme's decimals plus four (common.numbers.honest)."""
    percent = name is not None and scheme.is_percent(name)
    return figure_as(v, scheme.meta.decimals, percent, unit_of(scheme, name))


def figure_as(v: Any, places: int, percent: bool, unit: str) -> str:
    """`figure` with what it asks the scheme already known (for a caller that shows many values of one name)."""
    if isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)):
        v = Decimal(int(v))
    if isinstance(v, Decimal):
        return numbers.honest_percent(v, places) if percent else numbers.honest(v, places) + unit
    shown = show_value(v)
    return "空" if shown is None else str(shown)


def unit_of(scheme: Scheme, name: str | None) -> str:
    """The `unit` the scheme gives a name (起, 人, 万元), '' when none or a percent."""
    if name is None:
        return ""
    if name in scheme.inputs:
        return str(scheme.inputs[name].unit or "")
    unit = next((str(d.unit or "") for d in scheme.derived if d.id == name), "")
    return "" if unit in ("%", "％") else unit
