"""What-if re-scoring of one unit: modified copies of its data scored through the real pipeline.

A `Change` is a set of modifications of one unit's data: scalar inputs set to new values and ledger
cells set to new values. The `Prober` scores changes with `scoring.pipeline.score_dataset` on a modified
copy of the unit's DataSet. To be fast it scores many changes in one run: each change becomes a copy of
the unit (its own id; the same name, fields, values and ledgers, then modified) in one DataSet. Units do
not see each other in the pipeline except through rank items and quotas, so the run is made with
`peers`: each copy is ranked against the other units of the city alone (never against its sibling
copies) and graded by threshold and vetoes. A copy therefore scores exactly what the unit would score
with that change. When the scheme reads `entity.id`, a copy's own id would change its score: then each
change is scored on its own, under the unit's id.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from common.problems import Problems
from intake.dataset import DataSet, Ledger
from rules.language import expr as ex
from rules.language.scheme import Scheme
from scoring.pipeline import score_dataset
from scoring.totals import UnitResult

CHUNK = 160  # copies per pipeline run: bounds memory on big ledgers


@dataclass(frozen=True)
class Change:
    """Modifications of one unit's data. Hashable, so results can be cached."""

    values: tuple[tuple[str, Any], ...] = ()                                   # (input, value)
    cells: tuple[tuple[str, int, tuple[tuple[str, Any], ...]], ...] = ()       # (ledger, row position, ((column, value), ...))

    def __add__(self, other: Change) -> Change:
        return Change(self.values + other.values, self.cells + other.cells)


NO_CHANGE = Change()


def reads_entity_id(scheme: Scheme) -> bool:
    """Whether any expression of the scheme reads the unit's id (then copies cannot share a run)."""
    nodes: list[ex.Node | None] = []
    for item in scheme.items:
        nodes.append(item.applies_when)
        nodes += [r.when for r in item.rules] + [r.per for r in item.rules]
        nodes += [row.when for row in item.table or []]
        nodes.append(item.rank.by if item.rank else None)
    for a in scheme.adjustments():
        nodes += [a.rule.when, a.rule.per]
    nodes += [v.when for v in scheme.vetoes] + [c.when for c in scheme.checks]
    nodes += [d.where for d in scheme.derived] + [d.expr for d in scheme.derived]
    nodes += [n for n, _ in scheme.tiebreak]
    return any("entity.id" in ex.names(n) for n in nodes if n is not None)


class Prober:
    """Scores changes of one unit (`base` holds that unit alone) and caches the results."""

    def __init__(self, scheme: Scheme, base: DataSet, entity: str, peers: dict[str, dict[str, Any]]):
        self.scheme = scheme
        self.base = base
        self.entity = entity
        self.peers = peers
        self.batch = not reads_entity_id(scheme)
        self.cache: dict[Change, UnitResult | None] = {}
        self.runs = 0       # pipeline runs
        self.scored = 0     # copies scored

    def get(self, change: Change) -> UnitResult | None:
        """The unit's result with this change (None: the unit would not be scored, e.g. a failed check)."""
        if change not in self.cache:
            self.score([change])
        return self.cache[change]

    def score(self, changes: Iterable[Change]) -> None:
        todo = list(dict.fromkeys(c for c in changes if c not in self.cache))
        if not self.batch:
            for c in todo:
                self._run([c], [self.entity])
            return
        for start in range(0, len(todo), CHUNK):
            part = todo[start:start + CHUNK]
            self._run(part, [f"{self.entity}~{start + k}" for k in range(len(part))])

    def _run(self, changes: list[Change], ids: list[str]) -> None:
        data = self.dataset(changes, ids)
        results = score_dataset(self.scheme, data, Problems(), peers=self.peers)
        self.runs += 1
        self.scored += len(changes)
        by_id = {r.entity: r for r in results.units}
        for c, cid in zip(changes, ids, strict=True):
            r = by_id.get(cid)
            if r is not None:
                r.entity = self.entity
                for e in r.events:
                    e.entity = self.entity
            self.cache[c] = r

    def dataset(self, changes: list[Change], ids: list[str]) -> DataSet:
        """One DataSet with a modified copy of the unit per change."""
        e = self.entity
        base = self.base
        per_unit: dict[str, Any] = {}
        for f in dataclasses.fields(base):
            value = getattr(base, f.name)
            if f.name != "ids" and isinstance(value, dict) and e in value:
                # every per-unit mapping (names, fields, values, na, origins, …) maps each copy to the unit's entry
                per_unit[f.name] = {cid: value[e] for cid in ids}
        values = {}
        for cid, c in zip(ids, changes, strict=True):
            v = dict(base.values[e])
            v.update(c.values)
            values[cid] = v
        per_unit["values"] = values
        per_unit["na"] = {cid: set(base.na.get(e, ())) for cid in ids}
        ledgers = {name: Ledger(self._ledger(name, led.frame, changes, ids), led.origin)
                   for name, led in base.ledgers.items()}
        return dataclasses.replace(base, ids=list(ids), ledgers=ledgers, **per_unit)

    @staticmethod
    def _ledger(name: str, frame: pd.DataFrame, changes: list[Change], ids: list[str]) -> pd.DataFrame:
        n, copies = len(frame), len(ids)
        if n == 0:
            return frame.copy()
        cols: dict[str, np.ndarray] = {}
        for c in frame.columns:
            cols[c] = np.tile(frame[c].to_numpy(dtype=object), copies)
        cols["entity"] = np.repeat(np.array(ids, dtype=object), n)
        for k, ch in enumerate(changes):
            for table, pos, sets in ch.cells:
                if table == name:
                    for col, value in sets:
                        cols[col][k * n + pos] = value
        out = pd.DataFrame(cols, columns=list(frame.columns))
        for c in frame.columns:  # keep numeric bookkeeping columns (row numbers) as they were
            if frame[c].dtype != object:
                out[c] = out[c].astype(frame[c].dtype)
        return out
