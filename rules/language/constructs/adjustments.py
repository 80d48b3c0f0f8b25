"""加分项 `bonuses` 和扣分项 `penalties`：分类之外的加分与扣分。

每一项有 `id`、`name`，可选 `clause`，其余写法与计分规则（`rules`）相同：加分项用 `award`/`award_by`，扣分项用
`deduct`/`deduct_by`；`cap` 是这一项最多加（扣）多少分。全部加分合计的上限写在 `scheme.bonus_cap`。
总分 = 基础分 + 加分 − 扣分，再施加否决。详见 criteria/README.md 2.16。
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rules.language.constructs.base import Text
from rules.language.constructs.rules import CRule, Rule, compile_rule

if TYPE_CHECKING:
    from rules.language.constructs.compiling import Compiler
    from rules.language.yamlsource import PathKey


class Adjustment(Rule):
    """A bonus (加分) or penalty (扣分项) outside the categories."""

    id: Text
    name: Text
    clause: Text | None = None


@dataclass
class CAdjust:
    id: str
    name: str
    clause: str | None
    rule: CRule
    kind: str  # bonus | penalty


def compile_adjustments(c: Compiler, section: str) -> list[CAdjust]:
    out = []
    for i, a in enumerate(getattr(c.m, section)):
        path: PathKey = (section, i)
        r = compile_rule(c, path, a, a.id, a.id, a.cap, None)
        if r is None:
            continue
        kind = "bonus" if section == "bonuses" else "penalty"
        if (kind == "bonus" and r.sign < 0) or (kind == "penalty" and r.sign > 0):
            word = "award/award_by" if kind == "bonus" else "deduct/deduct_by"
            c.err(path, f"{'加分项' if kind == 'bonus' else '扣分项'}应使用 {word}", "adjust-sign")
        out.append(CAdjust(a.id, a.name, a.clause, r, kind))
    return out
