"""One call's engine state: sessions asserted, actions drained, results accounted for, everything closed
(docs/durable-guard.md G2, G3, G5, G7, G8, G10, G11).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import durable_rules_engine
from durable import engine

from rules.evaluation.durable.api import _err
from rules.evaluation.durable.conditions import _Rule, _ruleset_json
from rules.evaluation.durable.encoding import _fnv1a32
from rules.evaluation.durable.facts import _Fact
from rules.evaluation.durable.host import _engine_error, _JsonRuleset, _QuietHost
from rules.evaluation.durable.limits import _ANCHOR, _SEEN

log = logging.getLogger(__name__)


def _record_match(records: list[tuple[str, str, int]], sid: str, rule: str, fact_id: int) -> None:
    """The action body: store one match in the call's own list."""
    records.append((sid, rule, fact_id))


@dataclass
class _Session:
    sid: str
    facts: list[_Fact]  # facts asserted successfully in this session
    failed: bool = False  # the whole session must be redone
    deferred: list[_Fact] | None = None  # facts refused as duplicates (single mode)


class _Call:
    """Everything one call to ``match`` owns; ``close`` releases all of it."""

    def __init__(self, groups: list[list[_Rule]]) -> None:
        self.groups = groups
        self.call_id = uuid.uuid4().hex[:16]
        self.records: list[tuple[str, str, int]] = []
        self.action_errors: list[BaseException] = []
        self.host = _QuietHost(self._action_for)
        self.live: list[tuple[_JsonRuleset, list[str]]] = []
        self.ruleset_count = 0
        self.session_count = 0
        self.collisions = 0
        self.acted: set[str] = set()  # sessions in which an action was started (see _close)

    # ---- actions --------------------------------------------------------------------------------

    def _action_for(self, rule: str) -> Callable[[Any], None]:
        records = self.records
        errors = self.action_errors

        acted = self.acted

        def action(c: Any) -> None:
            try:
                sid = c.s._d["sid"]
                acted.add(sid)
                messages = c.m if isinstance(c.m, list) else [c.m]
                for message in messages:
                    _record_match(records, sid, rule, message._d[_ANCHOR])
            except BaseException as error:  # G8: keep it, the library will swallow it
                errors.append(error)
                raise

        return action

    def _raise_action_errors(self) -> None:
        if self.action_errors:
            first = self.action_errors[0]
            if isinstance(first, (KeyboardInterrupt, SystemExit)):
                raise first
            raise _err(f"规则动作执行出错（{type(first).__name__}: {first}）；结果不完整，已停止评估。") from first

    def _check_completion(self, done: list[tuple[Any, Any]], where: str) -> Any:
        if not done:
            raise _err(f"{where}：规则动作未完成（引擎会放弃执行超过 10 秒的动作）；结果不完整，已停止评估。")
        error, state = done[-1]
        self._raise_action_errors()
        if error:
            raise _err(f"{where}：规则动作执行出错（{error}）；结果不完整，已停止评估。")
        if isinstance(state, dict) and state.get("exception"):
            raise _err(f"{where}：规则动作执行出错（{state['exception']}）；结果不完整，已停止评估。")
        return state

    def _drain_state(self, ruleset: _JsonRuleset, state_offset: int) -> None:
        """G2: run every pending action of one session, synchronously."""
        for _ in range(1_000_000):
            done: list[tuple[Any, Any]] = []
            ruleset.do_actions(state_offset, lambda e, s, done=done: done.append((e, s)))
            state = self._check_completion(done, "执行规则动作")
            if state is None:  # no action was available
                return
        raise _err("规则动作无法执行完毕；已停止评估。")

    def _drain_all(self, ruleset: _JsonRuleset) -> None:
        """G2: run every pending action of the ruleset (only before any of its states is deleted)."""
        for _ in range(1_000_000):
            result = durable_rules_engine.start_action(ruleset._handle)
            if not result:
                return
            done: list[tuple[Any, Any]] = []
            ruleset._flush_actions(
                json.loads(result[0]), {"message": json.loads(result[1])}, result[2],
                lambda e, s, done=done: done.append((e, s)),
            )
            self._check_completion(done, "执行规则动作")
        raise _err("规则动作无法执行完毕；已停止评估。")

    # ---- rulesets and sessions ------------------------------------------------------------------

    def _open(self, group_index: int) -> tuple[_JsonRuleset, list[str], set[int]]:
        self.ruleset_count += 1
        name = f"assess_{self.call_id}_g{group_index}_{self.ruleset_count}"
        group = self.groups[group_index]
        try:
            ruleset = self.host.add_json_ruleset(
                name, _ruleset_json(group), [_SEEN, *(rule.internal for rule in group)]
            )
        except durable_rules_engine.error as error:
            raise _engine_error("创建规则集", error) from error
        sids: list[str] = []
        self.live.append((ruleset, sids))
        return ruleset, sids, set()

    def _new_sid(self, sids: list[str], hashes: set[int]) -> str:
        while True:  # G10: no two session ids of a ruleset may share a hash
            self.session_count += 1  # unique in the call: a retry never reuses a session id
            sid = f"s{self.session_count - 1}"
            sids.append(sid)
            h = _fnv1a32(sid)
            if h not in hashes:
                hashes.add(h)
                return sid

    def _close(self, ruleset: _JsonRuleset, sids: list[str]) -> None:
        """G3: delete every session state, then the ruleset (never raises)."""
        handle = ruleset._handle
        for sid in sids:
            if sid not in self.acted:
                # [S][X] a state in which no action was ever started has an uninitialised action
                # context that delete_state frees: a segfault.  Only an engine error leaves such a
                # state (every fact matches `_seen`); leaking it is the lesser evil.
                log.warning("session %s of %s left undeleted (no action ever ran in it)", sid, ruleset._name)
                continue
            try:
                durable_rules_engine.delete_state(handle, sid)
            except Exception:
                log.exception("could not delete session %s of %s", sid, ruleset._name)
        try:
            durable_rules_engine.delete_ruleset(handle)
        except Exception:
            log.exception("could not delete ruleset %s", ruleset._name)
        self.host.remove_ruleset(ruleset)
        self.live = [item for item in self.live if item[0] is not ruleset]

    def close(self) -> None:
        for ruleset, sids in list(self.live):
            self._close(ruleset, sids)

    def _assert(self, ruleset: _JsonRuleset, session: _Session, single: bool) -> None:
        handle = ruleset._handle
        if not single:
            head = '{"sid": "' + session.sid + '", '
            text = "[" + ", ".join(head + fact.body + "}" for fact in session.facts) + "]"
            try:
                offset = ruleset._handle_result(durable_rules_engine.assert_facts(handle, text), text)
            except (engine.MessageObservedException, engine.MessageNotHandledException):
                session.failed = True  # G9/G7: redo this session's facts one by one
                self.collisions += 1
                return
            except durable_rules_engine.error as error:
                raise _engine_error("提交事实", error) from error
            self._drain_state(ruleset, offset)
            return
        kept: list[_Fact] = []
        deferred: list[_Fact] = []
        for fact in session.facts:
            text = '{"sid": "' + session.sid + '", ' + fact.body + "}"
            try:
                offset = ruleset._handle_result(durable_rules_engine.assert_fact(handle, text), text)
            except engine.MessageObservedException:  # G9: collides with a fact of this session
                self.collisions += 1
                deferred.append(fact)
                continue
            except engine.MessageNotHandledException:
                deferred.append(fact)
                continue
            except durable_rules_engine.error as error:
                raise _engine_error("提交事实", error) from error
            kept.append(fact)
            self._drain_state(ruleset, offset)
        session.facts = kept
        session.deferred = deferred

    def _audit(self, ruleset: _JsonRuleset, sessions: list[_Session], start: int) -> tuple[set[tuple[str, int]],
                                                                                            list[_Fact]]:
        """G7/G8: keep the matches of the sessions whose facts were each seen exactly once."""
        by_sid: dict[str, list[tuple[str, int]]] = {}
        for sid, rule, fact_id in self.records[start:]:
            by_sid.setdefault(sid, []).append((rule, fact_id))
        del self.records[start:]
        matched: set[tuple[str, int]] = set()
        redo: list[_Fact] = []
        for session in sessions:
            try:
                state = json.loads(durable_rules_engine.get_state(ruleset._handle, session.sid))
            except Exception:
                state = {}
            if isinstance(state, dict) and state.get("exception"):
                raise _err(f"规则动作执行出错（{state['exception']}）；结果不完整，已停止评估。")
            redo.extend(session.deferred or ())
            found = by_sid.pop(session.sid, [])
            expected = {fact.fact_id for fact in session.facts}
            seen = Counter(fact_id for rule, fact_id in found if rule == _SEEN)
            intact = (
                not session.failed
                and seen == Counter(expected)
                and all(fact_id in expected for _, fact_id in found)
            )
            if intact:
                matched.update((rule, fact_id) for rule, fact_id in found if rule != _SEEN)
            else:
                log.warning(
                    "session %s: %d facts asserted, %d seen; asserting them again one by one",
                    session.sid, len(expected), sum(seen.values()),
                )
                redo.extend(session.facts)
        if by_sid:  # matches of a session nobody opened: the engine mixed sessions up
            raise _err("规则引擎返回了未知会话的结果；结果不可靠，已停止评估。")
        return matched, redo
