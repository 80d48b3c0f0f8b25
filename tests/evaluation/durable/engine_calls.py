"""Calling the durable-rules adapter safely from tests: every engine call runs in a forked child with a timeout
(``_isolated``): the engine's C code never releases the GIL, so a hang cannot be interrupted by a signal handler,
and some traps crash the process.  Also a plain-Python meaning of conditions, and a basic set of rules and facts.
"""

from __future__ import annotations

import logging
import multiprocessing
import operator
from collections.abc import Callable
from typing import Any

import pytest

from rules.evaluation.durable import CompiledRule, DurableEngineError, Fact, match


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


def isolated(fn: Callable[..., Any], *args: Any, timeout: float = 30, logs: list[str] | None = None) -> Any:
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


def run(rules: list[CompiledRule], facts: list[Fact], **kwargs: Any) -> set[tuple[str, int]]:
    return isolated(match, rules, facts, **kwargs)


def refused(rules: list[CompiledRule], facts: list[Fact], *fragments: str) -> str:
    with pytest.raises(DurableEngineError) as caught:
        run(rules, facts)
    message = str(caught.value)
    assert message.startswith("规则引擎错误：")
    for fragment in fragments:
        assert fragment in message, message
    return message


OPS: dict[str, Callable[[Any, Any], bool]] = {
    "$gt": operator.gt, "$gte": operator.ge, "$lt": operator.lt, "$lte": operator.le, "$neq": operator.ne,
}


def holds(cond: dict, fields: dict) -> bool:
    """Plain-Python meaning of a condition (a missing field never satisfies a comparison)."""
    result = True
    for key, value in cond.items():
        if key == "$and":
            ok = all(holds(c, fields) for c in value)
        elif key == "$or":
            ok = any(holds(c, fields) for c in value)
        elif key == "$ex":
            ok = all(name in fields for name in value)
        elif key == "$nex":
            ok = all(name not in fields for name in value)
        elif key in OPS:
            ok = all(name in fields and OPS[key](fields[name], v) for name, v in value.items())
        else:
            ok = key in fields and fields[key] == value
        result = result and ok
    return result


def expected_matches(rules: list[CompiledRule], facts: list[Fact]) -> set[tuple[str, int]]:
    return {(r.name, f.fact_id) for r in rules for f in facts if holds(r.condition, f.fields)}


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
