"""Action errors the library swallows and actions it abandons surface as errors (G8)."""

from __future__ import annotations

from typing import Any

import pytest

from rules.evaluation.durable import session
from tests.evaluation.durable.engine_calls import (
    BASIC_FACTS,
    BASIC_RULES,
    refused,
)


def test_action_error_swallowed_by_library_surfaces(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("recorder broken")

    monkeypatch.setattr(session, "_record_match", broken)
    message = refused(BASIC_RULES, BASIC_FACTS, "规则动作执行出错")
    assert "recorder broken" in message


def test_action_error_found_in_state_even_if_not_seen_by_wrapper(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("recorder broken")

    monkeypatch.setattr(session, "_record_match", broken)
    monkeypatch.setattr(session._Call, "_raise_action_errors", lambda self: None)
    refused(BASIC_RULES, BASIC_FACTS, "规则动作执行出错", "recorder broken")


def test_action_abandoned_after_10_seconds_is_detected(monkeypatch: pytest.MonkeyPatch) -> None:
    from durable import engine

    clock = iter(range(0, 10**9, 20))  # every reading of the library's clock is 20 s later
    monkeypatch.setattr(engine, "_unix_now", lambda: float(next(clock)))
    refused(BASIC_RULES, BASIC_FACTS, "10 秒")
