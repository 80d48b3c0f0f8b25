"""Hard limits: refused with a message before the library is called, or avoided by splitting the rules
(L1-L6)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from rules.evaluation.durable import CompiledRule, Fact, alpha, encoding
from tests.evaluation.durable.engine_calls import (
    BASIC_FACTS,
    BASIC_RULES,
    expected_matches,
    refused,
    run,
)


def test_too_many_rules_refused_without_hang() -> None:
    rules = [CompiledRule(f"r{i}", {"code": f"C{i}"}) for i in range(3000)]
    refused(rules, BASIC_FACTS, "3000 条规则", "500")


def test_too_many_equality_alternatives_refused() -> None:
    rules = [CompiledRule("r3", {"$or": [{"code": i} for i in range(600)]})]
    refused(rules, BASIC_FACTS, "规则“r3”", "600 个", "等值选项", "拆分")


def test_500_equality_rules_on_one_field_work() -> None:
    # 512 children of one engine node hang it; the model keeps every node within budget
    rules = [CompiledRule(f"r{i}", {"code": i}) for i in range(500)]
    facts = [Fact("A", 1, {"code": 7}), Fact("A", 2, {"code": 499}), Fact("B", 3, {"code": 1000})]
    assert run(rules, facts, timeout=30) == {("r7", 1), ("r499", 2)}


def test_many_true_siblings_are_split_not_error_303() -> None:
    # a ladder of 100 thresholds that are all true at once: error 303 in one ruleset
    rules = [CompiledRule(f"step{i}", {"$gt": {"score": i}}) for i in range(100)]
    facts = [Fact("A", 1, {"score": 1000}), Fact("A", 2, {"score": 50.5})]
    assert run(rules, facts) == expected_matches(rules, facts)


def test_300_identical_rules_work() -> None:
    # 256 rules ending on the same engine node crash the process (beta list overflow)
    rules = [CompiledRule(f"same{i}", {"kind": "unit"}) for i in range(300)]
    facts = [Fact("A", 1, {"kind": "unit"})]
    assert run(rules, facts) == {(f"same{i}", 1) for i in range(300)}


def test_130_nex_rules_work() -> None:
    # 128 $nex children of one engine node crash the process (next list overflow)
    rules = [CompiledRule(f"missing{i}", {"$nex": {f"f{i}": 1}}) for i in range(130)]
    facts = [Fact("A", 1, {f"f{i}": 1 for i in range(130) if i != 5})]
    assert run(rules, facts) == {("missing5", 1)}


def test_single_rule_with_too_many_true_branches_refused() -> None:
    rule = CompiledRule("wide", {"$or": [{"$gt": {f"f{i}": 0}} for i in range(70)]})
    facts = [Fact("A", 1, {f"f{i}": 1 for i in range(70)})]
    refused([rule], facts, "规则“wide”", "同时满足")


def test_error_303_surfaces_instead_of_crashing(monkeypatch: pytest.MonkeyPatch) -> None:
    # if the model were wrong, the engine's error must become DurableEngineError (and cleanup must not
    # delete a state that never ran an action: that segfaults)
    monkeypatch.setattr(alpha._AlphaModel, "violation", lambda self: None)
    rules = [CompiledRule(f"step{i}", {"$gt": {"score": i}}) for i in range(70)]
    refused(rules, [Fact("A", 1, {"score": 1000})], "303")


def test_too_much_nesting_refused() -> None:
    cond: dict = {"x": 0}
    for i in range(16):
        cond = {"$or" if i % 2 else "$and": [cond, {"y": i}]}
    refused([CompiledRule("deep", cond)], BASIC_FACTS, "规则“deep”", "$and/$or")


def test_too_many_fields_refused() -> None:
    rules = [CompiledRule("any", {"$ex": {"f0": 1}})]
    ok = Fact("A", 1, {f"f{i}": i for i in range(251)})
    assert run(rules, [ok]) == {("any", 1)}
    refused(rules, [Fact("A", 2, {f"f{i}": i for i in range(252)})], "252 个字段", "251")


@pytest.mark.parametrize("operator_key", ["$eq", "$mt", "$imt", "$iall", "$foo", "$not"])
def test_unknown_operator_refused(operator_key: str) -> None:
    rule = CompiledRule("r1", {"$and": [{"kind": "unit"}, {operator_key: {"score": 1}}]})
    refused([rule], BASIC_FACTS, "规则“r1”", operator_key, "不支持")


def test_expression_operand_refused() -> None:
    rule = CompiledRule("r1", {"$gt": {"deaths": {"$mul": {"$l": {"$m": "target"}, "$r": 1.1}}}})
    refused([rule], BASIC_FACTS, "规则“r1”", "常量")


@pytest.mark.parametrize(
    "bad", [True, None, Decimal("1.5"), [1], {"a": 1}, math.nan, math.inf, 2**60, "\ud800"],
)
def test_bad_fact_value_refused(bad: object) -> None:
    refused([CompiledRule("any", {"$ex": {"x": 1}})], [Fact("A", 7, {"x": bad})], "事实 7")


@pytest.mark.parametrize("bad", [True, None, Decimal("1.5"), [1], math.nan, 2**60])
def test_bad_rule_value_refused(bad: object) -> None:
    refused([CompiledRule("r9", {"$gt": {"x": bad}})], BASIC_FACTS, "规则“r9”")


@pytest.mark.parametrize("name", ["sid", "id", "_fid", "$x", 'a"b', "a\\b", "", 5])
def test_bad_field_name_refused(name: object) -> None:
    refused([CompiledRule("any", {"$ex": {"kind": 1}})], [Fact("A", 1, {name: 1})])  # type: ignore[dict-item]


def test_field_names_with_equal_engine_hash_refused() -> None:
    # the engine finds properties by a 32-bit hash of their name only: a rule on one name would
    # match a fact carrying the other (an invented match)
    assert encoding._fnv1a32("jvqpfqg") == encoding._fnv1a32("jaczypz")
    refused([CompiledRule("r", {"jvqpfqg": 1})], [Fact("A", 1, {"jaczypz": 1})], "jvqpfqg", "jaczypz")


def test_number_string_mix_refused() -> None:
    # the engine compares "3" with 2 as strings ("3" >= 2 is true)
    refused([CompiledRule("r", {"$gte": {"x": 2}})], [Fact("A", 1, {"x": "3"})], "事实 1", "x")
    refused([CompiledRule("a", {"x": 2}), CompiledRule("b", {"x": "2"})], BASIC_FACTS, "字段“x”")


def test_unsafe_string_order_refused() -> None:
    refused([CompiledRule("r", {"$lt": {"name": "ab c"}})], BASIC_FACTS, "规则“r”", "大小比较")
    refused([CompiledRule("r", {"$lt": {"name": "abc"}})], [Fact("A", 1, {"name": 'a"b'})], "事实 1")
    rules = [CompiledRule("r", {"$lt": {"day": "2024-06-01"}})]
    facts = [Fact("A", 1, {"day": "2024-01-31"}), Fact("A", 2, {"day": "2024-06-01 08:00"})]
    assert run(rules, facts) == {("r", 1)}


def test_bad_rule_names_and_duplicate_ids_refused() -> None:
    refused([CompiledRule("r-1", {"x": 1})], BASIC_FACTS, "r-1")
    refused([CompiledRule("r", {"x": 1}), CompiledRule("r", {"x": 2})], BASIC_FACTS, "重复")
    refused(BASIC_RULES, [Fact("A", 1, {}), Fact("B", 1, {})], "事实编号 1 重复")
    refused([CompiledRule("r", {})], BASIC_FACTS, "规则“r”")
    refused([CompiledRule("r", {"$and": []})], BASIC_FACTS, "规则“r”")
    refused([CompiledRule("r", {"$ex": {"x": 0}})], BASIC_FACTS, "规则“r”", "1")
