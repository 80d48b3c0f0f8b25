"""One warning and the words of its levels."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

HIT = "已触发"           # the condition holds on the data as of the date (or a deadline has passed)
ON_COURSE = "按进度将触发"  # it holds on the figures projected to the year end (or a deadline before it is open)
NEAR = "临近"            # not yet: one more event, a tenth of the line, or a deadline within NEAR_DAYS
LEVELS = (HIT, ON_COURSE, NEAR)
NEAR_DAYS = 30           # a deadline this many days ahead or fewer is near


@dataclass(frozen=True)
class Alert:
    entity: str
    name: str
    level: str                  # one of LEVELS
    kind: str                   # 否决 | 扣分
    rule: str                   # the veto's, item's or penalty's id
    rule_name: str
    clause: str
    threat: str                 # what happens if it fires: the veto's effect, or the points deducted
    condition: str              # the condition in words
    figure: str                 # what is measured (a value's label, or the ledger row)
    current: str                # the figure as of the date
    projected: str              # the figure projected to the year end ("" when nothing is projected)
    distance: str               # how far from firing, in the unit's words
    act_by: dt.date | None      # the date by which to act (a row's deadline, else the year end)

    def record(self) -> dict[str, Any]:
        d = asdict(self)
        d["act_by"] = self.act_by.isoformat() if self.act_by else None
        return d


@dataclass
class Warnings:
    title: str                  # the scheme's title
    scheme: str                 # its id
    as_of: dt.date
    start: dt.date
    end: dt.date
    elapsed: int                # days from start to as_of, both counted
    days: int                   # days in the period
    alerts: list[Alert]
    units: int                  # units looked at
    projected: list[str]        # labels of the figures projected pro rata

    def record(self) -> dict[str, Any]:
        return {"scheme": self.scheme, "title": self.title, "as_of": self.as_of.isoformat(),
                "period": {"start": self.start.isoformat(), "end": self.end.isoformat()},
                "elapsed_days": self.elapsed, "period_days": self.days, "units": self.units,
                "projected": self.projected, "warnings": [a.record() for a in self.alerts]}
