"""Self-scores (自评分): a unit's own score for each item, compared with its result, never scored.

They come as `自评分:<item>` columns of a values table or as a 自评分 sheet (one item a row). Being only
for comparison, a bad one is a warning and is left out, never an error that stops scoring.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from common.problems import Problems, did_you_mean
from intake.cell_problems import Assembly
from intake.columns import unit_column, units_of
from intake.convert import convert_column, is_blank
from intake.raw import SELF_SCORE_COLUMN, SELF_SCORE_ITEM_COLUMNS, SELF_SCORE_PREFIX, RawTable


def self_scores(asm: Assembly, ids: list[str]) -> dict[str, dict[str, Any]]:
    """unit -> item -> 自评分, from 自评分:<item> columns and 自评分 sheets alike."""
    out: dict[str, dict[str, Any]] = {}
    item_ids = {i.id for i in asm.scheme.items}
    for t in asm.raw.of("values"):
        ucol = unit_column(t, Problems())
        units = units_of(t, ucol)
        for h in t.frame.columns:
            hs = str(h).replace("：", ":")  # a full-width colon is what a Chinese keyboard types
            if not hs.startswith(SELF_SCORE_PREFIX):
                continue
            item = hs[len(SELF_SCORE_PREFIX):].strip()
            if item not in item_ids:
                asm.problems.add(f"自评分列“{hs}”的项目编号“{item}”不存在{did_you_mean(item, sorted(item_ids))}",
                                 file=t.origin.file, sheet=t.origin.sheet, row=1, column=hs, level="warning",
                                 code="unknown-item")
                continue
            vals, _, errs = convert_column(t.frame[h].tolist(), "number", optional=True)
            for e in errs:
                asm.cell(t, e.pos, hs, e.value, e.message, level="warning")
            for pos, u in enumerate(units):
                if u in ids and vals[pos] is not None:
                    out.setdefault(u, {})[item] = vals[pos]
    for t in asm.raw.of("self_scores"):
        self_score_table(asm, t, ids, out)
    return out


def self_score_table(asm: Assembly, t: RawTable, ids: list[str], out: dict[str, dict[str, Any]]) -> None:
    """A 自评分 sheet: one row an item (项目编号, 自评分; 单位编号 unless the workbook is one unit's)."""
    items = {i.id: i for i in asm.scheme.items}
    ucol = unit_column(t, asm.problems)
    if ucol is None and t.unit is None:
        return
    units = units_of(t, ucol)
    headers = [str(c) for c in t.frame.columns]
    icol = next((h for h in headers if h.strip() in SELF_SCORE_ITEM_COLUMNS), None)
    scol = next((h for h in headers if h.strip() == SELF_SCORE_COLUMN), None)
    if icol is None or scol is None:
        missing = "、".join(n for n, c in ((SELF_SCORE_ITEM_COLUMNS[0], icol), (SELF_SCORE_COLUMN, scol)) if c is None)
        asm.problems.add(f"自评分表缺少“{missing}”列，自评分未读取；请按模板填写", file=t.origin.file,
                         sheet=t.origin.sheet, row=1, level="warning", code="missing-column")
        return
    vals, _, errs = convert_column(t.frame[scol].tolist(), "number", optional=True, lo=Decimal(0))
    for e in errs:
        asm.cell(t, e.pos, scol, e.value, f"自评分{e.message}，该项自评分未读取", unit=units[e.pos],
                 level="warning")
    known = set(ids)
    for pos, raw_item in enumerate(t.frame[icol].tolist()):
        v = vals[pos]
        if v is None or is_blank(raw_item):
            continue
        u, item_id = units[pos], str(raw_item).strip()
        if u not in known:
            continue   # reported with the unit's other data
        item = items.get(item_id)
        if item is None:
            asm.cell(t, pos, icol, raw_item, f"项目编号“{item_id}”不存在{did_you_mean(item_id, sorted(items))}，"
                     "该行自评分未读取", unit=u, level="warning", code="unknown-item")
            continue
        if v > item.points:
            asm.cell(t, pos, scol, v, f"自评分{v}超过项目{item_id}的分值{item.points}", unit=u, level="warning",
                     code="self-score-range")
        out.setdefault(u, {})[item_id] = v
