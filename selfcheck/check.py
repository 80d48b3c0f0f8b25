"""Self-check of one unit (自查): its total and grade by threshold, the vetoes that hit or threaten it, and
the gaps — every item that lost points, biggest loss first — with the events behind each and the
targets that win the points back (see `selfcheck.targets`).

Nothing here knows an item, an input or a category: the drivers of a gap are read off the scheme (the
names its rules, decision table or rank read, followed through derived values down to inputs and ledger
rows), and every figure is measured by re-scoring the unit through the real pipeline (`selfcheck.probe`).

Only the unit's work gets a target (`selfcheck.roles`): a gap or a veto that rests on facts (accidents,
fires), references (control targets, last year's figures) or filled dates says so instead. Items scored by
others are not gaps: they are listed apart with the range they can move the total (`selfcheck.assessed`).

Peers: rank items and quotas compare units. When the data set holds other units, the unit's rank items
are ranked against them (their data are not changed by any target); otherwise rank items are marked as
needing the whole city's data. Quotas are never applied: the grade is by threshold and vetoes.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from common.problems import Problems
from intake.dataset import DataSet
from intake.lookup import find_unit
from rules.evaluation.derive import Frame, row_env
from rules.language import expr as ex
from rules.language.scheme import CAdjust, CItem, CVeto, Scheme
from rules.language.text import describe
from scoring.events import Event
from scoring.pipeline import load, score_dataset
from scoring.totals import UnitResult
from selfcheck.assessed import assessed_checks
from selfcheck.axes import Axis, RowAxis, ScalarAxis, scalar_axis
from selfcheck.model import Gap, SelfCheck, Target, VetoCheck
from selfcheck.objectives import (
    Objective,
    adjustment_events,
    adjustment_objective,
    item_objective,
    veto_objective,
)
from selfcheck.probe import NO_CHANGE, Prober
from selfcheck.roles import Roles, reference_names
from selfcheck.rowflips import RowFlipper
from selfcheck.search import drive, search
from selfcheck.wording import no_target_text, rows_text, scalar_text, show

ZERO = Decimal(0)
NEED_CITY = "需全市数据"
FINDINGS_NOTE = "含评分单位的评分或扣分（考核扣分记录）：请对照事由整改，这部分无法通过填报数据挽回"


# ------------------------------------------------------------------------------------------ drivers


class Drivers:
    """What drives a score: the search axes for scalar names and ledger row conditions."""

    def __init__(self, scheme: Scheme, base: DataSet, entity: str, frame: Frame, result: UnitResult,
                 roles: Roles):
        self.s = scheme
        self.roles = roles
        self.blocked: set[str] = set()    # inputs and ledgers met that are facts or references (callers reset)
        self.past: set[str] = set()       # filled date inputs met: past data, never moved (callers reset)
        self.considered: set[str] = set()  # every input and ledger met, for the note on inferred roles
        self.base = base
        self.entity = entity
        self.frame = frame
        self.result = result
        self.na = base.na.get(entity, set())
        self.derived = {d.id: d for d in scheme.derived}
        self.cache: dict[str, Axis | None] = {}
        self.flippers: dict[str, RowFlipper] = {}

    def of_names(self, names: set[str] | list[str]) -> list[Axis]:
        out: list[Axis] = []
        seen: set[str] = set()

        def visit(name: str) -> None:
            if name in seen:
                return
            seen.add(name)
            if name in self.s.scalar_inputs:
                if name not in self.na:
                    out.extend(a for a in [self.scalar(name)] if a is not None)
                return
            d = self.derived.get(name)
            if d is None:
                return  # entity fields and the period are not the unit's to change
            if d.table is not None and not self.workable(d.table):
                return  # counted or summed from a ledger of facts: nothing to change
            if d.kind == "count" and d.where is not None and d.table is not None:
                for want in (True, False):
                    out.extend(a for a in [self.rows(d.table, d.where, want, d.id, d.label)] if a is not None)
            for dep in sorted(d.deps):
                visit(dep)

        for n in sorted(names):
            visit(n)
        return out

    def workable(self, name: str) -> bool:
        """Whether a target may move this input or ledger (its role is work); records it when not."""
        self.considered.add(name)
        if self.roles.workable(name):
            return True
        self.blocked.add(name)
        return False

    def scalar(self, name: str) -> Axis | None:
        if not self.workable(name):
            return None
        current = self.base.values[self.entity].get(name)
        if self.s.inputs[name].type == "date" and current is not None:
            self.past.add(name)     # a filled date says when something happened: never moved
            return None
        key = f"value:{name}"
        if key not in self.cache:
            self.cache[key] = scalar_axis(self.s, name, self.base.values[self.entity].get(name))
        return self.cache[key]

    def rows(self, table: str, cond: ex.Node, want: bool, name: str, label: str) -> Axis | None:
        if not self.workable(table):
            return None
        axis = self._rows(table, cond, want, name, label)
        if axis is None:        # say why: the columns the condition reads that no target may change
            for c in sorted(ex.names(cond) & set(self.s.columns(table))):
                if not self.roles.column(table, c).work:
                    self.blocked.add(f"{table}.{c}")
                elif self.s.columns(table)[c].type == "date":
                    self.past.add(f"{table}.{c}")
        return axis

    def _rows(self, table: str, cond: ex.Node, want: bool, name: str, label: str) -> Axis | None:
        key = f"rows:{table}:{cond.text}:{want}"
        if key not in self.cache:
            if table not in self.flippers:
                def editable(column: str, table: str = table) -> bool:
                    return self.roles.column(table, column).work
                self.flippers[table] = RowFlipper(self.s, self.frame, self.base.ledgers[table].frame, table,
                                                  editable)
            self.cache[key] = self.flippers[table].axis(cond, want, name, label)
        return self.cache[key]

    def of_item(self, item: CItem, events: list[Event]) -> list[Axis]:
        fired = {e.rule for e in events}
        names: set[str] = set()
        row_axes: list[Axis] = []
        for r in item.rules:
            if r.sign < 0 and r.uid not in fired:
                continue  # a deduction that did not fire cannot give points back
            names |= r.reads
            if r.for_each is not None and r.sign < 0 and r.when is not None:
                row_axes += [a for a in [self.rows(r.for_each, r.when, False, r.for_each, self.s.label(r.for_each))]
                             if a is not None]
        for row in item.table or []:
            if row.when is not None:
                names |= ex.names(row.when)
        if item.rank is not None:
            names |= ex.names(item.rank.by)
        return _unique([*self.of_names(names), *row_axes])

    def of_adjustment(self, a: CAdjust) -> list[Axis]:
        r = a.rule
        axes = self.of_names(r.reads)
        if r.for_each is not None and r.sign < 0 and r.when is not None:
            axes += [x for x in [self.rows(r.for_each, r.when, False, r.for_each, self.s.label(r.for_each))]
                     if x is not None]
        return _unique(axes)

    def of_veto(self, v: CVeto) -> list[Axis]:
        axes = self.of_names(v.reads | (set() if v.for_each else ex.names(v.when)))
        if v.for_each is not None:
            axes += [x for x in [self.rows(v.for_each, v.when, False, v.for_each, self.s.label(v.for_each))]
                     if x is not None]
        return _unique(axes)


def _unique(axes: list[Axis]) -> list[Axis]:
    out: dict[str, Axis] = {}
    for a in axes:
        out.setdefault(a.key, a)
    return list(out.values())


# ------------------------------------------------------------------------------------------ the check


class _Check:
    def __init__(self, scheme: Scheme, data: DataSet, entity: str, problems: Problems):
        self.s = scheme
        self.entity = entity
        self.problems = problems
        self.peer_values: dict[str, dict[str, Any]] = {}
        others = [u for u in data.ids if u != entity]
        rank_items = [i for i in scheme.items if i.rank is not None]
        if others and rank_items:
            full = score_dataset(scheme, data, Problems())
            assert full.evaluation is not None
            self.peer_values = {item: {u: v for u, v in values.items() if u != entity}
                                for item, values in full.evaluation.rank_values.items()}
        self.others = len(others)
        self.base = data.subset([entity])
        self.baseline = score_dataset(scheme, self.base, problems, peers=self.peer_values)
        self.prober = Prober(scheme, self.base, entity, self.peer_values)
        self.roles = Roles(scheme, reference_names(scheme))

    def run(self) -> SelfCheck | None:
        r = self.baseline.unit(self.entity)
        if r is None:
            return None
        self.prober.cache[NO_CHANGE] = r
        assert self.baseline.evaluation is not None
        self.r = r
        self.drivers = Drivers(self.s, self.base, self.entity, self.baseline.evaluation.frame, r, self.roles)
        gaps = self.gaps()
        vetoes = self.vetoes()
        self.targets(gaps, vetoes)
        return SelfCheck(self.s, self.entity, r.name, r, self.others if self.peer_values else 0, self.notes(),
                         vetoes, gaps, self.rank_items(), assessed_checks(self.s, r, self.factors()),
                         self.prober.runs, self.prober.scored)

    # -- what the unit lost

    def factors(self) -> dict[str, Decimal]:
        """Per item: points on its own scale → points of the total (scale_to, normalise)."""
        r = self.r
        out: dict[str, Decimal] = {}
        full = ZERO
        for cat in self.s.categories:
            f = cat.scale_to / cat.points if cat.scale_to is not None else Decimal(1)
            for it in cat.items:
                out[it.id] = f
                if r.items.get(it.id) is not None or not self.s.meta.normalise:
                    full += it.points * f
        if self.s.meta.normalise and full:
            out = {k: v * self.s.meta.total / full for k, v in out.items()}
        return out

    def provisional(self, item: CItem) -> bool:
        return item.rank is not None and not self.peer_values

    def gaps(self) -> list[Gap]:
        r = self.r
        factors = self.factors()
        gaps: list[tuple[int, Gap]] = []
        for k, item in enumerate(self.s.items):
            score = r.items.get(item.id)
            if score is None or score >= item.points or self.provisional(item) or item.assessed is not None:
                continue  # (items scored by others are listed apart: `selfcheck.assessed`)
            events = [e for e in r.events if e.item == item.id]
            lost = item.points - score
            g = Gap(item.id, item.name, "item", item.clause, item.points, score, lost, lost * factors[item.id], events)
            if any(e.kind == "finding" for e in events):
                g.notes.append(FINDINGS_NOTE)
            gaps.append((k, g))
        n = len(self.s.items)
        for k, a in enumerate(self.s.penalties):
            events = adjustment_events(r, a)
            took = sum((e.points for e in events), ZERO)
            if took < 0:
                g = Gap(a.id, a.name, "penalty", a.clause, None, took, -took, -took, events)
                if any(e.rule == f"findings:{a.id}" for e in events):
                    g.notes.append(FINDINGS_NOTE)
                gaps.append((n + k, g))
        gaps.sort(key=lambda kg: (-kg[1].lost_in_total, kg[0]))
        return [g for _, g in gaps]

    # -- targets, all searches in lockstep

    def targets(self, gaps: list[Gap], vetoes: list[VetoCheck]) -> None:
        jobs: list[tuple[Gap | VetoCheck, Axis, Objective]] = []
        fixed: dict[int, tuple[set[str], set[str], bool]] = {}  # owner -> (facts and references, past dates, any axis)
        for g in gaps:
            self.drivers.blocked, self.drivers.past = set(), set()
            if g.kind == "item":
                item = self.s.item(g.item)
                assert item is not None
                objective = item_objective(item)
                axes = self.drivers.of_item(item, g.events)
            else:
                a = next(x for x in self.s.penalties if x.id == g.item)
                objective = adjustment_objective(a)
                axes = self.drivers.of_adjustment(a)
            jobs += [(g, axis, objective) for axis in axes]
            fixed[id(g)] = (self.drivers.blocked, self.drivers.past, bool(axes))
        by_id = {v.id: v for v in self.s.vetoes}
        for vc in vetoes:
            if vc.status == "hit":
                v = by_id[vc.id]
                self.drivers.blocked, self.drivers.past = set(), set()
                axes = self.drivers.of_veto(v)
                jobs += [(vc, axis, veto_objective(v)) for axis in axes]
                fixed[id(vc)] = (self.drivers.blocked, self.drivers.past, bool(axes))
        searches = []
        for owner, axis, objective in jobs:
            base = objective(self.r)
            assert base is not None
            best = owner.points if isinstance(owner, Gap) and owner.points is not None else (
                ZERO if isinstance(owner, Gap) else Decimal(1))
            searches.append(search(axis, self.prober, objective, base, best))
        found = drive(self.prober, searches)
        for (owner, axis, objective), pos in zip(jobs, found, strict=True):
            if pos is None:
                continue
            t = self.target(axis, pos, objective)
            if t is not None:
                owner.targets.append(t)
        owners: list[Gap | VetoCheck] = [*gaps, *vetoes]
        for has in owners:
            has.targets.sort(key=lambda t: (-t.item_gain, -t.gain))
        for g in gaps:
            if not g.targets and not g.notes:
                g.notes.append(self.no_target(*fixed[id(g)], veto=False))
        for vc in vetoes:
            if vc.status == "hit" and not vc.targets:
                vc.notes.append(self.no_target(*fixed[id(vc)], veto=True))

    def no_target(self, blocked: set[str], past: set[str], any_axis: bool, veto: bool) -> str:
        return no_target_text(self.s, self.roles, self.base.values[self.entity], blocked, past, any_axis, veto)

    def target(self, axis: Axis, pos: Any, objective: Objective) -> Target | None:
        change = axis.change(pos)
        after = self.prober.get(change)
        base_obj = objective(self.r)
        got = objective(after)
        if after is None or got is None or base_obj is None or got <= base_obj:
            return None
        gain = after.total_exact - self.r.total_exact
        if isinstance(axis, ScalarAxis):
            to = axis.value(pos)
            return Target(axis.name, self.s.label(axis.name), "value", axis.current, to, gain, got - base_obj,
                          after.total, after.grade, scalar_text(self.s, axis, to), change)
        before, now = self.count(axis, self.r), self.count(axis, after, pos)
        rows = [{"出处": f.source, **({"key": f.key} if f.key is not None else {}), "set": f.sets}
                for f in axis.flips[:pos]]
        work = self.roles.work_template(axis.table, list(dict.fromkeys(c for f in axis.flips[:pos] for c in f.sets)))
        return Target(axis.name, axis.label, "rows", before, now, gain, got - base_obj, after.total, after.grade,
                      rows_text(self.s, axis, pos, before, now, work), change, rows=rows)

    def count(self, axis: RowAxis, r: UnitResult, k: int = 0) -> Any:
        if axis.name in r.values:
            return r.values[axis.name]
        return axis.satisfied + (k if axis.want else -k)

    # -- vetoes

    def vetoes(self) -> list[VetoCheck]:
        r = self.r
        hits = {h["id"]: h for h in r.vetoes}
        out: list[VetoCheck] = []
        for v in self.s.vetoes:
            reads = sorted({self.s.label(n) for n in v.reads if not n.startswith(("entity.", "period."))})
            inputs = ([self.s.label(v.for_each)] if v.for_each else []) + reads
            if v.id in hits:
                h = hits[v.id]
                out.append(VetoCheck(v.id, v.name, v.effect_text(), "hit", h["reason"], h["evidence"], [], inputs))
                continue
            status, distance = (self.row_veto(v) if v.for_each else self.scalar_veto(v))
            out.append(VetoCheck(v.id, v.name, v.effect_text(), status, v.reason or describe(v.when, self.s), {},
                                 distance, inputs))
        order = {"hit": 0, "near": 1, "clear": 2}
        return sorted(out, key=lambda c: order[c.status])

    def value(self, node: ex.Node) -> Any:
        col = ex.evaluate(node, self.drivers.frame.env())
        return col.data[0] if col.mask()[0] else None

    def scalar_veto(self, v: CVeto) -> tuple[str, list[str]]:
        status, distance = "clear", []
        reachable = False
        for disjunct in _split(v.when, "or"):
            conjs = _split(disjunct, "and")
            false = [c for c in conjs if not bool(ex.truthy(ex.evaluate(c, self.drivers.frame.env()))[0])]
            gaps = [self.gap(c) for c in false]
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

    def gap(self, c: ex.Node) -> tuple[str, bool] | None:
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
        env = row_env(self.drivers.frame, ledger, list(self.s.columns(v.for_each)))
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

    # -- notes

    def rank_items(self) -> list[dict[str, Any]]:
        out = []
        for item in self.s.items:
            if item.rank is None:
                continue
            score = self.r.items.get(item.id)
            d: dict[str, Any] = {"item": item.id, "name": item.name, "score": score}
            if score is None:
                d["status"] = "not_applicable"
            elif self.provisional(item):
                d["status"] = "provisional"
                d["floor"] = min(max(item.rank.floor, ZERO), item.points)
            else:
                d["status"] = "scored"
                ev = next((e for e in self.r.events if e.item == item.id and e.kind == "rank"), None)
                d["rank"] = ev.evidence.get("排名") if ev else 1
                d["of"] = self.others + 1
            out.append(d)
        return out

    def notes(self) -> list[str]:
        out = []
        inferred = self.roles.inferred_note(self.drivers.considered)
        if inferred:
            out.append(inferred)
        quotas = [g for g in self.s.grades if g.quota is not None]
        if quotas:
            q = "、".join(f"“{g.name}”名额（{g.quota.text}）" for g in quotas if g.quota)
            out.append(f"等次按分数线和否决项确定；{q}须全市统一排名后确定，自查不计名额")
        ranks = [i for i in self.s.items if i.rank is not None]
        if ranks:
            names = "、".join(f"{i.id} {i.name}" for i in ranks)
            if self.peer_values:
                out.append(f"排名项目（{names}）按数据中其他{self.others}个单位的数据排名")
            else:
                out.append(f"排名项目（{names}）{NEED_CITY}：暂按第1名计分，总分可能偏高")
        return out


def _split(node: ex.Node, op: str) -> list[ex.Node]:
    return ex.operands(node, op)


def _number(v: Any) -> bool:
    return isinstance(v, int | Decimal) and not isinstance(v, bool)


def _num(d: Decimal) -> str:
    return f"{d.normalize():f}"


def selfcheck(scheme: Scheme, data: DataSet, entity: str, problems: Problems) -> SelfCheck | None:
    """Self-check one unit of a data set; None when the unit cannot be scored (see `problems`)."""
    return _Check(scheme, data, entity, problems).run()


def run_selfcheck(criteria: Path | str, data_path: Path | str, entity: str, problems: Problems
                  ) -> SelfCheck | None:
    """Load, check and self-check; None when criteria, data or the unit have errors (see `problems`).
    Raises UnknownUnit when the unit is not in the data."""
    loaded = load(criteria, data_path, problems)
    if loaded is None:
        return None
    scheme, data = loaded
    return selfcheck(scheme, data, find_unit(entity, data.ids, data.names), problems)
