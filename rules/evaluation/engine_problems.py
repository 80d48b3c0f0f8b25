"""Rule-engine problems told the way users know them.

durable-rules names rules, facts and fields by internal ids ("r7", fact 33, "n8"). The cross-check knows what
each stands for: a rule is a condition written at a line of the criteria file, a fact stands for the units (or
ledger rows) carrying one combination of values, a field holds a named value or a computed expression. Here
the engine's errors are mapped back to those, in Chinese. A problem with a condition stops the run (every unit
reads it); a value the engine cannot hold, or a fact it could not process even after retries, leaves only the
units carrying it out of the results (code `rule-engine-unit`), and the others are scored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from common.problems import Problems
from rules.evaluation.durable import DurableEngineError
from rules.evaluation.outcome import Cond

UNIT_CODE = "rule-engine-unit"
_SHOWN_CONDITIONS = 3


@dataclass
class FactGroup:
    """The facts of one group of conditions: fact `offset + k` stands for every position whose values_id is k."""

    offset: int
    count: int
    values_id: np.ndarray
    conds: list[Cond]


@dataclass
class Where:
    """What the cross-check of one kind of fact knows, to locate a problem."""

    file: str | None                       # the criteria file
    entity: np.ndarray                     # unit per position
    ledger: pd.DataFrame | None            # the ledger, for facts over its rows
    field_name: Callable[[str], str]       # a fact field -> how a user knows the value it holds
    value_at: Callable[[str, str | None], dict[str, Any] | None] = lambda unit, field: None  # unit's data cell
    column_of: Callable[[str | None], str | None] = lambda field: None   # the ledger column a field holds


def _conditions(conds: Sequence[Cond]) -> str:
    shown = "、".join(c.label for c in conds[:_SHOWN_CONDITIONS])
    return shown + ("等" if len(conds) > _SHOWN_CONDITIONS else "")


def _line_of(conds: Sequence[Cond]) -> int | None:
    return next((c.line for c in conds if c.line is not None), None)


def condition_failed(error: DurableEngineError, cond: Cond, where: Where, problems: Problems) -> None:
    """The engine cannot take one condition: a located error that stops the run."""
    value = f"中{where.field_name(error.field)}" if error.field else ""
    problems.add(f"{cond.label}{value}{error.reason}规则引擎 durable-rules 无法核对该条件，本次评估停止",
                 file=where.file, line=cond.line, code="rule-engine")


def _group_of(groups: Sequence[FactGroup], fact_id: int) -> FactGroup | None:
    return next((g for g in groups if g.offset <= fact_id < g.offset + g.count), None)


def units_failed(errors: dict[int, DurableEngineError], groups: Sequence[FactGroup], where: Where,
                 problems: Problems) -> set[str]:
    """Facts the engine refused or could not process: one problem per unit carrying them (located at the ledger
    row when the fact stands for rows); returns those units."""
    out: set[str] = set()
    for fact_id in sorted(errors):
        error = errors[fact_id]
        group = _group_of(groups, fact_id)
        if group is None:
            continue
        positions = np.flatnonzero(group.values_id == fact_id - group.offset)
        what = where.field_name(error.field) if error.field else "数据"
        checks = _conditions(group.conds)
        line = _line_of(group.conds)
        if line is not None and where.file:
            checks += f"（考核细则 {where.file} 第{line}行）"
        for pos in positions.tolist():
            unit = str(where.entity[pos])
            if unit in out:
                continue
            out.add(unit)
            message = (f"{what}{error.reason}规则引擎无法据此核对{checks}，该单位不予计分；"
                       "请核对数据，或将考核细则和数据发给维护人员")
            place = _place(where, pos, where.column_of(error.field)) if where.ledger is not None else None
            place = place or where.value_at(unit, error.field) or {"file": where.file, "line": line}
            problems.add(message, entity=unit, code=UNIT_CODE, **place)
    return out


def _place(where: Where, pos: int, column: str | None) -> dict[str, Any] | None:
    """A ledger row's file, row and column."""
    ledger = where.ledger
    if ledger is not None and "_row" in ledger.columns:
        row = ledger.iloc[pos]
        file = row.get("_path", row.get("_file"))
        return {"file": None if file is None else str(file), "sheet": row.get("_sheet"), "row": int(row["_row"]),
                "column": column}
    return None


def engine_failed(error: DurableEngineError, conds_by_rule: dict[str, Cond], where: Where,
                  problems: Problems) -> None:
    """An error that aborted a call to the engine: none of that call's answers can be trusted, so it stops the
    run, located at the condition when it names one. (Facts the engine cannot take do not abort a call: they
    come back refused, for `units_failed`.)"""
    if error.rule is not None and error.rule in conds_by_rule:
        condition_failed(error, conds_by_rule[error.rule], where, problems)
        return
    problems.add(str(error), file=where.file, code="rule-engine")
