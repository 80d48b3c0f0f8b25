"""Grade lines on the projection: a unit whose total, scored on the figures projected to the year end, falls
below the line of the grade its total reaches on the data as of the date.

Only what the projection moves is compared (the same data, scored twice: as of the date and projected), so
work not yet done part-way through the year — which lowers both totals alike — never makes a warning. A
grade a veto limits is the veto's warning (`alerts.watch`), not repeated here; grades by threshold
(`grade_by_score`) are compared, quotas are not (they need the whole year's ranking).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from alerts.model import ON_COURSE, Alert
from rules.language.scheme import Scheme
from scoring.pipeline import Results


def grade_alerts(scheme: Scheme, now: Results, proj: Results, units: dict[str, str], end: dt.date) -> list[Alert]:
    order = [g.name for g in scheme.grades]
    lines = {g.name: g.min for g in scheme.grades}
    out = []
    for u, name in units.items():
        a, p = now.unit(u), proj.unit(u)
        if a is None or p is None or a.grade_by_score not in order or p.grade_by_score not in order:
            continue
        if order.index(p.grade_by_score) <= order.index(a.grade_by_score):
            continue
        line = lines[a.grade_by_score]
        gap = _num(line - p.total)
        out.append(Alert(u, name, ON_COURSE, "等次", a.grade_by_score, f"“{a.grade_by_score}”分数线", "",
                         f"等次由{a.grade_by_score}降为{p.grade_by_score}", f"总分不低于{_num(line)}分", "总分",
                         f"{_num(a.total)}分", f"{_num(p.total)}分", f"差{gap}分", end))
    return out


def _num(d: Decimal) -> str:
    return f"{d.normalize():f}"
