"""Compile conditions of the expression language to durable-rules JSON conditions.

Facts carry one field per name a condition reads. The boolean structure (and / or / not) and every
comparison of a value with a constant are matched by durable-rules. Sub-expressions it cannot
compute exactly (arithmetic: it has floats only; functions; comparisons between two values; string
ordering) are computed by the engine's decimal evaluator and sent as fields of their own ("atoms").
Negation is pushed down to comparisons (De Morgan), because durable-rules has no truth maintenance
and its own negation depends on assertion order (see docs/durable-rules-notes.md).

Null semantics must match `rules.language.expr` exactly: comparisons with null are false (so their negation is
true), and a null boolean is neither true nor false. Nulls are omitted from facts, so a missing field
is how durable-rules sees null: `x == null` is `$nex`.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from rules.language import expr as ex

_OPS = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_NEGATE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


# Whole numbers of more digits than this are encoded as infinite, which the engine's guard refuses with a located
# message like any number beyond its exact range (±2^53); converting a 5000-digit Decimal to int and printing it
# would raise, and 1e1000000000 would not even fit in memory.
_MAX_INT_DIGITS = 300


def encode(value: Any) -> int | float | str | None:
    """A value as durable-rules can hold it (it has no decimals, dates or booleans). Never raises for a number:
    one the engine cannot compare exactly is encoded as the guard (rules.evaluation.durable) will refuse it."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return 1 if value else 0
    if isinstance(value, (int, np.integer)):
        number = int(value)
        if number.bit_length() > _MAX_INT_DIGITS * 4:
            return math.inf if number > 0 else -math.inf
        return number
    if isinstance(value, Decimal):
        if not value.is_finite():
            return float(value)
        if value == value.to_integral_value():
            if value.adjusted() >= _MAX_INT_DIGITS:
                return math.inf if value > 0 else -math.inf
            return int(value)
        return float(value)
    if isinstance(value, dt.date):
        return value.toordinal()
    if isinstance(value, str):
        return value
    raise TypeError(f"cannot encode {type(value).__name__}")


@dataclass
class FactShape:
    """The fields of one kind of fact (unit facts, or the rows of one ledger)."""

    kind: str                                          # 'unit' or 'table:<id>'
    names: dict[str, str] = field(default_factory=dict)   # expression name -> field
    atoms: dict[ex.Node, str] = field(default_factory=dict)  # computed sub-expression -> field
    bool_atoms: set[str] = field(default_factory=set)     # atom fields that hold booleans

    def name_field(self, name: str) -> str:
        if name not in self.names:
            self.names[name] = f"n{len(self.names)}"
        return self.names[name]

    def atom_field(self, node: ex.Node, boolean: bool) -> str:
        if node not in self.atoms:
            self.atoms[node] = f"a{len(self.atoms)}"
        if boolean:
            self.bool_atoms.add(self.atoms[node])
        return self.atoms[node]


class Compiler:
    def __init__(self, shape: FactShape, types: dict[str, str]):
        self.shape = shape
        self.types = types  # expression name -> 'number' | 'bool' | 'date' | 'str'

    def condition(self, node: ex.Node) -> dict[str, Any]:
        return self._pos(node)

    # -- helpers

    def _is_bool_name(self, node: ex.Node) -> bool:
        return isinstance(node, ex.Name) and self.types.get(node.name) == "bool"

    def _atom(self, node: ex.Node) -> dict[str, Any]:
        return {self.shape.atom_field(node, True): 1}

    def _value_field(self, node: ex.Node) -> str | None:
        """A field holding this operand's value: its own name, or a computed numeric atom."""
        if isinstance(node, ex.Name):
            return self.shape.name_field(node.name)
        if isinstance(node, (ex.Bin, ex.Call, ex.Unary)) and node_type(node, self.types) == "number":
            return self.shape.atom_field(node, False)
        return None

    def _compare(self, op: str, left: ex.Node, right: ex.Node, whole: ex.Node, negate: bool) -> dict[str, Any]:
        if negate:
            op = _NEGATE[op]
        lit, other = (right, left) if isinstance(right, ex.Lit) else (left, right)
        if isinstance(lit, ex.Lit) and not isinstance(other, ex.Lit):
            if lit is left:
                op = _FLIP[op]
            if lit.kind == "null":
                # (x == null) negated is (x != null), and vice versa; no null guard needed.
                fld = self._value_field(other)
                if fld is None:
                    return self._atom_cmp(whole, negate)
                return {"$nex" if op == "==" else "$ex": {fld: 1}}
            kind = node_type(other, self.types)
            if op not in ("==", "!=") and kind not in ("number", "date"):
                return self._atom_cmp(whole, negate)
            fld = self._value_field(other)
            if fld is None:
                return self._atom_cmp(whole, negate)
            value = encode(lit.value)
            cond: dict[str, Any] = {fld: value} if op == "==" else {_OPS[op]: {fld: value}}
            if negate:
                # A comparison with null is false, so its negation holds when the value is null.
                return {"$or": [cond, {"$nex": {fld: 1}}]}
            return cond
        return self._atom_cmp(whole, negate)

    def _atom_cmp(self, whole: ex.Node, negate: bool) -> dict[str, Any]:
        fld = self.shape.atom_field(whole, True)
        return {fld: 0 if negate else 1}

    def _pos(self, node: ex.Node) -> dict[str, Any]:
        if isinstance(node, ex.Bin) and node.op in ("and", "or"):
            # a chain is one flat list (ex.operands): its length never nests durable-rules' conditions
            return {"$and" if node.op == "and" else "$or": [self._pos(t) for t in ex.operands(node, node.op)]}
        if isinstance(node, ex.Unary) and node.op == "not":
            return self._neg(node.operand)
        if isinstance(node, ex.Bin) and node.op in ex.COMPARISONS:
            return self._compare(node.op, node.left, node.right, node, False)
        if self._is_bool_name(node):
            assert isinstance(node, ex.Name)
            return {self.shape.name_field(node.name): 1}
        if isinstance(node, ex.In) and not node.negated and isinstance(node.item, ex.Name):
            fld = self.shape.name_field(node.item.name)
            return {"$or": [{fld: encode(o.value)} for o in node.options]}
        return self._atom(node)

    def _neg(self, node: ex.Node) -> dict[str, Any]:
        if isinstance(node, ex.Bin) and node.op in ("and", "or"):
            return {"$or" if node.op == "and" else "$and": [self._neg(t) for t in ex.operands(node, node.op)]}
        if isinstance(node, ex.Unary) and node.op == "not":
            return self._pos(node.operand)
        if isinstance(node, ex.Bin) and node.op in ex.COMPARISONS:
            return self._compare(node.op, node.left, node.right, node, True)
        if self._is_bool_name(node):
            assert isinstance(node, ex.Name)
            return {self.shape.name_field(node.name): 0}
        if isinstance(node, ex.In) and not node.negated and isinstance(node.item, ex.Name):
            fld = self.shape.name_field(node.item.name)
            return {"$or": [{"$and": [{"$neq": {fld: encode(o.value)}} for o in node.options]},
                            {"$nex": {fld: 1}}]}
        fld = self.shape.atom_field(node, True)
        return {fld: 0}


def node_type(node: ex.Node, types: dict[str, str]) -> str:
    try:
        return ex.infer(node, lambda n: types.get(n))
    except ex.ExprError:
        return "any"
