"""分类 `categories` 和考核项目 `items`。

分类有 `id`、`name`、`points`（分值）和 `items`，可选 `clause`、`cap`（本分类最多扣多少分）、`scale_to`
（按 `points` 分制打分后换算成的分值）。各项目分值之和必须等于分类的 `points`；各分类分值之和必须等于
`scheme.total`（有 `scale_to` 的按换算后的分值计）。

考核项目有 `id`、`name`、`points`，可选 `clause`（条款号，显示在每条扣分说明里）、`basis`（`full` 从满分扣，
默认；`zero` 从0分加）、`cap`（本项扣分或加分合计的上限）、`applies_when`（适用条件；不成立的单位本项不适用）。
计分方式只能选一种：`rules`（或把一条规则的键直接写在项目上）、`table`（判定表）、`rank`（排名计分）、
`assessed`（评分单位打分）；都不写时项目保持满分，只由考核扣分记录扣分。项目得分最后限制在 0 到 `points`
之间。编号在整个文件中唯一，不能为空，不能含空格或英文句点。

可选 `evidence`：本项要求单位提供的佐证材料（constructs/evidence.py）。

详见 criteria/README.md 2.8、2.9、2.14、2.21。
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from rules.language import expr as ex
from rules.language.constructs.assessed import Assessed, AssessedDef, compile_assessed
from rules.language.constructs.base import Expr, Num, Strict, Text
from rules.language.constructs.evidence import Evidence, EvidenceDef, compile_evidence
from rules.language.constructs.rank import RankDef, RankSpec, compile_rank
from rules.language.constructs.rules import CRule, Rule, RuleFields, compile_rule, fmt
from rules.language.constructs.tables import TableRow, TableRowDef, compile_table

if TYPE_CHECKING:
    from rules.language.constructs.compiling import Compiler
    from rules.language.yamlsource import PathKey


class Item(RuleFields):
    id: Text
    name: Text
    points: Num
    clause: Text | None = None
    basis: Literal["full", "zero"] = "full"
    cap: Num | None = None
    applies_when: Expr | None = None
    rules: list[Rule] | None = None
    table: list[TableRow] | None = None
    rank: RankSpec | None = None
    assessed: Assessed | None = None
    description: Text | None = None
    evidence: list[Evidence] | None = None   # 佐证材料 the unit attaches (constructs/evidence.py)


class Category(Strict):
    id: Text
    name: Text
    points: Num
    cap: Num | None = None
    scale_to: Num | None = None
    clause: Text | None = None
    items: list[Item] = []  # noqa: RUF012 - pydantic copies defaults
    description: Text | None = None


@dataclass
class CItem:
    id: str
    name: str
    points: Decimal
    clause: str | None
    basis: str
    cap: Decimal | None
    applies_when: ex.Node | None
    rules: list[CRule]
    table: list[TableRowDef] | None
    rank: RankDef | None
    assessed: AssessedDef | None
    category: str
    line: int | None
    reads: set[str] = field(default_factory=set)
    description: str | None = None   # the clause's own words, when the scheme gives them (评分标准 of a 评分表)
    evidence: list[EvidenceDef] = field(default_factory=list)   # attachments the item asks for


@dataclass
class CCategory:
    id: str
    name: str
    points: Decimal
    cap: Decimal | None
    scale_to: Decimal | None
    clause: str | None
    items: list[CItem]


SHORTHAND_KEYS = ("deduct", "award", "deduct_by", "award_by", "when", "per", "for_each")


def compile_categories(c: Compiler) -> list[CCategory]:
    out = []
    total = Decimal(0)
    for ci, cat in enumerate(c.m.categories):
        path: PathKey = ("categories", ci)
        items = [compile_item(c, (*path, "items", ii), it, cat.id) for ii, it in enumerate(cat.items)]
        _category_sums(c, path, cat, items)
        total += cat.scale_to if cat.scale_to is not None else cat.points
        out.append(CCategory(cat.id, cat.name, cat.points, cat.cap, cat.scale_to, cat.clause, items))
    if total != c.m.scheme.total:
        c.err(("categories",), f"各分类分值之和为{fmt(total)}，应为总分{fmt(c.m.scheme.total)}"
              "（有 scale_to 的分类按折算后分值计）", "points-sum")
    return out


def _category_sums(c: Compiler, path: PathKey, cat: Category, items: list[CItem]) -> None:
    s = sum((i.points for i in items), Decimal(0))
    if items and s != cat.points:
        c.err((*path, "items"), f"分类{cat.id}各项分值之和为{fmt(s)}，应为{fmt(cat.points)}", "points-sum")
    if not items:
        c.err(path, f"分类{cat.id}没有考核项目", "category-empty")
    if cat.cap is not None and not 0 < cat.cap <= cat.points:
        c.err((*path, "cap"), f"cap（{cat.cap}）应大于0且不超过分类分值{cat.points}", "cap-range")
    if cat.scale_to is not None and cat.scale_to <= 0:
        c.err((*path, "scale_to"), f"scale_to（{cat.scale_to}）应为正数", "points")


def compile_item(c: Compiler, path: PathKey, it: Item, category: str) -> CItem:
    forms = [k for k in ("rules", "table", "rank", "assessed") if getattr(it, k) is not None]
    shorthand = any(getattr(it, k) is not None for k in SHORTHAND_KEYS)
    if shorthand:
        forms.append("规则键")
    if len(forms) > 1:
        c.err(path, f"考核项目只能有一种计分方式，现有：{'、'.join(forms)}", "item-form")
    if it.points <= 0:
        c.err((*path, "points"), f"分值应为正数（{it.points}）", "points")
    rules: list[CRule] = []
    if it.rules is not None:
        for i, spec in enumerate(it.rules):
            r = compile_rule(c, (*path, "rules", i), spec, f"{it.id}.rules[{i}]", it.id, spec.cap, it.points)
            if r:
                rules.append(r)
    elif shorthand:
        r = compile_rule(c, path, it, it.id, it.id, None, it.points)
        if r:
            rules.append(r)
    applies, app_reads = c.parse((*path, "applies_when"), it.applies_when, want="bool")
    reads = set(app_reads)
    for r in rules:
        reads |= r.reads
    table = compile_table(c, path, it.table, it.points, reads, f"{it.id}（{it.name}）") if it.table is not None else None
    rank = compile_rank(c, path, it.rank, it.points, reads) if it.rank is not None else None
    assessed = compile_assessed(c, path, it.assessed, it.points) if it.assessed is not None else None
    if it.basis == "zero" and any(r.sign < 0 for r in rules):
        c.err((*path, "basis"), "basis: zero 的项目从0分起算，扣分规则不会起作用", "basis-deduct", "warning")
    if it.cap is not None and (it.cap <= 0 or it.cap > it.points):
        c.err((*path, "cap"), f"cap（{it.cap}）应大于0且不超过本项分值{it.points}", "cap-range", "warning")
    evidence = compile_evidence(c, path, it.evidence, it.points, it.assessed is not None) if it.evidence else []
    return CItem(it.id, it.name, it.points, it.clause, it.basis, it.cap, applies, rules, table, rank, assessed,
                 category, c.smap.line(path), reads, it.description, evidence)
