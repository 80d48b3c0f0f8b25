"""One test (at least) per durable-rules trap guarded by the package rules/evaluation/durable (docs/durable-guard.md).

Every engine call runs in a forked child with a timeout (``_isolated``): the engine's C code never
releases the GIL, so a hang cannot be interrupted by a signal handler, and some traps crash the process.
"""

from __future__ import annotations

import copy
import json
import logging
import math
import multiprocessing
import operator
import os
import threading
import warnings
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.evaluation.durable import CompiledRule, DurableEngineError, Fact, alpha, encoding, match, session
from rules.evaluation.durable import facts as fact_prep

# --------------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------------


def _child(conn: Any, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record.getMessage())

    logger = logging.getLogger("rules.evaluation.durable")
    logger.addHandler(Keep())
    logger.setLevel(logging.INFO)
    try:
        conn.send(("ok", fn(*args), records))
    except BaseException as error:  # sent to the parent, re-raised there
        conn.send(("error", error, records))
    conn.close()


def _isolated(fn: Callable[..., Any], *args: Any, timeout: float = 30, logs: list[str] | None = None) -> Any:
    """Run ``fn(*args)`` in a forked child: return its result or raise its exception; fail on a hang
    or a crash.  Monkeypatches made before the call are inherited by the child."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, fn, args))
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            process.kill()
            pytest.fail(f"engine call did not finish within {timeout} s (hang)")
        try:
            kind, value, records = receiver.recv()
        except EOFError:
            process.join(5)
            pytest.fail(f"engine call crashed the process (exit code {process.exitcode})")
    finally:
        process.join(5)
        if process.is_alive():
            process.kill()
    if logs is not None:
        logs.extend(records)
    if kind == "error":
        raise value
    return value


def _run(rules: list[CompiledRule], facts: list[Fact], **kwargs: Any) -> set[tuple[str, int]]:
    return _isolated(match, rules, facts, **kwargs)


def _refused(rules: list[CompiledRule], facts: list[Fact], *fragments: str) -> str:
    with pytest.raises(DurableEngineError) as caught:
        _run(rules, facts)
    message = str(caught.value)
    assert message.startswith("规则引擎错误：")
    for fragment in fragments:
        assert fragment in message, message
    return message


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "$gt": operator.gt, "$gte": operator.ge, "$lt": operator.lt, "$lte": operator.le, "$neq": operator.ne,
}


def _holds(cond: dict, fields: dict) -> bool:
    """Plain-Python meaning of a condition (a missing field never satisfies a comparison)."""
    result = True
    for key, value in cond.items():
        if key == "$and":
            ok = all(_holds(c, fields) for c in value)
        elif key == "$or":
            ok = any(_holds(c, fields) for c in value)
        elif key == "$ex":
            ok = all(name in fields for name in value)
        elif key == "$nex":
            ok = all(name not in fields for name in value)
        elif key in _OPS:
            ok = all(name in fields and _OPS[key](fields[name], v) for name, v in value.items())
        else:
            ok = key in fields and fields[key] == value
        result = result and ok
    return result


def _expected(rules: list[CompiledRule], facts: list[Fact]) -> set[tuple[str, int]]:
    return {(r.name, f.fact_id) for r in rules for f in facts if _holds(r.condition, f.fields)}


# --------------------------------------------------------------------------------------------------
# matching semantics
# --------------------------------------------------------------------------------------------------

BASIC_RULES = [
    CompiledRule("eq", {"kind": "unit"}),
    CompiledRule("eq_num", {"level": 2}),
    CompiledRule("gt", {"$gt": {"score": 80}}),
    CompiledRule("gte", {"$gte": {"score": 80}}),
    CompiledRule("lt", {"$lt": {"ratio": 0.95}}),
    CompiledRule("lte", {"$lte": {"ratio": 0.95}}),
    CompiledRule("neq", {"$neq": {"kind": "unit"}}),
    CompiledRule("ex", {"$ex": {"ratio": 1}}),
    CompiledRule("nex", {"$nex": {"ratio": 1}}),
    CompiledRule("and", {"$and": [{"kind": "unit"}, {"$lt": {"ratio": 0.95}}]}),
    CompiledRule("or", {"$or": [{"kind": "dept"}, {"$gt": {"score": 90}}]}),
    CompiledRule("multi_key_is_and", {"kind": "unit", "level": 2}),
    CompiledRule("chinese", {"类别": "重大隐患"}),
]
BASIC_FACTS = [
    Fact("A", 1, {"kind": "unit", "score": 80, "ratio": 0.95, "level": 2}),
    Fact("A", 2, {"kind": "unit", "score": 95.5, "ratio": 0.5, "level": 2.0}),
    Fact("B", 3, {"kind": "dept", "score": 79, "类别": "重大隐患"}),
    Fact("B", 4, {"kind": "unit", "level": 3}),
]


def test_each_operator_matches_like_python() -> None:
    result = _run(BASIC_RULES, BASIC_FACTS)
    assert result == _expected(BASIC_RULES, BASIC_FACTS)
    assert ("eq_num", 2) in result  # 2.0 equals 2, as in Python
    assert ("nex", 3) in result and ("nex", 1) not in result
    assert ("multi_key_is_and", 4) not in result and ("multi_key_is_and", 1) in result


def _match_and_return_inputs(rules: list[CompiledRule], facts: list[Fact]) -> tuple[list, list]:
    match(rules, facts)
    return rules, facts


def test_inputs_are_not_mutated() -> None:
    # set_rulesets deletes keys of the definition it is given; nothing of the caller's reaches it
    rules, facts = _isolated(_match_and_return_inputs, copy.deepcopy(BASIC_RULES), copy.deepcopy(BASIC_FACTS))
    assert rules == BASIC_RULES and facts == BASIC_FACTS


def _threaded(count: int) -> list[bool]:
    expected = _expected(BASIC_RULES, BASIC_FACTS)
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
    outcomes = _isolated(_threaded, 10)
    assert len(outcomes) == 40 and all(outcomes)


def test_empty_inputs() -> None:
    assert match([], BASIC_FACTS) == set()
    assert match(BASIC_RULES, []) == set()


def test_exponent_floats_are_sent_correctly() -> None:
    # json.dumps writes 1e-05, which the engine cannot parse: a batch containing it was dropped whole
    rules = [CompiledRule("tiny", {"$lt": {"x": 1e-05}}), CompiledRule("huge", {"$gt": {"x": 1e20}})]
    facts = [Fact("A", 1, {"x": 5e-06}), Fact("A", 2, {"x": 0.5}), Fact("A", 3, {"x": 3e21}),
             Fact("A", 4, {"x": -1e-300})]
    assert _run(rules, facts) == {("tiny", 1), ("tiny", 4), ("huge", 3)}


def test_nex_only_rule_does_not_hang() -> None:
    rules = [CompiledRule("no_report", {"$nex": {"report": 1}})]
    facts = [Fact("A", 1, {"accident": 1}), Fact("A", 2, {"report": 1})]
    assert _run(rules, facts, timeout=20) == {("no_report", 1)}


_names = st.sampled_from(["a", "b", "c"])
_texts = st.text(alphabet="abxyz09中文", max_size=3)  # characters > '"': string order is safe
_numbers = st.one_of(
    st.integers(-5, 5),
    st.sampled_from([0.5, -0.25, 2.0, 1e-05, 1e20, 0.1]),
    st.floats(-10, 10, allow_nan=False, allow_infinity=False),
)


def _leaf() -> st.SearchStrategy[dict]:
    num_cmp = st.builds(lambda op, f, v: {op: {f: v}}, st.sampled_from(sorted(_OPS)), _names, _numbers)
    text_cmp = st.builds(lambda op, v: {op: {"s": v}}, st.sampled_from(sorted(_OPS)), _texts)
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
    assert _run(rules, facts) == _expected(rules, facts)


# --------------------------------------------------------------------------------------------------
# false duplicates (issue #376)
# --------------------------------------------------------------------------------------------------


def _raw_collision(first: str, second: str) -> str:
    """Assert two fact texts in one session of a raw engine ruleset; report what the engine did."""
    import durable_rules_engine

    handle = durable_rules_engine.create_ruleset(
        "collision", json.dumps({"any": {"all": [{"m": {"$gte": {"integer": 0}}}]}})
    )
    durable_rules_engine.assert_fact(handle, first)
    return "observed" if durable_rules_engine.assert_fact(handle, second)[0] == 2 else "stored"


def test_known_colliding_pair_is_a_real_false_duplicate() -> None:
    assert _isolated(_raw_collision, '{"integer": 32986}', '{"integer": 46010}') == "observed"


def test_known_colliding_pair_both_match() -> None:
    rules = [CompiledRule("nonneg", {"$gte": {"integer": 0}})]
    facts = [Fact("A", 1, {"integer": 32986}), Fact("A", 2, {"integer": 46010})]
    assert _run(rules, facts) == {("nonneg", 1), ("nonneg", 2)}


# Found offline with a Python copy of the engine's message hash (state.c calculateId): with the
# module's own encoding (session "s0", _fid 1 and 2) these two facts collide.
COLLIDING = (Fact("A", 1, {"integer": 1767}), Fact("A", 2, {"integer": 42792}))


def test_colliding_pair_in_module_encoding_is_reasserted() -> None:
    units, _, _ = fact_prep._prepare_facts(list(COLLIDING), {}, {}, set())
    first, second = ('{"sid": "s0", ' + fact.body + "}" for fact in units["A"])
    assert _isolated(_raw_collision, first, second) == "observed", "pair no longer collides: regenerate"
    logs: list[str] = []
    rules = [CompiledRule("nonneg", {"$gte": {"integer": 0}})]
    assert _run(rules, list(COLLIDING), logs=logs) == {("nonneg", 1), ("nonneg", 2)}
    assert any("asserting them again" in line for line in logs), logs


# --------------------------------------------------------------------------------------------------
# host lifetime: threads, memory, isolation
# --------------------------------------------------------------------------------------------------


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _many_calls(count: int) -> tuple[int, int, int, int, bool]:
    rules = BASIC_RULES
    facts = [Fact(f"U{u}", u * 10 + k, {"kind": "unit", "score": k * 10, "ratio": k / 10}) for u in range(5)
             for k in range(8)]
    expected = _expected(rules, facts)
    for _ in range(20):  # warm-up: allocator pools, imports, caches
        match(rules, facts)
    threads, rss = threading.active_count(), _rss_bytes()
    same = all(match(rules, facts) == expected for _ in range(count))
    return threads, threading.active_count(), rss, _rss_bytes(), same


def test_no_threads_and_bounded_memory_after_200_calls() -> None:
    threads_before, threads_after, rss_before, rss_after, same = _isolated(_many_calls, 200, timeout=50)
    assert same
    assert threads_after == threads_before == 1
    assert rss_after - rss_before < 4 * 1024 * 1024, (rss_before, rss_after)


def test_deprecation_warnings_cannot_break_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    from durable import engine

    original = engine._unix_now

    def noisy_now() -> float:  # what Python 3.12 does inside every action
        warnings.warn("datetime.utcfromtimestamp() is deprecated", DeprecationWarning, stacklevel=1)
        return original()

    monkeypatch.setattr(engine, "_unix_now", noisy_now)

    def strict() -> set[tuple[str, int]]:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return match(BASIC_RULES, BASIC_FACTS)

    assert _isolated(strict) == _expected(BASIC_RULES, BASIC_FACTS)


# --------------------------------------------------------------------------------------------------
# action errors and abandoned actions
# --------------------------------------------------------------------------------------------------


def test_action_error_swallowed_by_library_surfaces(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("recorder broken")

    monkeypatch.setattr(session, "_record_match", broken)
    message = _refused(BASIC_RULES, BASIC_FACTS, "规则动作执行出错")
    assert "recorder broken" in message


def test_action_error_found_in_state_even_if_not_seen_by_wrapper(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("recorder broken")

    monkeypatch.setattr(session, "_record_match", broken)
    monkeypatch.setattr(session._Call, "_raise_action_errors", lambda self: None)
    _refused(BASIC_RULES, BASIC_FACTS, "规则动作执行出错", "recorder broken")


def test_action_abandoned_after_10_seconds_is_detected(monkeypatch: pytest.MonkeyPatch) -> None:
    from durable import engine

    clock = iter(range(0, 10**9, 20))  # every reading of the library's clock is 20 s later
    monkeypatch.setattr(engine, "_unix_now", lambda: float(next(clock)))
    _refused(BASIC_RULES, BASIC_FACTS, "10 秒")


# --------------------------------------------------------------------------------------------------
# sessions: chunking over rulesets
# --------------------------------------------------------------------------------------------------


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
    result, rulesets = _isolated(_count_rulesets, rules, facts, timeout=50)
    assert result == _expected(rules, facts)
    assert rulesets >= 3  # at most 1000 sessions per ruleset


def test_large_unit_is_split_into_sub_sessions() -> None:
    rules = [CompiledRule("even", {"parity": 0})]
    facts = [Fact("big", k, {"parity": k % 2}) for k in range(700)]
    assert _run(rules, facts) == _expected(rules, facts)


# --------------------------------------------------------------------------------------------------
# hard limits: refused before the library is called, or avoided by splitting the rules
# --------------------------------------------------------------------------------------------------


def test_too_many_rules_refused_without_hang() -> None:
    rules = [CompiledRule(f"r{i}", {"code": f"C{i}"}) for i in range(3000)]
    _refused(rules, BASIC_FACTS, "3000 条规则", "500")


def test_too_many_equality_alternatives_refused() -> None:
    rules = [CompiledRule("r3", {"$or": [{"code": i} for i in range(600)]})]
    _refused(rules, BASIC_FACTS, "规则“r3”", "600 个", "等值选项", "拆分")


def test_500_equality_rules_on_one_field_work() -> None:
    # 512 children of one engine node hang it; the model keeps every node within budget
    rules = [CompiledRule(f"r{i}", {"code": i}) for i in range(500)]
    facts = [Fact("A", 1, {"code": 7}), Fact("A", 2, {"code": 499}), Fact("B", 3, {"code": 1000})]
    assert _run(rules, facts, timeout=30) == {("r7", 1), ("r499", 2)}


def test_many_true_siblings_are_split_not_error_303() -> None:
    # a ladder of 100 thresholds that are all true at once: error 303 in one ruleset
    rules = [CompiledRule(f"step{i}", {"$gt": {"score": i}}) for i in range(100)]
    facts = [Fact("A", 1, {"score": 1000}), Fact("A", 2, {"score": 50.5})]
    assert _run(rules, facts) == _expected(rules, facts)


def test_300_identical_rules_work() -> None:
    # 256 rules ending on the same engine node crash the process (beta list overflow)
    rules = [CompiledRule(f"same{i}", {"kind": "unit"}) for i in range(300)]
    facts = [Fact("A", 1, {"kind": "unit"})]
    assert _run(rules, facts) == {(f"same{i}", 1) for i in range(300)}


def test_130_nex_rules_work() -> None:
    # 128 $nex children of one engine node crash the process (next list overflow)
    rules = [CompiledRule(f"missing{i}", {"$nex": {f"f{i}": 1}}) for i in range(130)]
    facts = [Fact("A", 1, {f"f{i}": 1 for i in range(130) if i != 5})]
    assert _run(rules, facts) == {("missing5", 1)}


def test_single_rule_with_too_many_true_branches_refused() -> None:
    rule = CompiledRule("wide", {"$or": [{"$gt": {f"f{i}": 0}} for i in range(70)]})
    facts = [Fact("A", 1, {f"f{i}": 1 for i in range(70)})]
    _refused([rule], facts, "规则“wide”", "同时满足")


def test_error_303_surfaces_instead_of_crashing(monkeypatch: pytest.MonkeyPatch) -> None:
    # if the model were wrong, the engine's error must become DurableEngineError (and cleanup must not
    # delete a state that never ran an action: that segfaults)
    monkeypatch.setattr(alpha._AlphaModel, "violation", lambda self: None)
    rules = [CompiledRule(f"step{i}", {"$gt": {"score": i}}) for i in range(70)]
    _refused(rules, [Fact("A", 1, {"score": 1000})], "303")


def test_too_much_nesting_refused() -> None:
    cond: dict = {"x": 0}
    for i in range(16):
        cond = {"$or" if i % 2 else "$and": [cond, {"y": i}]}
    _refused([CompiledRule("deep", cond)], BASIC_FACTS, "规则“deep”", "$and/$or")


def test_too_many_fields_refused() -> None:
    rules = [CompiledRule("any", {"$ex": {"f0": 1}})]
    ok = Fact("A", 1, {f"f{i}": i for i in range(251)})
    assert _run(rules, [ok]) == {("any", 1)}
    _refused(rules, [Fact("A", 2, {f"f{i}": i for i in range(252)})], "252 个字段", "251")


@pytest.mark.parametrize("operator_key", ["$eq", "$mt", "$imt", "$iall", "$foo", "$not"])
def test_unknown_operator_refused(operator_key: str) -> None:
    rule = CompiledRule("r1", {"$and": [{"kind": "unit"}, {operator_key: {"score": 1}}]})
    _refused([rule], BASIC_FACTS, "规则“r1”", operator_key, "不支持")


def test_expression_operand_refused() -> None:
    rule = CompiledRule("r1", {"$gt": {"deaths": {"$mul": {"$l": {"$m": "target"}, "$r": 1.1}}}})
    _refused([rule], BASIC_FACTS, "规则“r1”", "常量")


@pytest.mark.parametrize(
    "bad", [True, None, Decimal("1.5"), [1], {"a": 1}, math.nan, math.inf, 2**60, "\ud800"],
)
def test_bad_fact_value_refused(bad: object) -> None:
    _refused([CompiledRule("any", {"$ex": {"x": 1}})], [Fact("A", 7, {"x": bad})], "事实 7")


@pytest.mark.parametrize("bad", [True, None, Decimal("1.5"), [1], math.nan, 2**60])
def test_bad_rule_value_refused(bad: object) -> None:
    _refused([CompiledRule("r9", {"$gt": {"x": bad}})], BASIC_FACTS, "规则“r9”")


@pytest.mark.parametrize("name", ["sid", "id", "_fid", "$x", 'a"b', "a\\b", "", 5])
def test_bad_field_name_refused(name: object) -> None:
    _refused([CompiledRule("any", {"$ex": {"kind": 1}})], [Fact("A", 1, {name: 1})])  # type: ignore[dict-item]


def test_field_names_with_equal_engine_hash_refused() -> None:
    # the engine finds properties by a 32-bit hash of their name only: a rule on one name would
    # match a fact carrying the other (an invented match)
    assert encoding._fnv1a32("jvqpfqg") == encoding._fnv1a32("jaczypz")
    _refused([CompiledRule("r", {"jvqpfqg": 1})], [Fact("A", 1, {"jaczypz": 1})], "jvqpfqg", "jaczypz")


def test_number_string_mix_refused() -> None:
    # the engine compares "3" with 2 as strings ("3" >= 2 is true)
    _refused([CompiledRule("r", {"$gte": {"x": 2}})], [Fact("A", 1, {"x": "3"})], "事实 1", "x")
    _refused([CompiledRule("a", {"x": 2}), CompiledRule("b", {"x": "2"})], BASIC_FACTS, "字段“x”")


def test_unsafe_string_order_refused() -> None:
    _refused([CompiledRule("r", {"$lt": {"name": "ab c"}})], BASIC_FACTS, "规则“r”", "大小比较")
    _refused([CompiledRule("r", {"$lt": {"name": "abc"}})], [Fact("A", 1, {"name": 'a"b'})], "事实 1")
    rules = [CompiledRule("r", {"$lt": {"day": "2024-06-01"}})]
    facts = [Fact("A", 1, {"day": "2024-01-31"}), Fact("A", 2, {"day": "2024-06-01 08:00"})]
    assert _run(rules, facts) == {("r", 1)}


def test_bad_rule_names_and_duplicate_ids_refused() -> None:
    _refused([CompiledRule("r-1", {"x": 1})], BASIC_FACTS, "r-1")
    _refused([CompiledRule("r", {"x": 1}), CompiledRule("r", {"x": 2})], BASIC_FACTS, "重复")
    _refused(BASIC_RULES, [Fact("A", 1, {}), Fact("B", 1, {})], "事实编号 1 重复")
    _refused([CompiledRule("r", {})], BASIC_FACTS, "规则“r”")
    _refused([CompiledRule("r", {"$and": []})], BASIC_FACTS, "规则“r”")
    _refused([CompiledRule("r", {"$ex": {"x": 0}})], BASIC_FACTS, "规则“r”", "1")
