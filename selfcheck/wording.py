"""The wording of advice: what a target asks the unit to do, and why a gap or a veto has none, in Chinese.

Kept apart from the searches so that the advice can be reworded without touching how targets are found.
Ledger work is named by the scheme's `work` text (“再整改65项隐患并在…中填写…”), never as back-filling:
the date or figure a row gets records work done.
"""

from __future__ import annotations

from typing import Any

from rules.language.scheme import Scheme
from rules.language.text import describe, show_value
from selfcheck.axes import RowAxis, ScalarAxis
from selfcheck.roles import Roles


def show(scheme: Scheme, name: str, value: Any) -> str:
    if value is None:
        return "未填"
    shown = show_value(value, scheme, name)
    unit = scheme.inputs[name].unit if name in scheme.inputs else None
    return f"{shown}{unit or ''}"


def quoted(label: str) -> str:
    return label if "“" in label else f"“{label}”"


def scalar_text(scheme: Scheme, axis: ScalarAxis, to: Any) -> str:
    label = quoted(scheme.label(axis.name))
    now = show(scheme, axis.name, axis.current)
    new = show(scheme, axis.name, to)
    if axis.kind == "discrete":
        return f"{label}为“{new}”（现为“{now}”）"
    if axis.inp.type == "date":
        if axis.current is None:
            return f"{label}不晚于{new}（现未填）"
        return f"{label}{'不晚于' if to < axis.current else '不早于'}{new}（现为{now}）"
    if axis.current is None:
        return f"{label}填报为{new}（现未填）"
    return f"{label}{'达到' if to > axis.current else '降至'}{new}（现为{now}）"


def rows_text(scheme: Scheme, axis: RowAxis, k: int, before: Any, after: Any, work: str | None = None) -> str:
    """The work that completes k rows, named by the scheme's `work` text when it has one; the ledger is
    then updated as a record of that work (never "fill in" alone: the date or figure records work done)."""
    table = scheme.label(axis.table)
    cond = describe(axis.cond, scheme)
    flips = axis.flips[:k]
    cols = "“" + "”“".join(dict.fromkeys(c for f in flips for c in f.sets)) + "”"
    record = "填写" if axis.filled_only else "更新"
    rule_rows = axis.name == axis.table     # the rows a deduction fires on
    if work:
        what = f"再{work.replace('{n}', str(k))}并在{table}中{record}{cols}"
        if rule_rows:
            return f"{what}（即{table}中“{cond}”的记录）"
    elif rule_rows:
        return f"{table}中{k}条“{cond}”的记录，完成相应工作后{record}{cols}"
    elif axis.filled_only:
        what = f"{table}中再有{k}条记录完成相应工作后{record}{cols}"
    else:
        what = f"{table}中再有{k}条记录达到{quoted(axis.label)}的条件（涉及{cols}）"
    return f"{what}（{axis.label} {show_value(before, scheme, axis.name)}→{show_value(after, scheme, axis.name)}）"

def no_target_text(scheme: Scheme, roles: Roles, values: dict[str, Any], blocked: set[str], past: set[str],
                   any_axis: bool, veto: bool) -> str:
    """Why there is no target: what the loss (or the veto) rests on is not the unit's work this year."""
    lift = "解除" if veto else "挽回失分"
    why = [roles.explain(n) for n in sorted(blocked)]
    for n in sorted(past):
        table, _, column = n.partition(".")
        why.append(f"{scheme.label(table)}中已填的“{column}”（已发生的日期不改）" if column else
                   f"{scheme.label(n)}（已填{show(scheme, n, values.get(n))}，已发生的日期不改）")
    if why and not any_axis:
        if veto:
            return f"由{'、'.join(why)}触发，本单位今年的工作无法解除"
        return f"失分取决于{'、'.join(why)}，不是本单位今年还能通过工作改变的，自查不给挽回目标"
    also = f"（{'、'.join(why)}不作为目标）" if why else ""
    return f"未找到单靠一项本单位的工作就能{lift}的办法{also}"
