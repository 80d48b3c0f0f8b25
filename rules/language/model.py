"""Strict models of a criteria file: the shape of the language, nothing about any particular scheme.

Strict means no silent coercion: `yes` is not a boolean, a number is not accepted where a list is
expected, and an unknown key is an error (with "did you mean"), because a misspelt key silently
ignored is a scoring rule silently ignored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, field_validator, model_validator


def _to_decimal(v: Any) -> Any:
    if isinstance(v, bool):
        raise ValueError("应为数值，实际为是/否值")
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, str):
        text = v.strip()
        try:
            if text.endswith("%"):
                return Decimal(text[:-1]) / 100
            return Decimal(text)
        except ArithmeticError:
            raise ValueError(f"应为数值，实际为“{v}”") from None
    return v


def _to_text(v: Any) -> Any:
    # `clause: 1.10` or `name: 2020` are text to the author; keep the digits as written.
    if isinstance(v, (int, Decimal)) and not isinstance(v, bool):
        return str(v)
    return v


Num = Annotated[Decimal, BeforeValidator(_to_decimal)]
Text = Annotated[str, BeforeValidator(_to_text)]
Expr = Annotated[str, BeforeValidator(_to_text)]  # parsed later, with the file and line for errors


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Period(Strict):
    start: dt.date
    end: dt.date


class Grade(Strict):
    name: Text
    min: Num
    quota: Any = None  # a count (3) or a share (30%); interpreted in rules.language.criteria


class Ranking(Strict):
    tiebreak: list[Expr] = []


class SchemeMeta(Strict):
    id: Text
    title: Text
    applies_to: Text = "any"
    year: int | None = None
    period: Period | None = None
    total: Num = Decimal(100)
    decimals: int = 2
    normalise: bool = False
    bonus_cap: Num | None = None
    grades: list[Grade]
    ranking: Ranking = Ranking()
    description: Text | None = None


class EntityField(Strict):
    label: Text
    values: list[Text] | None = None


InputType = Literal["int", "number", "percent", "bool", "date", "str"]
# What an input is to a self-check (only self-check reads it; scoring never does): `fact` (already happened:
# accidents, deaths, fires), `reference` (set above or past: targets, deadlines, last year's figures) or
# `work` (what the unit can still change). Unset: self-check infers it (see selfcheck.roles).
Role = Literal["fact", "reference", "work"]


def _work_template(v: str | None) -> str | None:
    """`work` names the work one ledger row stands for, with `{n}` where the number of rows goes."""
    if v is not None and (v.count("{n}") != 1 or "{" in v.replace("{n}", "") or "}" in v.replace("{n}", "")):
        raise ValueError(f"work“{v}”应含且只含一处 {{n}}（要做的件数），例如“整改{{n}}项隐患”")
    return v


class Column(Strict):
    type: InputType
    label: Text | None = None
    values: list[Text] | None = None
    optional: bool = False
    default: Any = None
    min: Num | None = None
    max: Num | None = None
    unit: Text | None = None
    description: Text | None = None
    role: Role | None = None        # unset: the role of its ledger
    work: Text | None = None        # the work that filling or changing this column records, e.g. 整改{n}项隐患

    work_names_a_count = field_validator("work")(_work_template)


class Input(Strict):
    label: Text
    type: Literal["int", "number", "percent", "bool", "date", "str", "table"]
    unit: Text | None = None
    description: Text | None = None
    min: Num | None = None
    max: Num | None = None
    values: list[Text] | None = None
    optional: bool = False
    default: Any = None
    key: Text | None = None
    columns: dict[str, Column] | None = None
    role: Role | None = None
    work: Text | None = None        # ledgers only: the work one row stands for, e.g. 建成{n}个应急管理站

    work_names_a_count = field_validator("work")(_work_template)

    @model_validator(mode="after")
    def _work_of_a_ledger(self) -> Input:
        if self.work is not None and self.type != "table":
            raise ValueError(f"work 只能写在台账（type: table）或台账的列上；“{self.label}”不是台账，"
                             "请删去 work，用 role 标明它的性质")
        return self


class Derived(Strict):
    label: Text | None = None
    count: Text | None = None
    sum: Text | None = None
    expr: Expr | None = None
    where: Expr | None = None
    if_zero: Num | None = None
    unit: Text | None = None


class Check(Strict):
    when: Expr
    message: Text
    level: Literal["error", "warning"] = "error"
    for_each: Text | None = None    # a row-level check: `when` is evaluated on every row of this ledger


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


class TableRow(Strict):
    when: Expr | None = None
    score: Num
    reason: Text | None = None


class RankSpec(Strict):
    by: Expr
    order: Literal["asc", "desc"] = "desc"
    first: Num
    step: Num
    floor: Num = Decimal(0)


class Assessed(Strict):
    deduct: list[Num] | None = None   # [lo, hi]
    award: list[Num] | None = None
    score: list[Num] | None = None


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


class Category(Strict):
    id: Text
    name: Text
    points: Num
    cap: Num | None = None
    scale_to: Num | None = None
    clause: Text | None = None
    items: list[Item] = []
    description: Text | None = None


class Veto(Strict):
    id: Text
    name: Text
    when: Expr
    for_each: Text | None = None
    effect: Text | dict[str, Any]
    clause: Text | None = None
    reason: Text | None = None


class Adjustment(Rule):
    """A bonus (加分) or penalty (扣分项) outside the categories."""

    id: Text
    name: Text
    clause: Text | None = None


class SchemeFile(Strict):
    scheme: SchemeMeta
    entity_fields: dict[str, EntityField] = {}
    inputs: dict[str, Input] = {}
    derived: dict[str, Derived] = {}
    checks: list[Check] = []
    categories: list[Category]
    vetoes: list[Veto] = []
    bonuses: list[Adjustment] = []
    penalties: list[Adjustment] = []
