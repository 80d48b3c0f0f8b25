"""The type checker: the type of an expression, or a Chinese message saying which part is wrong."""

from __future__ import annotations

from collections.abc import Callable

from rules.language.expr.functions import FUNCTIONS
from rules.language.expr.syntax import Bin, Call, ExprError, In, Lit, Name, Node, Unary, fold

TYPE_LABELS = {"number": "数值", "bool": "是/否", "date": "日期", "str": "文本", "null": "空值", "any": "任意"}


def _label(t: str) -> str:
    return TYPE_LABELS.get(t, t)


def infer(node: Node, types: Callable[[str], str | None]) -> str:
    """The type of an expression ('number', 'bool', 'date', 'str', 'null', 'any'); raises ExprError.

    `types(name)` gives a name's type, or None when the name is undefined (the caller reports those
    with a "did you mean" first, so here they are 'any')."""

    def combine(n: Node, kids: list[str]) -> str:
        if isinstance(n, Lit):
            return n.kind
        if isinstance(n, Name):
            return types(n.name) or "any"
        if isinstance(n, Unary):
            return _unary(n, kids[0])
        if isinstance(n, Bin):
            return _binary(n, kids[0], kids[1])
        if isinstance(n, In):
            it = kids[0]
            for opt in n.options:
                if it not in ("any",) and opt.kind != it:
                    raise ExprError(f"in 列表中的“{opt.text}”是{_label(opt.kind)}，而“{n.item.text}”是{_label(it)}",
                                    n.text)
            return "bool"
        if isinstance(n, Call):
            fn = FUNCTIONS[n.func]
            for a, t in zip(n.args, kids, strict=True):
                if t not in (fn.args, "any", "null"):
                    if fn.name == "days":
                        raise ExprError(f"days(开始, 结束) 的参数应为日期，“{a.text}”是{_label(t)}", n.text)
                    raise ExprError(f"函数 {n.func} 的参数应为{_label(fn.args)}，“{a.text}”是{_label(t)}", n.text)
            return fn.result
        raise ExprError("无法识别的表达式", n.text)  # pragma: no cover

    return fold(node, combine)


def _unary(n: Unary, t: str) -> str:
    if n.op == "not":
        if t not in ("bool", "any", "null"):
            raise ExprError(f"not 只能用于是/否条件，“{n.operand.text}”是{_label(t)}", n.text)
        return "bool"
    if t not in ("number", "any", "null"):
        raise ExprError(f"负号只能用于数值，“{n.operand.text}”是{_label(t)}", n.text)
    return "number"


def _binary(n: Bin, lt: str, rt: str) -> str:
    if n.op in ("and", "or"):
        for side, t in ((n.left, lt), (n.right, rt)):
            if t not in ("bool", "any", "null"):
                raise ExprError(f"{n.op} 两边应为条件，“{side.text}”是{_label(t)}", n.text)
        return "bool"
    if n.op in ("+", "-", "*", "/"):
        for side, t in ((n.left, lt), (n.right, rt)):
            if t not in ("number", "any", "null"):
                hint = "；日期相减请用 days(开始, 结束)" if t == "date" else ""
                raise ExprError(f"“{n.op}”只能用于数值，“{side.text}”是{_label(t)}{hint}", n.text)
        if n.op == "/" and isinstance(n.right, Lit) and n.right.kind == "number" and n.right.value == 0:
            # a divisor that is 0 for every unit is a writing mistake, not data: said here, not per unit at score time
            raise ExprError(f"除数“{n.right.text}”是常数0，任何单位都无法计算；请改正表达式", n.text)
        return "number"
    # comparisons
    if "any" in (lt, rt) or "null" in (lt, rt):
        if "null" in (lt, rt) and n.op not in ("==", "!="):
            raise ExprError("与 null 只能用 == 或 != 比较", n.text)
        return "bool"
    if lt != rt:
        raise ExprError(f"不能比较{_label(lt)}“{n.left.text}”与{_label(rt)}“{n.right.text}”", n.text)
    if lt == "bool" and n.op not in ("==", "!="):
        raise ExprError("是/否值只能用 == 或 != 比较", n.text)
    return "bool"
