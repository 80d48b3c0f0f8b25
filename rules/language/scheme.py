"""The compiled scheme: what the rest of the pipeline works from.

It is built from a validated criteria file by `rules.language.criteria`; expressions are parsed, names are
resolved and dependencies are known. Nothing here knows any particular item, input or category.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rules.language import expr as ex
from rules.language.model import Column, EntityField, Input, SchemeMeta


@dataclass
class Quota:
    count: int | None = None      # at most this many units
    share: Decimal | None = None  # at most this share of the graded units, rounded down
    text: str = ""


@dataclass
class GradeDef:
    name: str
    min: Decimal
    quota: Quota | None


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


@dataclass
class TableRowDef:
    when: ex.Node | None
    score: Decimal
    reason: str | None


@dataclass
class RankDef:
    by: ex.Node
    order: str
    first: Decimal
    step: Decimal
    floor: Decimal


@dataclass
class AssessedDef:
    mode: str  # deduct | award | score
    lo: Decimal
    hi: Decimal


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


@dataclass
class CCategory:
    id: str
    name: str
    points: Decimal
    cap: Decimal | None
    scale_to: Decimal | None
    clause: str | None
    items: list[CItem]


@dataclass
class CVeto:
    id: str
    name: str
    when: ex.Node
    for_each: str | None
    effect: str          # fail | zero | exclude | flag | deduct | max_grade | downgrade
    arg: Any             # points for deduct, grade name for max_grade, steps for downgrade, text for flag
    clause: str | None
    reason: str | None
    reads: set[str] = field(default_factory=set)

    def effect_text(self) -> str:
        if self.effect in ("fail", "zero", "exclude") or (self.effect == "flag" and not self.arg):
            return self.effect
        return f"{self.effect}: {self.arg}"


@dataclass
class CAdjust:
    id: str
    name: str
    clause: str | None
    rule: CRule
    kind: str  # bonus | penalty


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


@dataclass
class Scheme:
    file: str
    meta: SchemeMeta
    entity_fields: dict[str, EntityField]
    inputs: dict[str, Input]                 # scalar inputs and tables, in file order
    derived: list[CDerived]                  # in evaluation order
    checks: list[CCheck]
    categories: list[CCategory]
    vetoes: list[CVeto]
    bonuses: list[CAdjust]
    penalties: list[CAdjust]
    grades: list[GradeDef]
    tiebreak: list[tuple[ex.Node, str]]
    sha256: str = ""

    @property
    def scalar_inputs(self) -> dict[str, Input]:
        return {k: v for k, v in self.inputs.items() if v.type != "table"}

    @property
    def tables(self) -> dict[str, Input]:
        return {k: v for k, v in self.inputs.items() if v.type == "table"}

    def columns(self, table: str) -> dict[str, Column]:
        if table == "findings":
            return FINDINGS_COLUMNS
        return dict(self.inputs[table].columns or {})

    @property
    def items(self) -> list[CItem]:
        return [i for c in self.categories for i in c.items]

    def item(self, item_id: str) -> CItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def adjustments(self) -> list[CAdjust]:
        return [*self.bonuses, *self.penalties]

    def is_percent(self, name: str) -> bool:
        if name in self.inputs:
            return self.inputs[name].type == "percent"
        return any(d.id == name and d.unit in ("%", "％") for d in self.derived)

    def label(self, name: str) -> str:
        """The label a user knows a name by."""
        if name in self.inputs:
            return self.inputs[name].label
        for d in self.derived:
            if d.id == name:
                return d.label
        if name.startswith("entity."):
            f = self.entity_fields.get(name[7:])
            return f.label if f else BUILTIN_LABELS.get(name, name)
        return BUILTIN_LABELS.get(name, name)


# The expression type of each declared input type.
TYPE_OF_INPUT = {"int": "number", "number": "number", "percent": "number", "bool": "bool", "date": "date",
                 "str": "str"}

BUILTIN_LABELS = {"entity.id": "单位编号", "entity.name": "单位名称", "period.start": "考核期开始日期",
                  "period.end": "考核期结束日期"}

FINDINGS_COLUMNS: dict[str, Column] = {
    "考核项目": Column(type="str"),
    "扣分": Column(type="number", optional=True, min=Decimal(0)),
    "得分": Column(type="number", optional=True, min=Decimal(0)),
    "事由": Column(type="str", optional=True),
    "评分单位": Column(type="str", optional=True),
    "依据": Column(type="str", optional=True),
}
