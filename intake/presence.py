"""Every ledger the scheme declares must be in the data set: an absent one is an error, never no rows.

A ledger file deleted from a CSV folder, or a ledger sheet deleted or renamed in a unit's workbook, would
otherwise read as a ledger without records and change the unit's points without a word. An empty ledger
(its header only) is a legitimate zero; a ledger the scheme marks `optional: true` may be absent.
"""

from __future__ import annotations

from common.problems import Problems
from intake.layout import SHEET_FINDINGS, SHEET_VALUES, sheet_name
from intake.raw import Raw
from rules.language.scheme import Scheme


def check_ledgers(scheme: Scheme, raw: Raw, problems: Problems, *, scorers_records: bool = True) -> None:
    """Report every required ledger absent from the data set (per unit workbook when units sent books);
    `scorers_records`: the scorers' records must be there too (not so for a unit checking its own data)."""
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
    if scorers_records:
        _check_findings(scheme, raw, problems)
    for book, unit in raw.books.items():
        if ("values", unit) not in raw.found and ("values", None) not in raw.found:
            problems.add(f"单位“{unit}”的工作簿缺少“{SHEET_VALUES}”工作表：请按模板恢复该工作表并填报", file=book,
                         entity=unit, code="missing-sheet")


def _check_findings(scheme: Scheme, raw: Raw, problems: Problems) -> None:
    """The scorers' records (考核扣分记录) are required when an item is scored by others (`assessed`): without
    the file or sheet, every such item would score as if no scorer had a record (full marks, or 0 for `award`)."""
    assessed = [it.id for it in scheme.items if it.assessed is not None]
    if not assessed or ("findings", None) in raw.found:
        return
    items = "、".join(assessed[:8]) + ("等" if len(assessed) > 8 else "")
    if raw.books:
        for book, unit in raw.books.items():
            if ("findings", unit) not in raw.found:
                problems.add(f"单位“{unit}”的工作簿缺少“{SHEET_FINDINGS}”工作表：{items} 由评分单位评分，没有这张表就无从知道"
                             "有没有扣分记录；请按模板恢复该工作表（没有记录时保留表头、不填行）", file=book, entity=unit,
                             code="missing-ledger")
        return
    where = raw.where or None
    form = f"“{SHEET_FINDINGS}”工作表" if where and where.lower().endswith((".xlsx", ".xlsm", ".xls")) else "“findings.csv”"
    problems.add(f"数据中缺少考核扣分记录（{form}）：{items} 由评分单位评分，没有这份记录就无从知道有没有扣分；请补上"
                 "（没有记录时只写表头）", file=where, code="missing-ledger")
