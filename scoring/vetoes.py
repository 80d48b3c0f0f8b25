"""What each veto effect does in scoring: ONE registry, effect → its actions on the total and on the grade.

The language's list of effects (and how each is written and said) is `rules.language.constructs.vetoes.EFFECTS`;
a test asserts this registry has exactly the same keys, so a new effect cannot be half added. Effects that
change the total run before the grade is set (deductions first, then zero, then in the scheme's order);
effects that change the grade run in the scheme's order after the grade by score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rules.language.scheme import CVeto
from scoring.events import Event, fmt, total_of

ZERO = Decimal(0)
EXCLUDED = -1  # a grade position meaning “不予评定”

# (veto, hit, unit, total, events) -> the new total; the events explain every point it moves
TotalAction = Callable[[CVeto, Any, str, Decimal, list[Event]], Decimal]
# (veto, grade position, number of grades) -> the new position (0 is the highest grade) or EXCLUDED
GradeAction = Callable[[CVeto, int, list[str]], int]


def _same_total(v: CVeto, hit: Any, unit: str, total: Decimal, events: list[Event]) -> Decimal:
    return total


def _same_grade(v: CVeto, pos: int, names: list[str]) -> int:
    return pos


def _deduct(v: CVeto, hit: Any, unit: str, total: Decimal, events: list[Event]) -> Decimal:
    events.append(Event(unit, None, v.id, v.arg.copy_negate(), f"{v.name}：{hit.reason}，扣{fmt(v.arg)}分", "veto",
                        v.clause, None, hit.evidence))
    return total_of((v.arg.copy_negate(),), total)   # exact when the deduction is huge


def _zero(v: CVeto, hit: Any, unit: str, total: Decimal, events: list[Event]) -> Decimal:
    if total == 0:
        return total
    events.append(Event(unit, None, v.id, total.copy_negate(), f"{v.name}（一票否决）：{hit.reason}，总分计0分", "veto", v.clause,
                        None, hit.evidence))
    return ZERO


@dataclass(frozen=True)
class VetoAction:
    total: TotalAction = _same_total
    grade: GradeAction = _same_grade
    first: bool = False          # applied before the other effects on the total (a deduction before zero)
    note_always: bool = False    # a grade note even when the grade does not move (a flag says what it marks)
    unranked: Callable[[CVeto], bool] = lambda v: False   # the unit leaves the ranking ({exclude: unranked})


ACTIONS: dict[str, VetoAction] = {
    "fail": VetoAction(grade=lambda v, pos, names: len(names) - 1),
    "zero": VetoAction(total=_zero),
    "exclude": VetoAction(grade=lambda v, pos, names: EXCLUDED, unranked=lambda v: v.arg == "unranked"),
    "deduct": VetoAction(total=_deduct, first=True),
    "max_grade": VetoAction(grade=lambda v, pos, names: max(pos, names.index(v.arg))),
    "downgrade": VetoAction(grade=lambda v, pos, names: min(len(names) - 1, pos + v.arg)),
    "flag": VetoAction(note_always=True),
}


def leaves_ranking(vetoes: list[CVeto], hits: list[dict[str, Any]]) -> bool:
    """Whether a unit's veto hits take it out of the ranking (“自评合格并提出考评申请的方可参加考评”)."""
    by_id = {v.id: v for v in vetoes}
    return any(ACTIONS[by_id[h["id"]].effect].unranked(by_id[h["id"]]) for h in hits if h["id"] in by_id)
