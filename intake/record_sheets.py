"""The sheets with one record a row: each ledger (台账), the findings (考核扣分记录) and the self-scores
(自评分). A consolidated workbook adds a 单位编号 column to each; a unit's own workbook needs none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from intake.cell_validation import LAST_ROW, Validations, key_validation, unit_list
from intake.dataset import DataSet
from intake.excel_values import excel_value
from intake.layout import (
    S_ITEM,
    S_NAME,
    S_POINTS,
    S_SCORE,
    SHEET_FINDINGS,
    SHEET_SELF,
    UNIT_ID,
    UNIT_NAME,
    column_requirement,
    sheet_name,
)
from intake.sheet_style import FORMATS, SheetWriter, comment
from rules.language.scheme import FINDINGS_COLUMNS, Scheme

FINDINGS_NOTES = {
    "考核项目": "考核项目、加分项或扣分项的编号（见下拉列表）",
    "扣分": "扣分（正数）；与“得分”只填一个",
    "得分": "评分单位打分项、加分项的得分；与“扣分”只填一个",
    "事由": "扣分或得分的理由",
    "评分单位": "评分的单位（如 市应急管理局）",
    "依据": "依据的文件、通报或检查记录",
}


def ledger(s: Scheme, wb: Workbook, validations: Validations, table: str, rows: Iterable[tuple[str, dict[str, Any]]],
           with_unit: bool) -> None:
    """A ledger's sheet: one record a row, its key checked for repeats, its columns validated."""
    inp = s.inputs[table]
    columns = dict(inp.columns or {})
    ws = wb.create_sheet(sheet_name(inp.label))
    sh = SheetWriter(ws)
    first = 2 if with_unit else 1
    heads = ([UNIT_ID] if with_unit else []) + [col.label or c for c, col in columns.items()]
    sh.headers(heads)
    r = 1
    for r, (unit, row) in enumerate(rows, start=2):
        if with_unit:
            sh.put(r, 1, unit, fmt="@")
        for j, (c, col) in enumerate(columns.items(), start=first):
            sh.put(r, j, excel_value(row.get(c), col.type), fmt=FORMATS.get(col.type))
    for j, (c, col) in enumerate(columns.items(), start=first):
        letter = get_column_letter(j)
        title = col.label or c
        req = column_requirement(col)
        ws.column_dimensions[letter].number_format = FORMATS.get(col.type, "General")
        comment(ws, 1, j, req + ("；不能重复" if c == inp.key else "")
                + (f"\n{col.description}" if col.description else ""))
        if c == inp.key and col.type == "str" and not col.values:
            key_validation(ws, j, 1 if with_unit else None, title)
        else:
            validations.add_rule(wb, ws, f"{letter}2", col.type, lo=col.min, hi=col.max, values=col.values,
                                 title=title, prompt=req, sqref=f"{letter}2:{letter}{LAST_ROW}")
        sh.widths[j] = max(sh.widths.get(j, 0), 12 if col.type == "date" else 8)
    if with_unit:
        unit_list(ws, 1)
    ws.freeze_panes = f"{get_column_letter(first)}2" if with_unit else "A2"
    ws.row_dimensions[1].height = 30
    if r > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{r}"
    sh.fit()


def findings(s: Scheme, wb: Workbook, validations: Validations, rows: Iterable[tuple[str, dict[str, Any]]],
             with_unit: bool) -> None:
    """考核扣分记录, filled in by the assessors: the item from a drop-down, a figure, the reason and basis."""
    ws = wb.create_sheet(SHEET_FINDINGS)
    first = 2 if with_unit else 1
    sh = SheetWriter(ws, {first + 3: 50, first + 5: 40})   # 事由, 依据
    cols = list(FINDINGS_COLUMNS.items())
    sh.headers(([UNIT_ID] if with_unit else []) + [c for c, _ in cols])
    for r, (unit, row) in enumerate(rows, start=2):
        if with_unit:
            sh.put(r, 1, unit, fmt="@")
        for j, (c, col) in enumerate(cols, start=first):
            sh.put(r, j, excel_value(row.get(c), col.type), fmt=FORMATS.get(col.type))
    targets = [i.id for i in s.items] + [a.id for a in s.adjustments()]
    for j, (c, col) in enumerate(cols, start=first):
        letter = get_column_letter(j)
        ws.column_dimensions[letter].number_format = FORMATS.get(col.type, "General")
        comment(ws, 1, j, FINDINGS_NOTES.get(c, c) + "\n（由考核组、评分单位填写）")
        if c == "考核项目":
            validations.add_rule(wb, ws, f"{letter}2", "str", values=targets, title=c, prompt=FINDINGS_NOTES[c],
                                 sqref=f"{letter}2:{letter}{LAST_ROW}")
        elif col.type == "number":
            validations.add_rule(wb, ws, f"{letter}2", "number", lo=col.min, title=c, prompt=FINDINGS_NOTES[c],
                                 sqref=f"{letter}2:{letter}{LAST_ROW}")
        sh.widths[j] = max(sh.widths.get(j, 0), 10)
    if with_unit:
        unit_list(ws, 1)
    ws.freeze_panes = f"{get_column_letter(first)}2" if with_unit else "A2"
    sh.fit()


def self_scores(s: Scheme, wb: Workbook, units: list[tuple[str | None, str | None]], data: DataSet | None,
                with_unit: bool) -> None:
    """自评分: one item a row for each unit, only the score unlocked, checked against the item's points."""
    ws = wb.create_sheet(SHEET_SELF)
    off = 2 if with_unit else 0
    sh = SheetWriter(ws, {off + 2: 40})
    sh.headers(([UNIT_ID, UNIT_NAME] if with_unit else []) + [S_ITEM, S_NAME, S_POINTS, S_SCORE])
    r = 1
    items = s.items
    for unit, name in units:
        scores = data.self_scores.get(unit, {}) if data is not None and unit is not None else {}
        for it in items:
            r += 1
            if with_unit:
                sh.put(r, 1, unit, fmt="@", locked=True)
                sh.put(r, 2, name, fmt="@", locked=True)
            sh.put(r, off + 1, it.id, fmt="@", locked=True)
            sh.put(r, off + 2, it.name, locked=True)
            sh.put(r, off + 3, excel_value(it.points, "number"), locked=True)
            sh.put(r, off + 4, excel_value(scores.get(it.id), "number"), locked=False)
    p, sc = get_column_letter(off + 3), get_column_letter(off + 4)
    dv = DataValidation(type="custom", formula1=f"AND(ISNUMBER({sc}2),{sc}2>=0,{sc}2<={p}2)", allow_blank=True,
                        showErrorMessage=True, errorStyle="stop", errorTitle="自评分有误",
                        error="自评分应为 0 到该项分值之间的数", showInputMessage=True, promptTitle=S_SCORE,
                        prompt="本单位对该项的自评得分（可选）：0 到该项分值")
    ws.add_data_validation(dv)
    dv.add(f"{sc}2:{sc}{LAST_ROW}")
    if r > 1:
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
    ws.freeze_panes = "A2"
    sh.fit()
