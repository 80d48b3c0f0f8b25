"""Each veto and deduction of the scheme measured against the data as of a date, for every unit.

Two kinds of threat, both read off the scheme (no Python knows an input, item or veto):

- A condition on unit figures (a veto, or a rule of an item or a penalty whose condition reads a watched
  figure: one that accumulates — projected pro rata, `alerts.projection` — or a rate): 已触发 when it holds on
  the figures as of the date; 按进度将触发 when it holds on the projected figures; 临近 when one comparison
  alone keeps it from holding and that comparison is close (see `near`). The date by which to act is the end
  of the period (the year end), when the condition is decided.
- A condition on ledger rows (a veto or rule with `for_each`): every row it holds for, as of the date. When
  the condition waits on a blank column (an action not yet recorded, `整改完成日期 == null`) and requires a
  date column of the row to be earlier than something not of the row (`整改期限 < period.end`, or a date),
  that date is the deadline: past it
  the row is 已触发 (overdue), within NEAR_DAYS 临近, later 按进度将触发. A row without such a deadline is a
  fact already recorded (a late report, a criticism): 已触发, nothing to date.

Rules that read only work in progress (meetings held, tasks done) are not watched: part-way through the year
they are incomplete by nature; that is the self-check's business (`assess selfcheck`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np

from alerts.model import HIT, NEAR, NEAR_DAYS, ON_COURSE, Alert
from rules.evaluation.derive import Frame
from rules.language import expr as ex
from rules.language.constructs.rules import CRule
from rules.language.scheme import Scheme
from rules.language.text import describe, show_value

NEAR_SHARE = Decimal(1) / 20   # a figure that is not a whole count is near within a twentieth of its line
FIXED = ("entity.", "period.")


class Watch:
    """The threats of one scheme over the units of one frame (as of a date) and its projection."""

    def __init__(self, scheme: Scheme, now: Frame, proj: Frame, projected: set[str], as_of: dt.date,
                 end: dt.date, units: dict[str, str], not_applicable: dict[str, set[str]] | None = None):
        self.s, self.now, self.proj, self.projected = scheme, now, proj, projected
        self.as_of, self.end, self.units = as_of, end, units
        self.not_applicable = not_applicable or {}   # unit -> the items that do not apply to it
        rates = {n for n in [*scheme.inputs, *(d.id for d in scheme.derived)] if scheme.is_percent(n)}
        self.watched = projected | rates
        self.index = {u: i for i, u in enumerate(now.ids)}

    def alerts(self) -> list[Alert]:
        out: list[Alert] = []
        for v in self.s.vetoes:
            if v.stage:   # reads the unit's total, rank or grade: decided on the whole result, not watched here
                continue
            head = ("否决", v.id, v.name, v.clause or "", v.words(self.s.grades[-1].name if self.s.grades else ""))
            out += self.rows(v.when, v.for_each, head) if v.for_each else self.scalar(v.when, head, always=True)
        rules: list[tuple[CRule, str, str, str, str | None]] = [(r, i.id, i.name, i.clause or "", i.id)
                                                                for i in self.s.items for r in i.rules]
        rules += [(a.rule, a.id, a.name, a.clause or "", None) for a in self.s.penalties]
        for r, rid, name, clause, item in rules:
            if r.sign > 0 or r.when is None:
                continue
            head = ("扣分", rid, name, clause, _points(r, self.s))
            out += (self.rows(r.when, r.for_each, head, item) if r.for_each
                    else self.scalar(r.when, head, always=False, item=item))
        return out

    # -- conditions on unit figures

    def scalar(self, when: ex.Node, head: tuple[str, ...], always: bool, item: str | None = None) -> list[Alert]:
        if not always and not (ex.names(when) & self.watched and self.has_line(when)):
            return []
        now = ex.truthy(ex.evaluate(when, self.now.env()))
        proj = ex.truthy(ex.evaluate(when, self.proj.env()))
        disjuncts = [ex.operands(d, "and") for d in ex.operands(when, "or")]
        truth: dict[tuple[bool, int], np.ndarray] = {}   # each condition evaluated once over all units

        def holds(c: ex.Node, projected: bool = True) -> np.ndarray:
            if (projected, id(c)) not in truth:
                frame = self.proj if projected else self.now
                truth[(projected, id(c))] = ex.truthy(ex.evaluate(c, frame.env()))
            return truth[(projected, id(c))]

        out = []
        for u, name in self.units.items():
            i = self.index[u]
            if item is not None and item in self.not_applicable.get(u, ()):
                continue   # the item does not apply to the unit (不涉及, applies_when)
            if now[i] or proj[i]:
                level = HIT if now[i] else ON_COURSE
                held = next((d for d in disjuncts if all(holds(c, not now[i])[i] for c in d)), disjuncts[0])
                key = self.key(held)
            else:
                key = None
                for d in disjuncts:
                    false = [c for c in d if not holds(c)[i]]
                    if len(false) == 1 and self.comparison(false[0]) is not None and self.near(false[0], i):
                        key = false[0]
                        break
                if key is None:
                    continue
                level = NEAR
            out.append(self.alert(u, name, level, head, when, key, i))
        return out

    def has_line(self, when: ex.Node) -> bool:
        """A rule's condition draws a line on a watched figure: a comparison with one, save a rate compared with
        100% (“每低1个百分点扣…” below a full mark is a graduated loss, which every unit has part-way through
        the year, not a line to cross)."""
        for c in ex.walk(when):
            cmp = self.comparison(c)
            if cmp is None or not (ex.names(cmp[0]) & self.watched):
                continue
            full = (isinstance(cmp[2], ex.Lit) and isinstance(cmp[0], ex.Name) and self.s.is_percent(cmp[0].name)
                    and cmp[2].value == 1)
            if not full:
                return True
        return False

    def key(self, conjuncts: list[ex.Node]) -> ex.Node | None:
        """The comparison a distance is measured on: one reading a watched figure, else any."""
        cmps = [c for c in conjuncts if self.comparison(c) is not None]
        watched = [c for c in cmps if ex.names(c) & self.watched]
        return (watched or cmps)[0] if cmps else None

    def comparison(self, c: ex.Node) -> tuple[ex.Node, str, ex.Node] | None:
        """(the figure's side, the operator read from it, the line's side) of a comparison on a unit figure."""
        if not isinstance(c, ex.Bin) or c.op not in ("<", "<=", ">", ">="):
            return None
        left, op, right = c.left, c.op, c.right

        def mine(n: ex.Node) -> set[str]:
            return {x for x in ex.names(n) if not x.startswith(FIXED)}

        if not (mine(left) & self.watched) and (mine(right) & self.watched or not mine(left)):
            left, right = right, left
            op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
        return (left, op, right) if mine(left) else None

    def value(self, node: ex.Node, frame: Frame, i: int) -> Any:
        col = ex.evaluate(node, frame.env())
        return col.data[i] if col.mask()[i] else None

    def measure(self, c: ex.Node, i: int) -> tuple[str, Any, Any, Any, str, bool] | None:
        """(figure name, value as of the date, projected value, line, operator, whole) of a comparison."""
        cmp = self.comparison(c)
        if cmp is None:
            return None
        left, op, right = cmp
        x, p, t = self.value(left, self.now, i), self.value(left, self.proj, i), self.value(right, self.proj, i)
        if not all(_number(v) for v in (x, p, t)):
            return None
        name = left.name if isinstance(left, ex.Name) else ""
        whole = not self.s.is_percent(name) and all(Decimal(v) == Decimal(v).to_integral_value() for v in (x, t))
        return name, Decimal(x), Decimal(p), Decimal(t), op, whole

    def near(self, c: ex.Node, i: int) -> bool:
        """Near: a whole count that one more event takes over its line (of a figure the unit already has
        some of), or another figure within a twentieth of its line (projected, when it accumulates)."""
        m = self.measure(c, i)
        if m is None:
            return False
        _, x, p, t, op, whole = m
        if whole:
            return x != 0 and _allowance(x, t, op) == 0
        return p != 0 and abs(t - p) <= abs(t) * NEAR_SHARE

    def alert(self, u: str, name: str, level: str, head: tuple[str, ...], when: ex.Node, key: ex.Node | None,
              i: int) -> Alert:
        kind, rid, rname, clause, threat = head
        m = self.measure(key, i) if key is not None else None
        if m is None:
            return Alert(u, name, level, kind, rid, rname, clause, threat, describe(when, self.s), "", "", "",
                         "条件已成立" if level != NEAR else "", self.end)
        fig, x, p, t, op, whole = m
        label = self.s.label(fig) if fig else describe(key.left if isinstance(key, ex.Bin) else key, self.s,
                                                         as_condition=False)
        unit = self.unit(fig)
        current = self.show(fig, x) + unit
        projected = f"{_num(p.quantize(Decimal('0.1')))}{unit}" if fig in self.projected else ""
        return Alert(u, name, level, kind, rid, rname, clause, threat, describe(when, self.s), label, current,
                     projected, self.distance(fig, x, p, t, op, whole, unit), self.end)

    def unit(self, name: str) -> str:
        if name in self.s.inputs:
            return self.s.inputs[name].unit or ""
        d = next((d for d in self.s.derived if d.id == name), None)
        return d.unit if d is not None and d.unit and d.unit != "%" else ""

    def show(self, name: str, v: Decimal) -> str:
        shown = show_value(v, self.s, name) if name else _num(v)
        return str(shown)

    def distance(self, fig: str, x: Decimal, p: Decimal, t: Decimal, op: str, whole: bool, unit: str) -> str:
        if whole and op in (">", ">="):
            a = _allowance(x, t, op)
            return f"还可再有{a}{unit}" if a >= 0 else f"已超出{-a}{unit}"
        gap = t - p if op in (">", ">=") else p - t     # how far the (projected) figure is on the safe side
        if self.s.is_percent(fig):
            amount = f"{_num(_round(abs(gap) * 100))}个百分点"
        else:
            amount = f"{_num(_round(abs(gap)))}{unit}"
        if gap > 0 or (gap == 0 and op in (">", "<")):
            return f"距界限还有{amount}"
        return f"差{amount}" if op in ("<", "<=") else f"超出{amount}"

    # -- conditions on ledger rows

    def rows(self, when: ex.Node, table: str | None, head: tuple[str, ...], item: str | None = None) -> list[Alert]:
        assert table is not None
        ledger = self.now.ledgers.get(table)
        if ledger is None or not len(ledger):
            return []
        hold = ex.truthy(ex.evaluate(when, self.now.rows(table)))
        deadline = self.deadline(when, table)
        pending = _blanks(when)
        kind, rid, rname, clause, threat = head
        key = self.s.inputs[table].key if table in self.s.inputs else None
        out = []
        for j in np.flatnonzero(hold):
            u = str(ledger["entity"].iloc[j])
            if u not in self.units or (item is not None and item in self.not_applicable.get(u, ())):
                continue
            where = f"{ledger['_file'].iloc[j]}第{ledger['_row'].iloc[j]}行"
            shown = f"{key} {ledger[key].iloc[j]}（{where}）" if key else where
            day = ledger[deadline].iloc[j] if deadline else None
            if isinstance(day, dt.date):
                left = (day - self.as_of).days
                level = HIT if left < 0 else NEAR if left <= NEAR_DAYS else ON_COURSE
                distance = f"已逾期{-left}天" if left < 0 else f"距{deadline}还有{left}天"
                act_by: dt.date | None = day
            elif pending:   # waits on an action, with no deadline of its own: decided at the year end
                level, distance, act_by = ON_COURSE, f"{'、'.join(pending)}未填，年底前处置", self.end
            else:
                level, distance, act_by = HIT, "已发生", None
            out.append(Alert(u, self.units[u], level, kind, rid, rname, clause, threat, describe(when, self.s),
                             self.s.label(table), shown, "", distance, act_by))
        return out

    def deadline(self, when: ex.Node, table: str) -> str | None:
        """The row's deadline column: compared before the period's end, in a condition that waits on a blank."""
        conjs = ex.operands(when, "and")
        if not _blanks(when):
            return None
        columns = self.s.columns(table)
        dates = {n for n, col in columns.items() if col.type == "date"}
        for c in conjs:
            if not isinstance(c, ex.Bin):
                continue
            for col, end, ops in ((c.left, c.right, ("<", "<=")), (c.right, c.left, (">", ">="))):
                # the row's date earlier than something not of the row (period.end, a date, a unit's value)
                if (c.op in ops and isinstance(col, ex.Name) and col.name in dates
                        and not ex.names(end) & set(columns)):
                    return col.name
        return None


def _blanks(when: ex.Node) -> list[str]:
    """The columns a row condition waits to be filled in (`整改完成日期 == null`): an action not yet recorded."""
    return [c.left.name for c in ex.operands(when, "and") if isinstance(c, ex.Bin) and c.op == "=="
            and isinstance(c.right, ex.Lit) and c.right.kind == "null" and isinstance(c.left, ex.Name)]


def _round(d: Decimal) -> Decimal:
    return d.quantize(Decimal("0.01"))


def _allowance(x: Decimal, t: Decimal, op: str) -> Decimal:
    """How many more a whole count may grow before `x op t` holds (negative: by how much it is over)."""
    return t - x - (0 if op == ">" else 1)


def _points(r: CRule, scheme: Scheme) -> str:
    if r.amount is not None and r.per is None:
        return f"扣{_num(r.amount)}分"
    if r.amount is not None:
        return f"扣分（每{describe(r.per, scheme, as_condition=False) if r.per else ''}扣{_num(r.amount)}分）"
    return "扣分"


def _number(v: Any) -> bool:
    return isinstance(v, int | Decimal) and not isinstance(v, bool)


def _num(d: Decimal) -> str:
    return f"{d.normalize():f}"
