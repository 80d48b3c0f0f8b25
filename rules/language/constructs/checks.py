"""数据核对 `checks`：把“已整改隐患数不能大于排查隐患数”这类逻辑校验写下来。

`when` 写**应当成立**的条件，`message` 写不成立时的提示。`level: error`（默认）时核对出错的单位不予计分，
其余单位照常输出；`level: warning` 只是提醒。条件读到“不涉及”或空值时跳过（除非条件本身就在检查是否为空）。
加 `for_each: 台账编号` 则对台账的每一行核对，出错时报告到那一行、`when` 中写的第一个列。

核对不是扣分，只是数据问题。详见 criteria/README.md 2.7。
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from rules.language import expr as ex
from rules.language.constructs.base import Expr, Strict, Text

if TYPE_CHECKING:
    from rules.language.constructs.compiling import Compiler


class Check(Strict):
    when: Expr
    message: Text
    level: Literal["error", "warning"] = "error"
    for_each: Text | None = None    # a row-level check: `when` is evaluated on every row of this ledger


@dataclass
class CCheck:
    index: int
    when: ex.Node
    message: str
    level: str
    line: int | None
    reads: set[str] = field(default_factory=set)   # scalar names read
    for_each: str | None = None                    # a row-level check on this ledger
    columns: list[str] = field(default_factory=list)  # ledger columns read, in the order written


def compile_checks(c: Compiler) -> list[CCheck]:
    out = []
    for i, chk in enumerate(c.m.checks):
        table = c.table_ref(("checks", i, "for_each"), chk.for_each)
        if chk.for_each is not None and table is None:
            continue  # the unknown ledger is reported; its columns would only add noise
        node, reads = c.parse(("checks", i, "when"), chk.when, table=table, want="bool")
        if node is not None:
            # a row check is located at the cell of the first ledger column its `when` names
            columns = sorted(ex.names(node) & set(c.columns(table)), key=chk.when.find) if table else []
            out.append(CCheck(i, node, chk.message, chk.level, c.smap.line(("checks", i)), reads, table, columns))
    return out
