"""Strict models of a criteria file: the shape of the language, nothing about any particular scheme.

Each construct's model lives in its module under `rules.language.constructs`; this module assembles the
file's model, `SchemeFile`, and re-exports the construct models so other layers import them from one place.
"""

from __future__ import annotations

from rules.language.constructs.accumulate import Accumulate
from rules.language.constructs.adjustments import Adjustment
from rules.language.constructs.assessed import Assessed
from rules.language.constructs.base import Expr, Num, Strict, Text
from rules.language.constructs.checks import Check
from rules.language.constructs.derived import Derived
from rules.language.constructs.grades import Grade, Period, Ranking, SchemeMeta
from rules.language.constructs.inputs import Column, EntityField, Input, InputType
from rules.language.constructs.items import Category, Item
from rules.language.constructs.periods import Composite, PeriodDef
from rules.language.constructs.previous import Previous
from rules.language.constructs.rank import RankSpec
from rules.language.constructs.rollup import Rollup
from rules.language.constructs.rules import ByColumn, Rule, RuleFields
from rules.language.constructs.tables import TableRow
from rules.language.constructs.vetoes import Veto

__all__ = ["Adjustment", "Assessed", "ByColumn", "Category", "Check", "Column", "Derived", "EntityField", "Expr",
           "Grade", "Input", "InputType", "Item", "Num", "Period", "RankSpec", "Ranking", "Rollup", "Rule", "RuleFields",
           "SchemeFile", "SchemeMeta", "Strict", "TableRow", "Text", "Veto"]


class SchemeFile(Strict):
    scheme: SchemeMeta
    entity_fields: dict[str, EntityField] = {}  # noqa: RUF012 - pydantic copies defaults
    inputs: dict[str, Input] = {}  # noqa: RUF012 - pydantic copies defaults
    derived: dict[str, Derived] = {}  # noqa: RUF012 - pydantic copies defaults
    checks: list[Check] = []  # noqa: RUF012 - pydantic copies defaults
    categories: list[Category]
    vetoes: list[Veto] = []  # noqa: RUF012 - pydantic copies defaults
    bonuses: list[Adjustment] = []  # noqa: RUF012 - pydantic copies defaults
    penalties: list[Adjustment] = []  # noqa: RUF012 - pydantic copies defaults
    previous: dict[str, Previous] = {}  # noqa: RUF012 - pydantic copies defaults
    periods: dict[str, PeriodDef] = {}  # noqa: RUF012 - pydantic copies defaults
    period_dates: dict[str, Text] = {}  # noqa: RUF012 - pydantic copies defaults
    composite: Composite | None = None
    rollup: dict[str, Rollup] = {}  # noqa: RUF012 - pydantic copies defaults
    accumulate: Accumulate | None = None   # what assess warn projects to the year end (constructs/accumulate.py)
