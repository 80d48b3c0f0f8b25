"""The Excel form of a data set: sheet names, headers and the wording of what each cell wants.

The template writer (`intake.workbook`) and the reader (`intake.excel`) share these, so a generated
workbook always reads back. Two layouts (see docs/excel.md):

- per-unit workbook: 单位信息 (this unit's id, name, fields), 填报数据 with one input a row (编号, 填报项目,
  填报值, 计量单位, 填写要求, 填写说明), one sheet per ledger, 自评分 (one item a row), 考核扣分记录;
  rows need no unit column: every row is the workbook's unit.
- consolidated workbook: 单位名册, 填报数据 with one unit a row (单位编号, 单位名称, then one column per input),
  ledgers, 自评分 and 考核扣分记录 with a 单位编号 column.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from rules.language.model import Column, Input

SHEET_GUIDE = "填报说明"
SHEET_UNIT = "单位信息"
SHEET_REGISTER = "单位名册"
SHEET_VALUES = "填报数据"
SHEET_FINDINGS = "考核扣分记录"
SHEET_SELF = "自评分"
SHEET_LISTS = "取值列表"      # hidden: long lists of allowed values for data validation
SHEET_PROBLEMS = "问题清单"   # added to annotated copies by `assess check --annotate`

REGISTER_BOOK = "单位名册.xlsx"
CONSOLIDATED_BOOK = "填报数据汇总.xlsx"

UNIT_ID = "单位编号"
UNIT_NAME = "单位名称"

# The per-unit 填报数据 sheet: one input a row.
V_ID, V_LABEL, V_UNIT, V_DESC, V_RULE, V_VALUE = "编号", "填报项目", "计量单位", "填写说明", "填写要求", "填报值"
VERTICAL_HEADERS = [V_ID, V_LABEL, V_VALUE, V_UNIT, V_RULE, V_DESC]   # the cell to fill next to its label
# The 单位信息 sheet: one field a row.
U_KEY, U_VALUE = "项目", "内容"
# The 自评分 sheet.
S_ITEM, S_NAME, S_POINTS, S_SCORE = "项目编号", "项目名称", "分值", "自评分"

IGNORED_SHEETS = {SHEET_GUIDE, SHEET_LISTS, SHEET_PROBLEMS, "说明"}
NA_WORD = "不涉及"

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
TYPE_NAMES = {"int": "整数", "number": "数值", "percent": "百分数", "bool": "是/否", "date": "日期", "str": "文本"}


def sheet_name(label: str) -> str:
    """A sheet name Excel accepts (at most 31 characters, none of []:*?/\\)."""
    return _BAD_SHEET_CHARS.sub("_", label).strip("'")[:31] or "Sheet"


def _num(d: Any, typ: str) -> str:
    if d is None:
        return ""
    if typ == "percent":
        return f"{(Decimal(d) * 100).normalize():f}%"
    return f"{Decimal(d).normalize():f}"


def requirement(typ: str, *, lo: Any = None, hi: Any = None, values: list[str] | None = None,
                optional: bool = False, default: Any = None, allow_na: bool = False) -> str:
    """What a cell wants, in a sentence a filler reads: type, range or allowed values, blank and 不涉及."""
    if values:
        parts = [f"从下拉列表选择：{'、'.join(values)}"]
    elif typ == "percent":
        parts = ["百分数，如 87% 或 0.87（不要只写 87）"]
    elif typ == "date":
        parts = ["日期，如 2020-12-31"]
    elif typ == "bool":
        parts = ["填“是”或“否”"]
    else:
        parts = [TYPE_NAMES.get(typ, typ)]
    if typ in ("int", "number", "percent"):
        if lo is not None and hi is not None:
            parts.append(f"{_num(lo, typ)}～{_num(hi, typ)}")
        elif lo is not None:
            parts.append(f"不小于{_num(lo, typ)}")
        elif hi is not None:
            parts.append(f"不大于{_num(hi, typ)}")
    if default is not None:
        shown = ("是" if default else "否") if isinstance(default, bool) else default
        parts.append(f"留空按“{shown}”计")
    elif optional:
        parts.append("可留空")
    else:
        parts.append("必填")
    if allow_na:
        parts.append("无此项工作可填“不涉及”")
    return "；".join(parts)


def input_requirement(inp: Input) -> str:
    """What a scalar input's cell wants (不涉及 allowed: an input may not apply to a unit)."""
    return requirement(inp.type, lo=inp.min, hi=inp.max, values=inp.values, optional=inp.optional,
                       default=inp.default, allow_na=True)


def column_requirement(col: Column) -> str:
    """What a ledger column's cell wants (no 不涉及: a ledger without records simply has no rows)."""
    return requirement(col.type, lo=col.min, hi=col.max, values=col.values, optional=col.optional,
                       default=col.default)
