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

This module only sets the run up (the peers, the unit's data alone, its baseline) and puts the self-check
together; each part has its own module: `selfcheck.gaps`, `selfcheck.vetoes`, `selfcheck.targets`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from common.problems import Problems
from intake.dataset import DataSet
from intake.lookup import find_unit
from rules.language.scheme import Scheme
from scoring.pipeline import load, score_dataset
from selfcheck.assessed import assessed_checks
from selfcheck.drivers import Drivers
from selfcheck.gaps import find_gaps, item_factors, provisional
from selfcheck.model import SelfCheck
from selfcheck.probe import NO_CHANGE, Prober
from selfcheck.roles import Roles, reference_names
from selfcheck.targets import TargetFinder
from selfcheck.vetoes import veto_checks

ZERO = Decimal(0)
NEED_CITY = "需全市数据"


class _Check:
    """One self-check: the peers' rank values, the unit's data alone and its baseline, then the parts."""

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
        factors = item_factors(self.s, r)
        gaps = find_gaps(self.s, r, factors, bool(self.peer_values))
        vetoes = veto_checks(self.s, r, self.baseline.evaluation.frame, self.base)
        TargetFinder(self.s, self.drivers, self.prober, r).attach(gaps, vetoes)
        return SelfCheck(self.s, self.entity, r.name, r, self.others if self.peer_values else 0, self.notes(),
                         vetoes, gaps, self.rank_items(), assessed_checks(self.s, r, factors),
                         self.prober.runs, self.prober.scored)

    # -- rank items and notes

    def rank_items(self) -> list[dict[str, Any]]:
        out = []
        for item in self.s.items:
            if item.rank is None:
                continue
            score = self.r.items.get(item.id)
            d: dict[str, Any] = {"item": item.id, "name": item.name, "score": score}
            if score is None:
                d["status"] = "not_applicable"
            elif provisional(item, bool(self.peer_values)):
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


def selfcheck(scheme: Scheme, data: DataSet, entity: str, problems: Problems) -> SelfCheck | None:
    """Self-check one unit of a data set; None when the unit cannot be scored (see `problems`)."""
    return _Check(scheme, data, entity, problems).run()


def run_selfcheck(criteria: Path | str, data_path: Path | str, entity: str, problems: Problems,
                  period: str | None = None) -> SelfCheck | None:
    """Load, check and self-check (for one period of the scheme, when given); None when criteria, data or the
    unit have errors (see `problems`). Raises UnknownUnit when the unit is not in the data."""
    loaded = load(criteria, data_path, problems, scorers_records=False, period=period)   # no scorer's records
    if loaded is None:
        return None
    scheme, data = loaded
    return selfcheck(scheme, data, find_unit(entity, data.ids, data.names), problems)
