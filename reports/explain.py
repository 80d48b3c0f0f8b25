"""`assess explain`: every point a unit gained or lost, readable, in Chinese."""

from __future__ import annotations

from common import numbers
from scoring.events import Event
from scoring.pipeline import Results
from scoring.totals import UnitResult


def _evidence(ev: dict[str, object], results: Results) -> str:
    label = results.scheme.label
    return "；".join(f"{label(k)}={v}" for k, v in ev.items() if v is not None)


def _signed(e: Event, from_zero: bool = False) -> str:
    """The points an event moved, signed; on an item scored up from 0 (`basis: zero`) what it awards reads
    得N (a "+1.5" on an item that ends 1.5 of 2 looks like a gain where the unit lost 0.5)."""
    text = numbers.approx(e.points)
    if from_zero and e.points > 0:
        return f"得{text}"
    return text if text.startswith(("-", "≈-")) or text == "0" else f"+{text}"


def _cell(text: str) -> str:
    """Right-aligned in 7 terminal columns (a Chinese character takes two)."""
    wide = sum(1 for ch in text if ord(ch) >= 0x2E80)
    return " " * max(0, 7 - len(text) - wide) + text


def _adjustment_events(r: UnitResult, ident: str) -> list[Event]:
    return [e for e in r.events if e.item is None and (e.rule == ident or e.rule.startswith((f"{ident}.", f"findings:{ident}")))]


def explain_unit(results: Results, r: UnitResult, item: str | None = None) -> str:
    s = results.scheme
    places = s.meta.decimals
    lines = []
    if item is None:
        lines.append(f"{r.name}（{r.entity}）：总分 {numbers.fixed(r.total, places)}，等次 {r.grade}，{f'第 {r.rank} 名' if r.rank is not None else '不参加排名'}")
        lines.append(f"  基础分 {numbers.fixed(r.base, places)}，加分 {numbers.plain(r.bonus)}，扣分项 {numbers.plain(r.penalty)}")
        for note in r.grade_notes:
            lines.append(f"  等次说明：{note}")
        for v in r.vetoes:
            lines.append(f"  否决项 {v['id']} {v['name']}（{v['effect']}）：{v['reason']}")
            if v.get("evidence"):
                lines.append(f"             依据数据：{_evidence(v['evidence'], results)}")
    adjustment = next((a for a in s.adjustments() if a.id == item), None)
    if adjustment is not None:
        kind = "加分项" if adjustment.kind == "bonus" else "扣分项"
        lines.append(f"{kind} {adjustment.id} {adjustment.name}" + (f"〔{adjustment.clause}〕" if adjustment.clause else ""))
        events = _adjustment_events(r, adjustment.id)
        for e in events:
            lines.append(f"  {_signed(e):>7} 分  {e.reason}")
            if e.evidence:
                lines.append(f"             依据数据：{_evidence(e.evidence, results)}")
        if not events:
            lines.append("  无")
        return "\n".join(lines) + "\n"
    for cat in s.categories:
        for it in cat.items:
            if item is not None and it.id != item:
                continue
            score = r.items.get(it.id)
            events = [e for e in r.events if e.item == it.id]
            if item is None and not events and score is not None:
                continue
            clause = f"〔{it.clause}〕" if it.clause else ""
            shown = "不适用" if score is None else f"{numbers.plain(score)}/{numbers.plain(it.points)}"
            if score is not None and score < it.points:
                shown += f"（失{numbers.plain(it.points - score)}分）"
            lines.append(f"\n{it.id} {it.name}{clause}：{shown}")
            if score is None:
                lines.append(f"  {r.not_applicable.get(it.id, '不适用')}")
            for e in events:
                lines.append(f"  {_cell(_signed(e, it.basis == 'zero'))} 分  {e.reason}")
                if e.evidence:
                    lines.append(f"             依据数据：{_evidence(e.evidence, results)}")
            if not events and score is not None:
                lines.append("  未扣分")
    if item is None:
        other = [e for e in r.events if e.item is None]
        if other:
            lines.append("\n分类、加分、扣分项与折算：")
            for e in other:
                lines.append(f"  {_signed(e):>7} 分  {e.reason}")
                if e.evidence:
                    lines.append(f"             依据数据：{_evidence(e.evidence, results)}")
    return "\n".join(lines) + "\n"
