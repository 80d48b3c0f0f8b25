"""判定表 `table`：从上往下找第一个条件成立的行，由它直接定本项得分（不是扣分）。

每行写 `when`（条件）、`score`（得分，在 0 到本项分值之间）和可选的 `reason`。没有 `when` 的行总是成立，
是“其他情况”，必须放在最后：排在它后面的行永远用不到，是错误。各行都是“同一个数值与常数比较”时，检查时会
看各行的区间：已被前面各行完全覆盖的行是错误，有一段数值没有任何一行接得住是警告；两档之间有一段只有
“其他情况”行接得住（如按整数百分比写的“90%以上”与“70%-89%”之间的 89%–90%）也是警告（table-default-gap）。评分时真的没有行匹配，
本项按起算分计，并给出警告。

详见 criteria/README.md 2.11。
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from rules.language import expr as ex
from rules.language.bands import check_table_bands
from rules.language.constructs.base import Expr, Num, Strict, Text

if TYPE_CHECKING:
    from rules.language.constructs.compiling import Compiler
    from rules.language.yamlsource import PathKey


class TableRow(Strict):
    when: Expr | None = None
    score: Num
    reason: Text | None = None


@dataclass
class TableRowDef:
    when: ex.Node | None
    score: Decimal
    reason: str | None


def compile_table(c: Compiler, path: PathKey, rows: list[TableRow], points: Decimal, reads: set[str],
                  label: str = "") -> list[TableRowDef]:
    """The rows, compiled; the names they read are added to `reads`."""
    table: list[TableRowDef] = []
    uncond_at: int | None = None
    for i, row in enumerate(rows):
        rp: PathKey = (*path, "table", i)
        if uncond_at is not None:
            c.err(rp, f"此行在无条件行（第{uncond_at + 1}行）之后，永远不会被用到", "table-unreachable")
        node, rr = c.parse((*rp, "when"), row.when, want="bool")
        reads |= rr
        if row.when is None:
            uncond_at = i
        if not 0 <= row.score <= points:
            c.err((*rp, "score"), f"得分{row.score}超出本项分值范围 0–{points}", "table-score")
        table.append(TableRowDef(node, row.score, row.reason))
    for msg, level, code in check_table_bands([r.when for r in table], c.bounds_of):
        c.err((*path, "table"), f"{label}的判定表：{msg}" if label and code != "table-bands" else msg, code, level)
    return table
