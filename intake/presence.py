"""Every ledger the scheme declares must be in the data set: an absent one is an error, never no rows.

A ledger file deleted from a CSV folder, or a ledger sheet deleted or renamed in a unit's workbook, would
otherwise read as a ledger without records and change the unit's points without a word. An empty ledger
(its header only) is a legitimate zero; a ledger the scheme marks `optional: true` may be absent.
"""

from __future__ import annotations

from common.problems import Problems
from intake.layout import SHEET_VALUES, sheet_name
from intake.raw import Raw
from rules.language.scheme import Scheme


def check_ledgers(scheme: Scheme, raw: Raw, problems: Problems) -> None:
    """Report every required ledger absent from the data set (per unit workbook when units sent books)."""
    for name, inp in scheme.tables.items():
        if inp.optional or (name, None) in raw.found:
            continue
        if raw.books:
            for book, unit in raw.books.items():
                if (name, unit) not in raw.found:
                    problems.add(f"单位“{unit}”的工作簿缺少台账工作表“{sheet_name(inp.label)}”（{name}）：工作表被删除或"
                                 "改名时，台账会被当作没有记录而影响得分；请按模板恢复该工作表（没有记录时保留表头、不填行）",
                                 file=book, entity=unit, code="missing-ledger")
            continue
        where = raw.where or None
        form = "工作表" if where and where.lower().endswith((".xlsx", ".xlsm", ".xls")) else "文件"
        file_hint = f"“{sheet_name(inp.label)}”工作表" if form == "工作表" else f"“{name}.csv”"
        problems.add(f"数据中缺少台账“{inp.label}”（{name}）：请补上{file_hint}（没有记录时只写表头）；缺少的台账"
                     "不会被当作没有记录", file=where, code="missing-ledger")
    for book, unit in raw.books.items():
        if ("values", unit) not in raw.found and ("values", None) not in raw.found:
            problems.add(f"单位“{unit}”的工作簿缺少“{SHEET_VALUES}”工作表：请按模板恢复该工作表并填报", file=book,
                         entity=unit, code="missing-sheet")
