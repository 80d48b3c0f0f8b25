"""The sheets of one unit's own workbook: 单位信息 (its id, name and fields, locked once filled in) and
填报数据 with one input a row, the cell to fill next to its label and requirement.

A unit sees only its own rows, one input at a time, with no unit column it could get wrong.
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from intake.cell_validation import Validations
from intake.dataset import DataSet
from intake.excel_values import excel_value
from intake.layout import (
    NA_WORD,
    SHEET_UNIT,
    SHEET_VALUES,
    U_KEY,
    U_VALUE,
    UNIT_ID,
    UNIT_NAME,
    V_DESC,
    V_ID,
    V_LABEL,
    V_RULE,
    V_UNIT,
    V_VALUE,
    VERTICAL_HEADERS,
    input_requirement,
)
from intake.sheet_style import FORMATS, SheetWriter
from rules.language.scheme import Scheme


def unit_info(s: Scheme, wb: Workbook, validations: Validations, unit: str | None, data: DataSet | None) -> None:
    """单位信息: one field a row; filled in and locked when the unit is known, else a drop-down per field."""
    ws = wb.create_sheet(SHEET_UNIT)
    sh = SheetWriter(ws)
    sh.headers([U_KEY, U_VALUE])
    filled = unit is not None and data is not None
    fields = data.fields.get(unit, {}) if data is not None and unit is not None else {}
    name = data.names.get(unit) if data is not None and unit is not None else None
    rows: list[tuple[str, Any, list[str] | None]] = [(UNIT_ID, unit, None), (UNIT_NAME, name, None)]
    rows += [(f.label, fields.get(k), f.values) for k, f in s.entity_fields.items()]
    for i, (k, v, values) in enumerate(rows, start=2):
        sh.put(i, 1, k, locked=True)
        sh.put(i, 2, v, fmt="@", locked=filled)
        if not filled and values:
            validations.add_rule(wb, ws, f"B{i}", "str", values=values, title=k, prompt="从下拉列表选择",
                                 sqref=f"B{i}")
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.freeze_panes = "A2"
    sh.fit(minimum=12)


def values_vertical(s: Scheme, wb: Workbook, validations: Validations, unit: str | None,
                    data: DataSet | None) -> None:
    """填报数据 with one input a row: only the 填报值 column is unlocked, each cell with its own validation."""
    ws = wb.create_sheet(SHEET_VALUES)
    sh = SheetWriter(ws, {2: 48, 3: 20, 5: 40, 6: 40})
    sh.headers(VERTICAL_HEADERS)
    values = data.values.get(unit, {}) if data is not None and unit is not None else {}
    na = data.na.get(unit, set()) if data is not None and unit is not None else set()
    col = {h: j for j, h in enumerate(VERTICAL_HEADERS, start=1)}
    for i, (name, inp) in enumerate(s.scalar_inputs.items(), start=2):
        req = input_requirement(inp)
        sh.put(i, col[V_ID], name, locked=True)
        sh.put(i, col[V_LABEL], inp.label, locked=True)
        sh.put(i, col[V_UNIT], inp.unit or "", locked=True)
        sh.put(i, col[V_RULE], req, locked=True)
        sh.put(i, col[V_DESC], inp.description or "", locked=True)
        v = NA_WORD if name in na else excel_value(values.get(name), inp.type)
        sh.put(i, col[V_VALUE], v, fmt=FORMATS.get(inp.type), locked=False)
        ref = f"{get_column_letter(col[V_VALUE])}{i}"
        validations.add_rule(wb, ws, ref, inp.type, lo=inp.min, hi=inp.max, values=inp.values, allow_na=True,
                             title=inp.label, prompt=req, sqref=ref)
    sh.widths[col[V_VALUE]] = max(sh.widths.get(col[V_VALUE], 0), 16)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.freeze_panes = "C2"
    sh.fit()
