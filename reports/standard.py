"""An item's 评分标准 in words, for the 评分表: the scheme's own `description` when it gives one, otherwise
what its rules say (reason, amount, cap), read off the compiled scheme — never from an item's name."""

from __future__ import annotations

from rules.language.scheme import CItem, CRule, Scheme
from rules.language.text import describe
from scoring.events import fmt
from scoring.per_words import standard_words


def _rule_words(scheme: Scheme, r: CRule) -> str:
    verb = "扣" if r.sign < 0 else "加"
    what = r.reason or (describe(r.when, scheme) if r.when is not None else "")
    if r.by is not None:
        amount = f"按{scheme.label(r.by.column) if r.by.column in scheme.inputs else r.by.column}分档{verb}分"
    elif r.amount is None:
        amount = f"{verb}分"
    elif r.for_each is not None:
        label = scheme.inputs[r.for_each].label if r.for_each in scheme.inputs else r.for_each
        amount = f"每条{label}记录{verb}{fmt(r.amount)}分"
    elif r.per is not None:
        amount = standard_words(r.per, scheme, verb, r.amount, r.per_rounding)
    else:
        amount = f"{verb}{fmt(r.amount)}分"
    cap = f"，最多{verb}{fmt(r.cap)}分" if r.cap is not None else ""
    return f"{what}，{amount}{cap}" if what else f"{amount}{cap}"


def item_standard(scheme: Scheme, item: CItem) -> str:
    """The 评分标准 of one item, in plain Chinese."""
    if item.description:
        text = item.description.strip()
    else:
        parts = [_rule_words(scheme, r) for r in item.rules]
        if item.table is not None:
            parts.append("按判定表对应的情形计分")
        if item.rank is not None:
            parts.append("按全市排名计分")
        a = item.assessed
        if a is not None:
            span = f"{fmt(a.lo)}—{fmt(a.hi)}分"
            who = f"由{a.scorer or '评分单位'}"
            parts.append({"deduct": f"{who}视情扣{span}", "award": f"{who}视情加{span}"}
                         .get(a.mode, f"{who}评定{span}"))
        if not parts:
            parts.append("按考核扣分记录扣分")
        text = "；".join(parts)
        if item.cap is not None:
            awards = bool(item.rules) and all(r.sign > 0 for r in item.rules)   # an item scored up from 0
            text += f"；本项最多{'加' if awards else '扣'}{fmt(item.cap)}分"
        text += "。"
    return f"〔{item.clause}〕{text}" if item.clause else text
