"""The results workbook (results.xlsx): 汇总, 明细, 扣分说明, 数据问题 — formatted to print on A4 landscape.

Scores are stored as numbers (exact decimals) and shown with the scheme's decimals by a number format,
so a reader can still sum them in Excel; 不适用 is shown as text.
"""

from __future__ import annotations

import io
import math
from typing import Any

from openpyxl import Workbook

from reports.scoresheet import unit_sheets
from reports.summary import KIND_TEXT, base_title, evidence_text, problem_level, veto_marks
from reports.xlsx_sheet import ITEM_WIDTH, NOT_APPLICABLE
from reports.xlsx_sheet import Sheet as _Sheet
from reports.xlsx_sheet import formats as _formats
from reports.xlsx_sheet import width as _width
from scoring.pipeline import Results


def _summary_sheet(wb: Workbook, results: Results, fmt_score: str) -> None:
    s = results.scheme
    sh = _Sheet(wb, "汇总", f"{base_title(s)}结果汇总（{len(results.units)}个单位）", first=True)
    cats = s.categories
    sh.header(["名次", "编号", "单位", "总分", "等次", "基础分", "加分", "扣分",
               *[f"{c.name}（{c.id}）" for c in cats], "否决/限制评优", "等次说明"])
    numeric = {4, 6, 7, 8, *range(9, 9 + len(cats))}
    formats = dict.fromkeys(numeric, fmt_score)
    for r in results.units:
        marks = "；".join(f"{m.name}（{m.effect}）" for m in veto_marks(results, r))
        sh.row([r.rank, r.entity, r.name, r.total, r.grade or "", r.base, r.bonus, r.penalty,
                *[r.categories.get(c.id, "—") for c in cats], marks, "；".join(r.grade_notes)], formats)
    caps = {c: 10 for c in range(9, 9 + len(cats))} | {9 + len(cats): 30, 10 + len(cats): 36}
    sh.finish("D3", caps=caps, title_cols="A:C")


def _detail_sheet(wb: Workbook, results: Results, fmt_score: str) -> None:
    """Units × items; when some unit gave self-scores, each item has two columns: 考核得分 and 自评分."""
    s = results.scheme
    sh = _Sheet(wb, "明细", f"{base_title(s)}各项目得分明细")
    items = s.items
    k = 2 if any(r.self_scores for r in results.units) else 1
    pad: list[Any] = [None] * (k - 1)
    head_cat: list[Any] = ["名次", "编号", "单位"]
    for c in s.categories:
        head_cat += [f"{c.name}（{c.id}）"] + [None] * (k * len(c.items) - 1)
    sh.header(head_cat)
    sh.header(["", "", "", *[x for i in items for x in [f"{i.id} {i.name}", *pad]]])
    sh.header(["满分", "", "", *[x for i in items for x in [i.points, *pad]]])
    if k == 2:
        sh.header(["", "", "", *["考核得分", "自评分"] * len(items)])
    ws = sh.ws
    col = 4
    for c in s.categories:
        if k * len(c.items) > 1:
            ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + k * len(c.items) - 1)
        col += k * len(c.items)
    if k == 2:
        for n in range(len(items)):
            for row in (3, 4):
                ws.merge_cells(start_row=row, start_column=4 + 2 * n, end_row=row, end_column=5 + 2 * n)
    for c0 in (1, 2, 3):
        ws.merge_cells(start_row=2, start_column=c0, end_row=3, end_column=c0)
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=3)
    for cell in ws[4][3:]:
        cell.number_format = "0.##"
    formats = {c: fmt_score for c in range(4, 4 + k * len(items))}
    for r in results.units:
        cells: list[Any] = []
        for i in items:
            cells.append(r.items[i.id] if r.items.get(i.id) is not None else NOT_APPLICABLE)
            if k == 2:
                cells.append(r.self_scores.get(i.id, ""))
        sh.row([r.rank, r.entity, r.name, *cells], formats)
    caps = {c: ITEM_WIDTH for c in range(4, 4 + k * len(items))}
    sh.finish("D6" if k == 2 else "D5", caps=caps, title_cols="A:C")
    lines = max((math.ceil(_width(f"{i.id} {i.name}") / (k * ITEM_WIDTH - 1)) for i in items), default=1)
    ws.row_dimensions[3].height = 13.5 * min(lines, 8)


def _events_sheet(wb: Workbook, results: Results, fmt_event: str) -> None:
    s = results.scheme
    sh = _Sheet(wb, "扣分说明", f"{base_title(s)}扣分（加分）说明")
    sh.header(["名次", "编号", "单位", "项目编号", "项目名称", "分值变动", "类型", "理由", "条款", "依据数据", "评分单位"])
    cat_names = {c.id: c.name for c in s.categories}
    adjust_names = {a.id: a.name for a in s.adjustments()}
    n = 0
    for r in results.units:
        for e in r.events:
            item = s.item(e.item) if e.item else None
            if item is not None:
                name = item.name
            else:
                owner = e.rule.split(".")[0].split(":")[-1]
                name = cat_names.get(e.category or owner) or adjust_names.get(owner) or ""
            sh.row([r.rank, r.entity, r.name, e.item or e.category or e.rule, name, e.points,
                    KIND_TEXT.get(e.kind, e.kind), e.reason, e.clause or "", evidence_text(e.evidence, s),
                    e.scorer or ""], {6: fmt_event})
            n += 1
    if n == 0:
        sh.row(["", "", "本次考核没有扣分或加分事件"])
    sh.finish("D3", caps={5: 20, 7: 12, 8: 50, 10: 40, 11: 16}, title_cols="A:C")


def _problems_sheet(wb: Workbook, results: Results) -> None:
    sh = _Sheet(wb, "数据问题", f"{base_title(results.scheme)}数据问题")
    sh.header(["序号", "级别", "位置", "单位", "说明", "代码"])
    names = {r.entity: r.name for r in results.units}
    for i, p in enumerate(results.problems.items, 1):
        unit = f"{names.get(p.entity, '')}（{p.entity}）" if p.entity else ""
        sh.row([i, problem_level(p), p.where(), unit, p.message, p.code])
    if not results.problems.items:
        sh.row(["", "", "", "", "未发现数据问题", ""])
    sh.finish("A3", caps={3: 36, 5: 70})


def build_workbook(results: Results) -> bytes:
    """The workbook as bytes (the caller writes it atomically)."""
    fmt_score, fmt_event = _formats(results.scheme.meta.decimals)
    wb = Workbook()
    _summary_sheet(wb, results, fmt_score)
    _detail_sheet(wb, results, fmt_score)
    _events_sheet(wb, results, fmt_event)
    _problems_sheet(wb, results)
    unit_sheets(wb, results, fmt_score)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
