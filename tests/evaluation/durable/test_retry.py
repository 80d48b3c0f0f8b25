"""False duplicates (issue #376): colliding facts are asserted again in fresh sessions, nothing lost (G9)."""

from __future__ import annotations

import json

from rules.evaluation.durable import CompiledRule, Fact
from rules.evaluation.durable import facts as fact_prep
from tests.evaluation.durable.engine_calls import (
    isolated,
    run,
)


def _raw_collision(first: str, second: str) -> str:
    """Assert two fact texts in one session of a raw engine ruleset; report what the engine did."""
    import durable_rules_engine

    handle = durable_rules_engine.create_ruleset(
        "collision", json.dumps({"any": {"all": [{"m": {"$gte": {"integer": 0}}}]}})
    )
    durable_rules_engine.assert_fact(handle, first)
    return "observed" if durable_rules_engine.assert_fact(handle, second)[0] == 2 else "stored"


def test_known_colliding_pair_is_a_real_false_duplicate() -> None:
    assert isolated(_raw_collision, '{"integer": 32986}', '{"integer": 46010}') == "observed"


def test_known_colliding_pair_both_match() -> None:
    rules = [CompiledRule("nonneg", {"$gte": {"integer": 0}})]
    facts = [Fact("A", 1, {"integer": 32986}), Fact("A", 2, {"integer": 46010})]
    assert run(rules, facts) == {("nonneg", 1), ("nonneg", 2)}


# Found offline with a Python copy of the engine's message hash (state.c calculateId): with the
# module's own encoding (session "s0", _fid 1 and 2) these two facts collide.
COLLIDING = (Fact("A", 1, {"integer": 1767}), Fact("A", 2, {"integer": 42792}))


def test_colliding_pair_in_module_encoding_is_reasserted() -> None:
    units, _, _ = fact_prep._prepare_facts(list(COLLIDING), {}, {}, set())
    first, second = ('{"sid": "s0", ' + fact.body + "}" for fact in units["A"])
    assert isolated(_raw_collision, first, second) == "observed", "pair no longer collides: regenerate"
    logs: list[str] = []
    rules = [CompiledRule("nonneg", {"$gte": {"integer": 0}})]
    assert run(rules, list(COLLIDING), logs=logs) == {("nonneg", 1), ("nonneg", 2)}
    assert any("asserting them again" in line for line in logs), logs
