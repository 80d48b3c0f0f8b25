"""The parser: limits on depth and length (located, Chinese, never a RecursionError), and round's places."""

from __future__ import annotations

import time

import pytest

from rules.language import expr as ex

DEEP = 5000


@pytest.mark.parametrize("text", [
    "(" * DEEP + "x" + ")" * DEEP,
    "not " * DEEP + "x",
    "-" * DEEP + "x",
    " + ".join(["x"] * DEEP),
    " and ".join(["x"] * DEEP),
    " or ".join(["x"] * DEEP),
    "abs(" * DEEP + "x" + ")" * DEEP,
    "x * (" * DEEP + "1" + ")" * DEEP,
])
def test_hostile_nesting_is_refused_in_chinese(text: str) -> None:
    with pytest.raises(ex.ExprError) as info:
        ex.parse(text[: ex.MAX_LENGTH] if len(text) > ex.MAX_LENGTH and "(" not in text else text)
    assert "嵌套过深" in info.value.message or "过长" in info.value.message


@pytest.mark.parametrize("make", [
    lambda k: "(" * k + "x" + ")" * k,
    lambda k: "not " * k + "x",
    lambda k: "- " * k + "x",
    lambda k: " + ".join(["x"] * k),
    lambda k: " and ".join(["x"] * k),
])
def test_depth_limit_is_exact(make) -> None:  # type: ignore[no-untyped-def]
    node = ex.parse(make(ex.MAX_DEPTH - 1))
    assert ex.depth(node) <= ex.MAX_DEPTH
    with pytest.raises(ex.ExprError, match="嵌套过深"):
        ex.parse(make(ex.MAX_DEPTH + 1))


def test_long_text_is_refused_quickly() -> None:
    text = " + ".join(["deaths"] * 40_000)   # about 400 KB
    started = time.perf_counter()
    with pytest.raises(ex.ExprError, match="过长"):
        ex.parse(text)
    assert time.perf_counter() - started < 0.5


def test_shorten_keeps_messages_small() -> None:
    assert ex.shorten("a + b") == "a + b"
    assert len(ex.shorten("x" * 100_000)) < 300


@pytest.mark.parametrize("text", ["round(x, 1000)", "round(x, -11)", "round(x, 1.5)", "round(x, y)"])
def test_round_places_out_of_range_are_refused(text: str) -> None:
    with pytest.raises(ex.ExprError, match="round"):
        ex.parse(text)


@pytest.mark.parametrize("text", ["round(x, 10)", "round(x, -10)", "round(x, 0)", "round(x)"])
def test_round_places_in_range_parse(text: str) -> None:
    assert isinstance(ex.parse(text), ex.Call)


def test_chain_link_text_ends_at_its_operator() -> None:
    """As it always has: messages and rank reasons of existing schemes read the same."""
    node = ex.parse("a - b - c")
    assert isinstance(node, ex.Bin) and node.text == "a - b -"
    assert ex.parse("a < b + c").text == "a < b + c"


@pytest.mark.parametrize("text,message", [
    ("x or a < b in [1]", "多出内容"),
    ("not a < b in [1]", "多出内容"),
    ("(a < b in [1])", "“)”"),
    ("a in [1] < 2", "多出内容"),
])
def test_a_comparison_closes_its_level(text: str, message: str) -> None:
    with pytest.raises(ex.ExprError) as info:
        ex.parse(text)
    assert message in info.value.message
