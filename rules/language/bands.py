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


def check_table_bands(conditions: list[ex.Node | None],
                      bounds_of: Callable[[str], tuple[Decimal | None, Decimal | None, str]],
                      ) -> list[tuple[str, str]]:
    """Messages (text, level) about a decision table's bands; empty when rows are not all bands."""
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
    out: list[tuple[str, str]] = []
    for i, row in enumerate(rows):
        row_in = _intersect(row, domain)
        if row_in.empty() or (i > 0 and _uncovered(row_in, rows[:i]) is None):
            out.append((f"第{i + 1}行的区间 {row.show(pct)} 已被前面各行覆盖，永远不会被用到", "error"))
            continue
        # Ladders (≥90%, ≥80%, …) overlap by design; two closed bands that overlap are the
        # “40%-60%以上 / 20%-40%” ambiguity: the value on the shared edge goes to the earlier row.
        for j in range(i):
            both = _intersect(rows[j], row)
            if _bounded(rows[j]) and _bounded(row) and not both.empty():
                out.append((f"第{j + 1}行 {rows[j].show(pct)} 与第{i + 1}行 {row.show(pct)} 在 {both.show(pct)} 重叠，"
                            f"重叠部分按第{j + 1}行计分；如非本意，请把其中一端改为不含（< 或 >）", "warning"))
    gap = _uncovered(domain, rows)
    if gap is not None and not gap.empty():
        out.append((f"{name} 在 {gap.show(pct)} 时没有任何一行匹配，该区间会按本项起算分处理；"
                    "请补上这一档或加一行无条件的兜底行", "warning"))
    return out


def _bounded(iv: Interval) -> bool:
    return iv.lo is not None and iv.hi is not None
