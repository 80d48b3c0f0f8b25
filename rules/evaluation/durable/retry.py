"""The whole call, and G9's collision retry: sessions of bounded size, redone fact by fact in fresh sessions when
the engine's 32-bit message ids collide (docs/durable-guard.md G9, G12, G13).
"""

from __future__ import annotations

import logging
import threading
import warnings

from rules.evaluation.durable.alpha import _group_rules
from rules.evaluation.durable.api import CompiledRule, DurableEngineError, Fact, _err
from rules.evaluation.durable.conditions import _prepare_rules, _rule_field_kinds, _walk
from rules.evaluation.durable.facts import _check_hash_collisions, _Fact, _prepare_facts
from rules.evaluation.durable.limits import (
    MAX_FACTS_PER_RULESET,
    MAX_FACTS_PER_SESSION,
    MAX_RETRY_ROUNDS,
    MAX_SESSIONS_PER_RULESET,
)
from rules.evaluation.durable.session import _Call, _Session

log = logging.getLogger(__name__)

_ENGINE_LOCK = threading.Lock()  # G13: the C extension is not thread-safe; one call at a time


def run_group(call: _Call, group_index: int, units: dict[str, list[_Fact]],
              refused: dict[int, DurableEngineError] | None = None) -> set[tuple[str, int]]:
    """Every match of one rule group over all facts; G9: sessions that collide or fail the audit are redone, one
    fact at a time, in fresh sessions, at most MAX_RETRY_ROUNDS times.  Facts still not processed then raise, or
    with `refused` are recorded there (they match nothing; the caller must not trust them)."""
    matched: set[tuple[str, int]] = set()
    batches: list[list[_Fact]] = []
    for unit_facts in units.values():  # G9: sub-sessions of at most MAX_FACTS_PER_SESSION facts
        for k in range(0, len(unit_facts), MAX_FACTS_PER_SESSION):
            batches.append(unit_facts[k : k + MAX_FACTS_PER_SESSION])
    single = False
    for round_index in range(MAX_RETRY_ROUNDS + 1):
        if not batches:
            return matched
        redo: list[_Fact] = []
        position = 0
        while position < len(batches):
            ruleset, sids, hashes = call._open(group_index)
            sessions: list[_Session] = []
            held = 0
            start = len(call.records)
            while position < len(batches) and len(sids) < MAX_SESSIONS_PER_RULESET - 1:
                batch = batches[position]
                if sessions and held + len(batch) > MAX_FACTS_PER_RULESET:
                    break
                session = _Session(call._new_sid(sids, hashes), list(batch))
                sessions.append(session)
                call._assert(ruleset, session, single)
                held += len(batch)
                position += 1
            call._drain_all(ruleset)
            call._raise_action_errors()
            found, failed = call._audit(ruleset, sessions, start)
            matched |= found
            redo.extend(failed)
            call._close(ruleset, sids)
        # G9: the facts of failed sessions, one by one, in fresh sessions (a fact that collides
        # again is deferred to the next round, hence to another fresh session)
        single = True
        batches = [redo[k : k + MAX_FACTS_PER_SESSION] for k in range(0, len(redo), MAX_FACTS_PER_SESSION)]
        if redo:
            log.warning("round %d: %d facts to assert again", round_index + 1, len(redo))
    if not batches:
        return matched
    lost = [f.fact_id for batch in batches for f in batch]
    shown = ", ".join(str(fact_id) for fact_id in lost[:5])
    error = _err(f"多次重试后仍有事实未被规则引擎完整处理（事实编号 {shown} 等）；结果不可靠，已停止评估。",
                 "多次重试后仍未被规则引擎完整处理，结果不可靠。", fact_ids=tuple(lost))
    if refused is None:
        raise error
    for fact_id in lost:
        refused[fact_id] = _err(f"事实 {fact_id} 多次重试后仍未被规则引擎完整处理；结果不可靠。", error.reason,
                                fact_id=fact_id)
    matched_ids = set(lost)
    return {pair for pair in matched if pair[1] not in matched_ids}


def match(rules: list[CompiledRule], facts: list[Fact],
          refused: dict[int, DurableEngineError] | None = None) -> set[tuple[str, int]]:
    """Assert every fact in its session(s) and return every (rule name, fact_id) pair that
    matched. Raises DurableEngineError on any unsafe condition; with `refused`, a fact whose values the
    engine cannot hold, or that it could not process even after retries, is left out instead (matching nothing)
    and its error recorded there by fact id."""
    prepared = _prepare_rules(rules)
    kinds, order_str = _rule_field_kinds(prepared)
    nex_fields = {n[1] for rule in prepared for n in _walk(rule.node) if n[0] == "nex"}
    units, present, absent = _prepare_facts(facts, kinds, order_str, nex_fields, refused)
    _check_hash_collisions(prepared, present)
    if not prepared or not units:
        return set()
    groups = _group_rules(prepared, present, absent)
    names = {rule.internal: rule.name for rule in prepared}
    found: set[tuple[str, int]] = set()
    with _ENGINE_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # G12
        call = _Call(groups)
        try:
            for group_index in range(len(groups)):
                found |= run_group(call, group_index, units, refused)
        finally:
            call.close()
    lost = refused or {}
    return {(names[rule], fact_id) for rule, fact_id in found if fact_id not in lost}
