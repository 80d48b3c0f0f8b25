"""How a `per` rule reads in a 扣分说明: the figures used, the unit rate, the count, the points — as an office
clerk writes it, not as a formula.

A `per` expression has one of a few shapes an office writes, and each reads its own way:
- a count (`per: leaders_without_list`): 未明确…的班子成员人数2人，每人扣0.5分，扣1分
- a shortfall or an excess (`4 - meetings`, `deaths - target`): 召开调度会次数3次，比4次少1次，每少1次扣0.5分
- a gap in percentage points (`(100% - rate) * 100`): 隐患整改率76%，比100%低24个百分点，每低1个百分点扣0.1分
- days late (`days(due, sent)`): 实际报送日期2020-12-12，比报送期限2020-12-10晚2天，每晚1天扣0.5分
- one of these divided by a constant (`days(a, b) / 30`): …晚45天，按60天计（不足30天的按30天计），每晚30天扣0.5分
- anything else: the expression in words and its value (…为2.5，每1扣0.5分).
The shape is read off the expression and the scheme's labels, units and roles; no item or input is named here.
Figures are shown exact, or with 约 when exactness would take more than the scheme's decimals plus four.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from common import numbers
from rules.language import expr as ex
from rules.language.scheme import Scheme
from rules.language.text import describe, show_value, unit_of

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)

Lookup = Callable[[str], Any]   # a name's value for this unit (or ledger row), None when not known


@dataclass(frozen=True)
class Shape:
    """What a `per` expression measures, in words."""

    kind: str                   # count | gap | points | days | other
    unit: str                   # the measure word of what is counted: 人, 项, 个百分点, 天; '' when none is known
    verb: str                   # how it falls short or over: 少 多 低 高 晚; '' for a plain count
    step: Decimal               # how much of it counts as one (a constant divisor: `days(a, b) / 30` → 30)
    subject: ex.Node | None     # what the unit's own figure is (the rate, the meetings held, the date sent)
    reference: ex.Node | None   # what it is compared with (100%, 4, the target, the due date)
    node: ex.Node               # the expression measured (without the divisor)


def _is_percent(node: ex.Node, scheme: Scheme) -> bool:
    if isinstance(node, ex.Lit):
        return node.kind == "number" and node.text.strip().endswith(("%", "％"))
    return isinstance(node, ex.Name) and scheme.is_percent(node.name)


def _unit(node: ex.Node | None, scheme: Scheme) -> str:
    """The measure word of a name: its `unit`, or 个 for a whole-number count that has none."""
    if not isinstance(node, ex.Name):
        return ""
    name = node.name
    unit = unit_of(scheme, name)
    if unit:
        return unit
    if name in scheme.inputs:
        return "个" if scheme.inputs[name].type == "int" else ""
    if any(d.id == name and d.kind == "count" for d in scheme.derived):
        return "个"
    for table in scheme.tables:   # a ledger column read by a `for_each` rule
        col = scheme.columns(table).get(name)
        if col is not None and col.unit:
            return str(col.unit)
    return ""


def _is_reference(node: ex.Node, scheme: Scheme) -> bool:
    """A constant, or an input the scheme marks as a target or a standard (`role: reference`)."""
    if isinstance(node, ex.Lit) or (isinstance(node, ex.Call) and node.func == "date"):
        return True
    return isinstance(node, ex.Name) and node.name in scheme.inputs and scheme.inputs[node.name].role == "reference"


def _compared(left: ex.Node, right: ex.Node, scheme: Scheme, short: str, over: str
              ) -> tuple[ex.Node, ex.Node, str]:
    """(subject, reference, verb) of `left - right`: `4 - held` is held falling short of 4, `deaths - target`
    is deaths going over the target."""
    if _is_reference(left, scheme) and not _is_reference(right, scheme):
        return right, left, short
    return left, right, over


def shape_of(per: ex.Node, scheme: Scheme) -> Shape:
    step = ONE
    node = per
    if isinstance(node, ex.Bin) and node.op == "/" and isinstance(node.right, ex.Lit) \
            and node.right.kind == "number" and node.right.value > 0:
        step, node = Decimal(node.right.value), node.left
    inner = _percentage_points(node)
    if inner is not None and (_is_percent(inner.left, scheme) or _is_percent(inner.right, scheme)):
        subject, reference, verb = _compared(inner.left, inner.right, scheme, "低", "高")
        return Shape("points", "个百分点", verb, step, subject, reference, node)
    if isinstance(node, ex.Name):
        return Shape("count", _unit(node, scheme), "", step, node, None, node)
    if isinstance(node, ex.Bin) and node.op == "-" and not (_is_percent(node.left, scheme)
                                                             or _is_percent(node.right, scheme)):
        subject, reference, verb = _compared(node.left, node.right, scheme, "少", "多")
        unit = _unit(subject, scheme) or _unit(reference, scheme)
        return Shape("gap", unit, verb, step, subject, reference, node)
    if isinstance(node, ex.Call) and node.func == "days" and len(node.args) == 2:
        return Shape("days", "天", "晚", step, node.args[1], node.args[0], node)
    return Shape("other", "", "", ONE, None, None, per)


def _percentage_points(node: ex.Node) -> ex.Bin | None:
    """The `a - b` of `(a - b) * 100` (or `100 * (a - b)`)."""
    if not (isinstance(node, ex.Bin) and node.op == "*"):
        return None
    for diff, factor in ((node.left, node.right), (node.right, node.left)):
        if isinstance(factor, ex.Lit) and factor.kind == "number" and factor.value == HUNDRED \
                and isinstance(diff, ex.Bin) and diff.op == "-":
            return diff
    return None


def _undivided(figure: Decimal, step: Decimal) -> Decimal:
    """`figure × step` where the figure is a quotient by `step`: 40/30 is kept to 28 digits, and times 30 gives
    39.99…9; the whole number it stands for is taken when it is that close."""
    found = figure * step
    if step == ONE:
        return found
    whole = found.to_integral_value()
    return whole if abs(found - whole) <= abs(found) * Decimal("1e-24") else found


def step_words(shape: Shape, verb: str, amount: Decimal) -> str:
    """The unit rate: 每人扣0.5分, 每少1次扣0.5分, 每低1个百分点扣0.1分, 每晚30天扣0.5分, 每1扣0.5分."""
    size = numbers.plain(shape.step)
    if shape.kind == "count" and shape.step == ONE and len(shape.unit) == 1:
        per = f"每{shape.unit}"
    else:
        per = f"每{shape.verb}{size}{shape.unit}"
    return f"{per}{verb}{numbers.plain(amount)}分"


def rounding_words(shape: Shape, mode: str) -> str:
    """What is done with a part short of one step: 不足1个百分点的按1个百分点计 / 不足30天的不计; '' for exact."""
    size = f"{numbers.plain(shape.step)}{shape.unit}"
    return {"ceil": f"不足{size}的按{size}计", "floor": f"不足{size}的部分不计"}.get(mode, "")


def standard_words(per: ex.Node, scheme: Scheme, verb: str, amount: Decimal, mode: str) -> str:
    """A `per` rule in a 评分标准 (no unit's figures): 每低1个百分点扣0.1分（不足1个百分点的按1个百分点计）."""
    shape = shape_of(per, scheme)
    words = step_words(shape, verb, amount)
    if shape.kind == "other" or (shape.kind == "count" and not shape.unit):
        words = f"按{describe(per, scheme, as_condition=False)}计，{words}"
    rounding = rounding_words(shape, mode)
    return f"{words}（{rounding}）" if rounding else words


class PerWords:
    """The sentences of one scheme's `per` rules (the shape of each expression is read once)."""

    def __init__(self, scheme: Scheme):
        self.s = scheme
        self.places = scheme.meta.decimals
        self.shapes: dict[int, Shape] = {}

    def reason(self, per: ex.Node, lookup: Lookup, figure: Decimal, counted: Decimal, mode: str, verb: str,
               amount: Decimal, points: Decimal) -> str:
        """How much was found, how it was counted, the unit rate and the points: 隐患整改率约71.43%，比100%低
        约28.57个百分点，按29个百分点计（不足1个百分点的按1个百分点计），每低1个百分点扣0.1分，扣2.9分."""
        shape = self.shapes.get(id(per))
        if shape is None:
            shape = self.shapes[id(per)] = shape_of(per, self.s)
        found = _undivided(figure, shape.step)   # the figure before the divisor
        parts = [self.found(shape, lookup, found)]
        if counted != figure:
            parts[-1] += f"，按{self.num(counted * shape.step)}{shape.unit}计（{rounding_words(shape, mode)}）"
        parts.append(step_words(shape, verb, amount))
        parts.append(f"{verb}{self.num(points)}分")
        return "，".join(parts)

    def num(self, d: Decimal) -> str:
        return numbers.honest(d, self.places)

    def found(self, shape: Shape, lookup: Lookup, found: Decimal) -> str:
        """What the unit's figures were: 召开调度会次数3次，比4次少1次."""
        u = shape.unit
        if shape.kind == "count":
            assert shape.subject is not None
            label = self.label(shape.subject)
            return f"{label}{self.num(found)}{u}" if u else f"{label}为{self.num(found)}"
        if shape.kind in ("gap", "points", "days"):
            assert shape.subject is not None and shape.reference is not None
            subject = self.value(shape, shape.subject, lookup)
            reference = self.value(shape, shape.reference, lookup)
            if shape.kind != "days" and (subject is None) != (reference is None):
                # a constant side and the found figure give the other (exactly): 4 - held = 1 → held 3
                subject, reference = self.complete(shape, subject, reference, found)
            amount = f"{shape.verb}{self.num(found)}{u}"
            if subject is None or reference is None:
                return f"{describe(shape.node, self.s, as_condition=False)}为{self.num(found)}，即{amount}"
            return (f"{self.label(shape.subject)}{self.shown(shape, shape.subject, subject)}，"
                    f"比{self.label(shape.reference)}{self.shown(shape, shape.reference, reference)}{amount}")
        return f"{describe(shape.node, self.s, as_condition=False)}为{self.num(found)}"

    def complete(self, shape: Shape, subject: Any, reference: Any, found: Decimal) -> tuple[Any, Any]:
        if not all(isinstance(v, Decimal) for v in (subject, reference) if v is not None):
            return subject, reference
        gap = found / HUNDRED if shape.kind == "points" else found
        below = shape.verb in ("少", "低")   # subject = reference - gap
        with numbers.arithmetic((subject, reference, gap)):   # a huge figure keeps all its digits
            if subject is None:
                return (reference - gap if below else reference + gap), reference
            return subject, (subject + gap if below else subject - gap)

    def label(self, node: ex.Node) -> str:
        """A name's label; '' for a constant (比4次少1次)."""
        return self.s.label(node.name) if isinstance(node, ex.Name) else ""

    def value(self, shape: Shape, node: ex.Node, lookup: Lookup) -> Any:
        if isinstance(node, ex.Lit):
            return Decimal(node.value) if node.kind == "number" else node.value
        if isinstance(node, ex.Call) and node.func == "date" and node.args and isinstance(node.args[0], ex.Lit):
            return str(node.args[0].value)
        if isinstance(node, ex.Name):
            v = lookup(node.name)
            if isinstance(v, str) and shape.kind != "days":
                try:
                    return Decimal(v)
                except InvalidOperation:
                    return None
            return v
        return None

    def shown(self, shape: Shape, node: ex.Node, v: Any) -> str:
        if isinstance(v, (bool,)) or not isinstance(v, (Decimal, int)):
            if isinstance(v, dt.date):
                return v.isoformat()
            shown = show_value(v)
            return "" if shown is None else str(shown)
        d = Decimal(v)
        if shape.kind == "points":
            return numbers.honest_percent(d, self.places) if _is_percent(node, self.s) else self.num(d)
        return f"{self.num(d)}{shape.unit}"


__all__ = ["PerWords", "Shape", "rounding_words", "shape_of", "standard_words", "step_words"]
