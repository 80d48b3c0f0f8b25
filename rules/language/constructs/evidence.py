"""佐证材料 `evidence`：考核项目要求被考核单位提供的附件。

写在考核项目上，列出本项要求的每份材料：

- 简写 `evidence: [安全生产责任清单, 会议纪要]`：每份都是必须提供的（`required: true`），缺少不扣分，只列为问题。
- 完整写法 `evidence: [{name: 影像资料, required: true, deduct: 3}]`：
  `name` 材料名称（本项内不能重复）；`required` 是否必须提供（默认 `true`；`false` 为可选材料，缺少不算问题）；
  `deduct` 缺少时扣本项多少分（数值，0 < 扣分 ≤ 本项分值；或 `all`，即“未提供佐证材料的不得分”），
  只能用于必须提供的材料，且不能用于评分单位打分（`assessed`）的项目——那由评分单位看过材料后打分。

`assess serve` 里，单位随填报上传这些材料，市安委办和评分单位查看并标记“已查看”；缺少必须提供的材料是列出的
问题（`evidence-missing`）。写了 `deduct` 的，缺少时服务端在本轮的考核扣分记录里加一行扣分（事由“未提供佐证材料……”），
所以扣分是一个事件，说明里看得到，发布后的 findings.csv 里也有这一行，`assess verify` 可复算。命令行
`assess score` 不知道谁交了附件：要扣的分由考核人员照样写进 findings.csv。详见 criteria/README.md 2.21。
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator

from rules.language.constructs.base import Strict, Text, exact_number

if TYPE_CHECKING:
    from rules.language.constructs.compiling import Compiler
    from rules.language.yamlsource import PathKey

ALL = "all"   # 未提供佐证材料的不得分: the whole item


def _deduct(value: Any) -> Any:
    if isinstance(value, str) and value.strip() in (ALL, "全部"):
        return ALL
    return exact_number(value)


def _entry(value: Any) -> Any:
    # the short form: a bare name is a required attachment
    if isinstance(value, (str, int, Decimal)) and not isinstance(value, bool):
        return {"name": str(value)}
    return value


class EvidenceSpec(Strict):
    name: Text
    required: bool = True
    deduct: Annotated[Decimal | str, BeforeValidator(_deduct)] | None = None
    description: Text | None = None   # what the attachment should show, for the unit


Evidence = Annotated[EvidenceSpec, BeforeValidator(_entry)]


@dataclass(frozen=True)
class EvidenceDef:
    name: str
    required: bool
    deduct: Decimal | None     # points taken when a required attachment is missing (`all`: the item's points)
    whole: bool                # written as `all` (不得分)
    description: str | None = None


def compile_evidence(c: Compiler, path: PathKey, specs: list[EvidenceSpec], points: Decimal,
                     assessed: bool) -> list[EvidenceDef]:
    out: list[EvidenceDef] = []
    seen: set[str] = set()
    for i, spec in enumerate(specs):
        here: PathKey = (*path, "evidence", i)
        name = spec.name.strip()
        if not name:
            c.err((*here, "name"), "佐证材料的名称不能为空", "evidence-name")
            continue
        if name in seen:
            c.err((*here, "name"), f"本项已有名为“{name}”的佐证材料：同一项目内名称不能重复", "evidence-name")
            continue
        seen.add(name)
        deduct, whole = None, False
        if spec.deduct is not None:
            whole = spec.deduct == ALL
            deduct = points if whole else Decimal(spec.deduct)
            if not spec.required:
                c.err((*here, "deduct"), f"“{name}”是可选材料（required: false），缺少时不能扣分：删去 deduct，"
                      "或改为 required: true", "evidence-deduct")
                continue
            if assessed:
                c.err((*here, "deduct"), "评分单位打分（assessed）的项目由评分单位查看佐证材料后打分，"
                      "不能另写缺少材料的扣分：删去 deduct", "evidence-deduct")
                continue
            if not 0 < deduct <= points:
                c.err((*here, "deduct"), f"缺少“{name}”的扣分（{deduct}）应大于0且不超过本项分值{points}"
                      "（不得分写 deduct: all）", "evidence-deduct")
                continue
        out.append(EvidenceDef(name, spec.required, deduct, whole, spec.description))
    return out
