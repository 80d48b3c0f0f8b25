"""L6: a Python model of the engine's alpha network (rete.c createAlpha/findAlpha/linkAlpha, events.c
handleAlpha), used to split rules into groups that each fit in one ruleset (docs/durable-guard.md L6).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from rules.evaluation.durable.api import _err
from rules.evaluation.durable.conditions import Node, _Rule
from rules.evaluation.durable.limits import (
    _ANCHOR,
    BETA_LIST_BUDGET,
    HASHED_CHILDREN_BUDGET,
    NEXT_LIST_BUDGET,
    STACK_BUDGET,
)

log = logging.getLogger(__name__)

class _ANode:
    __slots__ = ("beta", "field", "hashed", "hashed_links", "is_eq", "nex_index", "nexts", "op")

    def __init__(self, field: str | None = None, op: str = "", is_eq: bool = False) -> None:
        self.field = field  # None for the root and for $or forward nodes
        self.op = op
        self.is_eq = is_eq
        self.hashed: dict[tuple[Any, ...], _ANode] = {}  # shareable children in the 512-bucket table
        self.hashed_links = 0
        self.nex_index: dict[str, _ANode] = {}  # shareable $nex children
        self.nexts: list[_ANode] = []  # the next list: $nex children and $or forward nodes
        self.beta = 0  # rule ends attached to this node


class _AlphaModel:
    """Mirror of the alpha network of one ruleset; answers "do these rules fit in one ruleset?"."""

    def __init__(self, present: frozenset[str], absent: frozenset[str]) -> None:
        self.root = _ANode()
        self.present = present  # fields present in at least one fact
        self.absent = absent  # $nex fields absent from at least one fact
        self.nodes: list[_ANode] = [self.root]

    def add(self, node: Node) -> None:
        end = self._add(node, self.root)
        end.beta += 1

    def _new(self, *args: Any) -> _ANode:
        child = _ANode(*args)
        self.nodes.append(child)
        return child

    def _add(self, node: Node, parent: _ANode) -> _ANode:
        tag = node[0]
        if tag == "and":
            current = parent
            for child in node[1]:
                current = self._add(child, current)
            return current
        if tag == "or":
            forward = self._new()  # never shared: createForwardAlpha
            for child in node[1]:
                self._add(child, parent).nexts.append(forward)
            return forward
        if tag == "nex":
            found = parent.nex_index.get(node[1])
            if found is None:
                found = parent.nex_index[node[1]] = self._new(node[1], "nex")
                parent.nexts.append(found)
            return found
        if tag == "eq":
            field, op, value = node[1], "eq", node[2]
        elif tag == "cmp":
            field, op, value = node[2], node[1], node[3]
        else:  # "ex": the engine parses the literal 1 as its value
            field, op, value = node[1], "ex", 1
        key = (field, op, type(value).__name__, value)
        found = parent.hashed.get(key)
        if found is None:
            found = parent.hashed[key] = self._new(field, op, op == "eq")
            parent.hashed_links += 1
        return found

    def violation(self) -> str | None:
        """The first engine limit this network exceeds (with margin), or None."""
        for n in self.nodes:
            if n.hashed_links > HASHED_CHILDREN_BUDGET:
                return f"同一条件节点下有 {n.hashed_links} 个分支（安全上限 {HASHED_CHILDREN_BUDGET}）"
            if len(n.nexts) > NEXT_LIST_BUDGET:
                return f"同一条件节点下有 {len(n.nexts)} 个 $nex/$or 分支（安全上限 {NEXT_LIST_BUDGET}）"
            if n.beta > BETA_LIST_BUDGET:
                return f"有 {n.beta} 条规则的条件完全相同（安全上限 {BETA_LIST_BUDGET}）"
        peak = self.stack_peak()
        if peak > STACK_BUDGET:
            return f"一个事实可能同时满足同一节点下的 {peak} 个条件（安全上限 {STACK_BUDGET}）"
        return None

    def _can_be_true(self, n: _ANode) -> bool:
        if n.field is None:
            return True  # forward node: always pushed
        if n.op == "nex":
            return n.field in self.absent
        return n.field in self.present

    def stack_peak(self) -> int:
        """Upper bound of the engine's match stack (handleAlpha) over the facts of this call.

        When a node is popped, all its true children are pushed, then processed one by one, so
        peak(n) = W(n) - 1 + max(1, max peak(child)) where W(n) counts the children that can be true
        at once: every live $nex/forward entry, every non-equality child and one equality child per
        field.  Verified against the engine: 64 true siblings pass, 65 give error 303.
        """
        memo: dict[int, int] = {}
        stack: list[tuple[_ANode, bool]] = [(self.root, False)]
        while stack:  # iterative post-order: conditions may be long chains
            n, expanded = stack.pop()
            if id(n) in memo:
                continue
            nexts = [c for c in n.nexts if self._can_be_true(c)]
            hashed = [c for c in n.hashed.values() if self._can_be_true(c)]
            children = nexts + hashed
            if not expanded:
                stack.append((n, True))
                stack.extend((c, False) for c in children if id(c) not in memo)
                continue
            eq_fields = {c.field for c in hashed if c.is_eq}
            width = len(nexts) + sum(1 for c in hashed if not c.is_eq) + len(eq_fields)
            deepest = max((memo[id(c)] for c in children), default=0)
            memo[id(n)] = width - 1 + max(1, deepest) if width else 0
        return memo[id(self.root)]


def _group_rules(rules: list[_Rule], present: frozenset[str], absent: frozenset[str]) -> list[list[_Rule]]:
    """L6: split the rules (in order) into groups that each fit in one ruleset; every group also holds
    the catch-all rule.  Feasibility is monotone in the set of rules, so a binary search finds the
    longest feasible prefix."""
    seen: Node = ("ex", _ANCHOR)

    def fits(group: Sequence[_Rule]) -> str | None:
        model = _AlphaModel(present, absent)
        model.add(seen)
        for rule in group:
            model.add(rule.node)
        return model.violation()

    if fits(rules) is None:
        return [rules]
    groups: list[list[_Rule]] = []
    start = 0
    while start < len(rules):
        problem = fits(rules[start : start + 1])
        if problem is not None:
            reason = f"超出规则引擎的能力：{problem}；请拆分或简化该规则。"
            raise _err(f"规则“{rules[start].name}”{reason}", reason, rule=rules[start].name)
        low, high = start + 1, len(rules)  # rules[start:low] fits
        while low < high:
            middle = (low + high + 1) // 2
            if fits(rules[start:middle]) is None:
                low = middle
            else:
                high = middle - 1
        groups.append(rules[start:low])
        start = low
    log.info("rules split into %d groups to stay within the engine's limits", len(groups))
    return groups
