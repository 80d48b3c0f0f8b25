"""The pipeline, one way: load & validate → derive → evaluate → cross-check → aggregate/grade/rank. Each stage
consumes what the one before produced and never calls an earlier one. Reports read Results."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from common.problems import Problems
from common.timing import stage
from intake import Raw, assemble, read_raw
from intake.dataset import DataSet
from rules.evaluation.derive import Frame, derive
from rules.evaluation.evaluate import Evaluation, evaluate, run_checks
from rules.evaluation.match import check_evaluation
from rules.language import expr as ex
from rules.language.constructs.periods import for_period
from rules.language.criteria import load_criteria
from rules.language.scheme import Scheme
from scoring.grade import grade_all
from scoring.items import ItemScorer
from scoring.missing import check_missing
from scoring.periods import carry_vetoes
from scoring.rank import ranks_by_keys
from scoring.result_vetoes import before_vetoes, decide, has_stage
from scoring.rollup import ScoreLower, Source, lower_units
from scoring.totals import UnitResult, score_unit
from scoring.unread import echoes, unread_ledgers
from scoring.vetoes import leaves_ranking


@dataclass
class Results:
    scheme: Scheme
    units: list[UnitResult]                 # in rank order
    problems: Problems
    data: DataSet | None = None
    evaluation: Evaluation | None = None
    inputs: dict[str, str] = field(default_factory=dict)  # file -> sha256 (criteria and data)
    run: dict[str, Any] | None = None      # the run record (results.runrecord), written with the JSON result
    rollups: list[str] = field(default_factory=list)   # the rollup sources given to the run, as written

    def unit(self, entity: str) -> UnitResult | None:
        return next((u for u in self.units if u.entity == entity), None)


def rank_units(ev: Evaluation, results: list[UnitResult]) -> None:
    """Competition ranks by total, then the tiebreaks; a unit a veto takes out of the ranking
    (`{exclude: unranked}`) has no rank and is not counted in the others' ranks."""
    scheme = ev.scheme
    results = [r for r in results if not leaves_ranking(scheme.vetoes, r.vetoes)]
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


def _rescored(ev: Evaluation, scorer: ItemScorer, r: UnitResult) -> UnitResult:
    """The unit scored again with its new veto hits (its rank is kept; ranked again when a total changed)."""
    again = score_unit(ev, scorer, r.entity)
    again.rank = r.rank
    return again


def score_dataset(scheme: Scheme, data: DataSet, problems: Problems,
                  peers: dict[str, dict[str, Any]] | None = None, frame: Frame | None = None) -> Results:
    """Score every unit of a data set.

    `peers` (rank item -> unit -> its `by` value, for units scored elsewhere) scores each unit as if it were
    the only one added to those peers: its rank items rank it against the peers alone, never against the
    other units of `data`, and grades are by threshold and vetoes (quotas need the whole run). The
    self-check uses it to score what-if copies of one unit side by side."""
    with stage("derive"):   # `frame`: derived already (assess warn scores the figures projected to the year end)
        frame = derive(scheme, data, problems) if frame is None else frame
    with stage("evaluate"):
        ev = evaluate(scheme, data, frame, problems)
    with stage("match"):
        check_evaluation(ev, problems)
    with stage("aggregate"):
        carry_vetoes(scheme, data, ev.veto_hits)   # vetoes hit in a period, carried to the year (2.20)
        scorer = ItemScorer(ev, peers)
        scored = [u for u in data.ids if u not in ev.excluded]
        refused = check_missing(scheme, scored, data.names, ev.not_applicable, scorer.findings, problems,
                                warn=peers is None)
        results = [score_unit(ev, scorer, u) for u in scored if u not in refused]
        if has_stage(ev, 1):   # vetoes reading the total before vetoes (order: scoring.result_vetoes)
            totals = {r.entity: before_vetoes(ev, r) for r in results}
            hit = decide(ev, results, 1, totals)
            results = [score_unit(ev, scorer, r.entity) if r.entity in hit else r for r in results]
        rank_units(ev, results)
        if has_stage(ev, 2):   # vetoes reading the rank: a deduction they make ranks the units again
            totals = {r.entity: before_vetoes(ev, r) for r in results}
            hit = decide(ev, results, 2, totals, ranked=peers is None)
            results = [_rescored(ev, scorer, r) if r.entity in hit else r for r in results]
            if hit:
                rank_units(ev, results)
        if has_stage(ev, 3):   # vetoes reading the grade: they never change the total (a cycle, refused)
            grade_all(scheme, results, problems, quotas=False)
            totals = {r.entity: before_vetoes(ev, r) for r in results}
            hit = decide(ev, results, 3, totals, ranked=peers is None)
            results = [_rescored(ev, scorer, r) if r.entity in hit else r for r in results]
        grade_all(scheme, results, problems, quotas=peers is None)
        results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.entity))   # the unranked last
    return Results(scheme, results, problems, data, ev)


def _load_scheme(criteria: Path | str, problems: Problems, period: str | None) -> Scheme | None:
    """The compiled scheme, scored for one of its periods when `period` is given (criteria/README.md 2.20)."""
    scheme = load_criteria(criteria, problems)
    if scheme is None or period is None:
        return scheme
    scheme, why = for_period(scheme, period)
    if why is not None:
        problems.add(why, file=str(criteria), code="period-unknown")
    return scheme


def load(criteria: Path | str, data_path: Path | str, problems: Problems, *, scorers_records: bool = True,
         period: str | None = None, rollups: list[Source] | None = None) -> tuple[Scheme, DataSet] | None:
    """Criteria and checked data; None when either has errors (all of them are in `problems`). `period`: score
    the scheme for that one of its periods (criteria/README.md 2.20); `rollups`: the sources of the scheme's
    rollups given to the run (scoring/rollup.py)."""
    with stage("load"):
        scheme = _load_scheme(criteria, problems, period)
    if scheme is None:
        return None
    _, data, _ = read_checked(scheme, data_path, problems, scorers_records=scorers_records, rollups=rollups)
    if data is None:
        return None
    return scheme, data


def run(criteria: Path | str, data_path: Path | str, problems: Problems | None = None, period: str | None = None,
        *, rollups: list[Source] | None = None) -> Results | None:
    """Score a data set (for one period of the scheme, when given); None when criteria or data have errors (all
    of them are in `problems`). `rollups`: the sources of the scheme's rollups given to the run
    (scoring/rollup.py)."""
    problems = problems if problems is not None else Problems()
    loaded = load(criteria, data_path, problems, period=period, rollups=rollups)
    if loaded is None:
        return None
    scheme, data = loaded
    results = score_dataset(scheme, data, problems)
    results.inputs = {str(criteria): scheme.sha256, **data.files}
    results.rollups = [s.given for s in rollups or []]   # in the run record, so `assess verify` can re-score
    return results


def read_checked(scheme: Scheme, data_path: Path | str, problems: Problems, *, scorers_records: bool = True,
                 rollups: list[Source] | None = None, score_lower: ScoreLower | None = None
                 ) -> tuple[Raw | None, DataSet | None, DataSet | None]:
    """Read a data set and check it: (what the readers found, the data set or None when it has errors, the
    data set even then). When cells are wrong, the scheme's `checks` still run on the rest (a wrong cell
    reads as blank, which a check skips), so one run reports every problem: `assess score` and
    `assess check` both read data through here. `score_lower` scores a rollup's lower data (default: in this
    run, as `assess score` does; the forecast passes one that also keeps the lower data sets)."""
    before = len(problems.errors)   # a file the reader could not read is an error of this data set too
    with stage("read"):
        raw = read_raw(scheme, data_path, problems, scorers_records=scorers_records)
    if raw is None:
        return None, None, None
    lower_units(scheme, raw, rollups, problems, score_lower or score_lower_data)   # lower results, before the data are assembled
    with stage("check"):
        data = assemble(scheme, raw, problems, partial=True)
    if data is None or len(problems.errors) == before:
        return raw, data, data
    scratch = Problems()   # derived values over half-read data warn about nothing the user must fix
    with stage("derive"):
        frame = derive(scheme, data, scratch)
    run_checks(scheme, data, frame, scratch)
    found = [p for p in scratch.items if p.code == "check"]
    echo = {id(p) for p in echoes(scheme, unread_ledgers(raw), found)}
    problems.extend([p for p in found if id(p) not in echo])
    return raw, None, data


@dataclass
class Checked:
    """What `assess check` found: every problem, and where the data came from (to annotate workbooks)."""

    scheme: Scheme | None
    raw: Raw | None
    data: DataSet | None          # also when it has errors (wrong cells blank)
    results: Results | None       # scored, when the data have no errors
    problems: Problems


def score_lower_data(lower: Scheme, path: Path, problems: Problems) -> tuple[list[UnitResult], DataSet] | None:
    """Lower data scored with the lower scheme in this run (a rollup's source)."""
    _, data, _ = read_checked(lower, path, problems)
    if data is None:
        return None
    return score_dataset(lower, data, problems).units, data


def check(criteria: Path | str, data_path: Path | str, problems: Problems | None = None, *,
          scorers_records: bool = True, period: str | None = None, rollups: list[Source] | None = None) -> Checked:
    """Everything `assess score` checks before it scores — intake, the scheme's checks, and the evaluation's
    warnings — collected in one run (for one period of the scheme, when given)."""
    problems = problems if problems is not None else Problems()
    scheme = _load_scheme(criteria, problems, period)
    if scheme is None:
        return Checked(None, None, None, None, problems)
    raw, data, partial = read_checked(scheme, data_path, problems, scorers_records=scorers_records,
                                      rollups=rollups)
    results = score_dataset(scheme, data, problems) if data is not None else None
    return Checked(scheme, raw, partial, results, problems)


__all__ = ["Checked", "Results", "check", "rank_units", "read_checked", "run", "score_dataset", "score_lower_data"]
