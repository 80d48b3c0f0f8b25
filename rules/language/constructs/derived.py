"""派生值 `derived`：由台账或其他数据算出来的值，如“隐患整改率”。

每个派生值只能用一种算法：`count: 台账`（行数）、`sum: 台账.列`（数值列合计），二者都可加 `where: 条件`
只算满足条件的行；或 `expr: 表达式`（用填报项目和其他派生值计算，可以互相引用，但不能绕成圈）。
`if_zero: N`：算式中出现“除以0”时按 N 计；不写时结果为“空”并给出警告。写上 `label`，扣分说明就显示中文
名称；率一类的值再加 `unit: "%"`，显示为百分数。编号的写法与填报项目相同，也不能与填报项目同名。

详见 criteria/README.md 2.6。
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from common.problems import did_you_mean
from rules.language import expr as ex
from rules.language.constructs.base import Expr, Num, Strict, Text
from rules.language.constructs.inputs import BAD_NAME, NAME

if TYPE_CHECKING:
    from rules.language.constructs.compiling import Compiler
    from rules.language.yamlsource import PathKey


class Derived(Strict):
    label: Text | None = None
    count: Text | None = None
    sum: Text | None = None
    expr: Expr | None = None
    where: Expr | None = None
    if_zero: Num | None = None
    unit: Text | None = None


@dataclass
class CDerived:
    id: str
    label: str
    kind: str              # count | sum | expr
    table: str | None
    column: str | None
    where: ex.Node | None
    expr: ex.Node | None
    if_zero: Decimal | None
    type: str              # expression type: number | bool | ...
    deps: set[str] = field(default_factory=set)
    unit: str | None = None


def compile_derived(c: Compiler) -> list[CDerived]:
    """The derived values in evaluation order (each after the ones it reads); a cycle is reported."""
    raw = {name: d for name, d in ((name, _shape(c, name, d)) for name, d in c.m.derived.items()) if d}
    out: list[CDerived] = []
    for name in _order(c):
        if name not in raw:
            continue
        d, cd = c.m.derived[name], raw[name]
        path: PathKey = ("derived", name)
        if cd.kind == "expr":
            cd.expr, cd.deps = c.parse((*path, "expr"), d.expr)
            if cd.expr is not None:
                try:
                    cd.type = ex.infer(cd.expr, lambda n: {**c.scalar_types, **c.derived_types}.get(n))
                except ex.ExprError:
                    cd.type = "any"
        elif d.where is not None:
            cd.where, cd.deps = c.parse((*path, "where"), d.where, table=cd.table, want="bool")
        c.derived_types[name] = cd.type
        out.append(cd)
    return out


def _shape(c: Compiler, name: str, d: Derived) -> CDerived | None:
    path: PathKey = ("derived", name)
    if not NAME.match(name) or name.startswith("_"):
        c.err(path, f"派生值名“{name}”{BAD_NAME}", "bad-id")
    if name in c.m.inputs:
        c.err(path, f"派生值“{name}”与输入同名", "duplicate-id")
    forms = [k for k in ("count", "sum", "expr") if getattr(d, k) is not None]
    if len(forms) != 1:
        c.err(path, "派生值须且只须有 count、sum、expr 之一", "derived-form")
        return None
    kind = forms[0]
    table = column = None
    if kind == "count":
        table = c.table_ref((*path, "count"), d.count)
    elif kind == "sum":
        assert d.sum is not None
        tname, _, column = d.sum.partition(".")
        table = c.table_ref((*path, "sum"), tname)
        if not column:
            c.err((*path, "sum"), "sum 应写成 台账.列名，如 hazards.罚款金额", "derived-sum")
        elif table and column not in c.columns(table):
            c.err((*path, "sum"), f"台账“{table}”没有列“{column}”{did_you_mean(column, list(c.columns(table)))}",
                  "undefined-column")
        elif table and c.columns(table)[column] != "number":
            c.err((*path, "sum"), f"列“{column}”不是数值，不能求和", "derived-sum")
    if d.where is not None and kind == "expr":
        c.err((*path, "where"), "where 只用于 count/sum", "derived-where")
    return CDerived(name, d.label or name, kind, table, column, None, None, d.if_zero, "number", unit=d.unit)


def _order(c: Compiler) -> list[str]:
    """Derived values may read each other: resolve in dependency order and refuse cycles."""
    order: list[str] = []
    deps: dict[str, set[str]] = {}
    for name, d in c.m.derived.items():
        texts = [d.expr] if d.expr is not None else []
        texts += [d.where] if d.where is not None else []
        found: set[str] = set()
        for t in texts:
            with contextlib.suppress(ex.ExprError):  # reported when the expression is parsed
                found |= ex.names(ex.parse(t)) & c.derived_ids
        deps[name] = found
    state: dict[str, int] = {}

    def visit(n: str, trail: list[str]) -> None:
        if state.get(n) == 2:
            return
        if state.get(n) == 1:
            cycle = " → ".join([*trail[trail.index(n):], n])
            c.err(("derived", n), f"派生值循环引用：{cycle}", "derived-cycle")
            return
        state[n] = 1
        for dep in sorted(deps.get(n, ())):
            visit(dep, [*trail, n])
        state[n] = 2
        order.append(n)

    for n in c.m.derived:
        visit(n, [])
    return order
