"""Host lifetime: no threads left, memory bounded, warnings cannot break actions (G1, G2, G3, G12)."""

from __future__ import annotations

import os
import threading
import warnings

import pytest

from rules.evaluation.durable import Fact, match
from tests.evaluation.durable.engine_calls import (
    BASIC_FACTS,
    BASIC_RULES,
    expected_matches,
    isolated,
)


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _many_calls(count: int) -> tuple[int, int, int, int, bool]:
    rules = BASIC_RULES
    facts = [Fact(f"U{u}", u * 10 + k, {"kind": "unit", "score": k * 10, "ratio": k / 10}) for u in range(5)
             for k in range(8)]
    expected = expected_matches(rules, facts)
    for _ in range(20):  # warm-up: allocator pools, imports, caches
        match(rules, facts)
    threads, rss = threading.active_count(), _rss_bytes()
    same = all(match(rules, facts) == expected for _ in range(count))
    return threads, threading.active_count(), rss, _rss_bytes(), same


def test_no_threads_and_bounded_memory_after_200_calls() -> None:
    threads_before, threads_after, rss_before, rss_after, same = isolated(_many_calls, 200, timeout=50)
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

    assert isolated(strict) == expected_matches(BASIC_RULES, BASIC_FACTS)
