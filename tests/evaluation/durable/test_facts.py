"""Facts the engine cannot hold: refused one by one when the caller asks (``refused``), each error naming its fact
and field, with a reason free of internal names; the other facts still match (L3, L4)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rules.evaluation.durable import CompiledRule, DurableEngineError, Fact, match
from tests.evaluation.durable.engine_calls import isolated

RULES = [CompiledRule("big", {"$gt": {"n": 5}}), CompiledRule("text", {"s": "重大"})]


def _match_refusing(facts: list[Fact]) -> tuple[set[tuple[str, int]], dict[int, tuple[str | None, str, str]]]:
    refused: dict[int, DurableEngineError] = {}
    found = match(RULES, facts, refused)
    return found, {k: (e.field, e.reason, str(e)) for k, e in refused.items()}


@pytest.mark.parametrize("bad", [2**60, float("inf"), float("nan"), Decimal("1.5"), None, True, "x" * 70000,
                                 "重大\udc80", 10**5000],
                         ids=["2^60", "inf", "nan", "decimal", "none", "bool", "long-text", "surrogate", "5000-digits"])
def test_a_bad_value_refuses_only_its_fact(bad: object) -> None:
    field = "s" if isinstance(bad, str) else "n"
    values: dict = {"n": 1, field: bad}   # deliberately outside Fact's declared value types
    facts = [Fact("A", 1, {"n": 9, "s": "重大"}), Fact("A", 2, values), Fact("B", 3, {"n": 7})]
    found, refused = isolated(_match_refusing, facts)
    assert found == {("big", 1), ("text", 1), ("big", 3)}
    assert set(refused) == {2}
    named, reason, message = refused[2]
    assert named == field
    assert message.startswith("规则引擎错误：事实 2")   # the message still says everything
    assert reason and "事实" not in reason and f"“{field}”" not in reason   # the reason names nothing internal


def test_without_refused_a_bad_value_still_raises() -> None:
    with pytest.raises(DurableEngineError) as caught:
        isolated(match, RULES, [Fact("A", 1, {"n": 2**60})])
    assert caught.value.fact_id is None or caught.value.fact_id == 1
    assert "±2^53" in str(caught.value)


def test_a_rule_error_names_its_rule_and_field() -> None:
    with pytest.raises(DurableEngineError) as caught:
        isolated(match, [CompiledRule("ok", {"n": 1}), CompiledRule("r7", {"$gt": {"n": float("inf")}})],
                 [Fact("A", 1, {"n": 1})])
    error = caught.value
    assert (error.rule, error.field) == ("r7", "n")
    assert "r7" not in error.reason and "超出规则引擎可比较的范围" in error.reason


def _exhausted(refusing: bool) -> tuple[set[tuple[str, int]], list[int]]:
    from rules.evaluation.durable import retry

    retry.MAX_RETRY_ROUNDS = -1   # in the forked child only: no round runs, every fact is left unprocessed
    refused: dict[int, DurableEngineError] | None = {} if refusing else None
    found = match(RULES, [Fact("A", 1, {"n": 9}), Fact("B", 2, {"n": 1})], refused)
    return found, sorted(refused or {})


def test_facts_not_processed_after_retries_are_refused_or_raise() -> None:
    assert isolated(_exhausted, True) == (set(), [1, 2])
    with pytest.raises(DurableEngineError) as caught:
        isolated(_exhausted, False)
    assert caught.value.fact_ids == (1, 2) and "多次重试" in caught.value.reason
