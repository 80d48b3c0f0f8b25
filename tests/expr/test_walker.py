"""The one generic walker: children, pre-order walk, bottom-up fold, chains; none of them recurses."""

from __future__ import annotations

from rules.language import expr as ex


def deep_chain(n: int, op: str = "and") -> ex.Node:
    """A chain deeper than the parser allows, built by hand: the walker must not care."""
    node: ex.Node = ex.Name("x0", "x0")
    for i in range(1, n):
        node = ex.Bin("", op, node, ex.Name(f"x{i}", f"x{i}"))
    return node


def test_walk_is_pre_order_left_to_right() -> None:
    node = ex.parse("a + b * c > min(d, e) and not f in [1]")
    order = [n.name for n in ex.walk(node) if isinstance(n, ex.Name)]
    assert order == ["a", "b", "c", "d", "e", "f"]
    assert list(ex.walk(None)) == []


def test_children_of_each_node() -> None:
    call = ex.parse("max(a, b, c)")
    assert [c.text for c in ex.children(call)] == ["a", "b", "c"]
    assert ex.children(ex.parse("1")) == ()
    assert len(ex.children(ex.parse("x in [1, 2]"))) == 1   # the options are constants, not operands


def test_fold_and_depth() -> None:
    node = ex.parse("(a + b) * c")
    assert ex.depth(node) == 3
    assert ex.fold(node, lambda n, kids: 1 + sum(kids)) == 5


def test_walkers_take_any_depth() -> None:
    node = deep_chain(20_000)
    assert len(ex.names(node)) == 20_000
    assert ex.depth(node) == 20_000
    assert len(ex.operands(node, "and")) == 20_000
    assert [n.text for n in ex.operands(ex.parse("a and (b or c) and d"), "and")] == ["a", "b or", "d"]


def test_names_and_null_tests() -> None:
    node = ex.parse("x == null or y != null and z > 1 and days(a, b) > 0")
    assert ex.names(node) == {"x", "y", "z", "a", "b"}
    assert ex.null_tested(node) == {"x", "y"}
