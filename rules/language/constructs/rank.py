"""排名计分 `rank`：按某项指标在各单位之间的名次赋分。

写法：`rank: {by: 指标, order: desc, first: 4, step: 0.2, floor: 1}`。等所有单位的数据到齐后按 `by` 排名
（`order: desc` 大的在前，默认；`asc` 小的在前），得分 = `first` − (名次 − 1) × `step`，但不低于 `floor`
（默认 0），也不超过本项分值；`first` 不能超过本项分值。值相同的名次并列，下一名次顺延（1、1、3）。
`by` 为空或“不涉及”的单位本项不适用。排名只在同一次评分的单位之间进行。

详见 criteria/README.md 2.12。
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from rules.language import expr as ex
from rules.language.constructs.base import Expr, Num, Strict

if TYPE_CHECKING:
    from rules.language.constructs.compiling import Compiler
    from rules.language.yamlsource import PathKey


class RankSpec(Strict):
    by: Expr
    order: Literal["asc", "desc"] = "desc"
    first: Num
    step: Num
    floor: Num = Decimal(0)


@dataclass
class RankDef:
    by: ex.Node
    order: str
    first: Decimal
    step: Decimal
    floor: Decimal


def compile_rank(c: Compiler, path: PathKey, spec: RankSpec, points: Decimal, reads: set[str]) -> RankDef | None:
    node, rr = c.parse((*path, "rank", "by"), spec.by, want="number")
    reads |= rr
    if spec.first > points:
        c.err((*path, "rank", "first"), f"第一名得分{spec.first}超过本项分值{points}", "rank-first")
    if node is None:
        return None
    return RankDef(node, spec.order, spec.first, spec.step, spec.floor)
