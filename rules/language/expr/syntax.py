"""The syntax tree of the expression language, and the one generic walker over it.

A tree is frozen dataclasses; `text` is the source span a node was parsed from (for messages). Code that
looks at expressions never recurses by hand: `children` gives a node's operands, `walk` visits a tree in
pre-order and `fold` computes a value bottom-up, both with an explicit stack, so the shape of a tree never
reaches Python's recursion limit. The parser bounds a tree's depth (`MAX_DEPTH`) anyway, because the
dataclasses' own `==`, `hash` and `repr` recurse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

# How deep a tree may be (nested brackets, `not`, `-`, and each term of an `and`/`+` chain count one level),
# and how long an expression's text may be: far beyond any real criteria, and far within what the engine's
# recursive parts (the dataclasses' `==`/`hash`/`repr`, the evaluator, the durable-rules compiler) can take.
MAX_DEPTH = 100
MAX_LENGTH = 4000


class ExprError(Exception):
    """A Chinese message about an expression, with the offending text."""

    def __init__(self, message: str, text: str = ""):
        super().__init__(message)
        self.message = message
        self.text = text


@dataclass(frozen=True)
class Node:
    text: str = field(compare=False, repr=False)


@dataclass(frozen=True)
class Lit(Node):
    value: Any
    kind: str  # number | str | bool | null | date


@dataclass(frozen=True)
class Name(Node):
    name: str  # a plain name, 'entity.<field>' or 'period.end'


@dataclass(frozen=True)
class Unary(Node):
    op: str    # not | -
    operand: Node


@dataclass(frozen=True)
class Bin(Node):
    op: str    # or | and | a comparison | + - * /
    left: Node
    right: Node


@dataclass(frozen=True)
class In(Node):
    item: Node
    options: tuple[Lit, ...]
    negated: bool


@dataclass(frozen=True)
class Call(Node):
    func: str
    args: tuple[Node, ...]


COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}


def children(node: Node) -> tuple[Node, ...]:
    """A node's operands, left to right (the options of `in` are constants, not operands)."""
    if isinstance(node, Bin):
        return (node.left, node.right)
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, In):
        return (node.item,)
    if isinstance(node, Call):
        return node.args
    return ()


def walk(node: Node | None) -> Iterator[Node]:
    """Every node of a tree, parents before children, left to right (nothing for None)."""
    if node is None:
        return
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(children(n)))


T = TypeVar("T")


def fold(node: Node, combine: Callable[[Node, list[T]], T]) -> T:
    """`combine(node, values of its children)` bottom-up over a tree, children left to right."""
    done: list[T] = []                        # values of finished subtrees, in order
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        n, expanded = stack.pop()
        kids = children(n)
        if expanded or not kids:
            k = len(kids)
            values = done[len(done) - k:] if k else []
            if k:
                del done[len(done) - k:]
            done.append(combine(n, values))
        else:
            stack.append((n, True))
            stack.extend((c, False) for c in reversed(kids))
    return done[0]


def depth(node: Node) -> int:
    """How many levels a tree has (a name or a constant: 1)."""
    return fold(node, lambda _n, kids: 1 + max(kids, default=0))


def operands(node: Node, op: str) -> list[Node]:
    """The terms of a chain of one operator, in order: `a and b and c` -> [a, b, c] (a node that is not
    such a chain is its own only term)."""
    out: list[Node] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Bin) and n.op == op:
            stack += [n.right, n.left]
        else:
            out.append(n)
    return out


def names(node: Node) -> set[str]:
    """Every name an expression reads."""
    return {n.name for n in walk(node) if isinstance(n, Name)}


def null_tested(node: Node) -> set[str]:
    """Names an expression compares with null (`x == null`, `x != null`)."""
    out: set[str] = set()
    for n in walk(node):
        if isinstance(n, Bin) and n.op in ("==", "!="):
            for a, b in ((n.left, n.right), (n.right, n.left)):
                if isinstance(a, Name) and isinstance(b, Lit) and b.kind == "null":
                    out.add(a.name)
    return out


def shorten(text: str, limit: int = 200) -> str:
    """An expression's text for a message: whole when short, else its start and its length."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}……（共{len(text)}个字符）"
