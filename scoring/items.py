"""Item scores: from firings, decision-table hits, ranks and findings to clamped scores, as events.

An item starts at its points (`basis: full`) or at 0 (`basis: zero`); each firing and each findings
row is an event; then a rule's `cap`, the item's `cap` and the range [0, points] each clamp with an
event of their own. So an item's score is always its start plus the sum of its events.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from rules.evaluation.evaluate import EVIDENCE_SOURCE, Evaluation, Firing
from rules.language.scheme import CItem, CRule
from rules.language.text import figure, show_value
from scoring.events import Event, arithmetic, fmt
from scoring.per import PerCounter
from scoring.rank import competition_ranks

ZERO = Decimal(0)


def apply_once_per(firings: list[Firing]) -> list[Firing]:
    """“同一项按最高分只计入1次”: per once_per value keep the largest firing (the first of equals)."""
    best: dict[Any, Firing] = {}
    order: list[Any] = []
    out: list[Firing] = []
    for f in firings:
        if f.once_key is None:
            out.append(f)
            continue
        if f.once_key not in best:
            order.append(f.once_key)
            best[f.once_key] = f
        elif abs(f.points) > abs(best[f.once_key].points):
            best[f.once_key] = f
    return out + [best[k] for k in order]


def rule_events(rule: CRule, firings: list[Firing], item: str | None, clause: str | None, category: str | None,
                kind: str) -> list[Event]:
    events = []
    for f in apply_once_per(firings):
        reason = f.reason
        if f.once_key is not None and rule.once_per:
            reason += f"（同一{rule.once_per}只计最高分一次）"
        events.append(Event(f.entity, item, f.rule, f.points, reason, kind, clause, category, f.evidence))
    if rule.cap is not None and events:
        with arithmetic(e.points for e in events):
            moved = sum((e.points for e in events), ZERO)
            if abs(moved) > rule.cap:
                back = abs(moved) - rule.cap
                sign = 1 if moved < 0 else -1
                events.append(Event(events[0].entity, item, f"{rule.uid}.cap", sign * back,
                                    f"本条规则最多{'扣' if moved < 0 else '加'}{fmt(rule.cap)}分，超出的{fmt(back)}分不计",
                                    "cap", clause, category))
    return events


def missing_record_events(unit: str, item: CItem, start: Decimal) -> list[Event]:
    """No record for an `assessed` item whose scheme says what that means (`missing: full | zero`): one event
    when it moves the score (full marks of a `deduct` item are its start: nothing to explain)."""
    spec = item.assessed
    if spec is None or spec.missing not in ("full", "zero"):
        return []
    target, words = (item.points, "视为满分") if spec.missing == "full" else (ZERO, "计0分")
    if target == start:
        return []
    who = spec.scorer or "评分单位"
    return [Event(unit, item.id, f"findings:{item.id}.missing", target - start,
                  f"{who}没有报送本单位本项的考核记录，按考核细则的规定{words}：得{fmt(target)}分",
                  "finding", item.clause, item.category, {"评分单位": who}, spec.scorer)]


def finding_events(rows: list[dict[str, Any]], target: str, item: str | None, clause: str | None,
                   category: str | None, kind: str) -> list[Event]:
    out = []
    for r in rows:
        if r["扣分"] is not None:
            pts = -r["扣分"]
            verb = "扣"
        else:
            pts = r["得分"]
            verb = "得"
        why = r["事由"] or "考核扣分记录"
        scorer = r["评分单位"]
        basis = r["依据"]
        ev = {"事由": why, "评分单位": scorer, "依据": basis, EVIDENCE_SOURCE: f"{r['_file']}·第{r['_row']}行"}
        text = f"{why}（{scorer or '评分单位未填'}{'，依据' + basis if basis else ''}）：{verb}{fmt(abs(pts))}分"
        out.append(Event(r["entity"], item, f"findings:{target}", pts, text, kind, clause, category,
                         {k: v for k, v in ev.items() if v is not None}, scorer))
    return out


class ItemScorer:
    def __init__(self, ev: Evaluation, peers: dict[str, dict[str, Any]] | None = None):
        self.ev = ev
        self.s = ev.scheme
        self.firings: dict[tuple[str, str], list[Firing]] = defaultdict(list)  # (unit, rule uid)
        per = PerCounter(self.s, ev.values)
        for f in ev.firings:
            if f.per is not None:   # a `per` rule's figure: what it is worth is counted here
                settled = per.settle(f)
                if settled is None:
                    continue
                f = settled
            self.firings[(f.entity, f.rule)].append(f)
        self.findings: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        fdf = ev.data.ledgers["findings"].frame
        for rec in fdf.to_dict("records"):
            row = {str(k): v for k, v in rec.items()}
            self.findings[(row["entity"], row["考核项目"])].append(row)
        self.ranks: dict[str, dict[str, int]] = {}
        self.ranked: dict[str, dict[str, int]] = {}   # item -> unit -> how many units it was ranked among
        for item, values in ev.rank_values.items():
            desc = self.s.item(item).rank.order == "desc"  # type: ignore[union-attr]
            if peers is None:
                self.ranks[item] = competition_ranks(values, descending=desc)
                self.ranked[item] = dict.fromkeys(values, len(values))
                continue
            # each unit against the peers alone (see scoring.pipeline.score_dataset)
            others = peers.get(item, {})
            self.ranks[item] = {u: competition_ranks({**others, u: v}, descending=desc)[u] for u, v in values.items()}
            self.ranked[item] = {u: len(others.keys() - {u}) + 1 for u in values}

    def score(self, unit: str, item: CItem) -> tuple[Decimal | None, list[Event]]:
        """(score or None when not applicable, events)."""
        why_na = self.ev.not_applicable.get(unit, {}).get(item.id)
        if why_na is not None:
            return None, []
        start = item.points if item.basis == "full" else ZERO
        events: list[Event] = []
        cat = item.category
        for r in item.rules:
            fired = self.firings.get((unit, r.uid))
            if fired:  # a rule that did not fire moves nothing (and most rules of most units do not)
                events += rule_events(r, fired, item.id, item.clause, cat, "rule")
        if item.table is not None:
            hit = self.ev.table_hits.get((unit, item.id))
            if hit is not None and hit.score is not None:
                # also when the score equals the start: the matched row is the explanation
                events.append(Event(unit, item.id, f"{item.id}.table[{hit.row}]", hit.score - start,
                                    f"{hit.reason}：得{fmt(hit.score)}分", "table", item.clause, cat, hit.evidence))
        if item.rank is not None:
            events += self.rank_events(unit, item, start)
        events += self.finding_events(unit, item, start)
        with arithmetic(e.points for e in events):
            events += self.clamps(unit, item, start, events)
            return start + sum((e.points for e in events), ZERO), events

    def rank_events(self, unit: str, item: CItem, start: Decimal) -> list[Event]:
        spec = item.rank
        assert spec is not None
        ranks = self.ranks.get(item.id, {})
        if unit not in ranks:
            return []
        rank = ranks[unit]
        score = max(spec.floor, spec.first - (rank - 1) * spec.step)
        score = min(max(score, ZERO), item.points)
        value = self.ev.rank_values[item.id][unit]
        n = self.ranked[item.id][unit]
        reason = (f"{self.s.label(_name(spec.by))}{figure(value, self.s, _name(spec.by))}，"
                  f"在{n}个单位中排第{rank}名：得{fmt(score)}分")
        # an event even at full marks: the rank is the explanation
        return [Event(unit, item.id, f"{item.id}.rank", score - start, reason, "rank", item.clause, item.category,
                      {"排名": rank, "参与排名单位数": n,
                       _name(spec.by): show_value(value, self.s, _name(spec.by))})]

    def finding_events(self, unit: str, item: CItem, start: Decimal) -> list[Event]:
        rows = self.findings.get((unit, item.id), [])
        if not rows:
            return missing_record_events(unit, item, start)
        if item.assessed is not None and item.assessed.mode == "score":
            # A scorer's figure sets the score; the last row wins, earlier ones are reported.
            r = rows[-1]
            ev = finding_events([r], item.id, item.id, item.clause, item.category, "finding")[0]
            ev.points = r["得分"] - start
            ev.reason = f"{r['事由'] or '评分单位评定'}（{r['评分单位'] or '评分单位未填'}）：评定{fmt(r['得分'])}分"
            return [ev]
        return finding_events(rows, item.id, item.id, item.clause, item.category, "finding")

    def clamps(self, unit: str, item: CItem, start: Decimal, events: list[Event]) -> list[Event]:
        out: list[Event] = []
        if item.cap is not None:
            # net of each side after the rules' own caps: a deduct rule's cap event gives points back
            signs = {r.uid: r.sign for r in item.rules}
            lost = won = ZERO
            for e in events:
                if e.kind not in ("rule", "finding", "cap"):
                    continue
                side = signs.get(e.rule.removesuffix(".cap"), -1 if e.points < 0 else 1)
                if e.kind == "finding":
                    side = -1 if e.points < 0 else 1
                if side < 0:
                    lost -= e.points
                else:
                    won += e.points
            if lost > item.cap:
                out.append(Event(unit, item.id, f"{item.id}.cap", lost - item.cap,
                                 f"本项最多扣{fmt(item.cap)}分（扣完为止），超出的{fmt(lost - item.cap)}分不计",
                                 "cap", item.clause, item.category))
            if won > item.cap:
                out.append(Event(unit, item.id, f"{item.id}.cap", item.cap - won,
                                 f"本项最多加{fmt(item.cap)}分，超出的{fmt(won - item.cap)}分不计", "cap",
                                 item.clause, item.category))
        score = start + sum((e.points for e in [*events, *out]), ZERO)
        if score < 0:
            out.append(Event(unit, item.id, f"{item.id}.clamp", -score,
                             f"本项{fmt(item.points)}分扣完为止，超出的{fmt(-score)}分不计", "clamp", item.clause,
                             item.category))
        elif score > item.points:
            out.append(Event(unit, item.id, f"{item.id}.clamp", item.points - score,
                             f"本项满分{fmt(item.points)}分，超出的{fmt(score - item.points)}分不计", "clamp",
                             item.clause, item.category))
        return out


def _name(node: Any) -> str:
    from rules.language import expr as ex

    return node.name if isinstance(node, ex.Name) else node.text
