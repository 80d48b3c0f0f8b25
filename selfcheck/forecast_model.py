"""What a forecast returns (`assess forecast`): the higher unit's (the city's) forecast result, every point
explained down to the lower unit and ledger row behind it, and the targets that win points back — per lower
unit (county, department) through the rollup, and on the city's own items.

Kept apart from the code that finds them (`selfcheck.forecast`) so that the renderers
(`reports.forecastreport`) share one shape without importing the finders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rules.language.scheme import Scheme
from scoring.totals import UnitResult


@dataclass
class Point:
    """One point moved on the city, as the report explains it."""

    category: str                   # "A 事故控制" (empty for scheme-level events)
    item: str                       # "A2 县区死亡人数控制", or the veto/adjustment's name
    points: Decimal                 # signed
    lower: str | None               # the lower unit behind it ("北山县（u12）"), when a rollup row is
    reason: str                     # the event's reason, worded where it was made
    source: str | None              # 出处: the file and row of the figure behind it
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass
class Peer:
    rank: int | None
    id: str
    name: str
    total: Decimal
    grade: str | None
    vetoes: list[str]


@dataclass
class Target:
    """A change that wins points back for the city."""

    who: str                        # the lower unit's name, or the city's own name
    whose: str                      # "县区考核结果·北山县（u12）" / "本市"
    text: str                       # what to change, in the lower (or own) scheme's words
    gain: Decimal                   # change of the city's exact total
    total: Decimal                  # the city's rounded total with the change
    grade: str | None               # its grade with the change
    rank: int | None                # its rank among the peers with the change
    lower_before: str = ""          # the lower unit's own total and grade now ("82.50 良好")
    lower_after: str = ""           # with the change
    vetoes_lifted: list[str] = field(default_factory=list)   # the city's vetoes the change lifts
    items: list[str] = field(default_factory=list)           # the city's items it raises, vetoes it lifts (ids)


@dataclass
class LedgerRows:
    """A rollup ledger's rows of the city: the lower units' figures the higher scheme reads, with their 出处."""

    label: str
    headers: list[str]              # 所辖单位, the figures read (their labels), 出处
    rows: list[list[Any]]


@dataclass
class Forecast:
    scheme: Scheme
    entity: str
    name: str
    result: UnitResult
    peers: list[Peer]               # every higher unit scored (the city among them), in rank order
    points: list[Point]             # every point the city lost or won, biggest loss first
    vetoes: list[Point]             # the city's vetoes hit, with their evidence
    lower_targets: list[Target]     # per lower unit, ordered by points won back
    own_targets: list[Target]       # the city's own items
    no_target: list[str]            # losses no target can win back, and why
    notes: list[str]
    runs: int = 0                   # pipeline runs the search made
    ledgers: list[LedgerRows] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)   # every file read (the lower data too): never overwritten
