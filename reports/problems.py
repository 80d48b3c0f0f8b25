"""`assess check` output: every problem with its level, unit, workbook, sheet, row, column and value.

A failed check on a unit's values is reported by the evaluator at the criteria line of the check; here
it is also placed at the cell of the first input the check reads (from the data set's cell map), so the
office can find it in the unit's workbook and `--annotate` can mark it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from common.problems import Problem, capped
from reports.terminal import fit_table
from rules.language.text import show_value
from scoring.pipeline import Checked

LEVELS = {"error": "错误", "warning": "警告"}


@dataclass
class Located:
    problem: Problem        # file (workbook), sheet, row, column filled in where the data say
    rule: str | None = None  # for a failed check: the criteria file and line of the check


# problems about the data that are located at the scheme line naming it (a rollup's sources, criteria/README.md 2.19)
DATA_AT_CRITERIA_LINE = ("rollup-source", "rollup-empty", "previous-file", "previous-unit")


def locate(checked: Checked) -> list[Located]:
    """The data problems of a check, each placed where the user will look, errors first."""
    scheme, data, raw = checked.scheme, checked.data, checked.raw
    unit_of: dict[tuple[str, str | None], str] = {}
    if raw is not None:
        unit_of = {(t.origin.file, t.origin.sheet): t.unit for t in raw.tables if t.unit is not None}
    checks = {c.line: c for c in scheme.checks if c.for_each is None} if scheme is not None else {}
    out: list[Located] = []
    for p in checked.problems.items:
        if p.line is not None and p.code != "check" and p.code not in DATA_AT_CRITERIA_LINE:
            continue   # the scheme's own lint is for its author (assess validate), not about the data
        rule = None
        if (p.code == "check" and scheme is not None and p.file == scheme.file and p.line in checks
                and p.entity and data is not None):
            rule = f"{p.file}:{p.line}"
            c = checks[p.line]
            cells = data.value_cells.get(p.entity, {})
            names = sorted((n for n in c.reads if n in cells), key=lambda n: (c.when.text.find(n), n))
            if names:
                origin, row, col = cells[names[0]]
                value = "不涉及" if names[0] in data.na.get(p.entity, set()) else \
                    show_value(data.values.get(p.entity, {}).get(names[0]), scheme, names[0])
                p = replace(p, file=origin.file, sheet=origin.sheet, row=row, column=col, value=value, line=None)
            elif p.entity in data.value_origin:
                origin, row = data.value_origin[p.entity]
                p = replace(p, file=origin.file, sheet=origin.sheet, row=row, line=None)
        if p.entity is None and p.file is not None and (p.file, p.sheet) in unit_of:
            p = replace(p, entity=unit_of[(p.file, p.sheet)])
        out.append(Located(p, rule))
    out.sort(key=lambda x: (x.problem.level != "error", x.problem.file or "", x.problem.sheet or "",
                            x.problem.row or 0, x.problem.column or ""))
    return out


def problems_table(located: list[Located]) -> str:
    headers = ["级别", "单位", "工作簿", "工作表", "行", "列", "值", "说明"]
    rows = []
    shown_problems, notes = capped([x.problem for x in located])
    shown = {id(p) for p in shown_problems}
    for x in located:
        p = x.problem
        if id(p) not in shown:
            continue
        where = Path(p.file).name if p.file else ""
        if p.line is not None:
            where = f"{where}:{p.line}"
        message = p.message + (f"（检查规则：{x.rule}）" if x.rule and p.line is None and not p.row else "")
        rows.append([LEVELS.get(p.level, p.level), p.entity or "", where, p.sheet or "",
                     "" if p.row is None else str(p.row), p.column or "", "" if p.value is None else str(p.value),
                     message])
    if not rows:
        return "未发现问题。\n"
    errors = sum(1 for x in located if x.problem.level == "error")
    text = fit_table(headers, rows, keys=2, caps=[None, None, 24, 16, None, 24, 16, 70])
    cut = "".join(f"{note}\n" for note in notes)
    return f"{text}\n{cut}共 {errors} 个错误，{len(located) - errors} 个警告。\n"


def problems_json(located: list[Located], scheme_id: str | None = None) -> str:
    items: list[dict[str, Any]] = []
    for x in located:
        d = x.problem.as_dict()
        if x.rule:
            d["rule"] = x.rule
        items.append(d)
    errors = sum(1 for x in located if x.problem.level == "error")
    doc = {"scheme": scheme_id, "errors": errors, "warnings": len(located) - errors, "problems": items}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
