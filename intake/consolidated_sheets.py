"""The sheets with one unit a row: 单位名册 (the register of units, also a workbook of its own) and the
consolidated 填报数据, one column per input.

Ids and names of registered units are locked; the inputs' requirements are in the header notes.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from intake.cell_validation import LAST_ROW, Validations, key_validation, unit_list
from intake.dataset import DataSet
from intake.excel_values import excel_value
from intake.layout import NA_WORD, SHEET_REGISTER, SHEET_VALUES, UNIT_ID, UNIT_NAME, input_requirement
from intake.sheet_style import FORMATS, SheetWriter, comment
from rules.language.scheme import Scheme


def register(s: Scheme, wb: Workbook, validations: Validations, data: DataSet | None) -> None:
    """单位名册: one unit a row (id, name, entity fields); ids unique."""
    ws = wb.create_sheet(SHEET_REGISTER)
    sh = SheetWriter(ws)
    fields = s.entity_fields
    sh.headers([UNIT_ID, UNIT_NAME, *(f.label for f in fields.values())])
    ids = data.ids if data is not None else []
    for i, u in enumerate(ids, start=2):
        assert data is not None
        sh.put(i, 1, u, fmt="@")
        sh.put(i, 2, data.names.get(u), fmt="@")
        for j, k in enumerate(fields, start=3):
            sh.put(i, j, data.fields.get(u, {}).get(k), fmt="@")
    for j, (k, f) in enumerate(fields.items(), start=3):
        letter = get_column_letter(j)
        if f.values:
            validations.add_rule(wb, ws, f"{letter}2", "str", values=f.values, title=f.label, prompt="从下拉列表选择",
                                 sqref=f"{letter}2:{letter}{LAST_ROW}")
        comment(ws, 1, j, f"实体字段 {k}")
    key_validation(ws, 1, None, UNIT_ID)
    ws.freeze_panes = "C2"
    sh.fit(minimum=10)


def values_horizontal(s: Scheme, wb: Workbook, validations: Validations, data: DataSet | None) -> None:
    """填报数据 with one unit a row and one column per input, validated column by column."""
    ws = wb.create_sheet(SHEET_VALUES)
    sh = SheetWriter(ws, {j: 24 for j in range(3, 3 + len(s.scalar_inputs))})
    inputs = list(s.scalar_inputs.items())
    sh.headers([UNIT_ID, UNIT_NAME, *(inp.label for _, inp in inputs)])
    ids = data.ids if data is not None else []
    for i, u in enumerate(ids, start=2):
        assert data is not None
        sh.put(i, 1, u, fmt="@", locked=True)
        sh.put(i, 2, data.names.get(u), fmt="@", locked=True)
        values, na = data.values.get(u, {}), data.na.get(u, set())
        for j, (name, inp) in enumerate(inputs, start=3):
            v = NA_WORD if name in na else excel_value(values.get(name), inp.type)
            sh.put(i, j, v, fmt=FORMATS.get(inp.type), locked=False)
    for j, (name, inp) in enumerate(inputs, start=3):
        letter = get_column_letter(j)
        req = input_requirement(inp)
        unit = f"（单位：{inp.unit}）" if inp.unit else ""
        comment(ws, 1, j, f"{name}{unit}\n{req}" + (f"\n{inp.description}" if inp.description else ""))
        validations.add_rule(wb, ws, f"{letter}2", inp.type, lo=inp.min, hi=inp.max, values=inp.values, allow_na=True,
                             title=inp.label, prompt=req, sqref=f"{letter}2:{letter}{LAST_ROW}")
        ws.column_dimensions[letter].number_format = FORMATS.get(inp.type, "General")
    unit_list(ws, 1)
    if ids:
        ws.protection.sheet = True     # one row per registered unit: ids and names locked
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
    ws.freeze_panes = "C2"
    ws.row_dimensions[1].height = 60
    sh.fit(minimum=10)
