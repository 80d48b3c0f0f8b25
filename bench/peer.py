#!/usr/bin/env python3
"""The peer rule engine: GoRules zen-engine evaluating the same item decisions as ours, on the same inputs.

    python bench/peer.py CRITERIA DATA [--runs N] [--check]

The decision graph is built generically from the compiled scheme (rules.language.scheme): one ZEN expression per
*scalar item* — an item scored by rules on unit-level values and/or a decision table, without ledger rules
(`for_each`), ranks or assessor findings. For criteria/2020/county.yaml that is 35 of its 43 items
(A1-A5, B1-B5, C1, C3, C5, D1-D4, E1-E5, F1, F2, F5, G1-G8, H1, H2); the expression of an item gives its
score exactly as scoring.items does: each rule fires when its `when` is definitely true (Kleene logic,
comparisons with null false), moves `amount × per` (rounded as `per_rounding`, at least 0, at most the
rule's `cap`), the item's `cap` bounds losses and gains, the first matching table row sets the score,
the result is clamped to [0, points], and the item is null where `applies_when` fails or an input it
reads is 不涉及. ZEN computes in decimals (rust_decimal), so the figures can be compared exactly.

Inputs are the unit-level values our engine derives (rules.evaluation.derive: scalar inputs, entity fields,
derived counts and rates) with their 不涉及 marks, sent per unit as JSON text (decimals exact, dates as
day numbers). Reading and deriving happen once, untimed. Then, N times each:

  ours  the same items through the engine's evaluator (rules.evaluation.evaluate: conditions, amounts and
        evidence vectorised over units), the durable-rules cross-check of every condition they register
        (rules.evaluation.match), and item scores with events (scoring.items.ItemScorer), for every unit;
  zen   building each unit's context and `decision.evaluate` for every unit (one call each; also
        `evaluate_batch`, and the faster of the two is the peer's figure).

One JSON line is printed: items, units, the medians, item decisions per second for both, and (with
--check) how many of the unit × item scores agree between the two (all must).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import zen  # noqa: E402

from common.problems import Problems  # noqa: E402
from intake import read_data  # noqa: E402
from rules.evaluation.derive import derive  # noqa: E402
from rules.evaluation.evaluate import _Evaluator, _types  # noqa: E402
from rules.evaluation.match import cross_check  # noqa: E402
from rules.language import expr as ex  # noqa: E402
from rules.language.criteria import load_criteria  # noqa: E402
from rules.language.scheme import CItem, CRule, Scheme  # noqa: E402
from scoring.items import ItemScorer  # noqa: E402

_CMP = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_NEG = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}


def scalar_items(scheme: Scheme) -> list[CItem]:
    return [i for i in scheme.items
            if (i.rules or i.table) and i.rank is None and i.assessed is None and all(r.for_each is None for r in i.rules)]


def _num(d: Decimal) -> str:
    return format(d, "f")


class Translator:
    """Our expression language to ZEN, with our null semantics spelled out (ZEN fails on null < 1)."""

    def __init__(self, types: dict[str, str]):
        self.types = types
        self.keys: dict[str, str] = {}  # our name -> context key

    def key(self, name: str) -> str:
        return self.keys.setdefault(name, f"v{len(self.keys)}")

    def lit(self, node: ex.Lit) -> str:
        if node.kind == "null":
            return "null"
        if node.kind == "bool":
            return "true" if node.value else "false"
        if node.kind == "str":
            return json.dumps(node.value, ensure_ascii=False)
        if node.kind == "date":
            return str(node.value.toordinal())
        return _num(Decimal(node.value))

    def value(self, node: ex.Node) -> str:
        if isinstance(node, ex.Lit):
            return self.lit(node)
        if isinstance(node, ex.Name):
            return self.key(node.name)
        if isinstance(node, ex.Unary) and node.op == "-":
            return f"(-{self.value(node.operand)})"
        if isinstance(node, ex.Bin) and node.op in ("+", "-", "*", "/"):
            return f"({self.value(node.left)} {node.op} {self.value(node.right)})"
        if isinstance(node, ex.Call):
            args = [self.value(a) for a in node.args]
            if node.func in ("min", "max"):
                return f"{node.func}([{', '.join(args)}])"
            if node.func == "days":
                return f"({args[1]} - {args[0]})"
            if node.func == "round":
                return f"round({args[0]}, {args[1] if len(args) > 1 else 0})"
            return f"{node.func}({args[0]})"
        raise ValueError(f"not a value: {node.text}")

    def known(self, node: ex.Node) -> str:
        """When the value is not null."""
        parts: list[str] = []
        if isinstance(node, ex.Lit):
            return "false" if node.kind == "null" else "true"
        if isinstance(node, ex.Name):
            return f"({self.key(node.name)} != null)"
        if isinstance(node, ex.Unary):
            return self.known(node.operand)
        if isinstance(node, ex.Bin):
            parts = [self.known(node.left), self.known(node.right)]
            if node.op == "/":
                parts.append(f"{self.value(node.right)} != 0")
        elif isinstance(node, ex.Call):
            parts = [self.known(a) for a in node.args]
        parts = [p for p in parts if p != "true"]
        return "(" + " and ".join(parts) + ")" if parts else "true"

    def holds(self, node: ex.Node, want: bool = True) -> str:
        """When the condition is definitely true (want) or definitely false (not want)."""
        if isinstance(node, ex.Bin) and node.op in ("and", "or"):
            both = (node.op == "and") == want
            a, b = self.holds(node.left, want), self.holds(node.right, want)
            return f"({a} {'and' if both else 'or'} {b})"
        if isinstance(node, ex.Unary) and node.op == "not":
            return self.holds(node.operand, not want)
        if isinstance(node, ex.Bin) and node.op in _CMP:
            left, right = node.left, node.right
            if (isinstance(right, ex.Lit) and right.kind == "null") or (isinstance(left, ex.Lit) and left.kind == "null"):
                other = left if isinstance(right, ex.Lit) and right.kind == "null" else right
                is_null = (node.op == "==") == want
                known = self.known(other)
                return f"(not {known})" if is_null else known  # `known` is parenthesised
            op = _CMP[node.op] if want else _NEG[node.op]
            guard = " and ".join(p for p in (self.known(left), self.known(right)) if p != "true")
            test = f"{self.value(left)} {op} {self.value(right)}"
            return f"({guard} and {test})" if guard else f"({test})"
        if isinstance(node, ex.In):
            options = ", ".join(self.lit(o) for o in node.options)
            inside = want != node.negated
            test = f"{self.value(node.item)} in [{options}]"
            guard = self.known(node.item)
            return f"({guard} and {test if inside else f'not ({test})'})"
        if isinstance(node, ex.Name) and self.types.get(node.name) == "bool":
            return f"({self.key(node.name)} == {'true' if want else 'false'})"
        if isinstance(node, ex.Lit) and node.kind == "bool":
            return "true" if node.value == want else "false"
        raise ValueError(f"not a condition: {node.text}")

    def rule(self, r: CRule) -> str:
        fire = self.holds(r.when) if r.when is not None else "true"
        assert r.amount is not None
        if r.per is None:
            points = _num(r.amount)
        else:
            per = self.value(r.per)
            per = {"ceil": f"ceil({per})", "floor": f"floor({per})"}.get(r.per_rounding, per)
            points = f"max([0, {_num(r.amount)} * {per}])"
            fire = f"({fire} and {self.known(r.per)})"
        if r.cap is not None:
            points = f"min([{points}, {_num(r.cap)}])"
        return f"({fire} ? {points} : 0)"

    def item(self, item: CItem) -> str:
        start = item.points if item.basis == "full" else Decimal(0)
        lost = [self.rule(r) for r in item.rules if r.sign < 0] or ["0"]
        won = [self.rule(r) for r in item.rules if r.sign > 0] or ["0"]
        loss, gain = " + ".join(lost), " + ".join(won)
        if item.cap is not None:
            loss, gain = f"min([{loss}, {_num(item.cap)}])", f"min([{gain}, {_num(item.cap)}])"
        table = "0"
        for row in reversed(item.table or []):
            delta = _num(row.score - start)
            table = delta if row.when is None else f"({self.holds(row.when)} ? {delta} : {table})"
        score = f"max([0, min([{_num(item.points)}, {_num(start)} - ({loss}) + ({gain}) + ({table})])])"
        applies = [self.holds(item.applies_when)] if item.applies_when is not None else []
        applies += [f"{self.key(n)}_na == false" for n in sorted(item.reads)]
        return f"({' and '.join(applies)}) ? {score} : null" if applies else score


def graph(scheme: Scheme, items: list[CItem]) -> tuple[str, Translator]:
    t = Translator(_types(scheme))
    expressions = [{"id": f"e{k}", "key": item.id, "value": t.item(item)} for k, item in enumerate(items)]
    nodes = [
        {"id": "in", "type": "inputNode", "name": "request", "position": {"x": 0, "y": 0}, "content": {}},
        {"id": "items", "type": "expressionNode", "name": "items", "position": {"x": 200, "y": 0},
         "content": {"expressions": expressions}},
        {"id": "out", "type": "outputNode", "name": "response", "position": {"x": 400, "y": 0}, "content": {}},
    ]
    edges = [{"id": "a", "sourceId": "in", "targetId": "items", "type": "edge"},
             {"id": "b", "sourceId": "items", "targetId": "out", "type": "edge"}]
    return json.dumps({"nodes": nodes, "edges": edges}, ensure_ascii=False), t


def _json(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Decimal):
        return _num(v)
    if isinstance(v, dt.date):
        return str(v.toordinal())
    return json.dumps(str(v), ensure_ascii=False)


def contexts(ev: _Evaluator, t: Translator) -> list[str]:
    """Each unit's context as JSON text: its values, and `<key>_na` for the 不涉及 marks."""
    frame = ev.frame
    out = []
    for i in range(frame.n):
        parts = []
        for name, key in t.keys.items():
            na = name in frame.na and bool(frame.na[name][i])
            parts.append(f'"{key}": {"null" if na else _json(frame.cols[name][i])}, "{key}_na": {"true" if na else "false"}')
        out.append("{" + ", ".join(parts) + "}")
    return out


def ours(scheme: Scheme, data: Any, items: list[CItem]) -> tuple[float, dict[tuple[str, str], Decimal | None], bool]:
    """The same item decisions through our evaluator, the durable-rules cross-check and the item scorer."""
    problems = Problems()
    e = _Evaluator(scheme, data, derive(scheme, data, problems), problems)  # the frame is derived untimed
    t0 = time.perf_counter()
    for item in items:
        applicable = e.applicability(item)
        for r in item.rules:
            e.rule(r, applicable)
        if item.table is not None:
            e.table(item, applicable)
    agreed = cross_check(e.conds, e.masks, e.frame, e.ledgers, e.columns, _types(scheme), problems, e.envs)
    scorer = ItemScorer(e.ev)
    scores = {(u, item.id): scorer.score(u, item)[0] for u in data.ids for item in items}
    return time.perf_counter() - t0, scores, agreed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("criteria", type=Path)
    ap.add_argument("data", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--check", action="store_true", help="compare every unit × item score of both engines")
    args = ap.parse_args()
    problems = Problems()
    scheme = load_criteria(args.criteria, problems)
    assert scheme is not None, [p.render() for p in problems.errors]
    t0 = time.perf_counter()
    data = read_data(scheme, args.data, problems)
    assert data is not None, [p.render() for p in problems.errors[:5]]
    setup = time.perf_counter() - t0
    items = scalar_items(scheme)
    content, t = graph(scheme, items)
    decision = zen.ZenEngine().create_decision(content)
    prepared = _Evaluator(scheme, data, derive(scheme, data, Problems()), Problems())
    for item in items:  # every name the expressions read is known once the graph is built
        assert all(n in prepared.frame.cols for n in item.reads), item.id

    our_times, zen_times, batch_times = [], [], []
    for _ in range(args.runs):
        took, our_scores, agreed = ours(scheme, data, items)
        our_times.append(took)
        t0 = time.perf_counter()
        results = [decision.evaluate(ctx)["result"] for ctx in contexts(prepared, t)]
        zen_times.append(time.perf_counter() - t0)
        engine = zen.ZenEngine({"loader": lambda key: content})
        t0 = time.perf_counter()
        batch = engine.evaluate_batch([{"key": "items", "context": ctx} for ctx in contexts(prepared, t)])
        batch_times.append(time.perf_counter() - t0)
    decisions = len(items) * len(data.ids)
    ours_s, zen_s, batch_s = (statistics.median(x) for x in (our_times, zen_times, batch_times))
    out: dict[str, Any] = {
        "items": [i.id for i in items], "units": len(data.ids), "decisions": decisions, "setup": setup,
        "ours": ours_s, "zen": zen_s, "zen_batch": batch_s, "ours_per_s": decisions / ours_s,
        "zen_per_s": decisions / min(zen_s, batch_s), "cross_check_agreed": agreed,
    }
    if args.check:
        same = differ = 0
        examples = []
        for u, result in zip(data.ids, results, strict=True):
            for item in items:
                z = result.get(item.id)
                o = our_scores[(u, item.id)]
                zd = None if z is None else Decimal(repr(z))
                if (zd is None and o is None) or (zd is not None and o is not None and zd == o):
                    same += 1
                else:
                    differ += 1
                    if len(examples) < 5:
                        examples.append([u, item.id, str(o), z])
        ok_batch = all(b.get("success") and b["data"]["result"] == r for b, r in zip(batch, results, strict=True))
        out.update({"agree": same, "disagree": differ, "examples": examples, "batch_same": ok_batch})
    sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
