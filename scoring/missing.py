"""`assessed` items with no record for a unit: a lead department that forgot to report must not pass unseen.

What no record means is the scheme's to say (`assessed.missing`, rules/language/constructs/assessed.py): unset,
the item scores as its mode says (no deduction, 0, or the start) and every such item is listed as a warning
naming its scorer and the units; `full` / `zero` are the scheme's decision (an event explains it, no warning);
`error` keeps each such unit out of the results with an error of its own, like a failed check.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from common.problems import Problems
from rules.language.scheme import CItem, Scheme

SHOWN = 20   # units named in one warning; the rest are counted


def _scorer(item: CItem, findings: dict[tuple[str, str], list[dict[str, Any]]]) -> str:
    assert item.assessed is not None
    if item.assessed.scorer:
        return item.assessed.scorer
    seen = sorted({str(r["评分单位"]) for (_, i), rows in findings.items() if i == item.id for r in rows
                   if r.get("评分单位")})
    return "、".join(seen) if seen else "评分单位（细则未写 scorer，记录里也没有填）"


def _mode_words(item: CItem) -> str:
    assert item.assessed is not None
    mode = item.assessed.mode
    if mode == "deduct":
        return "暂按不扣分计"
    if mode == "award":
        return "暂按0分计"
    return "暂按起算分计"


def check_missing(scheme: Scheme, units: Iterable[str], names: dict[str, str],
                  not_applicable: dict[str, dict[str, str]],
                  findings: dict[tuple[str, str], list[dict[str, Any]]], problems: Problems,
                  warn: bool = True) -> set[str]:
    """List (or refuse) missing records; the units that `missing: error` keeps out of the results.

    `warn` False (a self-check of one unit, which cannot hold the scorers' records) still applies `error` as
    the default behaviour and lists nothing."""
    units = list(units)
    refused: set[str] = set()
    for item in scheme.items:
        spec = item.assessed
        if spec is None or spec.missing in ("full", "zero"):
            continue
        lacking = [u for u in units if item.id not in not_applicable.get(u, {}) and not findings.get((u, item.id))]
        if not lacking or not warn:
            continue
        scorer = _scorer(item, findings)
        who = "、".join(names.get(u, u) for u in lacking[:SHOWN])
        if len(lacking) > SHOWN:
            who += f"等{len(lacking)}个单位"
        label = f"{item.id}（{item.name}）"
        if spec.missing == "error":
            for u in lacking:
                problems.add(f"{label}由{scorer}评分，但考核扣分记录里没有{names.get(u, u)}的记录；细则规定没有记录"
                             f"是错误（missing: error），该单位不计分。请{scorer}补报（无扣分的填一行扣分0）",
                             entity=u, file=scheme.file, line=item.line, code="assessed-missing-error")
                refused.add(u)
            continue
        problems.add(f"{label}由{scorer}评分，考核扣分记录里没有以下{len(lacking)}个单位的记录：{who}；{_mode_words(item)}。"
                     f"如属漏报，请{scorer}补报（无扣分的填一行扣分0）；如没有记录本来就表示满分，请在细则里写 "
                     f"missing: full（也可写 zero 或 error，见 criteria/README.md 2.13）",
                     file=scheme.file, line=item.line, level="warning", code="assessed-missing")
    return refused
