"""What-if re-scoring of a higher unit (the city) through one lower unit (a county) of one of its rollups.

A `Change` (`selfcheck.probe`) of the county's own data is applied to the whole lower data set its source
holds (the county's siblings unchanged), the lower scheme scores that data set again — so the county's own
total, grade, rank and vetoes follow its figures, and quotas and ranks among its siblings are decided as in
the real run —, the source's lower units replace those in the city's rollup ledger, and the higher scheme
scores every higher unit again (the city's rank among its peers follows too). Nothing is copied by hand:
the same pipeline as `assess score` makes every figure.

A change that breaks one of the lower scheme's `checks` (more rectified than found, say) scores nothing: it is
never a target.

Only a source scored in this run (lower data) can be changed this way; a results file gives the county's
result, not its data (`forecast` says so instead of offering a target).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from common.problems import Problems
from intake import Raw, assemble
from intake.dataset import DataSet, Ledger
from intake.rollup import LowerUnit
from rules.language.scheme import Scheme
from scoring.pipeline import score_dataset
from scoring.rollup import Source, scored_lower_unit
from scoring.totals import UnitResult
from selfcheck.probe import NO_CHANGE, Change


@dataclass
class LowerSource:
    """One rollup source scored in this run: the lower scheme, its data set and results (as `assess score` made)."""

    rollup: str
    path: str                     # the source as its lower units name it (`LowerUnit.source`)
    scheme: Scheme
    data: DataSet
    results: list[UnitResult]


@dataclass
class Outcome:
    """The city's result with a change of one county, and the county's own result with it."""

    city: UnitResult
    lower: UnitResult | None


class CityProber:
    """Scores changes of one lower unit's data by their effect on the higher unit `city` (the duck type of
    `selfcheck.probe.Prober` that `selfcheck.search` drives: `get`, `score`, `runs`, `scored`)."""

    def __init__(self, scheme: Scheme, raw: Raw, city: str, source: LowerSource, lower: str):
        self.scheme = scheme
        self.raw = raw
        self.city = city
        self.source = source
        self.lower = lower
        self.cache: dict[Change, UnitResult | None] = {}
        self.outcomes: dict[Change, Outcome | None] = {}
        self.runs = 0
        self.scored = 0
        data = source.data
        self.positions = {name: [i for i, e in enumerate(led.frame["entity"]) if e == lower]
                          for name, led in data.ledgers.items()}

    def get(self, change: Change) -> UnitResult | None:
        if change not in self.cache:
            self.score([change])
        return self.cache[change]

    def outcome(self, change: Change) -> Outcome | None:
        self.get(change)
        return self.outcomes[change]

    def score(self, changes: Iterable[Change]) -> None:
        for c in dict.fromkeys(changes):
            if c not in self.cache:
                got = self._run(c)
                self.outcomes[c] = got
                self.cache[c] = got.city if got is not None else None

    def ideal(self) -> UnitResult | None:
        """The city's result were the lower unit's own result perfect (full marks, the top grade, first, no veto),
        its figures unchanged: a bound that lets the forecast skip searching a county whose result cannot move the
        city (the targets found are still measured by `get`)."""
        lower: Scheme = self.source.scheme
        top = max(lower.grades, key=lambda g: g.min).name if lower.grades else None
        assert self.raw.rollups is not None
        rollups = {name: None if units is None else [
            dataclasses.replace(u, total=lower.meta.total, rank=1, grade=top, vetoes=[], veto_reasons=[],
                                items={i.id: i.points for i in lower.items},
                                categories={c.id: c.points for c in lower.categories})
            if name == self.source.rollup and u.id == self.lower and u.source == self.source.path else u
            for u in units] for name, units in self.raw.rollups.items()}
        data = assemble(self.scheme, dataclasses.replace(self.raw, rollups=rollups), Problems())
        self.runs += 1
        return score_dataset(self.scheme, data, Problems()).unit(self.city) if data is not None else None

    def _run(self, change: Change) -> Outcome | None:
        self.runs += 1
        self.scored += 1
        src = self.source
        if change == NO_CHANGE:
            lower_results = src.results
        else:
            said = Problems()
            lower_results = score_dataset(src.scheme, self._changed(change), said).units
            if said.errors or all(r.entity != self.lower for r in lower_results):
                return None   # the change breaks one of the lower scheme's checks (rectified > found…): no target
        mine = {r.entity: r for r in lower_results}
        assert self.raw.rollups is not None
        rollups: dict[str, list[LowerUnit] | None] = {}
        for name, units in self.raw.rollups.items():
            if name != src.rollup or units is None:
                rollups[name] = units
                continue
            new: list[LowerUnit] = []
            for u in units:
                r = mine.get(u.id) if u.source == src.path else None
                new.append(scored_lower_unit(r, src.data, Source(name, Path(u.source), u.higher)) if r is not None else u)
            rollups[name] = new
        data = assemble(self.scheme, dataclasses.replace(self.raw, rollups=rollups), Problems())
        if data is None:
            return None
        city = score_dataset(self.scheme, data, Problems()).unit(self.city)
        return Outcome(city, mine.get(self.lower)) if city is not None else None

    def _changed(self, change: Change) -> DataSet:
        """The lower data set with the change applied to the lower unit (siblings untouched)."""
        return changed(self.source.data, self.lower, change, self.positions)


def changed(base: DataSet, entity: str, change: Change, positions: dict[str, list[int]] | None = None) -> DataSet:
    """A copy of a data set with a `Change` of one unit applied (its row positions count that unit's rows only, as
    in `DataSet.subset`); the input data set is never modified."""
    if positions is None:
        positions = {name: [i for i, e in enumerate(led.frame["entity"]) if e == entity]
                     for name, led in base.ledgers.items()}
    values = dict(base.values)
    own = dict(values[entity])
    own.update(change.values)
    values[entity] = own
    ledgers = dict(base.ledgers)
    for table, pos, sets in change.cells:
        led = ledgers[table]
        frame = led.frame if led is not base.ledgers[table] else led.frame.copy()
        at = positions[table][pos]
        for col, value in sets:
            if frame[col].dtype != object:
                frame[col] = frame[col].astype(object)
            frame.iat[at, list(frame.columns).index(col)] = value
        ledgers[table] = Ledger(frame, led.origin)
    return dataclasses.replace(base, values=values, ledgers=ledgers)
