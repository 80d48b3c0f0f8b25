"""Match every condition of a scheme through durable-rules, and cross-check it against the evaluator.

durable-rules is unmaintained and fails silently in known ways (see durable-rules-notes.md), while
its matches decide official scores. So each (condition, unit or ledger row) pair is decided twice:
by durable-rules on the compiled condition and by the engine's decimal evaluator. The scores use the
matches only when both agree; a disagreement is an error naming the unit and the rule, never a
silently different score.

Ledger rows are sent as facts of their distinct field values per unit: rows that agree on every
field a condition reads must match alike, and fewer facts keep durable-rules' sessions small (its
32-bit message ids collide in large sessions).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from rules import expr as ex
from rules.compile import Compiler, FactShape, encode
from rules.derive import Frame, row_env
from rules.durable_engine import CompiledRule, DurableEngineError, Fact, match
from rules.problems import Problems

RULES_PER_CALL = 200   # well under the library's limits on rules per ruleset (see durable_engine)


@dataclass
class Cond:
    key: str                 # e.g. 'A2.rules[0].when', 'B1.applies', 'V1.when'
    node: ex.Node
    table: str | None        # None: one fact per unit; else one per distinct ledger row
    label: str               # how a user knows it: '规则 A2.rules[0]'


@dataclass
class Context:
    shape: FactShape
    env: ex.Env
    n: int
    entity: np.ndarray       # unit id per position


def _context(kind: str, frame: Frame, ledgers: dict[str, pd.DataFrame], columns: dict[str, list[str]],
             ) -> Context:
    if kind == "unit":
        return Context(FactShape("unit"), frame.env(), frame.n, np.array(frame.ids, dtype=object))
    table = kind[6:]
    ledger = ledgers[table]
    return Context(FactShape(kind), row_env(frame, ledger, columns[table]), len(ledger),
                   ledger["entity"].to_numpy(dtype=object))


def _field_columns(ctx: Context) -> dict[str, list[Any]]:
    """Encoded values of every field of the context's facts (None = null, omitted from the fact)."""
    out: dict[str, list[Any]] = {}
    for name, fld in ctx.shape.names.items():
        col = ctx.env.lookup(name)
        known = col.mask()
        out[fld] = [encode(v) if k else None for v, k in zip(col.data, known, strict=True)]
    for node, fld in ctx.shape.atoms.items():
        col = ex.evaluate(node, ctx.env)
        known = col.mask()
        out[fld] = [encode(v) if k else None for v, k in zip(col.data, known, strict=True)]
    return out


def cross_check(conds: list[Cond], masks: dict[str, np.ndarray], frame: Frame,
                ledgers: dict[str, pd.DataFrame], columns: dict[str, list[str]], types: dict[str, str],
                problems: Problems) -> bool:
    """Match every condition through durable-rules and compare with `masks` (the evaluator's answers).

    Returns True when all agree. Disagreements and engine failures are added to `problems`."""
    by_kind: dict[str, list[Cond]] = {}
    for c in conds:
        by_kind.setdefault("unit" if c.table is None else f"table:{c.table}", []).append(c)
    ok = True
    for kind, group in by_kind.items():
        ctx = _context(kind, frame, ledgers, columns)
        if ctx.n == 0:
            continue
        compiler = Compiler(ctx.shape, {**types, **{c: t for c, t in _column_types(kind, columns, types).items()}})
        compiled = [(c, compiler.condition(c.node)) for c in group]
        fields = _field_columns(ctx)
        # One fact per distinct (unit, field values); remember which positions it stands for.
        keys = pd.DataFrame({"_e": ctx.entity, **{f: [("\x00" if v is None else v) for v in vals]
                                                  for f, vals in fields.items()}})
        group_id = keys.groupby(list(keys.columns), sort=False, dropna=False).ngroup().to_numpy() \
            if len(keys.columns) > 1 else pd.factorize(keys["_e"])[0]
        first = pd.Series(np.arange(ctx.n)).groupby(group_id).first().to_numpy()
        facts = []
        for gid, pos in enumerate(first):
            body: dict[str, int | float | str] = {"kind": kind.replace(":", "_")}
            for f, vals in fields.items():
                if vals[pos] is not None:
                    body[f] = vals[pos]
            facts.append(Fact(str(ctx.entity[pos]), gid, body))
        names = {c.key: f"r{i}" for i, (c, _) in enumerate(compiled)}
        matched: set[tuple[str, int]] = set()
        try:
            for start in range(0, len(compiled), RULES_PER_CALL):
                chunk = compiled[start:start + RULES_PER_CALL]
                rules = [CompiledRule(names[c.key], {"$and": [{"kind": kind.replace(":", "_")}, cond]})
                         for c, cond in chunk]
                matched |= match(rules, facts)
        except DurableEngineError as e:
            problems.add(str(e), code="rule-engine")
            return False
        for c, _ in compiled:
            ours = masks[c.key]
            theirs = np.zeros(len(first), dtype=bool)
            for rname, gid in matched:
                if rname == names[c.key]:
                    theirs[gid] = True
            ours_by_group = ours[first]
            # Every row of a group must agree with the group's representative (same field values).
            if not np.array_equal(ours, ours_by_group[group_id]):
                raise AssertionError(f"rows of one fact disagree for {c.key}")  # a bug in the fact shape
            bad = np.flatnonzero(ours_by_group != theirs)
            for gid in bad[:20]:
                ok = False
                unit = facts[gid].session
                problems.add(f"规则引擎 durable-rules 与校验计算对{c.label}的判断不一致"
                             f"（durable-rules：{'满足' if theirs[gid] else '不满足'}，校验计算："
                             f"{'满足' if ours_by_group[gid] else '不满足'}），该单位不予计分；请将考核细则和数据发给维护人员",
                             entity=unit, code="cross-check")
    return ok


def _column_types(kind: str, columns: dict[str, list[str]], types: dict[str, str]) -> dict[str, str]:
    if kind == "unit":
        return {}
    table = kind[6:]
    return {c: types.get(f"{table}.{c}", "any") for c in columns[table]}
