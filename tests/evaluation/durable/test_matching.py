"""Matching semantics: every operator as Python means it, inputs untouched, calls serialised, numbers sent as the
engine reads them (G4, G5, G6, G13; docs/durable-guard.md)."""

from __future__ import annotations

import copy
import threading

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.evaluation.durable import CompiledRule, Fact, match
from tests.evaluation.durable.engine_calls import (
    BASIC_FACTS,
    BASIC_RULES,
    OPS,
    expected_matches,
    isolated,
    run,
)


def test_each_operator_matches_like_python() -> None:
    result = run(BASIC_RULES, BASIC_FACTS)
    assert result == expected_matches(BASIC_RULES, BASIC_FACTS)
    assert ("eq_num", 2) in result  # 2.0 equals 2, as in Python
    assert ("nex", 3) in result and ("nex", 1) not in result
    assert ("multi_key_is_and", 4) not in result and ("multi_key_is_and", 1) in result


def _match_and_return_inputs(rules: list[CompiledRule], facts: list[Fact]) -> tuple[list, list]:
    match(rules, facts)
    return rules, facts


def test_inputs_are_not_mutated() -> None:
    # set_rulesets deletes keys of the definition it is given; nothing of the caller's reaches it
    rules, facts = isolated(_match_and_return_inputs, copy.deepcopy(BASIC_RULES), copy.deepcopy(BASIC_FACTS))
    assert rules == BASIC_RULES and facts == BASIC_FACTS


def _threaded(count: int) -> list[bool]:
    expected = expected_matches(BASIC_RULES, BASIC_FACTS)
    outcomes: list[bool] = []

    def worker() -> None:
        outcomes.extend(match(BASIC_RULES, BASIC_FACTS) == expected for _ in range(count))

    workers = [threading.Thread(target=worker) for _ in range(4)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return outcomes


def test_concurrent_calls_are_serialised() -> None:
    outcomes = isolated(_threaded, 10)
    assert len(outcomes) == 40 and all(outcomes)


def test_empty_inputs() -> None:
    assert match([], BASIC_FACTS) == set()
    assert match(BASIC_RULES, []) == set()


def test_exponent_floats_are_sent_correctly() -> None:
    # json.dumps writes 1e-05, which the engine cannot parse: a batch containing it was dropped whole
    rules = [CompiledRule("tiny", {"$lt": {"x": 1e-05}}), CompiledRule("huge", {"$gt": {"x": 1e20}})]
    facts = [Fact("A", 1, {"x": 5e-06}), Fact("A", 2, {"x": 0.5}), Fact("A", 3, {"x": 3e21}),
             Fact("A", 4, {"x": -1e-300})]
    assert run(rules, facts) == {("tiny", 1), ("tiny", 4), ("huge", 3)}


def test_nex_only_rule_does_not_hang() -> None:
    rules = [CompiledRule("no_report", {"$nex": {"report": 1}})]
    facts = [Fact("A", 1, {"accident": 1}), Fact("A", 2, {"report": 1})]
    assert run(rules, facts, timeout=20) == {("no_report", 1)}


_names = st.sampled_from(["a", "b", "c"])
_texts = st.text(alphabet="abxyz09中文", max_size=3)  # characters > '"': string order is safe
_numbers = st.one_of(
    st.integers(-5, 5),
    st.sampled_from([0.5, -0.25, 2.0, 1e-05, 1e20, 0.1]),
    st.floats(-10, 10, allow_nan=False, allow_infinity=False),
)


def _leaf() -> st.SearchStrategy[dict]:
    num_cmp = st.builds(lambda op, f, v: {op: {f: v}}, st.sampled_from(sorted(OPS)), _names, _numbers)
    text_cmp = st.builds(lambda op, v: {op: {"s": v}}, st.sampled_from(sorted(OPS)), _texts)
    return st.one_of(
        st.builds(lambda f, v: {f: v}, _names, _numbers),
        st.builds(lambda v: {"s": v}, _texts),
        num_cmp,
        text_cmp,
        st.builds(lambda op, f: {op: {f: 1}}, st.sampled_from(["$ex", "$nex"]), st.sampled_from(["a", "b", "s"])),
    )


_conditions = st.recursive(
    _leaf(),
    lambda inner: st.builds(lambda op, items: {op: items}, st.sampled_from(["$and", "$or"]),
                            st.lists(inner, min_size=1, max_size=3)),
    max_leaves=6,
)
_field_sets = st.fixed_dictionaries({}, optional={"a": _numbers, "b": _numbers, "c": _numbers, "s": _texts})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    conditions=st.lists(_conditions, min_size=1, max_size=6),
    field_sets=st.lists(st.tuples(st.sampled_from(["U1", "U2", "U3"]), _field_sets), min_size=1, max_size=12),
)
def test_random_facts_match_plain_python(conditions: list[dict], field_sets: list[tuple[str, dict]]) -> None:
    rules = [CompiledRule(f"r{i}", c) for i, c in enumerate(conditions)]
    facts = [Fact(unit, i + 1, fields) for i, (unit, fields) in enumerate(field_sets)]
    assert run(rules, facts) == expected_matches(rules, facts)
