"""The compiled scheme: what the rest of the pipeline works from.

It is built from a validated criteria file by `rules.language.criteria`; expressions are parsed, names are
resolved and dependencies are known. Nothing here knows any particular item, input or category. Each
construct's compiled form lives in its module under `rules.language.constructs` and is re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rules.language import expr as ex
from rules.language.constructs.accumulate import CAccumulate
from rules.language.constructs.adjustments import CAdjust
from rules.language.constructs.assessed import FINDINGS_COLUMNS, AssessedDef
from rules.language.constructs.checks import CCheck
from rules.language.constructs.derived import CDerived
from rules.language.constructs.grades import GradeDef, Quota, SchemeMeta
from rules.language.constructs.inputs import BUILTIN_LABELS, TYPE_OF_INPUT, Column, EntityField, Input
from rules.language.constructs.items import CCategory, CItem
from rules.language.constructs.periods import CPeriods
from rules.language.constructs.previous import CPrevious, label_of
from rules.language.constructs.rank import RankDef
from rules.language.constructs.rollup import CRollup
from rules.language.constructs.rules import ByMap, CRule
from rules.language.constructs.tables import TableRowDef
from rules.language.constructs.vetoes import RESULT_LABELS, CVeto

__all__ = ["BUILTIN_LABELS", "FINDINGS_COLUMNS", "TYPE_OF_INPUT", "AssessedDef", "ByMap", "CAdjust", "CCategory",
           "CCheck", "CDerived", "CItem", "CPrevious", "CRollup", "CRule", "CVeto", "GradeDef", "Quota", "RankDef", "Scheme", "TableRowDef"]


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
    previous: list[CPrevious] = field(default_factory=list)   # earlier results read (constructs/previous.py)
    periods: CPeriods | None = None        # periods, their results and the composite (constructs/periods.py)
    period_id: str | None = None           # scored for this one of its periods (assess score --period)
    rollups: list[CRollup] = field(default_factory=list)      # lower results as ledgers (constructs/rollup.py)
    accumulate: CAccumulate | None = None  # what assess warn projects to the year end (constructs/accumulate.py)

    @property
    def scalar_inputs(self) -> dict[str, Input]:
        return {k: v for k, v in self.inputs.items() if v.type != "table"}

    def previous_names(self) -> dict[str, str]:
        """The earlier figures expressions may read (`last_year.rank`...), with their types."""
        names = {n: t for p in self.previous for n, t in p.names().items()}
        return {**names, **(self.periods.names() if self.periods is not None else {})}

    @property
    def tables(self) -> dict[str, Input]:
        return {k: v for k, v in self.inputs.items() if v.type == "table"}

    def rollup(self, name: str) -> CRollup | None:
        return next((r for r in self.rollups if r.name == name), None)

    def columns(self, table: str) -> dict[str, Column]:
        if table == "findings":
            return FINDINGS_COLUMNS
        rollup = self.rollup(table)
        if rollup is not None:
            return dict(rollup.table.columns or {})
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
        rollup = self.rollup(name)
        if rollup is not None:
            return rollup.label
        earlier = label_of(name, self.previous)
        if earlier is not None:
            return earlier
        of_period = self.periods.label(name, self.period_id) if self.periods is not None else None
        if of_period is not None:
            return of_period
        if name.startswith("entity."):
            f = self.entity_fields.get(name[7:])
            return f.label if f else BUILTIN_LABELS.get(name, name)
        known = BUILTIN_LABELS.get(name, RESULT_LABELS.get(name))
        if known is None:   # a column of a rollup ledger (veto.V1, items.A1) is known by the lower scheme's words
            col = next((c for r in self.rollups if (c := (r.table.columns or {}).get(name)) is not None), None)
            known = col.label if col is not None else None
        return known or name

