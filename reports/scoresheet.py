"""The 评分表 of each unit, one sheet per unit in the results workbook, in the columns offices score on:
考核项目 / 评分标准 / 分值 / 自评分 (when the unit gave self-scores) / 考核得分 / 扣分说明 / 评分单位.

评分标准 is the item's clause and standard (`reports.standard`); 扣分说明 lists every event of the item with
its points; 评分单位 is who scored the item in the findings ledger (考核扣分记录的“评分单位”), the only
place a scheme's data names a scorer. Bonus and penalty events and the total close the sheet.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from reports.sheetnames import sheet_name
from reports.standard import item_standard
from reports.summary import base_title
from reports.xlsx_sheet import HEAD_FONT, NOT_APPLICABLE, Sheet
from rules.language.scheme import CItem
from scoring.events import Event, fmt
from scoring.periods import RULE_LABELS
from scoring.pipeline import Results
from scoring.totals import UnitResult

MAX_UNIT_SHEETS = 300   # a sheet per unit is what a city or a province office prints; beyond, the workbook
                        # would grow by ~15 ms and tens of KB a unit for sheets no one prints
HEADERS = ["考核项目", "评分标准", "分值", "自评分", "考核得分", "扣分说明", "评分单位"]


def _reasons(events: list[Event]) -> str:
    """The events' reasons, which already say the points moved."""
    return "；".join(e.reason for e in events)


def _scorers(item: CItem, events: list[Event]) -> str:
    """Who scored the item: the findings' 评分单位, else the scorer the scheme states for an assessed item."""
    named = "、".join(dict.fromkeys(e.scorer for e in events if e.scorer))
    return named or (item.assessed.scorer or "" if item.assessed is not None else "")


def _item_rows(results: Results, r: UnitResult, items: list[CItem]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for item in items:
        events = [e for e in r.events if e.item == item.id]
        score = r.items.get(item.id)
        why = _reasons(events) or (r.not_applicable.get(item.id, "") if score is None else "")
        rows.append([f"{item.id} {item.name}", item_standard(results.scheme, item), item.points,
                     r.self_scores.get(item.id, ""), NOT_APPLICABLE if score is None else score, why,
                     _scorers(item, events)])
    return rows


def unit_rows(results: Results, r: UnitResult) -> tuple[list[str], list[list[Any]]]:
    """(headers, rows) of one unit's 评分表: each category's row (its score, cap and events) then its items',
    then bonuses and penalties, then the total; 自评分 only when the unit gave self-scores."""
    s = results.scheme
    own = bool(r.self_scores)
    rows: list[list[Any]] = []
    for cat in s.categories:
        own_cat = [r.self_scores[i.id] for i in cat.items if i.id in r.self_scores]
        cap = f"本类最多扣{fmt(cat.cap)}分" if cat.cap is not None else ""
        cat_events = [e for e in r.events if e.item is None and e.category == cat.id]
        rows.append([f"{cat.id} {cat.name}", f"〔{cat.clause}〕本类小计" if cat.clause else "本类小计", cat.points,
                     sum(own_cat, Decimal(0)) if len(own_cat) == len(cat.items) else "",
                     r.categories.get(cat.id, ""), "；".join(x for x in [cap, _reasons(cat_events)] if x), ""])
        rows += _item_rows(results, r, cat.items)
    adjust = {a.id: a for a in s.adjustments()}
    categories = {c.id for c in s.categories}
    for e in r.events:
        if e.item is not None or e.category in categories:   # shown on their item's or category's row
            continue
        owner = e.rule.split(".")[0].split(":")[-1]
        a = adjust.get(owner)
        label = f"{a.id} {a.name}" if a is not None else (e.category or RULE_LABELS.get(e.rule, e.rule))
        rows.append([label, "", "", "", e.points, e.reason, e.scorer or ""])
    notes = [f"等次：{r.grade or '—'}", f"名次：{r.rank}" if r.rank is not None else "", *r.grade_notes]
    rows.append(["总分", "", s.meta.total, sum(r.self_scores.values(), Decimal(0)) if own else "", r.total,
                 "；".join(n for n in notes if n), ""])
    headers = list(HEADERS)
    if not own:
        headers.pop(3)
        rows = [row[:3] + row[4:] for row in rows]
    return headers, rows


def unit_sheets(wb: Workbook, results: Results, fmt_score: str) -> None:
    """A 评分表 sheet for every unit, named after the unit (safe and unique), after the workbook's own sheets."""
    used = {n.lower() for n in wb.sheetnames}
    totals = {f"{c.id} {c.name}" for c in results.scheme.categories} | {"总分"}   # rows set in bold
    if len(results.units) > MAX_UNIT_SHEETS:
        sh = Sheet(wb, sheet_name("评分表", used), f"{base_title(results.scheme)}评分表")
        sh.header(["说明"])
        sh.row([f"本次考核有{len(results.units)}个单位，超过{MAX_UNIT_SHEETS}个，未逐个生成评分表。"
                "某个单位的评分表可用 assess explain 查看，或只用该单位的数据运行 assess report。"])
        sh.finish("A3", caps={1: 100})
        return
    for r in results.units:
        name = sheet_name(r.name, used, fallback=sheet_name(r.entity, set(), fallback="评分表"))
        sh = Sheet(wb, name, f"{base_title(results.scheme)}评分表（{r.name}）")
        headers, rows = unit_rows(results, r)
        sh.header(headers)
        numeric = {i + 1 for i, h in enumerate(headers) if h in ("分值", "自评分", "考核得分")}
        formats = dict.fromkeys(numeric, fmt_score)
        for row in rows:
            sh.row(row, formats)
            if row[0] in totals:
                for cell in sh.ws[sh.last_row]:
                    cell.font = HEAD_FONT
        text = {i + 1: 40 for i, h in enumerate(headers) if h in ("评分标准", "扣分说明")}
        sh.finish("B3", caps={1: 24, **text, len(headers): 16})
