"""评分单位打分 `assessed` 和考核扣分记录（findings）。

分数不由公式算，而由考核人员或牵头部门填在考核扣分记录（`findings.csv`，列：考核项目、扣分、得分、事由、
评分单位、依据）里。三种写法，须且只须写一种：

- `assessed: {deduct: [0.5, 2]}`：记录里填“扣分”，须在范围内；没有记录时不扣分。
- `assessed: {award: [0.5, 3]}`（配 `basis: zero`）：填“得分”；没有记录时 0 分。
- `assessed: {score: [0, 5]}`：填“得分”，即本项得分（每单位只能一行）；没有记录时按起算分。

范围写成 `[下限, 上限]`，且 0 ≤ 下限 ≤ 上限 ≤ 本项分值。任何项目都可以由考核扣分记录扣分。

某单位在考核扣分记录里没有本项的记录（牵头部门漏报？）时怎么办，用 `missing` 说明：

- 不写：按上面各写法“没有记录时”的做法计分，但评分时列出警告 `assessed-missing`（哪一项、哪个评分单位、哪些单位）。
- `missing: full`：没有记录视为本项满分，不提醒。
- `missing: zero`：没有记录本项计 0 分，不提醒（事件里写明原因）。
- `missing: error`：没有记录是错误 `assessed-missing-error`，该单位不计分，其余单位照常输出。

`scorer` 写细则规定的评分单位（牵头部门，如 `市安委办`）：缺记录的提醒里据此写明该找谁补报，也显示在评分表的
“评分单位”列（记录里填了“评分单位”时以记录为准）；不影响计分。不写时用其他单位记录里填的“评分单位”。
详见 criteria/README.md 2.13。
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from rules.language.constructs.base import Num, Strict, Text
from rules.language.constructs.inputs import Column

if TYPE_CHECKING:
    from rules.language.constructs.compiling import Compiler
    from rules.language.yamlsource import PathKey


class Assessed(Strict):
    deduct: list[Num] | None = None   # [lo, hi]
    award: list[Num] | None = None
    score: list[Num] | None = None
    missing: Literal["full", "zero", "error"] | None = None   # what no record for a unit means
    scorer: Text | None = None   # who scores it (评分单位, the lead department): named when a record is missing, shown


@dataclass
class AssessedDef:
    mode: str  # deduct | award | score
    lo: Decimal
    hi: Decimal
    missing: str | None = None  # None: score as the mode says, with a warning; full | zero | error
    scorer: str | None = None


# The findings ledger every scheme has (考核扣分记录): its columns, as a table input would declare them.
FINDINGS_COLUMNS: dict[str, Column] = {
    "考核项目": Column(type="str"),
    "扣分": Column(type="number", optional=True, min=Decimal(0)),
    "得分": Column(type="number", optional=True, min=Decimal(0)),
    "事由": Column(type="str", optional=True),
    "评分单位": Column(type="str", optional=True),
    "依据": Column(type="str", optional=True),
}


def compile_assessed(c: Compiler, path: PathKey, spec: Assessed, points: Decimal) -> AssessedDef | None:
    modes = [k for k in ("deduct", "award", "score") if getattr(spec, k) is not None]
    if len(modes) != 1:
        c.err((*path, "assessed"), "assessed 须且只须有 deduct、award、score 之一，如 {deduct: [0.5, 2]}",
              "assessed-form")
        return None
    rng = getattr(spec, modes[0])
    if len(rng) != 2 or rng[0] > rng[1] or rng[0] < 0 or rng[1] > points:
        c.err((*path, "assessed", modes[0]),
              f"范围应写成 [下限, 上限]，且 0 ≤ 下限 ≤ 上限 ≤ 本项分值{points}", "assessed-range")
        return None
    return AssessedDef(modes[0], rng[0], rng[1], spec.missing, spec.scorer)
