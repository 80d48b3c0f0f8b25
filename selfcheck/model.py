"""What a self-check returns: the unit's gaps, vetoes and targets, as the reports read them.

Kept apart from the code that finds them so that the finders (`selfcheck.gaps`, `selfcheck.vetoes`,
`selfcheck.targets`) and the renderers (`reports.selfcheckreport`) share one shape without importing each
other; a field changes here, and only when what a report shows changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rules.language.scheme import Scheme
from scoring.events import Event
from scoring.totals import UnitResult
from selfcheck.assessed import AssessedCheck
from selfcheck.probe import Change


@dataclass
class Target:
    input: str                      # the input id; for ledger rows the derived count or the ledger id
    label: str
    kind: str                       # value | rows
    before: Any                     # typed value now (rows: the count now)
    after: Any                      # typed value that wins the points back (rows: the count after)
    gain: Decimal                   # change of the unit's exact total
    item_gain: Decimal              # change of the gap's own score (1 for a lifted veto)
    total: Decimal                  # the unit's rounded total with the change
    grade: str | None               # its grade (threshold and vetoes) with the change
    text: str                       # what to do, in Chinese
    change: Change
    rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Gap:
    item: str                       # item id, or a penalty id
    name: str
    kind: str                       # item | penalty
    clause: str | None
    points: Decimal | None          # the item's points (None for a penalty)
    score: Decimal                  # the item's score (a penalty: the points it takes, negative)
    lost: Decimal                   # points lost on the item's own scale
    lost_in_total: Decimal          # the same, on the total's scale (scale_to, normalise)
    events: list[Event]
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class VetoCheck:
    id: str
    name: str
    effect: str
    status: str                     # hit | near | clear
    reason: str
    evidence: dict[str, Any] = field(default_factory=dict)
    distance: list[str] = field(default_factory=list)   # how far it is from firing, in Chinese
    inputs: list[str] = field(default_factory=list)     # labels of what would fire it
    targets: list[Target] = field(default_factory=list)  # changes that lift a veto that hit
    notes: list[str] = field(default_factory=list)       # why a veto that hit has no target


@dataclass
class SelfCheck:
    scheme: Scheme
    entity: str
    name: str
    result: UnitResult
    peers: int                      # other units whose data ranked the unit's rank items
    notes: list[str]
    vetoes: list[VetoCheck]
    gaps: list[Gap]
    rank_items: list[dict[str, Any]]
    assessed: list[AssessedCheck] = field(default_factory=list)  # items scored by others: not self-checkable
    runs: int = 0                   # pipeline runs made by the search
    scored: int = 0                 # what-if copies scored
