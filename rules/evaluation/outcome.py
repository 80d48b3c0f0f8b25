"""What evaluation found, for the stages after it: firings, veto hits, decision-table hits, the values shown as
evidence, and every condition decided (for the cross-check). Made by rules.evaluation.evaluate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from rules.evaluation.frame import Frame
from rules.evaluation.tables import Tables as DataSet
from rules.language import expr as ex
from rules.language.scheme import TYPE_OF_INPUT, Scheme
from rules.language.text import show_value

# The evidence key for "which file and row"; not 来源, which real ledgers use as a column (自查/督查…).
EVIDENCE_SOURCE = "出处"


@dataclass
class Cond:
    """A condition the evaluator decided, for the cross-check to decide again."""

    key: str                 # e.g. 'A2.rules[0].when', 'B1.applies', 'V1.when'
    node: ex.Node
    table: str | None        # None: one fact per unit; else one per distinct ledger row
    label: str               # how a user knows it: '规则 A2.rules[0]'
    line: int | None = None  # where it is written in the criteria file, when known


@dataclass
class Firing:
    """One firing of a rule: a candidate event before caps and clamps."""

    entity: str
    owner: str                   # item, bonus or penalty id
    rule: str                    # rule uid
    points: Decimal              # signed
    reason: str
    evidence: dict[str, Any]
    once_key: Any = None
    # a `per` rule's figure, unrounded: `points` is then the signed amount for one and `reason` says what
    # happened; scoring.per counts what the figure is worth
    per: Decimal | None = None


@dataclass
class VetoHit:
    entity: str
    veto: str
    reason: str
    evidence: dict[str, Any]


@dataclass
class TableHit:
    row: int                     # index of the matching row, -1 when none matched
    score: Decimal | None
    reason: str
    evidence: dict[str, Any]


@dataclass
class Evaluation:
    scheme: Scheme
    data: DataSet
    frame: Frame
    not_applicable: dict[str, dict[str, str]] = field(default_factory=dict)  # unit -> item -> why
    firings: list[Firing] = field(default_factory=list)
    table_hits: dict[tuple[str, str], TableHit] = field(default_factory=dict)
    rank_values: dict[str, dict[str, Any]] = field(default_factory=dict)      # item -> unit -> value
    veto_hits: list[VetoHit] = field(default_factory=list)
    excluded: set[str] = field(default_factory=set)                           # units not scored
    values: dict[str, dict[str, Any]] = field(default_factory=dict)           # unit -> name -> value
    conds: list[Cond] = field(default_factory=list, repr=False, compare=False)  # decided, to cross-check
    masks: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)  # cond key -> where it holds
    _percent: dict[str, bool] = field(default_factory=dict, init=False, repr=False, compare=False)

    def evidence_of(self, unit: int, names: set[str]) -> dict[str, Any]:
        out = {}
        for n in sorted(names):
            if n in self.frame.cols:
                percent = self._percent.get(n)
                if percent is None:
                    percent = self._percent[n] = self.scheme.is_percent(n)
                # show_value only asks the scheme whether the name is a percent: asked once a name here
                out[n] = show_value(self.frame.cols[n][unit], self.scheme if percent else None, n if percent else None)
                if n in self.frame.parts and self.frame.parts[n][unit]:   # a figure rolled up from lower units
                    out[f"{self.scheme.label(n)}{PARTS}"] = self.frame.parts[n][unit]
        return out


PARTS = "明细"   # evidence key suffix: the lower units a rolled-up figure is made of


def name_types(scheme: Scheme) -> dict[str, str]:
    """The expression type of every name a condition may read (inputs, ledger columns, derived, entity.*)."""
    types: dict[str, str] = {}
    for name, inp in scheme.inputs.items():
        if inp.type == "table":
            for c, col in (inp.columns or {}).items():
                types[f"{name}.{c}"] = TYPE_OF_INPUT[col.type]
        else:
            types[name] = TYPE_OF_INPUT[inp.type]
    for c, col in scheme.columns("findings").items():
        types[f"findings.{c}"] = TYPE_OF_INPUT[col.type]
    for r in scheme.rollups:   # lower results as ledgers (criteria/README.md 2.19)
        for c, col in (r.table.columns or {}).items():
            types[f"{r.name}.{c}"] = TYPE_OF_INPUT[col.type]
    for d in scheme.derived:
        types[d.id] = d.type if d.type in ("number", "bool", "date", "str") else "any"
    for f in scheme.entity_fields:
        types[f"entity.{f}"] = "str"
    types.update(scheme.previous_names())
    types.update({"entity.id": "str", "entity.name": "str", "period.start": "date", "period.end": "date",
                  "period.id": "str"})
    return types
