"""Write the Excel form of a data set: fill-in templates (blank, or pre-filled for each unit) and data
sets converted to workbooks. Everything comes from the scheme; no sheet is drawn by hand.

Cells are typed as the scheme declares (numbers as numbers, dates as dates, percents as fractions shown
with %); a value a float cannot carry exactly is written as text, so a round trip loses nothing. Each cell
to fill carries Excel data validation (type, range, allowed values; 不涉及 where the engine accepts it)
and an input prompt saying what it wants. Headers are frozen, widths fit Chinese text, and labels, ids
and names a unit must not change are locked with sheet protection (no password: it prevents slips, the
office can lift it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from wcwidth import wcswidth

from common import numbers
from common.files import unique_file_names, write_atomic_with
from common.formulas import set_cell
from intake.convert import NA
from intake.dataset import DataSet
from intake.layout import (
    CONSOLIDATED_BOOK,
    NA_WORD,
    REGISTER_BOOK,
    S_ITEM,
    S_NAME,
    S_POINTS,
    S_SCORE,
    SHEET_FINDINGS,
    SHEET_GUIDE,
    SHEET_LISTS,
    SHEET_REGISTER,
    SHEET_SELF,
    SHEET_UNIT,
    SHEET_VALUES,
    TYPE_NAMES,
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
    requirement,
    sheet_name,
)
from rules.language.model import Column, Input
from rules.language.scheme import FINDINGS_COLUMNS, Scheme

LAST_ROW = 1048576                      # data validation of a column covers every row a user may add
FORMATS = {"int": "0", "number": "General", "percent": "0.00%", "date": "yyyy-mm-dd", "str": "@", "bool": "@"}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LOCKED_FILL = PatternFill("solid", fgColor="F2F2F2")
TITLE_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)
FINDINGS_NOTES = {
    "考核项目": "考核项目、加分项或扣分项的编号（见下拉列表）",
    "扣分": "扣分（正数）；与“得分”只填一个",
    "得分": "评分单位打分项、加分项的得分；与“扣分”只填一个",
    "事由": "扣分或得分的理由",
    "评分单位": "评分的单位（如 市应急管理局）",
    "依据": "依据的文件、通报或检查记录",
}


def _width(text: Any) -> int:
    """Display width in Excel columns: a Chinese character is two."""
    if text is None:
        return 0
    s = str(text)
    w = wcswidth(s)
    return w if w >= 0 else len(s) * 2


def _fits(float_value: float, d: Decimal) -> bool:
    return Decimal(repr(float_value)) == d


def excel_value(v: Any, typ: str) -> Any:
    """A typed value as an Excel cell holds it; text when Excel's double cannot hold it exactly."""
    if v is None:
        return None
    if isinstance(v, NA):
        return NA_WORD
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, int):
        return v if abs(v) < 10**15 else str(v)
    if isinstance(v, Decimal):
        f = float(v)
        if _fits(f, v):
            return f
        return numbers.percent(v) if typ == "percent" else f"{v:f}"
    if isinstance(v, dt.datetime):
        return v.date()
    return v


class _Sheet:
    """A sheet being written: tracks widths, and writes cells with their style."""

    def __init__(self, ws: Worksheet, caps: dict[int, int] | None = None):
        self.ws = ws
        self.widths: dict[int, int] = {}
        self.caps = caps or {}

    def put(self, row: int, col: int, value: Any, *, fmt: str | None = None, locked: bool | None = None,
            header: bool = False) -> None:
        cell = set_cell(self.ws.cell(row=row, column=col), value)   # text stays text: never a formula
        if fmt:
            cell.number_format = fmt
        if header:
            cell.font = BOLD
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cell.border = BOX
        elif locked:
            cell.fill = LOCKED_FILL
        if locked is False:
            cell.protection = UNLOCKED
        width = _width(value.isoformat() if isinstance(value, dt.date) else value)
        self.widths[col] = max(self.widths.get(col, 0), width)

    def headers(self, names: list[str], row: int = 1) -> None:
        for j, h in enumerate(names, start=1):
            self.put(row, j, h, header=True)
        self.ws.row_dimensions[row].height = 30

    def fit(self, minimum: int = 8, maximum: int = 40) -> None:
        for col, w in self.widths.items():
            cap = self.caps.get(col, maximum)
            self.ws.column_dimensions[get_column_letter(col)].width = max(minimum, min(w + 2, cap))
            if w + 2 > cap:
                for row in self.ws.iter_rows(min_col=col, max_col=col, min_row=1):
                    for cell in row:
                        if cell.value is not None:
                            cell.alignment = WRAP


class _Writer:
    def __init__(self, scheme: Scheme, deadline: str | None = None):
        self.s = scheme
        self.deadline = deadline
        self.lists: Worksheet | None = None
        self.lists_col = 0

    # -- helpers

    def book(self) -> Workbook:
        wb = Workbook()
        wb.remove(wb.active)
        self.lists = None
        self.lists_col = 0
        return wb

    def list_formula(self, wb: Workbook, values: list[str]) -> str:
        """A list validation's source: inline when short, else a range on the hidden 取值列表 sheet."""
        inline = ",".join(values)
        if len(inline) <= 250 and not any("," in v or '"' in v for v in values):
            return f'"{inline}"'
        if self.lists is None:
            self.lists = wb.create_sheet(SHEET_LISTS)
            self.lists.sheet_state = "hidden"
        self.lists_col += 1
        letter = get_column_letter(self.lists_col)
        for i, v in enumerate(values, start=1):
            set_cell(self.lists.cell(row=i, column=self.lists_col), v)
        return f"{quote_sheetname(SHEET_LISTS)}!${letter}$1:${letter}${len(values)}"

    def validation(self, wb: Workbook, ws: Worksheet, ref: str, typ: str, *, lo: Any = None, hi: Any = None,
                   values: list[str] | None = None, allow_na: bool = False, title: str, prompt: str,
                   sqref: str) -> None:
        """Excel data validation for a cell or column; `ref` is the range's top-left cell (custom formulas
        are relative to it). Where 不涉及 is accepted the rule is a formula that also lets it through."""
        dv: DataValidation | None = None
        if values or typ == "bool":
            opts = list(values or ["是", "否"]) + ([NA_WORD] if allow_na else [])
            dv = DataValidation(type="list", formula1=self.list_formula(wb, opts))
        elif typ in ("int", "number", "percent"):
            if typ == "percent":
                lo = Decimal(0) if lo is None else lo
                hi = Decimal(1) if hi is None else hi
            if allow_na:
                conds = [f"ISNUMBER({ref})"]
                if typ == "int":
                    conds.append(f"{ref}=INT({ref})")
                if lo is not None:
                    conds.append(f"{ref}>={_f(lo)}")
                if hi is not None:
                    conds.append(f"{ref}<={_f(hi)}")
                dv = DataValidation(type="custom", formula1=f'OR({ref}="{NA_WORD}",AND({",".join(conds)}))')
            else:
                kind = "whole" if typ == "int" else "decimal"
                if lo is not None and hi is not None:
                    dv = DataValidation(type=kind, operator="between", formula1=_f(lo), formula2=_f(hi))
                elif lo is not None:
                    dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=_f(lo))
                elif hi is not None:
                    dv = DataValidation(type=kind, operator="lessThanOrEqual", formula1=_f(hi))
                else:
                    dv = DataValidation(type=kind, operator="between", formula1="-1E+15", formula2="1E+15")
        elif typ == "date":
            if allow_na:
                dv = DataValidation(type="custom", formula1=f'OR({ref}="{NA_WORD}",ISNUMBER({ref}))')
            else:
                dv = DataValidation(type="date", operator="between", formula1="1", formula2="2958465")
        if dv is None:
            return
        dv.allow_blank = True           # blanks are the engine's to judge (required vs optional)
        dv.showErrorMessage = True
        dv.showInputMessage = True
        dv.errorStyle = "stop"
        dv.errorTitle = "填写有误"
        dv.error = f"“{title}”应为：{prompt}"[:255]
        dv.promptTitle = title[:32]
        dv.prompt = prompt[:255]
        ws.add_data_validation(dv)
        dv.add(sqref)

    def key_validation(self, ws: Worksheet, col: int, unit_col: int | None, title: str) -> None:
        """A ledger key must be unique (within a unit): a COUNTIF(S) rule on the key column."""
        k = get_column_letter(col)
        if unit_col is None:
            formula = f"COUNTIF(${k}:${k},{k}2)<=1"
        else:
            u = get_column_letter(unit_col)
            formula = f"COUNTIFS(${u}:${u},${u}2,${k}:${k},{k}2)<=1"
        dv = DataValidation(type="custom", formula1=formula, allow_blank=True, showErrorMessage=True,
                            showInputMessage=True, errorStyle="stop", errorTitle="编号重复",
                            error=f"“{title}”不能重复", promptTitle=title[:32], prompt=f"{title}：同一单位内不能重复")
        ws.add_data_validation(dv)
        dv.add(f"{k}2:{k}{LAST_ROW}")

    @staticmethod
    def comment(ws: Worksheet, row: int, col: int, text: str) -> None:
        c = Comment(text, "assess")
        c.width = 320
        c.height = 110
        ws.cell(row=row, column=col).comment = c

    # -- sheets

    def guide(self, wb: Workbook, per_unit: bool) -> None:
        s, m = self.s, self.s.meta
        ws = wb.create_sheet(SHEET_GUIDE, 0)
        sh = _Sheet(ws, {1: 110})
        lines: list[tuple[str, bool]] = [(f"{m.title} 填报模板", True)]
        period = f"{m.period.start.isoformat()} 至 {m.period.end.isoformat()}" if m.period else "见考核细则"
        lines += [(f"考核细则：{m.id}；考核时段：{period}", False),
                  (f"报送期限：{self.deadline or '按市安委办通知要求'}", False), ("", False),
                  ("一、要填写的工作表", True)]
        if per_unit:
            lines.append((f"· {SHEET_UNIT}：本单位编号、名称和类别（已填好并锁定，请勿修改；如有误请联系市安委办）。", False))
            lines.append((f"· {SHEET_VALUES}：每行一个填报项目，在“{V_VALUE}”列填写；"
                          f"“{V_RULE}”列写明类型、范围和能否留空，选中单元格也会提示。", False))
        else:
            lines.append((f"· {SHEET_REGISTER}：全部被考核单位，每行一个（单位编号、名称、类别）。", False))
            lines.append((f"· {SHEET_VALUES}：每行一个单位，每列一个填报项目（列名的批注写明要求）。", False))
        for inp in s.tables.values():
            key = f"；“{inp.key}”不能重复" if inp.key else ""
            lines.append((f"· {sheet_name(inp.label)}：{inp.label}，每行一条记录{key}。"
                          + ("" if per_unit else f"第一列填{UNIT_ID}。"), False))
        lines.append((f"· {SHEET_SELF}（可选）：本单位对每个考核项目的自评得分；评分结果会列出与自评不一致的项目及原因。", False))
        lines.append((f"· {SHEET_FINDINGS}：由考核组、评分单位填写（暗访督查扣分、评分单位打分），被考核单位无需填写。", False))
        lines += [("", False), ("二、怎么填", True),
                  ("· 只在白色单元格填写；灰色单元格（编号、名称、要求和说明）已锁定。", False),
                  ("· 数字不带单位；百分数写 87% 或 0.87（不要只写 87）；日期写 2020-12-31；是/否从下拉列表选择。", False),
                  (f"· {NA_WORD}：本单位确实没有该项工作（如辖区内没有煤矿），填“{NA_WORD}”，读取它的考核项目不扣分"
                   f"（按细则规定折算）。不要用 0 代替：0 表示有此项工作、数量为零。台账中不能填“{NA_WORD}”。", False),
                  ("· 留空：标“必填”的不能留空；标“可留空”的留空表示没有（如尚未整改完成的隐患，整改完成日期留空）；"
                   "标“留空按…计”的留空时按该值计。", False),
                  ("· 台账每行一条记录：不要合并单元格、不要插入小计或空行；可以复制粘贴，但请粘贴为“值”。", False),
                  ("· 单元格里的公式只读取其计算结果；宏不会被运行。", False),
                  ("", False), ("三、填报项目一览", True)]
        row = 1
        for text, bold in lines:
            sh.put(row, 1, text)
            if bold:
                ws.cell(row=row, column=1).font = TITLE_FONT if row == 1 else BOLD
            row += 1
        heads = ["编号", "填报项目", "类型", "计量单位", "填写要求", "说明"]
        for j, h in enumerate(heads, start=1):
            sh.put(row, j, h, header=True)
        row += 1
        for name, inp in s.scalar_inputs.items():
            for j, v in enumerate([name, inp.label, TYPE_NAMES.get(inp.type, inp.type), inp.unit or "",
                                   self.input_requirement(inp), inp.description or ""], start=1):
                sh.put(row, j, v)
            row += 1
        for inp in s.tables.values():
            row += 1
            sh.put(row, 1, f"台账：{inp.label}（工作表“{sheet_name(inp.label)}”）")
            ws.cell(row=row, column=1).font = BOLD
            row += 1
            for c, col in (inp.columns or {}).items():
                req = self.column_requirement(col) + ("；不能重复" if c == inp.key else "")
                for j, v in enumerate([c, col.label or c, TYPE_NAMES.get(col.type, col.type), col.unit or "", req,
                                       col.description or ""], start=1):
                    sh.put(row, j, v)
                row += 1
        sh.caps = {1: 16, 2: 50, 3: 10, 4: 10, 5: 50, 6: 50}
        sh.widths[1] = 16  # the notes above span the row: column A keeps a table width
        sh.fit()
        ws.sheet_view.showGridLines = False

    def input_requirement(self, inp: Input) -> str:
        return requirement(inp.type, lo=inp.min, hi=inp.max, values=inp.values, optional=inp.optional,
                           default=inp.default, allow_na=True)

    def column_requirement(self, col: Column) -> str:
        return requirement(col.type, lo=col.min, hi=col.max, values=col.values, optional=col.optional,
                           default=col.default)

    def unit_info(self, wb: Workbook, unit: str | None, data: DataSet | None) -> None:
        ws = wb.create_sheet(SHEET_UNIT)
        sh = _Sheet(ws)
        sh.headers([U_KEY, U_VALUE])
        filled = unit is not None and data is not None
        fields = data.fields.get(unit, {}) if data is not None and unit is not None else {}
        name = data.names.get(unit) if data is not None and unit is not None else None
        rows: list[tuple[str, Any, list[str] | None]] = [(UNIT_ID, unit, None), (UNIT_NAME, name, None)]
        rows += [(f.label, fields.get(k), f.values) for k, f in self.s.entity_fields.items()]
        for i, (k, v, values) in enumerate(rows, start=2):
            sh.put(i, 1, k, locked=True)
            sh.put(i, 2, v, fmt="@", locked=filled)
            if not filled and values:
                self.validation(wb, ws, f"B{i}", "str", values=values, title=k, prompt="从下拉列表选择",
                                sqref=f"B{i}")
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.freeze_panes = "A2"
        sh.fit(minimum=12)

    def register(self, wb: Workbook, data: DataSet | None) -> None:
        ws = wb.create_sheet(SHEET_REGISTER)
        sh = _Sheet(ws)
        fields = self.s.entity_fields
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
                self.validation(wb, ws, f"{letter}2", "str", values=f.values, title=f.label, prompt="从下拉列表选择",
                                sqref=f"{letter}2:{letter}{LAST_ROW}")
            self.comment(ws, 1, j, f"实体字段 {k}")
        self.key_validation(ws, 1, None, UNIT_ID)
        ws.freeze_panes = "C2"
        sh.fit(minimum=10)

    def values_vertical(self, wb: Workbook, unit: str | None, data: DataSet | None) -> None:
        ws = wb.create_sheet(SHEET_VALUES)
        sh = _Sheet(ws, {2: 48, 3: 20, 5: 40, 6: 40})
        sh.headers(VERTICAL_HEADERS)
        values = data.values.get(unit, {}) if data is not None and unit is not None else {}
        na = data.na.get(unit, set()) if data is not None and unit is not None else set()
        col = {h: j for j, h in enumerate(VERTICAL_HEADERS, start=1)}
        for i, (name, inp) in enumerate(self.s.scalar_inputs.items(), start=2):
            req = self.input_requirement(inp)
            sh.put(i, col[V_ID], name, locked=True)
            sh.put(i, col[V_LABEL], inp.label, locked=True)
            sh.put(i, col[V_UNIT], inp.unit or "", locked=True)
            sh.put(i, col[V_RULE], req, locked=True)
            sh.put(i, col[V_DESC], inp.description or "", locked=True)
            v = NA_WORD if name in na else excel_value(values.get(name), inp.type)
            sh.put(i, col[V_VALUE], v, fmt=FORMATS.get(inp.type), locked=False)
            ref = f"{get_column_letter(col[V_VALUE])}{i}"
            self.validation(wb, ws, ref, inp.type, lo=inp.min, hi=inp.max, values=inp.values, allow_na=True,
                            title=inp.label, prompt=req, sqref=ref)
        sh.widths[col[V_VALUE]] = max(sh.widths.get(col[V_VALUE], 0), 16)
        ws.protection.sheet = True
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
        ws.freeze_panes = "C2"
        sh.fit()

    def values_horizontal(self, wb: Workbook, data: DataSet | None) -> None:
        ws = wb.create_sheet(SHEET_VALUES)
        sh = _Sheet(ws, {j: 24 for j in range(3, 3 + len(self.s.scalar_inputs))})
        inputs = list(self.s.scalar_inputs.items())
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
            req = self.input_requirement(inp)
            unit = f"（单位：{inp.unit}）" if inp.unit else ""
            self.comment(ws, 1, j, f"{name}{unit}\n{req}" + (f"\n{inp.description}" if inp.description else ""))
            self.validation(wb, ws, f"{letter}2", inp.type, lo=inp.min, hi=inp.max, values=inp.values, allow_na=True,
                            title=inp.label, prompt=req, sqref=f"{letter}2:{letter}{LAST_ROW}")
            ws.column_dimensions[letter].number_format = FORMATS.get(inp.type, "General")
        self.unit_list(ws, 1)
        if ids:
            ws.protection.sheet = True     # one row per registered unit: ids and names locked
            ws.protection.formatColumns = False
            ws.protection.formatRows = False
        ws.freeze_panes = "C2"
        ws.row_dimensions[1].height = 60
        sh.fit(minimum=10)

    def unit_list(self, ws: Worksheet, col: int) -> None:
        """In a consolidated workbook, a unit column accepts the ids of the 单位名册 sheet."""
        letter = get_column_letter(col)
        dv = DataValidation(type="list", formula1=f"{quote_sheetname(SHEET_REGISTER)}!$A$2:$A$10000",
                            allow_blank=True, showErrorMessage=True, errorStyle="stop", errorTitle="单位编号有误",
                            error="请填写单位名册中的单位编号", showInputMessage=True, promptTitle=UNIT_ID,
                            prompt="单位名册中的单位编号")
        ws.add_data_validation(dv)
        dv.add(f"{letter}2:{letter}{LAST_ROW}")

    def ledger(self, wb: Workbook, table: str, rows: Iterable[tuple[str, dict[str, Any]]], with_unit: bool) -> None:
        inp = self.s.inputs[table]
        columns = dict(inp.columns or {})
        ws = wb.create_sheet(sheet_name(inp.label))
        sh = _Sheet(ws)
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
            req = self.column_requirement(col)
            ws.column_dimensions[letter].number_format = FORMATS.get(col.type, "General")
            self.comment(ws, 1, j, req + ("；不能重复" if c == inp.key else "")
                         + (f"\n{col.description}" if col.description else ""))
            if c == inp.key and col.type == "str" and not col.values:
                self.key_validation(ws, j, 1 if with_unit else None, title)
            else:
                self.validation(wb, ws, f"{letter}2", col.type, lo=col.min, hi=col.max, values=col.values,
                                title=title, prompt=req, sqref=f"{letter}2:{letter}{LAST_ROW}")
            sh.widths[j] = max(sh.widths.get(j, 0), 12 if col.type == "date" else 8)
        if with_unit:
            self.unit_list(ws, 1)
        ws.freeze_panes = f"{get_column_letter(first)}2" if with_unit else "A2"
        ws.row_dimensions[1].height = 30
        if r > 1:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{r}"
        sh.fit()

    def findings(self, wb: Workbook, rows: Iterable[tuple[str, dict[str, Any]]], with_unit: bool) -> None:
        ws = wb.create_sheet(SHEET_FINDINGS)
        first = 2 if with_unit else 1
        sh = _Sheet(ws, {first + 3: 50, first + 5: 40})   # 事由, 依据
        cols = list(FINDINGS_COLUMNS.items())
        sh.headers(([UNIT_ID] if with_unit else []) + [c for c, _ in cols])
        for r, (unit, row) in enumerate(rows, start=2):
            if with_unit:
                sh.put(r, 1, unit, fmt="@")
            for j, (c, col) in enumerate(cols, start=first):
                sh.put(r, j, excel_value(row.get(c), col.type), fmt=FORMATS.get(col.type))
        targets = [i.id for i in self.s.items] + [a.id for a in self.s.adjustments()]
        for j, (c, col) in enumerate(cols, start=first):
            letter = get_column_letter(j)
            ws.column_dimensions[letter].number_format = FORMATS.get(col.type, "General")
            self.comment(ws, 1, j, FINDINGS_NOTES.get(c, c) + "\n（由考核组、评分单位填写）")
            if c == "考核项目":
                self.validation(wb, ws, f"{letter}2", "str", values=targets, title=c, prompt=FINDINGS_NOTES[c],
                                sqref=f"{letter}2:{letter}{LAST_ROW}")
            elif col.type == "number":
                self.validation(wb, ws, f"{letter}2", "number", lo=col.min, title=c, prompt=FINDINGS_NOTES[c],
                                sqref=f"{letter}2:{letter}{LAST_ROW}")
            sh.widths[j] = max(sh.widths.get(j, 0), 10)
        if with_unit:
            self.unit_list(ws, 1)
        ws.freeze_panes = f"{get_column_letter(first)}2" if with_unit else "A2"
        sh.fit()

    def self_scores(self, wb: Workbook, units: list[tuple[str | None, str | None]], data: DataSet | None,
                    with_unit: bool) -> None:
        ws = wb.create_sheet(SHEET_SELF)
        off = 2 if with_unit else 0
        sh = _Sheet(ws, {off + 2: 40})
        sh.headers(([UNIT_ID, UNIT_NAME] if with_unit else []) + [S_ITEM, S_NAME, S_POINTS, S_SCORE])
        r = 1
        items = self.s.items
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

    # -- workbooks

    def unit_book(self, unit: str | None, data: DataSet | None) -> Workbook:
        wb = self.book()
        self.unit_info(wb, unit, data)
        self.values_vertical(wb, unit, data)
        for t in self.s.tables:
            self.ledger(wb, t, _ledger_rows(data, t, unit) if unit is not None else [], with_unit=False)
        self.self_scores(wb, [(unit, None)], data, with_unit=False)
        self.findings(wb, _ledger_rows(data, "findings", unit) if unit is not None else [], with_unit=False)
        self.guide(wb, per_unit=True)
        _activate(wb, SHEET_VALUES)
        return wb

    def consolidated_book(self, data: DataSet | None) -> Workbook:
        wb = self.book()
        self.register(wb, data)
        self.values_horizontal(wb, data)
        for t in self.s.tables:
            self.ledger(wb, t, _ledger_rows(data, t, None), with_unit=True)
        units: list[tuple[str | None, str | None]] = [(u, data.names.get(u)) for u in data.ids] if data else []
        self.self_scores(wb, units, data, with_unit=True)
        self.findings(wb, _ledger_rows(data, "findings", None), with_unit=True)
        self.guide(wb, per_unit=False)
        _activate(wb, SHEET_VALUES)
        return wb

    def register_book(self, data: DataSet) -> Workbook:
        wb = self.book()
        self.register(wb, data)
        return wb


def _activate(wb: Workbook, name: str) -> None:
    """Open on one sheet (only one tab selected: several would open grouped, and edits would hit them all)."""
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = False
    wb.active = wb.sheetnames.index(name)
    wb[name].sheet_view.tabSelected = True


def _f(d: Any) -> str:
    return f"{Decimal(d).normalize():f}"


def _ledger_rows(data: DataSet | None, table: str, unit: str | None) -> list[tuple[str, dict[str, Any]]]:
    if data is None or table not in data.ledgers:
        return []
    frame = data.ledgers[table].frame
    if unit is not None:
        frame = frame[frame["entity"] == unit]
    cols = [c for c in frame.columns if not str(c).startswith("_") and c != "entity"]
    return [(str(e), dict(zip(cols, rest, strict=True)))
            for e, *rest in frame[["entity", *cols]].itertuples(index=False, name=None)]


def _save(wb: Workbook, path: Path) -> None:
    write_atomic_with(path, lambda tmp: wb.save(tmp))


def unit_book_names(data: DataSet) -> dict[str, str]:
    """unit id -> its workbook's file name: '编号_名称.xlsx', cut to the file-name limit, unique."""
    texts = [REGISTER_BOOK.removesuffix(".xlsx"), *(f"{u}_{data.names.get(u, u)}" for u in data.ids)]
    return dict(zip(data.ids, unique_file_names(texts, ".xlsx")[1:], strict=True))


def unit_book_paths(data: DataSet, folder: Path) -> list[Path]:
    """Every file `write_unit_books` writes (to check them against the inputs before writing)."""
    return [folder / REGISTER_BOOK, *(folder / name for name in unit_book_names(data).values())]


def write_template(scheme: Scheme, path: Path, *, deadline: str | None = None, consolidated: bool = False) -> Path:
    """A blank template: one unit's workbook (it fills in its own id), or a consolidated one."""
    w = _Writer(scheme, deadline)
    _save(w.consolidated_book(None) if consolidated else w.unit_book(None, None), path)
    return path


def write_unit_books(scheme: Scheme, data: DataSet, folder: Path, *, deadline: str | None = None) -> list[Path]:
    """单位名册.xlsx and one workbook per unit (pre-filled with whatever `data` holds; id and name locked)."""
    w = _Writer(scheme, deadline)
    out = [folder / REGISTER_BOOK]
    _save(w.register_book(data), out[0])
    for u, name in unit_book_names(data).items():
        path = folder / name
        _save(w.unit_book(u, data), path)
        out.append(path)
    return out


def write_consolidated(scheme: Scheme, data: DataSet, folder: Path, *, deadline: str | None = None) -> list[Path]:
    path = folder / CONSOLIDATED_BOOK
    _save(_Writer(scheme, deadline).consolidated_book(data), path)
    return [path]
