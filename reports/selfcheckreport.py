"""`assess selfcheck`: the self-check of one unit as JSON, and as a Chinese report that says what to fix first."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import tabulate as tab

from common.marks import CLEAR, FAIL, NEAR
from reports.terminal import fit_table
from scoring.events import fmt, fmt_fixed, fmt_signed
from selfcheck.assessed import AssessedCheck
from selfcheck.check import NEED_CITY
from selfcheck.model import Gap, SelfCheck, Target, VetoCheck

tab.WIDE_CHARS_MODE = True

STATUS = {"hit": "已触发", "near": "临近", "clear": "未触发"}


def json_value(v: Any) -> Any:
    """A value as the results JSON writes it: decimals as exact strings, dates ISO, the rest as is."""
    if isinstance(v, bool) or v is None or isinstance(v, int | str):
        return v
    if isinstance(v, Decimal):
        return fmt(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dict):
        return {str(k): json_value(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [json_value(x) for x in v]
    return str(v)


def target_dict(t: Target) -> dict[str, Any]:
    d: dict[str, Any] = {"input": t.input, "label": t.label, "kind": t.kind, "from": json_value(t.before),
                         "to": json_value(t.after), "gain": fmt(t.gain), "item_gain": fmt(t.item_gain),
                         "total": fmt(t.total), "grade": t.grade, "text": t.text}
    if t.rows:
        d["rows"] = json_value(t.rows)
    return d


def gap_dict(g: Gap, places: int) -> dict[str, Any]:
    return {"item": g.item, "name": g.name, "kind": g.kind, "clause": g.clause, "points": fmt(g.points),
            "score": fmt(g.score), "lost": fmt(g.lost), "lost_in_total": fmt(g.lost_in_total),
            "events": [json_value(e.as_dict()) for e in g.events], "targets": [target_dict(t) for t in g.targets],
            "notes": g.notes}


def veto_dict(v: VetoCheck) -> dict[str, Any]:
    return {"id": v.id, "name": v.name, "effect": v.effect, "status": v.status, "reason": v.reason,
            "evidence": json_value(v.evidence), "distance": v.distance, "inputs": v.inputs,
            "targets": [target_dict(t) for t in v.targets], "notes": v.notes}


def assessed_dict(a: AssessedCheck) -> dict[str, Any]:
    return {"item": a.item, "name": a.name, "clause": a.clause, "mode": a.mode, "span": [fmt(x) for x in a.span],
            "points": fmt(a.points), "score": fmt(a.score), "scored": a.scored, "low": fmt(a.low),
            "high": fmt(a.high), "total_low": fmt(a.total_low), "total_high": fmt(a.total_high),
            "events": [json_value(e.as_dict()) for e in a.events]}


def selfcheck_document(sc: SelfCheck) -> dict[str, Any]:
    s = sc.scheme
    r = sc.result
    places = s.meta.decimals
    return {
        "scheme": s.meta.id,
        "title": s.meta.title,
        "entity": sc.entity,
        "name": sc.name,
        "total": fmt_fixed(r.total, places),
        "total_exact": fmt(r.total_exact),
        "full_marks": fmt(s.meta.total),
        "grade": r.grade,
        "grade_by_score": r.grade_by_score,
        "grade_notes": r.grade_notes,
        "peers": sc.peers,
        "notes": sc.notes,
        "vetoes": [veto_dict(v) for v in sc.vetoes],
        "gaps": [gap_dict(g, places) for g in sc.gaps],
        "rank_items": [json_value(d) for d in sc.rank_items],
        "assessed": [assessed_dict(a) for a in sc.assessed],
    }


def selfcheck_json(sc: SelfCheck) -> str:
    return json.dumps(selfcheck_document(sc), ensure_ascii=False, indent=2) + "\n"


def _signed(d: Decimal, places: int) -> str:
    """A signed figure rounded for reading (half-up to the scheme's decimals, trailing zeros dropped)."""
    return fmt_signed(Decimal(fmt_fixed(d, places) or "0"))


def _target_line(t: Target, places: int, veto: bool = False) -> str:
    own = "可解除" if veto else f"本项{_signed(t.item_gain, places)}分"
    return f"{t.text}：{own}，总分{_signed(t.gain, places)}分（→ {fmt_fixed(t.total, places)}分，{t.grade}）"


def selfcheck_table(sc: SelfCheck) -> str:
    s = sc.scheme
    r = sc.result
    places = s.meta.decimals
    out = [f"{s.meta.title} · 自查报告",
           f"单位：{sc.name}（{sc.entity}）",
           f"总分：{fmt_fixed(r.total, places)}分（满分{fmt(s.meta.total)}分，另计加分、扣分项）",
           f"等次（按分数线和否决项）：{r.grade}" + (f"（按分数为{r.grade_by_score}）"
                                                   if r.grade != r.grade_by_score else "")]
    out += [f"  {n}" for n in r.grade_notes]
    if sc.notes:
        out.append("说明：")
        out += [f"  · {n}" for n in sc.notes]
    for d in sc.rank_items:
        if d["status"] == "provisional":
            out.append(f"  · {d['item']} {d['name']}：{NEED_CITY}，暂按第1名计{fmt(d['score'])}分"
                       f"（最低可能{fmt(d['floor'])}分）")
        elif d["status"] == "scored":
            out.append(f"  · {d['item']} {d['name']}：在{d['of']}个单位中排第{d['rank']}名，得{fmt(d['score'])}分")

    vetoes = {v.id: v for v in s.vetoes}
    out.append("\n一、否决和限制评优（先看）")
    if not sc.vetoes:
        out.append("  本考核细则没有否决项")
    for v in sc.vetoes:
        mark = {"hit": FAIL, "near": NEAR, "clear": CLEAR}[v.status]
        out.append(f"  {mark} {STATUS[v.status]}  {v.id} {v.name}（{vetoes[v.id].words(s.grades[-1].name)}）")
        if v.status == "hit":
            out.append(f"      原因：{v.reason}")
            if v.evidence:
                out.append("      依据：" + "；".join(f"{s.label(k)}={x}" for k, x in v.evidence.items()
                                                   if x is not None))
            for t in v.targets:
                out.append(f"      解除办法：{_target_line(t, places, veto=True)}")
            out += [f"      {n}" for n in v.notes]
        else:
            out += [f"      {line}" for line in v.distance]

    out.append("\n二、失分项目（按失分从多到少，先补失分多的）")
    if not sc.gaps:
        out.append("  没有失分的项目")
    else:
        rows = []
        for k, g in enumerate(sc.gaps, 1):
            score = f"{fmt(g.score)}/{fmt(g.points)}" if g.points is not None else fmt(g.score)
            back = fmt(max(t.item_gain for t in g.targets)) if g.targets else "—"
            first = g.targets[0].text if g.targets else (g.notes[0] if g.notes else "")
            rows.append([str(k), g.item, g.name, score or "", fmt(g.lost) or "", back or "", first])
        out.append(fit_table(["序号", "项目", "名称", "得分", "失分", "可挽回", "首要措施"], rows, keys=3))

    out.append("\n三、逐项说明")
    for k, g in enumerate(sc.gaps, 1):
        clause = f"〔{g.clause}〕" if g.clause else ""
        what = "扣分项" if g.kind == "penalty" else f"得{fmt(g.score)}/{fmt(g.points)}分"
        scaled = f"（折合总分约{fmt_fixed(g.lost_in_total, places)}分）" if g.lost_in_total != g.lost else ""
        out.append(f"\n{k}. {g.item} {g.name}{clause}：{what}，失{fmt(g.lost)}分{scaled}")
        out.append("   失分原因：")
        for e in g.events:
            out.append(f"     {fmt_signed(e.points):>7}分  {e.reason}")
            if e.evidence:
                out.append("               依据：" + "；".join(f"{s.label(x)}={y}" for x, y in e.evidence.items()
                                                         if y is not None))
        if g.targets:
            out.append("   挽回办法（每条单独计算）：")
            for i, t in enumerate(g.targets, 1):
                out.append(f"     {i}) {_target_line(t, places)}")
        for n in g.notes:
            out.append(f"   注：{n}")
    out += assessed_section(sc)
    return "\n".join(out) + "\n"


def assessed_section(sc: SelfCheck) -> list[str]:
    """Items scored by others: not self-checkable; the range each can move the total."""
    if not sc.assessed:
        return []
    places = sc.scheme.meta.decimals
    out = ["\n四、由评分单位评分的项目（自查无法确定，本单位的数据改变不了）"]
    low = sum((a.total_low for a in sc.assessed), Decimal(0))
    high = sum((a.total_high for a in sc.assessed), Decimal(0))
    total = sc.result.total_exact
    out.append(f"  这些项目合计可使总分在{fmt_fixed(total + low, places)}—{fmt_fixed(total + high, places)}分之间"
               f"（{_signed(low, places)}至{_signed(high, places)}分）")
    for a in sc.assessed:
        clause = f"〔{a.clause}〕" if a.clause else ""
        span = {"deduct": f"视情扣{fmt(a.span[0])}—{fmt(a.span[1])}分",
                "award": f"视情加{fmt(a.span[0])}—{fmt(a.span[1])}分"}.get(a.mode, f"评定{fmt(a.span[0])}—{fmt(a.span[1])}分")
        if a.score is None:
            out.append(f"  · {a.item} {a.name}{clause}：本单位不适用")
            continue
        now = (f"现有评分记录，得{fmt(a.score)}/{fmt(a.points)}分" if a.scored
               else f"尚无评分记录，暂按{fmt(a.score)}/{fmt(a.points)}分计")
        out.append(f"  · {a.item} {a.name}{clause}：{span}；{now}；可能得{fmt(a.low)}—{fmt(a.high)}分，"
                   f"对总分的影响{_signed(a.total_low, places)}至{_signed(a.total_high, places)}分")
        for e in a.events:
            if e.kind == "finding":
                out.append(f"      {e.reason}" + ("；请对照事由整改" if e.points < 0 else ""))
    return out
