"""Facts the published reports share (workbook, HTML, 通报), read from Results and never re-scored.

Every number a report prints about the whole run — how many units, the average, the grade lists,
the items most units lost points on, the vetoes — comes from here, so all reports agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from common import numbers
from common.problems import Problem
from rules.language.scheme import CCategory, CItem, CVeto, Scheme
from rules.language.text import show_value
from scoring.pipeline import Results
from scoring.totals import UnitResult, quantize

ZERO = Decimal(0)

KIND_TEXT = {
    "rule": "扣分/加分规则", "finding": "评分记录", "table": "分档计分", "rank": "排名计分",
    "clamp": "扣完为止", "cap": "封顶", "scale": "折算", "normalise": "不涉及折算",
    "bonus": "加分", "penalty": "扣分项", "veto": "否决", "composite": "平时与年终合成",
}


def base_title(scheme: Scheme) -> str:
    """The scheme's title without a trailing 细则: “2020年度县区安全生产工作考核细则” → “…工作考核”."""
    title = scheme.meta.title
    return title[:-2] if title.endswith("细则") and len(title) > 2 else title


def fixed(d: Decimal | None, places: int) -> str:
    """A score as published: the scheme's decimals, half-up ('' for none)."""
    return numbers.fixed(d, places) or ""


def points_text(d: Decimal, places: int, from_zero: bool = False) -> str:
    """A signed event amount: exact when short, else rounded to two more places than the scheme. On an item
    scored up from 0 (`basis: zero`) what an event awards reads 得N: a "+1.5" on an item that ends 1.5 of 2 looks
    like a gain where the unit lost 0.5 (explain words it the same way)."""
    if from_zero and d > 0:
        return f"得{numbers.plain(numbers.rounded(d, places + 2))}"
    return numbers.signed(numbers.rounded(d, places + 2))


def unsigned_text(d: Decimal, places: int) -> str:
    return numbers.plain(numbers.rounded(d, places + 2)) or "0"


def evidence_text(evidence: dict[str, Any], scheme: Scheme) -> str:
    parts = []
    for k, v in evidence.items():
        if v is None:
            continue
        shown = v if isinstance(v, str) else show_value(v, scheme, k)
        parts.append(f"{scheme.label(k)}={shown}")
    return "；".join(parts)


def veto_effect_text(v: CVeto, scheme: Scheme) -> str:
    """What a veto does, in the office's words (one wording per effect, in the language's veto construct)."""
    return v.words(scheme.grades[-1].name if scheme.grades else "")


@dataclass(frozen=True)
class VetoMark:
    id: str
    name: str
    effect: str        # Chinese
    reason: str
    clause: str | None
    evidence: str


def veto_marks(results: Results, r: UnitResult) -> list[VetoMark]:
    s = results.scheme
    defs = {v.id: v for v in s.vetoes}
    out = []
    for hit in r.vetoes:
        v = defs.get(hit["id"])
        effect = veto_effect_text(v, s) if v is not None else str(hit.get("effect", ""))
        out.append(VetoMark(hit["id"], hit["name"], effect, str(hit.get("reason") or ""), hit.get("clause"),
                            evidence_text(hit.get("evidence") or {}, s)))
    return out


def item_lost(item: CItem, r: UnitResult) -> Decimal | None:
    """Points an applicable item scored below its full points (None when not applicable)."""
    score = r.items.get(item.id)
    if score is None:
        return None
    return item.points - score


def category_full(cat: CCategory, r: UnitResult, scheme: Scheme) -> Decimal | None:
    """The points a unit could reach in a category (what its subtotal is out of); None if not counted."""
    if cat.id not in r.categories:
        return None
    if scheme.meta.normalise:
        full = sum((i.points for i in cat.items if r.items.get(i.id) is not None), ZERO)
    else:
        full = cat.points
    if cat.scale_to is not None and cat.points:
        full = full * cat.scale_to / cat.points
    return full


@dataclass(frozen=True)
class ItemLoss:
    item: CItem
    units: list[UnitResult]     # the units that lost points on it, in rank order
    lost: Decimal               # points lost by all of them together

    @property
    def count(self) -> int:
        return len(self.units)


def item_losses(results: Results) -> list[ItemLoss]:
    """Items by how many units lost points on them, then by points lost, then in criteria order."""
    out = []
    for item in results.scheme.items:
        units = []
        lost = ZERO
        for r in results.units:
            d = item_lost(item, r)
            if d is not None and d > 0:
                units.append(r)
                lost += d
        if units:
            out.append(ItemLoss(item, units, lost))
    order = {it.id: i for i, it in enumerate(results.scheme.items)}
    return sorted(out, key=lambda x: (-x.count, -x.lost, order[x.item.id]))


@dataclass(frozen=True)
class Summary:
    title: str
    count: int
    places: int
    average: Decimal | None
    grades: list[tuple[str, list[UnitResult]]]   # every grade of the scheme (and any other given), best first
    best: list[UnitResult]
    worst: list[UnitResult]
    losses: list[ItemLoss]
    vetoed: list[tuple[UnitResult, list[VetoMark]]]
    problems: list[Problem]


def grade_groups(results: Results) -> list[tuple[str, list[UnitResult]]]:
    names = [g.name for g in results.scheme.grades]
    extra = sorted({r.grade or "未评定" for r in results.units} - set(names))
    return [(g, [r for r in results.units if (r.grade or "未评定") == g]) for g in [*names, *extra]]


def summarise(results: Results) -> Summary:
    s = results.scheme
    places = s.meta.decimals
    units = results.units
    average = quantize(sum((r.total for r in units), ZERO) / len(units), places) if units else None
    ranks = [r.rank for r in units if r.rank is not None]
    best = [r for r in units if ranks and r.rank == min(ranks)]
    worst = [r for r in units if ranks and r.rank == max(ranks)] if len(units) > 1 else []
    vetoed = [(r, veto_marks(results, r)) for r in units if r.vetoes]
    return Summary(s.meta.title, len(units), places, average, grade_groups(results), best, worst,
                   item_losses(results), vetoed, list(results.problems.items))


def problem_level(p: Problem) -> str:
    return "错误" if p.level == "error" else "警告"
