"""Lint of decision tables whose rows are bands on one value (“90%以上3分，80%—90%2分……”).

Real schemes write overlapping or gapped bands (“40%-60%以上”); a first-match table hides the overlap,
but a gap silently scores nothing and a band covered by earlier rows is never used. Rows are analysed
when every condition is a conjunction of comparisons of one name with number constants.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from rules.language import expr as ex


@dataclass(frozen=True)
class Interval:
    lo: Decimal | None  # None: unbounded
    lo_closed: bool
    hi: Decimal | None
    hi_closed: bool

    def empty(self) -> bool:
        if self.lo is None or self.hi is None:
            return False
        return self.lo > self.hi or (self.lo == self.hi and not (self.lo_closed and self.hi_closed))

    def show(self, percent: bool = False) -> str:
        def num(d: Decimal) -> str:
            return f"{_num(d * 100)}%" if percent else _num(d)

        lo = "-∞" if self.lo is None else num(self.lo)
        hi = "+∞" if self.hi is None else num(self.hi)
        return f"{'[' if self.lo_closed else '('}{lo}, {hi}{']' if self.hi_closed else ')'}"


ALL = Interval(None, False, None, False)


def _num(d: Decimal) -> str:
    return f"{d.normalize():f}"


def _intersect(a: Interval, b: Interval) -> Interval:
    lo, lo_c = a.lo, a.lo_closed
    if b.lo is not None and (lo is None or b.lo > lo or (b.lo == lo and not b.lo_closed)):
        lo, lo_c = b.lo, b.lo_closed
    hi, hi_c = a.hi, a.hi_closed
    if b.hi is not None and (hi is None or b.hi < hi or (b.hi == hi and not b.hi_closed)):
        hi, hi_c = b.hi, b.hi_closed
    return Interval(lo, lo_c, hi, hi_c)


def _comparison(node: ex.Node) -> tuple[str, Interval] | None:
    if not isinstance(node, ex.Bin):
        return None
    if node.op == "and":
        left, right = _comparison(node.left), _comparison(node.right)
        if left and right and left[0] == right[0]:
            return left[0], _intersect(left[1], right[1])
        return None
    ops = {"<": "<", "<=": "<=", ">": ">", ">=": ">="}
    flip = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
    if node.op not in ops:
        return None
    if isinstance(node.left, ex.Name) and isinstance(node.right, ex.Lit) and node.right.kind == "number":
        name, op, v = node.left.name, node.op, node.right.value
    elif isinstance(node.right, ex.Name) and isinstance(node.left, ex.Lit) and node.left.kind == "number":
        name, op, v = node.right.name, flip[node.op], node.left.value
    else:
        return None
    return name, {
        "<": Interval(None, False, v, False), "<=": Interval(None, False, v, True),
        ">": Interval(v, False, None, False), ">=": Interval(v, True, None, False),
    }[op]


def _contains(iv: Interval, v: Decimal) -> bool:
    if iv.lo is not None and (v < iv.lo or (v == iv.lo and not iv.lo_closed)):
        return False
    return not (iv.hi is not None and (v > iv.hi or (v == iv.hi and not iv.hi_closed)))


def _uncovered(target: Interval, parts: list[Interval]) -> Interval | None:
    """The first elementary piece of `target` that no part covers, or None when all is covered.

    The endpoints cut the line into points and open segments; one representative value of each
    piece decides for the whole piece, since no endpoint lies inside it."""
    cuts = sorted({e for iv in [target, *parts] for e in (iv.lo, iv.hi) if e is not None})
    pieces: list[tuple[Interval, Decimal]] = []
    if not cuts:
        pieces.append((ALL, Decimal(0)))
    else:
        pieces.append((Interval(None, False, cuts[0], False), cuts[0] - 1))
        for a, b in itertools.pairwise(cuts):
            pieces.append((Interval(a, True, a, True), a))
            pieces.append((Interval(a, False, b, False), (a + b) / 2))
        pieces.append((Interval(cuts[-1], True, cuts[-1], True), cuts[-1]))
        pieces.append((Interval(cuts[-1], False, None, False), cuts[-1] + 1))
    gap: Interval | None = None
    for piece, v in pieces:
        if _contains(target, v) and not any(_contains(p, v) for p in parts):
            part = _intersect(piece, target)
            # pieces are consecutive: extend the gap while they stay uncovered
            gap = part if gap is None else Interval(gap.lo, gap.lo_closed, part.hi, part.hi_closed)
        elif gap is not None:
            break
    return gap


def _gaps(target: Interval, parts: list[Interval]) -> list[Interval]:
    """Every maximal piece of `target` that no part covers, in order."""
    out: list[Interval] = []
    rest = target
    while not rest.empty():
        gap = _uncovered(rest, parts)
        if gap is None or gap.empty():
            break
        out.append(gap)
        if gap.hi is None:
            break
        rest = _intersect(rest, Interval(gap.hi, not gap.hi_closed, None, False))
    return out


def _has_integer(iv: Interval) -> bool:
    lo = iv.lo.to_integral_value(rounding="ROUND_CEILING") if iv.lo is not None else None
    if lo is not None and iv.lo is not None and lo == iv.lo and not iv.lo_closed:
        lo += 1
    hi = iv.hi.to_integral_value(rounding="ROUND_FLOOR") if iv.hi is not None else None
    if hi is not None and iv.hi is not None and hi == iv.hi and not iv.hi_closed:
        hi -= 1
    return lo is None or hi is None or lo <= hi


def _absorbed(rows: list[Interval], domain: Interval, typ: str) -> list[tuple[Interval, int, int]]:
    """Gaps between two banded rows that only a default row (no `when`) covers: (gap, row below, row above).

    “90%以上15分；70%-89% 9分；其他情况不得分” written in whole percents leaves (89%, 90%) to the default row,
    which scores 89.5% as 0 — a band nobody meant. Gaps outside the outermost bands are what “其他情况” is for."""
    if ALL not in rows:
        return []
    banded = [(i, _intersect(r, domain)) for i, r in enumerate(rows) if r != ALL]
    banded = [(i, r) for i, r in banded if not r.empty()]
    if len(banded) < 2:
        return []
    out = []
    for gap in _gaps(domain, [r for _, r in banded]):
        if gap.lo is None or gap.hi is None or (typ == "int" and not _has_integer(gap)):
            continue
        below = [i for i, r in banded if r.hi is not None and r.hi <= gap.lo]
        above = [i for i, r in banded if r.lo is not None and r.lo >= gap.hi]
        if below and above:
            low = max(below, key=lambda i: rows[i].hi or 0)
            high = min(above, key=lambda i: rows[i].lo or 0)
            out.append((gap, low, high))
    return out


def check_table_bands(conditions: list[ex.Node | None],
                      bounds_of: Callable[[str], tuple[Decimal | None, Decimal | None, str]],
                      ) -> list[tuple[str, str, str]]:
    """Messages (text, level, code) about a decision table's bands; empty when rows are not all bands."""
    rows: list[Interval] = []
    name: str | None = None
    for cond in conditions:
        if cond is None:
            rows.append(ALL)
            continue
        found = _comparison(cond)
        if found is None or (name is not None and found[0] != name):
            return []
        name = found[0]
        rows.append(found[1])
    if name is None:
        return []
    lo, hi, typ = bounds_of(name)
    domain = Interval(lo, lo is not None, hi, hi is not None)
    if typ == "percent" and hi is None:
        domain = Interval(lo if lo is not None else Decimal(0), True, None, False)
    pct = typ == "percent"
    out: list[tuple[str, str, str]] = []
    for i, row in enumerate(rows):
        row_in = _intersect(row, domain)
        if row_in.empty() or (i > 0 and _uncovered(row_in, rows[:i]) is None):
            out.append((f"第{i + 1}行的区间 {row.show(pct)} 已被前面各行覆盖，永远不会被用到", "error", "table-bands"))
            continue
        # Ladders (≥90%, ≥80%, …) overlap by design; two closed bands that overlap are the
        # “40%-60%以上 / 20%-40%” ambiguity: the value on the shared edge goes to the earlier row.
        for j in range(i):
            both = _intersect(rows[j], row)
            if _bounded(rows[j]) and _bounded(row) and not both.empty():
                out.append((f"第{j + 1}行 {rows[j].show(pct)} 与第{i + 1}行 {row.show(pct)} 在 {both.show(pct)} 重叠，"
                            f"重叠部分按第{j + 1}行计分；如非本意，请把其中一端改为不含（< 或 >）", "warning",
                            "table-bands"))
    gap = _uncovered(domain, rows)
    if gap is not None and not gap.empty():
        out.append((f"{name} 在 {gap.show(pct)} 时没有任何一行匹配，该区间会按本项起算分处理；"
                    "请补上这一档或加一行无条件的兜底行", "warning", "table-bands"))
    default = next(i for i, r in enumerate(rows) if r == ALL) if ALL in rows else 0
    for gap, low, high in _absorbed(rows, domain, typ):
        out.append((f"{name} 在 {gap.show(pct)} 时夹在第{low + 1}行 {rows[low].show(pct)} 与第{high + 1}行 "
                    f"{rows[high].show(pct)} 之间，只有第{default + 1}行（其他情况）接得住，按该行计分——多半是按整数"
                    f"书写留下的缝（如“70%-89%”与“90%以上”之间的 89%–90%）。如非本意，请把相邻一档的边界写成与另一档"
                    f"相接（如 >= 70% 且 < 90%）；见 criteria/README.md 2.11", "warning", "table-default-gap"))
    return out


def _bounded(iv: Interval) -> bool:
    return iv.lo is not None and iv.hi is not None
