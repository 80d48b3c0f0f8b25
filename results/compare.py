"""Compare two results: per unit, the change in total, rank and grade, and the items and events behind it.

Both sides are result documents (the JSON of `assess score`, or `to_document` of a fresh run), so a
published file can be compared with a re-scoring, two data sets under one scheme (after corrections,
year on year) or two schemes on one data set (a revision).

Events are matched, per unit and item, in three passes: the same rule with the same points, reason and
evidence (unchanged; the file part of the evidence's 出处 is ignored, so two data folders compare); then
the same rule on the same ledger row (出处 by file name and row) or, for rules without rows, the same
rule (changed); what is left was removed (only in A) or added (only in B).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

SOURCE = "出处"


@dataclass
class EventChange:
    change: str                              # added | removed | changed
    item: str | None
    rule: str
    before: dict[str, Any] | None            # the event in A
    after: dict[str, Any] | None             # the event in B


@dataclass
class ItemChange:
    item: str
    before: str | None                       # score strings as in the documents (None: not applicable)
    after: str | None
    missing: str | None = None               # "a" | "b": the item exists on one side only
    events: list[EventChange] = field(default_factory=list)

    @property
    def delta(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return Decimal(self.after) - Decimal(self.before)


@dataclass
class UnitChange:
    entity: str
    name: str
    status: str                              # both | added | removed
    total: tuple[str | None, str | None]
    rank: tuple[int | None, int | None]
    grade: tuple[str | None, str | None]
    items: list[ItemChange] = field(default_factory=list)
    other: list[EventChange] = field(default_factory=list)      # bonuses, penalties, vetoes, caps, scaling
    vetoes: tuple[list[str], list[str]] = ([], [])               # (added, removed) veto ids
    values: dict[str, tuple[Any, Any]] = field(default_factory=dict)

    @property
    def delta(self) -> Decimal | None:
        a, b = self.total
        return None if a is None or b is None else Decimal(b) - Decimal(a)

    @property
    def changed(self) -> bool:
        return (self.status != "both" or self.total[0] != self.total[1] or self.rank[0] != self.rank[1]
                or self.grade[0] != self.grade[1] or bool(self.items) or bool(self.other)
                or bool(self.vetoes[0]) or bool(self.vetoes[1]))


@dataclass
class Side:
    label: str
    scheme: str | None
    title: str | None
    run: dict[str, Any] | None


@dataclass
class Comparison:
    a: Side
    b: Side
    units: list[UnitChange]

    @property
    def changed(self) -> list[UnitChange]:
        return [u for u in self.units if u.changed]


def source_key(ev: dict[str, Any]) -> str | None:
    """出处 without the folder: 'hazards.csv·第3行' (the same row of the same file in another folder)."""
    src = (ev.get("evidence") or {}).get(SOURCE)
    if not isinstance(src, str):
        return None
    head, sep, rest = src.partition("·")
    return PurePath(head.replace("\\", "/")).name + sep + rest


def _plain(ev: dict[str, Any]) -> tuple[Any, ...]:
    evidence = {k: v for k, v in (ev.get("evidence") or {}).items() if k != SOURCE}
    return (ev.get("item"), ev.get("rule"), ev.get("points"), ev.get("reason"), repr(sorted(evidence.items())),
            source_key(ev))


def match_events(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> list[EventChange]:
    left = list(a)
    right = list(b)
    # 1. unchanged
    pool: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for j, e in enumerate(right):
        pool[_plain(e)].append(j)
    used_a: set[int] = set()
    used_b: set[int] = set()
    for i, e in enumerate(left):
        js = pool.get(_plain(e))
        if js:
            used_a.add(i)
            used_b.add(js.pop(0))
    out: list[EventChange] = []
    # 2. changed: the same rule on the same row (or the same row-less rule)
    for key in (lambda e: (e.get("item"), e.get("rule"), source_key(e)),
                lambda e: (e.get("item"), e.get("rule"))):
        pool = defaultdict(list)
        for j, e in enumerate(right):
            if j not in used_b:
                pool[key(e)].append(j)
        for i, e in enumerate(left):
            if i in used_a:
                continue
            js = pool.get(key(e))
            if js:
                j = js.pop(0)
                used_a.add(i)
                used_b.add(j)
                out.append(EventChange("changed", e.get("item"), str(e.get("rule")), e, right[j]))
    # 3. removed and added
    out += [EventChange("removed", e.get("item"), str(e.get("rule")), e, None)
            for i, e in enumerate(left) if i not in used_a]
    out += [EventChange("added", e.get("item"), str(e.get("rule")), None, e)
            for j, e in enumerate(right) if j not in used_b]
    return out


def compare_units(a: dict[str, Any] | None, b: dict[str, Any] | None) -> UnitChange:
    ref = b or a
    assert ref is not None
    status = "both" if a and b else ("added" if b else "removed")
    u = UnitChange(ref["entity"], ref.get("name", ref["entity"]), status,
                   (a.get("total") if a else None, b.get("total") if b else None),
                   (a.get("rank") if a else None, b.get("rank") if b else None),
                   (a.get("grade") if a else None, b.get("grade") if b else None))
    if not (a and b):
        return u
    ev_a, ev_b = a.get("events") or [], b.get("events") or []
    changes = match_events(ev_a, ev_b)
    by_item: dict[str | None, list[EventChange]] = defaultdict(list)
    for c in changes:
        by_item[c.item].append(c)
    items_a, items_b = a.get("items") or {}, b.get("items") or {}
    for item in [*items_a, *(k for k in items_b if k not in items_a)]:
        before, after = items_a.get(item), items_b.get(item)
        missing = "a" if item not in items_a else ("b" if item not in items_b else None)
        evs = by_item.get(item, [])
        if before != after or evs or missing:
            u.items.append(ItemChange(item, before, after, missing, evs))
    u.other = by_item.get(None, [])
    va = {v["id"] for v in a.get("vetoes") or []}
    vb = {v["id"] for v in b.get("vetoes") or []}
    u.vetoes = (sorted(vb - va), sorted(va - vb))
    vals_a, vals_b = a.get("values") or {}, b.get("values") or {}
    for k in [*vals_a, *(k for k in vals_b if k not in vals_a)]:
        if vals_a.get(k) != vals_b.get(k):
            u.values[k] = (vals_a.get(k), vals_b.get(k))
    return u


def compare_docs(a: dict[str, Any], b: dict[str, Any], label_a: str = "A", label_b: str = "B") -> Comparison:
    units_a = {r["entity"]: r for r in a.get("results") or []}
    units_b = {r["entity"]: r for r in b.get("results") or []}
    order = [*units_b, *(e for e in units_a if e not in units_b)]
    units = [compare_units(units_a.get(e), units_b.get(e)) for e in order]
    return Comparison(Side(label_a, a.get("scheme"), a.get("title"), a.get("run")),
                      Side(label_b, b.get("scheme"), b.get("title"), b.get("run")), units)


def pairs_to_compare(criteria: list[str], data: list[str]) -> list[tuple[str, str]]:
    """The two (criteria, data) runs that `--criteria`/`--data` options name: one scheme on two data sets,
    two schemes on one data set, or two pairs. Raises ValueError with a Chinese message otherwise."""
    if len(criteria) == 1 and len(data) == 2:
        return [(criteria[0], data[0]), (criteria[0], data[1])]
    if len(criteria) == 2 and len(data) == 1:
        return [(criteria[0], data[0]), (criteria[1], data[0])]
    if len(criteria) == 2 and len(data) == 2:
        return [(criteria[0], data[0]), (criteria[1], data[1])]
    raise ValueError("请给出两个结果文件（assess compare A.json B.json），或一个 --criteria 和两个 --data、"
                     "两个 --criteria 和一个 --data、两个 --criteria 和两个 --data（按顺序配对）")
