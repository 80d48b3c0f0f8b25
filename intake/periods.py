"""Periods (`periods:`, criteria/README.md 2.20): the results of each period read for the year, and ledgers
split into periods by the date column the scheme names.

A year run (no `--period`) reads each declared period results document like an earlier result
(intake/previous.py: matched by unit id, its sha256 in the run record) and keeps, per unit and period, the ids
of the vetoes hit, for the year to carry. A period run reads none of them: the year is not over.

A dated ledger row never disappears without a word: a row with no date, or a date in no declared period, is
an error at its row; in a period run only the rows of that period are kept (the others belong to another
period, by the scheme's own calendar).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from common.problems import Problems
from intake.dataset import Ledger
from intake.previous import Earlier, attach_previous
from rules.language.constructs.periods import LAST, CPeriods
from rules.language.constructs.previous import FIGURES, CPrevious
from rules.language.scheme import Scheme

SECTION = "见 criteria/README.md 2.20"


def period_sources(scheme: Scheme) -> list[CPrevious]:
    """Each period whose results this run reads, as an earlier result named by the period id: every period in a
    year run; in a run for one period, those over before it begins, and only when an expression reads them
    (a quarter is scored before the next one exists)."""
    periods = scheme.periods
    if periods is None:
        return []
    if scheme.period_id is None:
        read = periods.read()
    else:
        read = periods.before(scheme.period_id) if periods.read_by_expressions else []
    return [CPrevious(p.id, f"{p.name}考核结果", p.results, p.scheme, p.line, "分期结果", "results")
            for p in read if p.results is not None]


def _last_period(scheme: Scheme, ids: list[str], values: dict[str, dict[str, Any]]) -> None:
    """`last_period.rank`…: the figures of the period just before the one scored (the last one in a year run)."""
    periods = scheme.periods
    last = periods.last_of(scheme.period_id) if periods is not None and periods.last else None
    if last is None:
        return   # the first period has none: its conditions on last_period read blank
    for u in ids:
        mine = values.get(u, {})
        for figure in FIGURES:
            if f"{last.id}.{figure}" in mine:
                mine[f"{LAST}.{figure}"] = mine[f"{last.id}.{figure}"]


def attach_periods(scheme: Scheme, ids: list[str], names: dict[str, str], values: dict[str, dict[str, Any]],
                   given: dict[str, Earlier] | None, problems: Problems
                   ) -> tuple[dict[str, str], dict[str, dict[str, list[str]]]]:
    """Every unit's figures of every period (`values[unit]["Q1.total"]`) and the vetoes it hit in each period
    (unit -> period -> veto ids). Returns (files read with their sha256, vetoes)."""
    sources = period_sources(scheme)
    vetoes: dict[str, dict[str, list[str]]] = {}
    if not sources:
        return {}, vetoes
    expect = {p.name: p.name for p in sources}
    files = attach_previous(scheme, ids, names, values, given, problems, sources, vetoes, expect)
    _last_period(scheme, ids, values)
    composite = scheme.periods.composite if scheme.periods is not None else None
    if composite is not None and composite.periods > 0 and scheme.period_id is None:
        for p in sources:
            for u in ids:
                figures = values.get(u, {})
                if f"{p.name}.rank" in figures and figures.get(f"{p.name}.total") is None:
                    problems.add(f"{p.label}中单位 {u}（{names.get(u, u)}）没有总分，全年总分无法合成；请核对该期"
                                 f"结果文件（{SECTION}）", file=scheme.file, line=p.line, entity=u, code="previous-unit")
    return files, vetoes


def split_ledgers(scheme: Scheme, ledgers: dict[str, Ledger], problems: Problems) -> None:
    """Check the date of every row of a dated ledger; in a period run keep that period's rows.

    A row dated outside the year (`scheme.period`; without one, outside every period) or not dated is an error at
    its row. A row inside the year but in no period (periods that leave a gap: monthly checks of Jan-Nov) counts
    in the year run, and a period run says it leaves it out, with a warning at its row."""
    periods = scheme.periods
    if periods is None:
        return
    one = periods.get(scheme.period_id) if scheme.period_id is not None else None
    for table, column in periods.dates.items():
        led = ledgers.get(table)
        if led is None or column not in led.frame.columns or len(led.frame) == 0:
            continue
        frame = led.frame
        col = (scheme.inputs[table].columns or {}).get(column)
        where = _Where(scheme.inputs[table].label, col.label if col is not None and col.label else column, problems)
        keep: list[bool] = []
        for day, entity, row, path, sheet in zip(frame[column], frame["entity"], frame["_row"], frame["_path"],
                                                 frame["_sheet"], strict=True):
            at = {"file": path, "sheet": sheet, "row": int(row), "entity": entity}
            if not isinstance(day, dt.date):
                if col is not None and col.optional:   # a required cell left blank is reported as such already
                    where.say(row, f"为空：按期考核时，每一行都要写日期，才能分到各期（{SECTION}）", at)
                keep.append(False)
                continue
            period = periods.of_day(day)
            year = periods.year
            if (year is not None and not year.start <= day <= year.end) or (year is None and period is None):
                span = f"考核时段 {year.start} 至 {year.end}" if year is not None else f"细则声明的任何一期（{_said(periods)}）"
                where.say(row, f"为 {day}，不在{span}内；请核对日期（{SECTION}）", {**at, "value": day})
                keep.append(False)
                continue
            if period is None and one is not None:
                where.say(row, f"为 {day}，不属于任何一期（{_said(periods)}），按{one.name}评分时不计入，只在全年评分时计入"
                          f"（{SECTION}）", {**at, "value": day}, "warning")
            keep.append(one is None or one.holds(day))
        if not all(keep):
            led.frame = frame.loc[np.array(keep, dtype=bool)].reset_index(drop=True)


def _said(periods: CPeriods) -> str:
    return "、".join(f"{p.id} {p.name} {p.start}至{p.end}" for p in periods.periods)


class _Where:
    """Problems at a row of a dated ledger, in one wording."""

    def __init__(self, label: str, header: str, problems: Problems):
        self.label, self.header, self.problems = label, header, problems

    def say(self, row: Any, what: str, at: dict[str, Any], level: str = "error") -> None:
        self.problems.add(f"{self.label}第{row}行的“{self.header}”{what}", column=self.header, code="period-row",
                          level=level, **at)
