"""`assess compare` and `assess verify`: comparisons of two results, as Chinese tables and as JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from common import numbers
from common.marks import FAIL, PASS
from reports.terminal import fit_table
from results.compare import Comparison, EventChange, ItemChange, UnitChange
from results.verify import Verification

CHANGE = {"added": "新增", "removed": "取消", "changed": "变化"}


def _delta(d: Decimal | None) -> str | None:
    return None if d is None else numbers.signed(d)


def event_dict(c: EventChange) -> dict[str, Any]:
    return {"change": c.change, "item": c.item, "rule": c.rule, "from": c.before, "to": c.after}


def item_dict(i: ItemChange) -> dict[str, Any]:
    return {"item": i.item, "from": i.before, "to": i.after, "change": _delta(i.delta), "missing": i.missing,
            "events": [event_dict(c) for c in i.events]}


def unit_dict(u: UnitChange) -> dict[str, Any]:
    return {"entity": u.entity, "name": u.name, "status": u.status, "changed": u.changed,
            "total": {"from": u.total[0], "to": u.total[1], "change": _delta(u.delta)},
            "rank": {"from": u.rank[0], "to": u.rank[1]}, "grade": {"from": u.grade[0], "to": u.grade[1]},
            "items": [item_dict(i) for i in u.items], "other_events": [event_dict(c) for c in u.other],
            "vetoes": {"added": u.vetoes[0], "removed": u.vetoes[1]},
            "values": {k: {"from": a, "to": b} for k, (a, b) in u.values.items()}}


def comparison_document(c: Comparison) -> dict[str, Any]:
    side = [{"label": s.label, "scheme": s.scheme, "title": s.title, "run": s.run} for s in (c.a, c.b)]
    return {"a": side[0], "b": side[1], "changed": len(c.changed), "units": [unit_dict(u) for u in c.units]}


def comparison_json(c: Comparison) -> str:
    return json.dumps(comparison_document(c), ensure_ascii=False, indent=2) + "\n"


def _event_line(c: EventChange) -> str:
    def one(e: dict[str, Any] | None) -> str:
        return "" if e is None else f"{e.get('points')}分 {e.get('reason')}"

    src = ((c.after or c.before or {}).get("evidence") or {}).get("出处")
    where = f"〔{src}〕" if src else ""
    if c.change == "changed":
        return f"变化：{one(c.before)} → {one(c.after)}{where}"
    return f"{CHANGE[c.change]}：{one(c.before or c.after)}{where}"


def _arrow(a: Any, b: Any) -> str:
    a_s = "—" if a is None else str(a)
    b_s = "—" if b is None else str(b)
    return a_s if a == b else f"{a_s}→{b_s}"


def unit_lines(u: UnitChange, indent: str = "  ") -> list[str]:
    out = []
    head = {"added": "（仅B中有）", "removed": "（仅A中有）"}.get(u.status, "")
    out.append(f"{u.name}（{u.entity}）{head}：总分 {_arrow(u.total[0], u.total[1])}"
               + (f"（{_delta(u.delta)}）" if u.delta else "")
               + f"，名次 {_arrow(u.rank[0], u.rank[1])}，等次 {_arrow(u.grade[0], u.grade[1])}")
    for i in u.items:
        if i.missing:
            what = "仅B中有的项目" if i.missing == "a" else "仅A中有的项目"
            out.append(f"{indent}{i.item}：{what}（{_arrow(i.before, i.after)}）")
        else:
            shown = lambda s: "不适用" if s is None else s  # noqa: E731
            change = f"（{_delta(i.delta)}）" if i.delta else ""
            out.append(f"{indent}{i.item}：{shown(i.before)} → {shown(i.after)}{change}")
        out += [f"{indent}    {_event_line(c)}" for c in i.events]
    if u.other:
        out.append(f"{indent}加分、扣分项、否决与折算：")
        out += [f"{indent}    {_event_line(c)}" for c in u.other]
    if u.vetoes[0] or u.vetoes[1]:
        out.append(f"{indent}否决项：新增 {'、'.join(u.vetoes[0]) or '无'}；取消 {'、'.join(u.vetoes[1]) or '无'}")
    if u.values:
        shown_vals = "；".join(f"{k} {_arrow(a, b)}" for k, (a, b) in list(u.values.items())[:12])
        more = f"……等{len(u.values)}项" if len(u.values) > 12 else ""
        out.append(f"{indent}填报与计算值的变化：{shown_vals}{more}")
    return out


def comparison_table(c: Comparison) -> str:
    out = [f"比较：A = {c.a.label}（{c.a.title or c.a.scheme}）",
           f"      B = {c.b.label}（{c.b.title or c.b.scheme}）"]
    rows = []
    for u in c.units:
        rows.append([u.entity, u.name, _arrow(u.total[0], u.total[1]), _delta(u.delta) or "",
                     _arrow(u.rank[0], u.rank[1]), _arrow(u.grade[0], u.grade[1]),
                     "、".join(i.item for i in u.items) + ("、其他" if u.other else "")])
    out.append(fit_table(["编号", "单位", "总分", "变化", "名次", "等次", "变化的项目"], rows, keys=2))
    changed = c.changed
    out.append(f"\n共{len(c.units)}个单位，{len(changed)}个有变化。")
    for u in changed:
        out.append("")
        out += unit_lines(u)
    return "\n".join(out) + "\n"


def verification_document(v: Verification) -> dict[str, Any]:
    doc: dict[str, Any] = {"reproduced": v.identical, "same_content": v.same_content,
                           "has_run_record": v.has_record, "inputs": v.inputs, "run": v.record, "other": v.other,
                           "moved": v.moved}
    if v.comparison is not None:
        doc["units"] = [unit_dict(u) for u in v.comparison.changed]
    return doc


def verification_json(v: Verification) -> str:
    return json.dumps(verification_document(v), ensure_ascii=False, indent=2) + "\n"


def _moved(v: Verification) -> list[str]:
    return ["输入文件不在记录的位置（文件夹被移动或复制过）：", *[f"  {x}" for x in v.moved]] if v.moved else []


def verification_text(v: Verification) -> str:
    if v.identical:
        return "\n".join([f"{PASS} 结果可复现：重新计算的结果与发布的结果逐字节一致（运行时间取发布时的记录）。",
                          *_moved(v)]) + "\n"
    out = [f"{FAIL} 结果未能复现：重新计算的结果与发布的结果不一致。", *_moved(v)]
    if v.same_content:
        out.append("  内容相同，但文件的写法（空格、换行或键的顺序）被改动过。")
    if not v.has_record:
        out.append("  发布的结果没有运行记录（run），无法核对输入文件的 sha256。")
    if v.inputs:
        out.append("输入文件：")
        out += [f"  {x}" for x in v.inputs]
    elif v.has_record:
        out.append("输入文件：与运行记录一致（sha256 相同）。" + ("结果仍不同：发布的结果文件可能被改动过。"
                                                             if not v.record else ""))
    if v.record:
        out.append("运行记录：")
        out += [f"  {x}" for x in v.record]
    if v.other:
        out.append("其他不同的部分：" + "、".join(v.other))
    changed = v.comparison.changed if v.comparison is not None else []
    if changed:
        out.append(f"不同的单位（A = 发布的结果，B = 重新计算）：{len(changed)}个")
        for u in changed:
            out += ["  " + line for line in unit_lines(u)]
    return "\n".join(out) + "\n"


__all__ = ["comparison_json", "comparison_table", "verification_json", "verification_text"]
