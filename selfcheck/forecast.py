"""Forecast (预测, `assess forecast`): a higher unit's (a city's) score under the higher scheme, from its own
data and its lower units' (counties', departments') data rolled up (criteria/README.md 2.19), with every
point explained down to the lower unit and its row, and the targets that win the most points back.

Targets through a rollup are measured, never guessed: a lower unit's figure is changed in its own data, the
lower scheme scores the lower data set again (so the county's own total, grade and vetoes follow, and so does
its row in the city's rollup ledger), then the higher scheme scores every city again (`selfcheck.forecast_probe`).
What a county may change is read off the lower scheme exactly as its own self-check reads it
(`selfcheck.drivers`, `selfcheck.roles`: facts such as deaths and references such as control targets never get
a target); which lower figures matter is read off the higher scheme (the rollup columns its expressions read;
when it reads a lower result — total, grade, vetoes, items — the county's own self-check targets, for a county
whose perfect result would raise the city at all). The city's own
items get the targets of its own self-check (`selfcheck.check`), never a change of a rollup row.

A source given as a results file holds the county's result, not its data: no figure of it can be changed, and
the forecast says so.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from common.problems import Problems
from intake.dataset import DataSet
from intake.lookup import find_unit
from rules.language import expr as ex
from rules.language.constructs.rollup import CRollup
from rules.language.scheme import Scheme
from scoring.events import fmt, fmt_signed
from scoring.pipeline import Results, read_checked, score_dataset, score_lower_data
from scoring.rollup import Source
from scoring.totals import UnitResult
from selfcheck.axes import Axis, ScalarAxis
from selfcheck.check import selfcheck
from selfcheck.drivers import Drivers
from selfcheck.forecast_model import Forecast, LedgerRows, Peer, Point, Target
from selfcheck.forecast_probe import CityProber, LowerSource, changed
from selfcheck.probe import Change
from selfcheck.roles import Roles, reference_names
from selfcheck.search import JMAX, drive, search
from selfcheck.wording import rows_text, scalar_text

RESULT_COLUMNS = {"total", "rank", "grade", "vetoed", "vetoes"}
RESULT_PREFIXES = ("veto.", "items.", "categories.")
VETO_WEIGHT = Decimal(1000)   # a veto lifted counts above any points in the search


def higher_reads(scheme: Scheme) -> set[str]:
    """Every name the higher scheme's expressions read (columns of a rollup row read bare or as `r.col`)."""
    names: set[str] = set()
    for item in scheme.items:
        names |= item.reads
        for rule in item.rules:   # a for_each rule reads the row's columns bare
            names |= set().union(*(ex.names(n) for n in (rule.when, rule.per) if n is not None))
    for a in scheme.adjustments():
        names |= a.rule.reads
    for v in scheme.vetoes:
        names |= v.reads | (ex.names(v.when) if v.when is not None else set())
    for d in scheme.derived:
        names |= d.deps | ({d.column} if d.column else set())
        names |= set().union(*(ex.names(n) for n in (d.where, d.expr) if n is not None))
    names |= set().union(*(ex.names(n) for n, _ in scheme.tiebreak))
    out = set(names)
    for r in scheme.rollups:
        out |= {n[len(r.name) + 1:] for n in names if n.startswith(r.name + ".")}
    return out


def _cell(v: Any) -> Any:
    if v is None or (isinstance(v, float) and v != v):
        return "不涉及"
    if isinstance(v, bool):
        return "是" if v else "否"
    return fmt(v) if isinstance(v, Decimal) else v


def _objective(r: UnitResult | None) -> Decimal | None:
    return None if r is None else r.total_exact - VETO_WEIGHT * len(r.vetoes)


def _show(r: UnitResult | None) -> str:
    return "" if r is None else f"{r.total} {r.grade or ''}".strip()


def _refine(axis: Axis, pos: Any, prober: CityProber, best: Decimal) -> Any:
    """Past a lower scheme's check (rectified ≤ found), the doubling steps of the search land on positions that
    score nothing and stop it short: find the last position the checks allow in that direction, and the nearest
    one reaching what it scores (scores are taken to be monotone there, as the search takes them)."""
    if not isinstance(axis, ScalarAxis) or axis.kind != "grid":
        return pos

    def obj(p: Decimal) -> Decimal | None:
        return _objective(prober.get(axis.change(p)))

    now = obj(pos)
    if now is None or now >= best:
        return pos
    d = 1 if pos > axis.origin else -1
    bound = axis.hi if d > 0 else axis.lo
    ok, bad, step = Decimal(pos), None, 1
    for _ in range(JMAX):
        q = ok + d * step
        if bound is not None and (q - bound) * d > 0:
            q = Decimal(bound)
        if q == ok:
            break
        v = obj(q)
        if v is None:
            bad = q
            break
        ok, step = q, step * 2
        if v >= best:
            break
    while bad is not None and abs(bad - ok) > 1:
        mid = Decimal((ok + bad) // 2)
        if obj(mid) is None:
            bad = mid
        else:
            ok = mid
    top = obj(ok)
    if top is None or top <= now:
        return pos
    miss, hit = Decimal(pos), ok
    while abs(hit - miss) > 1:
        mid = Decimal((miss + hit) // 2)
        v = obj(mid)
        if v is not None and v >= top:
            hit = mid
        else:
            miss = mid
    return hit


class _Forecast:
    def __init__(self, scheme: Scheme, raw: Any, data: DataSet, entity: str, sources: list[LowerSource],
                 problems: Problems):
        self.s = scheme
        self.raw = raw
        self.data = data
        self.entity = entity
        self.sources = sources
        self.problems = problems
        self.results: Results = score_dataset(scheme, data, problems)
        self.no_target: list[str] = []
        self.notes: list[str] = []
        self.runs = 0

    def run(self) -> Forecast | None:
        r = self.results.unit(self.entity)
        if r is None:
            return None
        self.r = r
        peers = [Peer(u.rank, u.entity, u.name, u.total, u.grade, [v["name"] for v in u.vetoes])
                 for u in self.results.units]
        if len(peers) == 1:
            self.notes.append("数据中只有本市，未给同类城市的数据：不计排名（把同类城市的名册和数据放在同一文件夹即可排名）")
        points, lower = self.points(r), self.lower_targets(r)
        own = self.own_targets()
        items = {i.id for i in self.s.items}
        for p in points:
            item = p.item.split(" ", 1)[0]
            if p.points >= 0 or item not in items:
                continue   # vetoes, bonuses and penalties are listed with their own reasons
            if p.lower and not any(t.whose.endswith("·" + p.lower) and item in t.items for t in lower):
                self.no_target.append(
                    f"{p.reason}（{p.item}，{fmt_signed(p.points)}分）：在{p.lower}能改动的数据（下级细则中 role 为 work 的项目）中，"
                    "没有能挽回这项失分的改动；它依据的是已发生的事实或上级下达的参照值（role: fact / reference），不设目标")
            elif not p.lower and not any(item in t.items for t in [*lower, *own]):
                # a whole-city item (a sum or rate over the counties, or the city's own figure) no one change wins
                # back: said, so a loss without a target is never left unexplained (found by a blind test)
                self.no_target.append(
                    f"{p.reason}（{p.item}，{fmt_signed(p.points)}分）：本市和所辖单位能改动的数据（role 为 work 的项目）中，"
                    "没有哪一项单独改动能挽回这项失分；它依据的是已发生的事实或参照值（role: fact / reference），"
                    "或须多个单位共同改善，不设目标")
        return Forecast(self.s, self.entity, r.name, r, peers, points, self.veto_points(r), lower,
                        own, self.no_target, self.notes, self.runs, self.ledger_rows(),
                        list(self.data.files))

    # -- every point explained

    def _where(self, item_id: str | None, rule: str) -> tuple[str, str]:
        for c in self.s.categories:
            if item_id is None and rule.startswith(c.id + "."):
                return f"{c.id} {c.name}", ""        # a category's cap or scale
            for i in c.items:
                if i.id == item_id:
                    return f"{c.id} {c.name}", f"{i.id} {i.name}"
        for v in self.s.vetoes:
            if v.id == rule:
                return "否决项", f"{v.id} {v.name}"
        for a in self.s.adjustments():
            if rule == a.id or rule.startswith(a.id + "."):
                return "加分" if a.kind == "bonus" else "扣分", f"{a.id} {a.name}"
        return "", item_id or rule

    def points(self, r: UnitResult) -> list[Point]:
        out = []
        for e in r.events:
            if not e.points:
                continue   # every point moved is listed (a veto that deducts too): they sum to the total
            category, item = self._where(e.item, e.rule)
            ev = {self.s.label(k): v for k, v in e.evidence.items() if v is not None}   # as `explain` words them
            out.append(Point(category, item, e.points, ev.get("下级单位"), e.reason, ev.get("出处"), ev))
        return sorted(out, key=lambda p: p.points)

    def veto_points(self, r: UnitResult) -> list[Point]:
        return [Point("", f"否决项 {v['id']} {v['name']}", Decimal(0), None, v.get("reason", ""), None,
                      {self.s.label(k): x for k, x in (v.get("evidence") or {}).items() if x is not None})
                for v in r.vetoes]

    def ledger_rows(self) -> list[LedgerRows]:
        """The rows every rolled-up figure of the city is counted or summed from (what B1's rate is made of)."""
        reads = higher_reads(self.s)
        out = []
        for rollup in self.s.rollups:
            led = self.data.ledgers.get(rollup.name)
            if led is None:
                continue
            cols = [c for c in (rollup.table.columns or {}) if c in reads and c not in ("id", "name")]
            frame = led.frame[led.frame["entity"] == self.entity]
            columns = rollup.table.columns or {}
            labels = [columns[c].label or c for c in cols]
            rows = [[f"{rec['name']}（{rec['id']}）", *(_cell(rec[c]) for c in cols), f"{rec['_file']}·第{rec['_row']}行"]
                    for rec in frame.to_dict("records")]
            out.append(LedgerRows(rollup.label, ["所辖单位", *labels, "出处"], rows))
        return out

    # -- targets through the rollups

    def lower_targets(self, r: UnitResult) -> list[Target]:
        reads = higher_reads(self.s)
        out: list[Target] = []
        for rollup in self.s.rollups:
            led = self.data.ledgers.get(rollup.name)
            if led is None:
                continue
            mine = [str(x) for x in led.frame.loc[led.frame["entity"] == self.entity, "id"]]
            units = {u.id: u for u in (self.raw.rollups or {}).get(rollup.name) or [] if u.id in mine}
            for lower_id in mine:
                u = units.get(lower_id)
                src = next((s for s in self.sources if u is not None and s.rollup == rollup.name
                            and s.path == u.source), None)
                if src is None:
                    where = u.source if u is not None else rollup.name
                    self.no_target.append(f"{rollup.label}·{u.name if u else lower_id}：来源 {where} 是结果文件，"
                                          "只有下级的得分，没有下级的数据，无法测算改动哪项数据能挽回多少分")
                    continue
                out += self.one_lower(rollup, src, lower_id, reads)
        out.sort(key=lambda t: (-t.gain, -len(t.vetoes_lifted), t.whose, t.text))
        return out

    def one_lower(self, rollup: CRollup, src: LowerSource, lower_id: str, reads: set[str]) -> list[Target]:
        lower: Scheme = src.scheme
        now = next(x for x in src.results if x.entity == lower_id)
        base = src.data.subset([lower_id])
        scored = score_dataset(lower, base, Problems())
        assert scored.evaluation is not None
        drivers = Drivers(lower, base, lower_id, scored.evaluation.frame, now,
                          Roles(lower, reference_names(lower)))
        axes: list[Axis] = drivers.of_names({rollup.values[c] for c in reads if c in rollup.values})
        prober = CityProber(self.s, self.raw, self.entity, src, lower_id)
        base_obj = _objective(self.r)
        assert base_obj is not None
        found = drive(prober, [search(a, prober, _objective, base_obj, self.s.meta.total)  # type: ignore[arg-type]
                               for a in axes])
        whose = f"{rollup.label}·{now.name}（{lower_id}）"
        out = []
        for axis, pos in zip(axes, found, strict=True):
            if pos is not None:
                pos = _refine(axis, pos, prober, self.s.meta.total)
                out += self._target(prober, axis.change(pos), now, whose, self._text(lower, drivers, axis, pos, now,
                                                                                    prober))
        ideal = _objective(prober.ideal()) if any(n in RESULT_COLUMNS or n.startswith(RESULT_PREFIXES)
                                                  for n in reads) else None
        if ideal is not None and ideal > base_obj:
            # the city reads the county's result, and a perfect result would raise the city: the county's own
            # self-check targets (its gaps and vetoes), each measured on the city through its data scored again
            sc = selfcheck(lower, src.data, lower_id, Problems())
            owners: list[Any] = [*(sc.gaps if sc else []), *(sc.vetoes if sc else [])]
            for owner in owners:
                for t in owner.targets:
                    out += self._target(prober, t.change, now, whose, f"{owner.name}：{t.text}")
        self.runs += prober.runs
        best: dict[tuple[Any, ...], Target] = {}
        for t in out:   # the smallest change that wins the most (the first found) stands for the others
            best.setdefault((t.gain, tuple(t.vetoes_lifted)), t)
        return list(best.values())

    @staticmethod
    def _text(lower: Scheme, drivers: Drivers, axis: Axis, pos: Any, now: UnitResult, prober: CityProber) -> str:
        if isinstance(axis, ScalarAxis):
            return scalar_text(lower, axis, axis.value(pos))
        got = prober.outcome(axis.change(pos))
        before = now.values.get(axis.name, axis.satisfied)
        after = got.lower.values.get(axis.name) if got is not None and got.lower is not None else None
        work = drivers.roles.work_template(axis.table, list(dict.fromkeys(c for f in axis.flips[:pos] for c in f.sets)))
        return rows_text(lower, axis, pos, before, after, work)

    def _target(self, prober: CityProber, change: Change, now: UnitResult, whose: str, text: str) -> list[Target]:
        got = prober.outcome(change)
        if got is None:
            return []
        lifted = [v["name"] for v in self.r.vetoes if v["id"] not in {x["id"] for x in got.city.vetoes}]
        gain = got.city.total_exact - self.r.total_exact
        if gain <= 0 and not lifted:
            return []
        items = [i for i, v in got.city.items.items() if v is not None and v > (self.r.items.get(i) or v)]
        items += [v["id"] for v in self.r.vetoes if v["id"] not in {x["id"] for x in got.city.vetoes}]
        return [Target(now.name, whose, text, gain, got.city.total, got.city.grade, got.city.rank, _show(now),
                       _show(got.lower), lifted, items)]

    # -- the city's own items

    def own_targets(self) -> list[Target]:
        rollups = {r.name for r in self.s.rollups}
        sc = selfcheck(self.s, self.data, self.entity, Problems())
        if sc is None:
            return []
        self.runs += sc.runs
        out = []
        for g in sc.gaps:
            for t in g.targets:
                if any(table in rollups for table, _, _ in t.change.cells):
                    continue   # a rollup row is the lower unit's result: only its own data may change it
                # scored again with every city, as the forecast itself (its rank among the peers, quotas)
                again = score_dataset(self.s, changed(self.data, self.entity, t.change), Problems()).unit(self.entity)
                if again is None or again.total_exact <= self.r.total_exact:
                    continue
                out.append(Target(self.r.name, f"本市·{g.item} {g.name}", t.text, again.total_exact - self.r.total_exact,
                                  again.total, again.grade, again.rank if len(self.results.units) > 1 else None,
                                  items=[g.item]))
        out.sort(key=lambda t: (-t.gain, t.whose))
        return out


def _capture(sources: list[LowerSource]) -> Any:
    """A ScoreLower that scores as `assess score` does and keeps each lower data set and its results."""
    def score(lower: Scheme, path: Path, problems: Problems) -> tuple[list[UnitResult], DataSet] | None:
        got = score_lower_data(lower, path, problems)
        if got is not None:
            rollup = next((r.name for r in scheme_rollups if r.lower is lower), "")
            sources.append(LowerSource(rollup, str(path), lower, got[1], got[0]))
        return got

    scheme_rollups: list[CRollup] = []
    score.rollups = scheme_rollups  # type: ignore[attr-defined]
    return score


def run_forecast(scheme: Scheme, data_path: Path | str, entity: str | None, problems: Problems,
                 rollups: list[Source] | None = None) -> Forecast | None:
    """Read, roll up, score and forecast one higher unit (`entity`; the only unit when None); None when the
    data have errors (all in `problems`). Raises UnknownUnit when the unit is not in the data."""
    sources: list[LowerSource] = []
    score_lower = _capture(sources)
    score_lower.rollups.extend(scheme.rollups)
    raw, data, _ = read_checked(scheme, data_path, problems, rollups=rollups, score_lower=score_lower)
    if raw is None or data is None or problems.errors:
        return None
    wanted = entity if entity is not None else (data.ids[0] if len(data.ids) == 1 else None)
    if wanted is None:
        problems.add(f"数据中有 {len(data.ids)} 个单位，请用 -e 指明预测哪个单位（编号或名称）",
                     file=str(data_path), code="forecast-unit")
        return None
    return _Forecast(scheme, raw, data, find_unit(wanted, data.ids, data.names), sources, problems).run()
