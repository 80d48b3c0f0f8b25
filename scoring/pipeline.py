"""The pipeline, one way: load & validate → derive → evaluate → aggregate/grade/rank. Reports read Results."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from intake import read_data
from rules import expr as ex
from rules.criteria import load_criteria
from rules.dataset import DataSet
from rules.evaluate import Evaluation, evaluate
from rules.problems import Problems
from rules.scheme import Scheme
from scoring.grade import grade_all
from scoring.items import ItemScorer
from scoring.rank import ranks_by_keys
from scoring.totals import UnitResult, score_unit


@dataclass
class Results:
    scheme: Scheme
    units: list[UnitResult]                 # in rank order
    problems: Problems
    data: DataSet | None = None
    evaluation: Evaluation | None = None
    inputs: dict[str, str] = field(default_factory=dict)  # file -> sha256 (criteria and data)

    def unit(self, entity: str) -> UnitResult | None:
        return next((u for u in self.units if u.entity == entity), None)


def rank_units(ev: Evaluation, results: list[UnitResult]) -> None:
    scheme = ev.scheme
    keys: dict[str, list[object]] = {r.entity: [r.total] for r in results}
    orders = [True]
    index = {e: i for i, e in enumerate(ev.frame.ids)}
    for node, order in scheme.tiebreak:
        col = ex.evaluate(node, ev.frame.env())
        known = col.mask()
        for r in results:
            i = index[r.entity]
            keys[r.entity].append(col.data[i] if known[i] else None)
        orders.append(order == "desc")
    ranks = ranks_by_keys({k: tuple(v) for k, v in keys.items()}, orders)
    for r in results:
        r.rank = ranks[r.entity]


def score_dataset(scheme: Scheme, data: DataSet, problems: Problems) -> Results:
    ev = evaluate(scheme, data, problems)
    scorer = ItemScorer(ev)
    results = [score_unit(ev, scorer, u) for u in data.ids if u not in ev.excluded]
    rank_units(ev, results)
    grade_all(scheme, results, problems)
    results.sort(key=lambda r: (r.rank or 0, r.entity))
    return Results(scheme, results, problems, data, ev)


def run(criteria: Path | str, data_path: Path | str, problems: Problems | None = None) -> Results | None:
    """Score a data set; None when criteria or data have errors (all of them are in `problems`)."""
    problems = problems if problems is not None else Problems()
    scheme = load_criteria(criteria, problems)
    if scheme is None:
        return None
    data = read_data(scheme, data_path, problems)
    if data is None:
        return None
    results = score_dataset(scheme, data, problems)
    results.inputs = {str(criteria): scheme.sha256, **data.files}
    return results


__all__ = ["Results", "np", "rank_units", "run", "score_dataset"]
