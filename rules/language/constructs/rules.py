"""计分规则 `rules`：条件成立时扣分或加分。

- `when` 成立时扣 `deduct` 分（加分用 `award`）；没有 `when` 的规则总是成立。
- `per: 表达式`：按个数计，扣 `deduct × per`（如每少1项扣0.5分）；`per` 为负数时按 0 计。
  `per_rounding`：`ceil`（不足1个按1个计）、`floor`（不足1个不计）或 `exact`（默认，按实际数）。
- `cap`：这条规则最多扣（加）多少分；`reason`：扣分说明里的理由（不写时由条件生成）。
- `for_each: 台账`：对台账的每一行判断 `when`（可以读该行各列），每行扣一次；`once_per: 列` 同一列值只扣一次；
  `deduct_by` / `award_by: {column: 列, values: {取值: 分数}}` 按该行某一列取分。
- 一个项目的几条规则相加，最后限制在 0 到本项分值之间（扣完为止，超出的部分记为一个事件）。
- 一条规则须且只须有 `deduct`、`award`、`deduct_by`、`award_by` 之一；分值不能为负数。

也可以把一条规则的键直接写在考核项目上（不写 `rules:`）。详见 criteria/README.md 2.10。
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from common.problems import did_you_mean
from rules.language import expr as ex
from rules.language.constructs.base import Expr, Num, Strict, Text

if TYPE_CHECKING:
    from rules.language.constructs.compiling import Compiler
    from rules.language.yamlsource import PathKey


class ByColumn(Strict):
    column: Text
    values: dict[str, Num] | None = None


class RuleFields(Strict):
    when: Expr | None = None
    deduct: Num | None = None
    award: Num | None = None
    per: Expr | None = None
    per_rounding: Literal["ceil", "floor", "exact"] = "exact"
    reason: Text | None = None
    deduct_by: ByColumn | None = None
    award_by: ByColumn | None = None
    for_each: Text | None = None
    once_per: Text | None = None
    note: Text | None = None


class Rule(RuleFields):
    cap: Num | None = None


@dataclass
class ByMap:
    column: str
    values: dict[str, Decimal] | None


@dataclass
class CRule:
    """One scoring rule (of an item, a bonus or a penalty)."""

    uid: str                     # 'A1.rules[0]', 'A1', 'J1'
    owner: str                   # item, bonus or penalty id
    sign: int                    # -1 deduct, +1 award
    when: ex.Node | None
    amount: Decimal | None       # deduct/award amount
    per: ex.Node | None
    per_rounding: str
    by: ByMap | None
    for_each: str | None
    once_per: str | None
    cap: Decimal | None
    reason: str | None
    line: int | None
    reads: set[str] = field(default_factory=set)  # scalar names read (inputs, derived, entity.*)


AMOUNT_KEYS = ("deduct", "award", "deduct_by", "award_by")


def compile_rule(c: Compiler, path: PathKey, r: RuleFields, uid: str, owner: str, cap: Decimal | None,
                 points: Decimal | None) -> CRule | None:
    amounts = [k for k in AMOUNT_KEYS if getattr(r, k) is not None]
    if len(amounts) != 1:
        what = "、".join(amounts) if amounts else "无"
        c.err(path, f"规则须且只须有 deduct、award、deduct_by、award_by 之一（现有：{what}）", "rule-amount")
        return None
    sign = -1 if amounts[0].startswith("deduct") else 1
    table = c.table_ref((*path, "for_each"), r.for_each)
    when, reads = c.parse((*path, "when"), r.when, table=table, want="bool")
    per, per_reads = c.parse((*path, "per"), r.per, table=table, want="number")
    by = _by(c, path, r, amounts[0], table)
    if r.once_per is not None:
        if r.for_each is None:
            c.err((*path, "once_per"), "once_per 须与 for_each 一起使用", "once-per")
        elif table and r.once_per not in c.columns(table):
            c.err((*path, "once_per"),
                  f"台账“{table}”没有列“{r.once_per}”{did_you_mean(r.once_per, list(c.columns(table)))}",
                  "undefined-column")
    if r.per is None and r.per_rounding != "exact":
        c.err((*path, "per_rounding"), "per_rounding 只在有 per 时起作用", "per-rounding", "warning")
    amount = r.deduct if r.deduct is not None else r.award
    if amount is not None and amount < 0:
        c.err((*path, amounts[0]), f"分值不能为负数（{amount}）；扣分用 deduct，加分用 award", "negative")
    if cap is not None and cap < 0:
        c.err((*path, "cap"), f"cap 不能为负数（{cap}）", "negative")
    if points is not None and amount is not None and per is not None and r.for_each is None:
        _per_reach(c, path, r.per or "", per_reads, amount, points, cap)
    return CRule(uid, owner, sign, when, amount, per, r.per_rounding, by, table, r.once_per, cap, r.reason,
                 c.smap.line(path), reads | per_reads)


def _by(c: Compiler, path: PathKey, r: RuleFields, key: str, table: str | None) -> ByMap | None:
    by_raw = r.deduct_by or r.award_by
    if by_raw is None:
        return None
    if r.for_each is None:
        c.err((*path, key), f"{key} 按台账列取分，须与 for_each 一起使用", "by-needs-for-each")
    elif table and by_raw.column not in c.columns(table):
        c.err((*path, key, "column"),
              f"台账“{table}”没有列“{by_raw.column}”{did_you_mean(by_raw.column, list(c.columns(table)))}",
              "undefined-column")
    elif table and by_raw.values is None and c.columns(table)[by_raw.column] != "number":
        c.err((*path, key), f"列“{by_raw.column}”不是数值：请用 values 给出各取值的分数", "by-values")
    return ByMap(by_raw.column, dict(by_raw.values) if by_raw.values is not None else None)


def _per_reach(c: Compiler, path: PathKey, text: str, reads: set[str], amount: Decimal, points: Decimal,
               cap: Decimal | None) -> None:
    """Warn when `per` can move more than the item has (the author may have mistyped a figure)."""
    if len(reads) != 1 or text.strip() not in reads:
        return
    inp = c.m.inputs.get(text.strip())
    if inp is None or inp.max is None:
        return
    reach = amount * inp.max
    if cap is not None:
        reach = min(reach, cap)  # the rule's own cap already bounds it
    if reach > points:
        c.err((*path, "per"), f"按“{text}”最大值{fmt(inp.max)}计最多可变动{fmt(reach)}分，超过本项分值{fmt(points)}分"
              f"（将按扣完为止处理；请确认分值无误）", "per-reach", "warning")


def fmt(d: Decimal) -> str:
    return f"{d.normalize():f}" if d == d.to_integral_value() else f"{d:f}"
