"""Grades: thresholds on the rounded total, then vetoes, then quotas (top-down, by rank).

Thresholds include their minimum (“以上包括本数，以下不包括本数”): a rounded total of exactly 90.00 is in
the grade whose min is 90. A tie that straddles a quota line is never broken silently: the tied units
keep the grade and a warning asks the office to decide.
"""

from __future__ import annotations

from decimal import Decimal

from common.problems import Problems
from rules.language.scheme import Quota, Scheme
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
    """Quotas compare units with each other: a run of one unit (a self-check) is graded by score.

    A quota per class (`quota: {by: 类别, 一类: 4}`) is one quota per value of the entity field, each counted
    over the graded units of that class alone; classes it does not name have no limit."""
    names = [g.name for g in scheme.grades]
    graded = [r for r in results if r.grade in names]
    if len(graded) < 2:
        return
    for gi, g in enumerate(scheme.grades[:-1]):
        if g.quota is None:
            continue
        if g.quota.by is None:
            _apply_quota(g.quota, names, gi, graded, "", problems)
            continue
        for value, q in g.quota.classes.items():
            group = [r for r in graded if _class_of(r, g.quota.by) == value]
            _apply_quota(q, names, gi, group, value, problems)
        _unmatched_classes(scheme, g.name, g.quota, results, problems)


def _unmatched_classes(scheme: Scheme, grade: str, q: Quota, results: list[UnitResult], problems: Problems) -> None:
    """A class the quota names that no unit has, when the field declares no `values` (which validate checks):
    most likely a typo (“一 类”), which would leave that class without its limit."""
    assert q.by is not None
    field = scheme.entity_fields.get(q.by)
    if field is None or field.values is not None:
        return
    present = {_class_of(r, q.by) for r in results}
    for value in q.classes:
        if value not in present:
            seen = "、".join(sorted(str(v) for v in present if v is not None)) or "（均为空）"
            problems.add(f"“{grade}”的分类名额写了“{value}”，但没有任何单位的{field.label}是“{value}”（名册里有：{seen}）；"
                         f"如是笔误，请改正，或在 entity_fields 里为 {q.by} 写出 values 以便检查",
                         file=scheme.file, level="warning", code="quota-class-unused")


def _class_of(r: UnitResult, by: str) -> str | None:
    v = r.fields.get(by)
    return None if v is None else str(v).strip()


def _apply_quota(q: Quota, names: list[str], gi: int, graded: list[UnitResult], cls: str,
                 problems: Problems) -> None:
    """One quota over one group of graded units (all of them, or one class): the lowest ranked move down."""
    n = len(graded)
    name = names[gi]
    limit = q.count if q.count is not None else int((q.share or 0) * n)
    members = sorted([r for r in graded if r.grade == name], key=lambda r: (r.rank or 0, r.entity))
    if len(members) <= limit:
        return
    line_rank = members[limit - 1].rank if limit > 0 else None
    keep = members[:limit]
    tied = [r for r in members[limit:] if line_rank is not None and r.rank == line_rank]
    move = [r for r in members[limit:] if r not in tied]
    whose = f"{cls}“{name}”" if cls else f"“{name}”"
    units = f"{n}个{cls}单位" if cls else f"{n}个单位"
    if tied:
        who = "、".join(f"{r.name}（{r.total}分）" for r in [*[k for k in keep if k.rank == line_rank], *tied])
        problems.add(f"{whose}名额为{limit}个（{q.text}，共{units}），但{who}并列第{line_rank}名"
                     f"跨越名额线：均暂列“{name}”，请考核组按规定研究确定", level="warning", code="quota-tie")
    for r in move:
        r.grade = names[gi + 1]
        basis = q.text if q.count is not None else f"{q.text}×{units}，向下取整"
        r.grade_notes.append(f"{whose}名额{limit}个（{basis}）已满，按排名第{r.rank}名调整为“{names[gi + 1]}”")


def grade_all(scheme: Scheme, results: list[UnitResult], problems: Problems, quotas: bool = True) -> None:
    for r in results:
        r.grade_notes = []   # graded afresh (a scheme whose vetoes read the grade grades twice)
        r.grade = grade_by_score(scheme, r.total)
        r.grade_by_score = r.grade
        apply_vetoes(scheme, r)
    if quotas:
        apply_quotas(scheme, results, problems)
