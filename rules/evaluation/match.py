"""Match every condition of a scheme through durable-rules, and cross-check it against the evaluator.

durable-rules is unmaintained and fails silently in known ways (see docs/durable-rules-notes.md), while
its matches decide official scores. So each (condition, unit or ledger row) pair is decided twice:
by durable-rules on the compiled condition and by the engine's decimal evaluator. The scores use the
matches only when both agree; a disagreement is an error naming the unit and the rule, never a
silently different score.

Conditions are single-fact: whether a fact matches depends on its field values alone, never on the
unit or on other facts. So conditions are grouped by the fields they read, and durable-rules is sent,
for each group, one fact per distinct combination of those fields' values (over all units and rows of a
kind), tagged with the group so that only its conditions see it; its answer stands for every unit and
row carrying those values. The evaluator's answer for every unit and row is compared with it, and must
agree across all rows of a combination. A field that a group's conditions only test for presence
(`x == null`, `x != null`: `$nex`/`$ex`) is sent as 1 when present: its value cannot change a match,
and dates would otherwise make almost every ledger row a fact of its own. Few, small facts keep
durable-rules fast and its sessions small (its 32-bit message ids collide in large sessions); the guard
splits them into sessions of at most `durable.MAX_FACTS_PER_SESSION`.

Distinct values are found in C (pandas factorize on each field, then on the combined codes) and only
the distinct values are encoded, so a ledger of millions of rows costs little more than its columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from common.problems import Problems
from rules.evaluation.compile import Compiler, FactShape, encode
from rules.evaluation.durable import CompiledRule, DurableEngineError, Fact, match
from rules.evaluation.engine_problems import UNIT_CODE, FactGroup, Where, engine_failed, units_failed
from rules.evaluation.frame import Frame, RowEnv, row_env
from rules.evaluation.outcome import Cond, Evaluation, name_types
from rules.evaluation.tables import Tables as DataSet
from rules.language import expr as ex
from rules.language.scheme import Scheme
from rules.language.text import describe

RULES_PER_CALL = 200   # well under the library's limits on rules per ruleset (see rules.evaluation.durable)


@dataclass
class Context:
    shape: FactShape
    env: ex.Env
    n: int
    entity: np.ndarray       # unit id per position
    unit_pos: np.ndarray     # position of that unit in the frame


def _context(kind: str, frame: Frame, ledgers: dict[str, pd.DataFrame], columns: dict[str, list[str]],
             envs: dict[str, ex.Env] | None = None) -> Context:
    if kind == "unit":
        return Context(FactShape("unit"), frame.env(), frame.n, np.array(frame.ids, dtype=object),
                       np.arange(frame.n, dtype=np.int64))
    table = kind[6:]
    ledger = ledgers[table]
    env = (envs or {}).get(table)
    if not isinstance(env, RowEnv):
        env = frame.rows(table) if table in frame.ledgers else row_env(frame, ledger, columns[table])
    return Context(FactShape(kind), env, len(ledger), ledger["entity"].to_numpy(dtype=object), env.unit_pos)


@dataclass
class Field:
    codes: np.ndarray        # per position: index into `values`, -1 for null (omitted from the fact)
    values: list[Any]        # distinct encoded values


def _presence_only(conditions: Iterable[dict[str, Any]]) -> set[str]:
    """Fields the compiled conditions only test with $ex / $nex."""
    presence: set[str] = set()
    valued: set[str] = set()

    def walk(cond: dict[str, Any]) -> None:
        for key, value in cond.items():
            if key in ("$and", "$or"):
                for child in value:
                    walk(child)
            elif key in ("$ex", "$nex"):
                presence.update(value)
            elif key.startswith("$"):
                valued.update(value)
            else:
                valued.add(key)

    for cond in conditions:
        walk(cond)
    return presence - valued


def _field(col: ex.Col, presence: bool) -> Field:
    """The distinct encoded values of a column, and the code of each position."""
    known = col.mask()
    n = len(col.data)
    if presence:
        # The marker takes the type of the column's values: another condition in the same call may compare
        # this field with text, and the engine's guard refuses a field that is text in one fact and a number
        # in another.
        first = next(iter(col.data[known]), None) if known.any() else None
        return Field(np.where(known, 0, -1).astype(np.int64), ["1" if isinstance(first, str) else 1])
    codes = np.full(n, -1, dtype=np.int64)
    data = col.data if col.known is None else col.data[known]
    distinct: Any
    if data.dtype == bool:
        found, distinct = data.astype(np.int64), [False, True]
    else:
        found, distinct = pd.factorize(data, use_na_sentinel=False)
    codes[known] = found
    # equal encodings (e.g. Decimal 1 and 1.0) are one value to durable-rules: merge them
    index: dict[Any, int] = {}
    merged = np.array([index.setdefault(encode(v), len(index)) for v in distinct], dtype=np.int64)
    if len(merged) and known.any():
        codes[known] = merged[found]
    return Field(codes, list(index))


class _Fields:
    """The fields of a kind's facts, each computed when a group first reads it."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.sources = {fld: name for name, fld in ctx.shape.names.items()}
        self.atoms = {fld: node for node, fld in ctx.shape.atoms.items()}
        self.cols: dict[str, ex.Col] = {}
        self.done: dict[tuple[str, bool], Field] = {}

    def get(self, f: str, presence: bool) -> Field:
        if (f, presence) not in self.done:
            if f not in self.cols:
                env = self.ctx.env
                self.cols[f] = env.lookup(self.sources[f]) if f in self.sources else ex.evaluate(self.atoms[f], env)
            self.done[(f, presence)] = _field(self.cols[f], presence)
        return self.done[(f, presence)]


def _fields_of(cond: dict[str, Any]) -> set[str]:
    """The fields a compiled condition reads."""
    out: set[str] = set()
    for key, value in cond.items():
        if key in ("$and", "$or"):
            for child in value:
                out |= _fields_of(child)
        elif key.startswith("$"):
            out.update(value)
        else:
            out.add(key)
    return out


def _combine(arrays: Iterable[np.ndarray], n: int) -> np.ndarray:
    """Dense ids (int64) of the tuples formed by arrays of codes (-1 for null), numbered in order of first
    appearance."""
    acc = np.zeros(n, dtype=np.int64)
    span = 1  # acc < span
    for codes in arrays:
        width = int(codes.max()) + 2 if len(codes) else 1
        if span * width >= 2**62:   # densify before the mixed-radix key could overflow
            acc = pd.factorize(acc)[0].astype(np.int64)
            span = int(acc.max()) + 1 if n else 1
        acc = acc * width + (codes + 1)
        span *= width
    return pd.factorize(acc)[0].astype(np.int64)


def _firsts(ids: np.ndarray) -> np.ndarray:
    """The first position of each id, for ids numbered in order of first appearance."""
    if not len(ids):
        return np.zeros(0, dtype=np.int64)
    seen = np.maximum.accumulate(ids)
    new = np.ones(len(ids), dtype=bool)
    new[1:] = ids[1:] > seen[:-1]
    return np.flatnonzero(new)


@dataclass
class _Group:
    """Conditions that read the same fields, and the distinct values of those fields."""

    tag: str                  # the facts' `kind`: only this group's rules match them
    members: list[int]        # positions in the kind's compiled conditions
    values_id: np.ndarray     # per position: which distinct combination of values it carries
    sample: np.ndarray        # the first position carrying each combination
    offset: int               # fact ids of this group: offset + combination


def cross_check(conds: list[Cond], masks: dict[str, np.ndarray], frame: Frame,
                ledgers: dict[str, pd.DataFrame], columns: dict[str, list[str]], types: dict[str, str],
                problems: Problems, envs: dict[str, ex.Env] | None = None, scheme: Scheme | None = None,
                data: DataSet | None = None) -> bool:
    """Match every condition through durable-rules and compare with `masks` (the evaluator's answers).

    `envs` (ledger -> row environment) may pass the evaluator's environments, to reuse what they computed.
    Returns True when all agree. Disagreements and engine failures are added to `problems`, located by the
    criteria line of the condition (with `scheme`) and the unit or ledger row (rules.evaluation.engine_problems);
    the units whose values the engine could not take are reported and left out like a disagreement."""
    by_kind: dict[str, list[Cond]] = {}
    for c in conds:
        by_kind.setdefault("unit" if c.table is None else f"table:{c.table}", []).append(c)
    ok = True
    for kind, group in by_kind.items():
        ctx = _context(kind, frame, ledgers, columns, envs)
        if ctx.n == 0:
            continue
        compiler = Compiler(ctx.shape, {**types, **{c: t for c, t in _column_types(kind, columns, types).items()}})
        compiled = [(c, compiler.condition(c.node)) for c in group]
        fields = _Fields(ctx)
        by_fields: dict[frozenset[str], list[int]] = {}
        for k, (_, cond) in enumerate(compiled):
            by_fields.setdefault(frozenset(_fields_of(cond)), []).append(k)
        tag = kind.replace(":", "_")
        groups: list[_Group] = []
        facts: list[Fact] = []
        for g, (names_read, members) in enumerate(by_fields.items()):
            presence = _presence_only(compiled[k][1] for k in members)
            read = {f: fields.get(f, f in presence) for f in sorted(names_read)}
            values_id = _combine((fld.codes for fld in read.values()), ctx.n)
            values_id = values_id.astype(np.int32 if ctx.n < 2**31 else np.int64)   # kept to the end: half the memory
            grp = _Group(f"{tag}_g{g}", members, values_id, _firsts(values_id), len(facts))
            for vid, pos in enumerate(grp.sample.tolist()):
                body: dict[str, int | float | str] = {"kind": grp.tag}
                for f, fld in read.items():
                    code = fld.codes[pos]
                    if code >= 0:
                        body[f] = fld.values[code]
                facts.append(Fact(kind, grp.offset + vid, body))
            groups.append(grp)
        del fields  # the codes of every field: as large as the ledger
        group_of = {k: grp for grp in groups for k in grp.members}
        names = {c.key: f"r{i}" for i, (c, _) in enumerate(compiled)}
        matched: set[tuple[str, int]] = set()
        refused: dict[int, DurableEngineError] = {}
        fact_groups = [FactGroup(grp.offset, len(grp.sample), grp.values_id, [compiled[k][0] for k in grp.members])
                       for grp in groups]
        where = Where(scheme.file if scheme is not None else None, ctx.entity,
                      ledgers[kind[6:]] if kind != "unit" else None, _field_namer(ctx.shape, scheme),
                      _cell_finder(ctx.shape, data), _column_finder(ctx.shape, columns.get(kind[6:], [])))
        try:
            for start in range(0, len(compiled), RULES_PER_CALL):
                chunk = range(start, min(start + RULES_PER_CALL, len(compiled)))
                rules = [CompiledRule(names[compiled[k][0].key], {"$and": [{"kind": group_of[k].tag}, compiled[k][1]]})
                         for k in chunk]
                tags = {group_of[k].tag for k in chunk}
                matched |= match(rules, [f for f in facts if f.fields["kind"] in tags], refused)
        except DurableEngineError as e:
            conds_by_rule = {names[c.key]: c for c, _ in compiled}
            engine_failed(e, conds_by_rule, where, problems)
            ok = False
            continue
        skip = units_failed(refused, fact_groups, where, problems)
        ok = ok and not skip
        hits: dict[str, list[int]] = {}
        for rname, fact_id in matched:
            hits.setdefault(rname, []).append(fact_id)
        for k, (c, _) in enumerate(compiled):
            grp = group_of[k]
            ours = masks[c.key]
            answered = np.zeros(len(facts), dtype=bool)
            answered[hits.get(names[c.key], [])] = True
            theirs_by_values = answered[grp.offset:grp.offset + len(grp.sample)]
            # Every row with the same field values must agree with the fact's (a bug in the fact shape if not).
            if not np.array_equal(ours, ours[grp.sample][grp.values_id]):
                raise AssertionError(f"rows of one fact disagree for {c.key}")
            if np.array_equal(ours[grp.sample], theirs_by_values):
                continue
            # one answer per unit and distinct values, in order of first appearance
            group_id = _combine([ctx.unit_pos, grp.values_id], ctx.n)
            first = _firsts(group_id)
            ours_by_group = ours[first]
            theirs = theirs_by_values[grp.values_id[first]]
            bad = np.flatnonzero(ours_by_group != theirs)
            reported: set[str] = set()
            for gid in bad:  # every unit: each one that disagrees is left out of the results
                unit = str(ctx.entity[first[gid]])
                if unit in reported or unit in skip:   # a unit the engine could not take is reported already
                    continue
                ok = False
                reported.add(unit)
                problems.add(f"规则引擎 durable-rules 与校验计算对{c.label}的判断不一致"
                             f"（durable-rules：{'满足' if theirs[gid] else '不满足'}，校验计算："
                             f"{'满足' if ours_by_group[gid] else '不满足'}），该单位不予计分；请将考核细则和数据发给维护人员",
                             entity=unit, file=where.file, line=c.line, code="cross-check")
    return ok


def _field_namer(shape: FactShape, scheme: Scheme | None) -> Callable[[str], str]:
    """How a user knows the value a fact field holds: the label of its name, or the expression it computes."""
    names = {fld: name for name, fld in shape.names.items()}
    atoms = {fld: node for node, fld in shape.atoms.items()}

    def name_of(fld: str) -> str:
        if fld in names:
            return f"“{scheme.label(names[fld]) if scheme is not None else names[fld]}”"
        if fld in atoms and scheme is not None:
            return f"“{describe(atoms[fld], scheme, as_condition=False)}”"
        return "计算值"

    return name_of


def _cell_finder(shape: FactShape, data: DataSet | None) -> Callable[[str, str | None], dict[str, Any] | None]:
    """Where a unit's value of a fact field was typed (file, sheet, row, column), when it is an input."""
    names = {fld: name for name, fld in shape.names.items()}

    def cell(unit: str, fld: str | None) -> dict[str, Any] | None:
        name = names.get(fld or "")
        if data is None or name is None:
            return None
        typed = data.value_cells.get(unit, {}).get(name)
        if typed is not None:
            origin, row, column = typed
            return {"file": origin.file, "sheet": origin.sheet, "row": row, "column": column}
        found = data.value_origin.get(unit)
        if found is None:
            return None
        return {"file": found[0].file, "sheet": found[0].sheet, "row": found[1], "column": name}

    return cell


def _column_finder(shape: FactShape, columns: list[str]) -> Callable[[str | None], str | None]:
    """The ledger column a fact field holds (None for a unit's value or a computed one)."""
    names = {fld: name for name, fld in shape.names.items() if name in columns}
    return lambda fld: names.get(fld or "")


def _column_types(kind: str, columns: dict[str, list[str]], types: dict[str, str]) -> dict[str, str]:
    if kind == "unit":
        return {}
    table = kind[6:]
    return {c: types.get(f"{table}.{c}", "any") for c in columns[table]}


def check_evaluation(ev: Evaluation, problems: Problems) -> bool:
    """The cross-check stage: every condition the evaluation decided, decided again through durable-rules.
    Units where the two disagree are left out of the results (`ev.excluded`); True when all agree."""
    frame = ev.frame
    ok = cross_check(ev.conds, ev.masks, frame, frame.ledgers, frame.columns, name_types(ev.scheme), problems,
                     scheme=ev.scheme, data=ev.data)
    if not ok:
        ev.excluded |= {p.entity for p in problems.items if p.code in ("cross-check", UNIT_CODE) and p.entity}
    return ok


__all__ = ["Cond", "check_evaluation", "cross_check"]
