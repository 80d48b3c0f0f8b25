"""The warnings of a data set as of a date: load, check the date against the scheme and the data, score,
project and watch (`alerts.projection`, `alerts.watch`).

Nothing silently wrong: a scheme without `scheme.period` cannot be projected, an as-of date outside it is a
mistake, and a row of an accumulating ledger dated after the as-of date means the date or the row is wrong —
each is a located error, and no list is made.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from alerts.grades import grade_alerts
from alerts.model import LEVELS, Warnings
from alerts.projection import days, project
from alerts.watch import Watch
from common.problems import Problems
from intake.dataset import DataSet
from rules.language.scheme import Scheme
from scoring.pipeline import load, score_dataset

GUIDE = "见 docs/预警.md"


def warnings_of(scheme: Scheme, data: DataSet, as_of: dt.date, problems: Problems) -> Warnings | None:
    """The warnings of every unit of a data set as of a date; None when the date or the data are wrong."""
    period = scheme.meta.period
    if period is None:
        problems.add(f"考核细则没有写考核时段 scheme.period，无法按进度折算到年底；请在 scheme 中写 period（{GUIDE}）",
                     file=scheme.file, code="warn-date")
        return None
    if not period.start <= as_of <= period.end:
        problems.add(f"预警日期 {as_of} 不在考核时段 {period.start} 至 {period.end} 之内；请写考核时段内的日期，"
                     f"一般是本月（季度）最后一天（{GUIDE}）", file=scheme.file, code="warn-date")
        return None
    _rows_after(scheme, data, as_of, problems)
    if problems.blocking:
        return None
    results = score_dataset(scheme, data, problems)
    assert results.evaluation is not None
    frame = results.evaluation.frame
    elapsed, total = days(period.start, as_of), days(period.start, period.end)
    proj, moved = project(scheme, frame, elapsed, total)
    scored = {r.entity for r in results.units}
    units = {u: data.names.get(u, u) for u in data.ids if u in scored}
    na = {r.entity: {i for i, score in r.items.items() if score is None} | set(r.not_applicable) for r in results.units}
    alerts = Watch(scheme, frame, proj, moved, as_of, period.end, units, na).alerts()
    if moved:   # the same data scored on the projected figures: the grade lines the projection crosses
        projected = score_dataset(scheme, data, Problems(), frame=proj)
        alerts += grade_alerts(scheme, results, projected, units, period.end)
    order = {u: k for k, u in enumerate(data.ids)}
    alerts.sort(key=lambda a: (LEVELS.index(a.level), a.act_by or period.end, order[a.entity], a.rule))
    labels = [scheme.label(n) for n in [*scheme.inputs, *(d.id for d in scheme.derived)] if n in moved]
    return Warnings(scheme.meta.title, scheme.meta.id, as_of, period.start, period.end, elapsed, total, alerts,
                    len(units), labels)


def _rows_after(scheme: Scheme, data: DataSet, as_of: dt.date, problems: Problems) -> None:
    """Each row of an accumulating ledger dated after the as-of date, as a located error."""
    acc = scheme.accumulate
    for table, column in (acc.ledgers.items() if acc is not None else ()):
        ledger = data.ledgers.get(table)
        if ledger is None:
            continue
        f = ledger.frame
        label = scheme.label(table)
        for day, entity, row, path, sheet in zip(f[column], f["entity"], f["_row"], f["_path"], f["_sheet"],
                                                 strict=True):
            if isinstance(day, dt.date) and day > as_of:
                problems.add(f"{label}第{row}行的“{column}”为 {day}，晚于预警日期 {as_of}：预警只看该日以前的数据；"
                             f"请核对这一行的日期，或把预警日期写成数据截止的日期（{GUIDE}）", file=path, sheet=sheet,
                             row=int(row), entity=entity, column=column, value=day, code="warn-row")


def run_warnings(criteria: Path | str, data_path: Path | str, as_of: dt.date, problems: Problems
                 ) -> Warnings | None:
    """Load, check and list the warnings as of a date; None when criteria, data or the date have errors."""
    loaded = load(criteria, data_path, problems)
    if loaded is None:
        return None
    scheme, data = loaded
    return warnings_of(scheme, data, as_of, problems)
