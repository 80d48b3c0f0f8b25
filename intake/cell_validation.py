"""Excel data validation of the cells a unit fills in: type, range and allowed values (不涉及 where the
engine accepts it), unique ledger keys, unit ids from the register, and an input prompt for each.

These only catch slips while typing: the engine (`intake.assemble`) checks every cell again when the
workbook is read back.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from common.formulas import set_cell
from intake.layout import NA_WORD, SHEET_LISTS, SHEET_REGISTER, UNIT_ID

LAST_ROW = 1048576                      # data validation of a column covers every row a user may add


class Validations:
    """The data validations of one workbook being written. Lists of allowed values too long to write in the
    rule go to its hidden 取值列表 sheet, created when first needed (a fresh instance for each workbook)."""

    def __init__(self) -> None:
        self.lists: Worksheet | None = None
        self.lists_col = 0

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

    def add_rule(self, wb: Workbook, ws: Worksheet, ref: str, typ: str, *, lo: Any = None, hi: Any = None,
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
                    conds.append(f"{ref}>={number_text(lo)}")
                if hi is not None:
                    conds.append(f"{ref}<={number_text(hi)}")
                dv = DataValidation(type="custom", formula1=f'OR({ref}="{NA_WORD}",AND({",".join(conds)}))')
            else:
                kind = "whole" if typ == "int" else "decimal"
                if lo is not None and hi is not None:
                    dv = DataValidation(type=kind, operator="between", formula1=number_text(lo),
                                        formula2=number_text(hi))
                elif lo is not None:
                    dv = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=number_text(lo))
                elif hi is not None:
                    dv = DataValidation(type=kind, operator="lessThanOrEqual", formula1=number_text(hi))
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


def key_validation(ws: Worksheet, col: int, unit_col: int | None, title: str) -> None:
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


def unit_list(ws: Worksheet, col: int) -> None:
    """In a consolidated workbook, a unit column accepts the ids of the 单位名册 sheet."""
    letter = get_column_letter(col)
    dv = DataValidation(type="list", formula1=f"{quote_sheetname(SHEET_REGISTER)}!$A$2:$A$10000",
                        allow_blank=True, showErrorMessage=True, errorStyle="stop", errorTitle="单位编号有误",
                        error="请填写单位名册中的单位编号", showInputMessage=True, promptTitle=UNIT_ID,
                        prompt="单位名册中的单位编号")
    ws.add_data_validation(dv)
    dv.add(f"{letter}2:{letter}{LAST_ROW}")


def number_text(d: Any) -> str:
    """A bound as a validation formula writes it: plain decimal digits, no exponent, no trailing zeros."""
    return f"{Decimal(d).normalize():f}"
