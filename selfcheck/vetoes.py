"""Vetoes near and hit: how far each veto of the scheme is from firing for one unit, in Chinese.

A veto that hit is shown with the reason and evidence scoring gave (its targets, the changes that lift it,
are searched with the gaps' in `selfcheck.targets`). One that did not is *near* when a single condition of
one of its alternatives is false and close to holding (one more of something the unit already has, or within
a tenth of the threshold), else *clear*; either way the distance is said for every alternative the unit can
reach. Conditions on what the unit cannot change (its class, the period) do not count as reachable. A veto
on ledger rows counts the rows that miss a single condition (save a condition that a column be blank: a
filled-in value does not become blank again, so that is no threat).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np

from intake.dataset import DataSet
from rules.evaluation.derive import Frame, row_env
from rules.language import expr as ex
from rules.language.scheme import CVeto, Scheme
from rules.language.text import describe
from scoring.totals import UnitResult
from selfcheck.model import VetoCheck
from selfcheck.wording import show


def veto_checks(scheme: Scheme, r: UnitResult, frame: Frame, base: DataSet) -> list[VetoCheck]:
    """The unit's vetoes (`frame`: its evaluated values; `base`: its data alone)."""
    return _Watch(scheme, frame, base).checks(r)


class _Watch:
    """The distance of each veto from firing, measured on the unit's evaluated values and ledgers."""

    def __init__(self, scheme: Scheme, frame: Frame, base: DataSet):
        self.s = scheme
        self.frame = frame
        self.base = base

    def checks(self, r: UnitResult) -> list[VetoCheck]:
        """Every veto of the scheme for the unit, those that hit first, then those near firing."""
        hits = {h["id"]: h for h in r.vetoes}
        out: list[VetoCheck] = []
        for v in self.s.vetoes:
            reads = sorted({self.s.label(n) for n in v.reads if not n.startswith(("entity.", "period."))})
            inputs = ([self.s.label(v.for_each)] if v.for_each else []) + reads
            if v.id in hits:
                h = hits[v.id]
                out.append(VetoCheck(v.id, v.name, v.effect_text(), "hit", h["reason"], h["evidence"], [], inputs))
                continue
            if v.stage:   # reads the unit's total, rank or grade (the whole result, not one figure): not hit
                later = ["名次须全市统一排名后确定，自查不判定此项"] if v.results & {"rank", "units"} else []
                out.append(VetoCheck(v.id, v.name, v.effect_text(), "clear", v.reason or describe(v.when, self.s),
                                     {}, later, inputs))
                continue
            status, distance = (self.row_veto(v) if v.for_each else self.scalar_veto(v))
            out.append(VetoCheck(v.id, v.name, v.effect_text(), status, v.reason or describe(v.when, self.s), {},
                                 distance, inputs))
        order = {"hit": 0, "near": 1, "clear": 2}
        return sorted(out, key=lambda c: order[c.status])

    def value(self, node: ex.Node) -> Any:
        col = ex.evaluate(node, self.frame.env())
        return col.data[0] if col.mask()[0] else None

    def scalar_veto(self, v: CVeto) -> tuple[str, list[str]]:
        status, distance = "clear", []
        reachable = False
        for disjunct in _split(v.when, "or"):
            conjs = _split(disjunct, "and")
            false = [c for c in conjs if not bool(ex.truthy(ex.evaluate(c, self.frame.env()))[0])]
            gaps = [self.distance(c) for c in false]
            if any(g is None for g in gaps):
                continue  # a condition the unit cannot change (its class, the period) or cannot measure
            reachable = True
            texts = [g[0] for g in gaps if g is not None]
            if len(gaps) == 1 and gaps[0] is not None and gaps[0][1]:
                status = "near"
            distance.append("；".join(texts))
        if not reachable:
            distance.append("按本单位情况不会触发（其中有本单位无法改变的条件，如考核类别）")
        return status, distance

    def distance(self, c: ex.Node) -> tuple[str, bool] | None:
        """(how far a false condition is from holding, whether that is near); None: not the unit's to change."""
        names = ex.names(c)
        if not any(not n.startswith(("entity.", "period.")) for n in names):
            return None
        if isinstance(c, ex.Bin) and c.op in ex.COMPARISONS:
            left, right, op = c.left, c.right, c.op
            if isinstance(left, ex.Lit) or not any(not n.startswith(("entity.", "period.")) for n in ex.names(left)):
                left, right = right, left
                op = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}.get(op, op)
            x, t = self.value(left), self.value(right)
            if not _number(x) or not _number(t):
                return None
            x, t = Decimal(x), Decimal(t)
            whole = x == x.to_integral_value() and t == t.to_integral_value()
            name = left.name if isinstance(left, ex.Name) else ""
            shown = show(self.s, name, x) if name else _num(x)
            what = describe(left, self.s, as_condition=False)
            if op in (">", ">="):
                need = t - x + (1 if op == ">" and whole else 0)
                verb = "再增加"
            elif op in ("<", "<="):
                need = x - t + (1 if op == "<" and whole else 0)
                verb = "再减少"
            else:
                need = abs(t - x) if op == "==" else Decimal(1)
                verb = "变化"
            more = "" if whole or op in (">=", "<=", "==") else "以上"
            amount = show(self.s, name, need) if name else _num(need)
            # near: one more of something the unit already has some of, or within a tenth of the threshold
            near = (need <= 1 and x != 0) if whole else need <= abs(t) / 10
            return f"{what}现为{shown}，{verb}{amount}{more}即满足“{describe(c, self.s)}”", bool(near)
        return f"若“{describe(c, self.s)}”成立", False

    def row_veto(self, v: CVeto) -> tuple[str, list[str]]:
        assert v.for_each is not None
        ledger = self.base.ledgers[v.for_each].frame
        if not len(ledger):
            return "clear", [f"{self.s.label(v.for_each)}中没有本单位的记录"]
        env = row_env(self.frame, ledger, list(self.s.columns(v.for_each)))
        conjs = _split(v.when, "and")
        truth = np.array([ex.truthy(ex.evaluate(c, env)) for c in conjs])
        misses = (~truth).sum(axis=0)
        out = []
        for k, c in enumerate(conjs):
            if isinstance(c, ex.Bin) and c.op == "==" and isinstance(c.right, ex.Lit) and c.right.kind == "null":
                continue  # a filled-in value does not become blank again: not a threat
            n = int(((misses == 1) & ~truth[k]).sum())
            if n:
                out.append(f"另有{n}条记录只差条件“{describe(c, self.s)}”，请留意")
        return "clear", out or [f"{self.s.label(v.for_each)}中没有接近触发的记录"]


def _split(node: ex.Node, op: str) -> list[ex.Node]:
    return ex.operands(node, op)


def _number(v: Any) -> bool:
    return isinstance(v, int | Decimal) and not isinstance(v, bool)


def _num(d: Decimal) -> str:
    return f"{d.normalize():f}"
