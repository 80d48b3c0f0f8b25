"""Grades: thresholds on the rounded total, then vetoes, then quotas (top-down, by rank).

Thresholds include their minimum (“以上包括本数，以下不包括本数”): a rounded total of exactly 90.00 is in
the grade whose min is 90. A tie that straddles a quota line is never broken silently: the tied units
keep the grade and a warning asks the office to decide.
"""

from __future__ import annotations

from decimal import Decimal

from common.problems import Problems
from rules.language.scheme import Scheme
from scoring.totals import UnitResult
from scoring.vetoes import ACTIONS, EXCLUDED

EXCLUDED_GRADE = "不予评定"


def grade_by_score(scheme: Scheme, total: Decimal) -> str:
    for g in scheme.grades:
        if total >= g.min:
            return g.name
    return scheme.grades[-1].name


def apply_vetoes(scheme: Scheme, r: UnitResult) -> None:
    names = [g.name for g in scheme.grades]
    vetoes = {v.id: v for v in scheme.vetoes}
    assert r.grade is not None
    pos = names.index(r.grade)
    for hit in r.vetoes:
        v = vetoes[hit["id"]]
        action = ACTIONS[v.effect]
        before = pos
        pos = action.grade(v, pos, names)
        if pos == EXCLUDED:
            r.grade = EXCLUDED_GRADE
            r.grade_notes.append(f"{v.name}：{v.words(names[-1])}")
            return
        if pos != before:
            r.grade_notes.append(f"{v.name}：等次由{names[before]}调整为{names[pos]}")
        elif action.note_always:
            r.grade_notes.append(f"{v.name}：{v.words(names[-1])}")
    r.grade = names[pos]


def apply_quotas(scheme: Scheme, results: list[UnitResult], problems: Problems) -> None:
    """Quotas compare units with each other: a run of one unit (a self-check) is graded by score."""
    names = [g.name for g in scheme.grades]
    graded = [r for r in results if r.grade in names]
    n = len(graded)
    if n < 2:
        return
    for gi, g in enumerate(scheme.grades[:-1]):
        if g.quota is None:
            continue
        limit = g.quota.count if g.quota.count is not None else int((g.quota.share or 0) * n)
        members = sorted([r for r in graded if r.grade == g.name], key=lambda r: (r.rank or 0, r.entity))
        if len(members) <= limit:
            continue
        line_rank = members[limit - 1].rank if limit > 0 else None
        keep = [r for r in members[:limit]]
        tied = [r for r in members[limit:] if line_rank is not None and r.rank == line_rank]
        move = [r for r in members[limit:] if r not in tied]
        if tied:
            who = "、".join(f"{r.name}（{r.total}分）" for r in [*[k for k in keep if k.rank == line_rank], *tied])
            problems.add(f"“{g.name}”名额为{limit}个（{g.quota.text}，共{n}个单位），但{who}并列第{line_rank}名"
                         f"跨越名额线：均暂列“{g.name}”，请考核组按规定研究确定", level="warning", code="quota-tie")
        for r in move:
            r.grade = names[gi + 1]
            basis = g.quota.text if g.quota.count is not None else f"{g.quota.text}×{n}个单位，向下取整"
            r.grade_notes.append(f"“{g.name}”名额{limit}个（{basis}）已满，按排名第{r.rank}名调整为“{names[gi + 1]}”")


def grade_all(scheme: Scheme, results: list[UnitResult], problems: Problems, quotas: bool = True) -> None:
    for r in results:
        r.grade_notes = []   # graded afresh (a scheme whose vetoes read the grade grades twice)
        r.grade = grade_by_score(scheme, r.total)
        r.grade_by_score = r.grade
        apply_vetoes(scheme, r)
    if quotas:
        apply_quotas(scheme, results, problems)
