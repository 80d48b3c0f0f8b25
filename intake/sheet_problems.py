"""What can be wrong with a workbook or a sheet as found, before its tables are read: a book the reader cannot
open (said in the user's words), cells holding no usable value (marked where the reader saw blanks), merged
cells over the table (one value kept, the others lost)."""

from __future__ import annotations

import pandas as pd

from common.problems import Problems
from intake import xlsxguard


def mark_bad_cells(grid: pd.DataFrame, scan: xlsxguard.SheetScan, display: str, sheet: str,
                    problems: Problems) -> pd.DataFrame:
    """Put the scan's markers where the reader saw blanks: converting such a cell reports it where it is."""
    grid = grid.copy()
    for (row, col), marker in scan.bad.items():
        if row - 1 < grid.shape[0] and col - 1 < grid.shape[1]:
            grid.iat[row - 1, col - 1] = marker  # type: ignore[assignment]
        else:
            problems.add(marker.message, file=display, sheet=sheet, row=row,
                         column=f"{xlsxguard.column_letters(col)}列", code="bad-cell")
    return grid


def why_unreadable(err: Exception) -> str:
    """What the reader's (English) error means, in the user's words; the reader's text is no help to them."""
    text = str(err).lower()
    if "detect file format" in text or "zip" in text or "not a zip" in text or ("invalid" in text and "header" in text):
        return "内容不是 xlsx 格式，或文件不完整"
    if "xml" in text or "entity" in text:
        return "工作簿内部的 XML 内容有误"
    if "password" in text or "encrypt" in text:
        return "工作簿设置了打开密码"
    return "读取器无法解析此文件"


def merged_cells(merges: list[tuple[int, int, int, int]], header_row: int, col_index: dict[str, int],
                  display: str, sheet: str, problems: Problems) -> None:
    """Merged cells at or below the header: one value is kept, the others are lost without a word."""
    by_col = {j: h for h, j in col_index.items()}
    for r0, c0, r1, c1 in merges:
        if r1 < header_row:
            continue   # a title above the table
        ref = f"{xlsxguard.column_letters(c0)}{r0}:{xlsxguard.column_letters(c1)}{r1}"
        problems.add(f"单元格 {ref} 被合并：合并后只保留左上角单元格的值，其余单元格的值会丢失；请取消合并，每个单元格分别填写",
                     file=display, sheet=sheet, row=r0, column=by_col.get(c0, f"{xlsxguard.column_letters(c0)}列"),
                     code="merged-cells")
