"""Sessions: units spread over rulesets and sub-sessions within the engine's limits (G9, G10)."""

from __future__ import annotations

from rules.evaluation.durable import CompiledRule, Fact, match
from tests.evaluation.durable.engine_calls import (
    expected_matches,
    isolated,
    run,
)


def _count_rulesets(rules: list[CompiledRule], facts: list[Fact]) -> tuple[set[tuple[str, int]], int]:
    import durable_rules_engine

    created = []
    original = durable_rules_engine.create_ruleset

    def counting(name: str, text: str) -> int:
        created.append(name)
        return original(name, text)

    durable_rules_engine.create_ruleset = counting
    return match(rules, facts), len(created)


def test_more_than_1000_units_are_chunked() -> None:
    rules = [CompiledRule("low", {"$lt": {"ratio": 0.5}}), CompiledRule("any", {"$ex": {"ratio": 1}})]
    facts = [Fact(f"unit{u}", u, {"ratio": (u % 10) / 10}) for u in range(2500)]
    result, rulesets = isolated(_count_rulesets, rules, facts, timeout=50)
    assert result == expected_matches(rules, facts)
    assert rulesets >= 3  # at most 1000 sessions per ruleset


def test_large_unit_is_split_into_sub_sessions() -> None:
    rules = [CompiledRule("even", {"parity": 0})]
    facts = [Fact("big", k, {"parity": k % 2}) for k in range(700)]
    assert run(rules, facts) == expected_matches(rules, facts)
