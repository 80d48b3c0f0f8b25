"""Explicit stages (issue 10.3): derive makes the frame, evaluate consumes it, the cross-check decides its
conditions again; no stage calls an earlier one, and the pipeline calls them in order."""

from __future__ import annotations

from typing import Any

import pytest

import rules.evaluation.derive as derive_module
import scoring.pipeline as pipeline
from common.problems import Problems
from rules.evaluation.derive import derive
from rules.evaluation.evaluate import evaluate, run_checks
from rules.evaluation.match import check_evaluation
from tests.helpers import SPEC, SPEC_DATA


def _loaded() -> tuple[Any, Any]:
    loaded = pipeline.load(SPEC, SPEC_DATA, Problems())
    assert loaded is not None
    return loaded


def test_evaluate_consumes_the_frame_and_never_derives(monkeypatch: pytest.MonkeyPatch) -> None:
    scheme, data = _loaded()
    frame = derive(scheme, data, Problems())

    def no(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a later stage derived again")

    # replace the code itself, so that every reference to these functions, however imported, fails
    monkeypatch.setattr(derive_module.derive, "__code__", no.__code__)
    monkeypatch.setattr(derive_module.base_frame, "__code__", no.__code__)
    problems = Problems()
    ev = evaluate(scheme, data, frame, problems)
    assert ev.frame is frame and ev.conds and set(ev.masks) == {c.key for c in ev.conds}
    assert check_evaluation(ev, problems)
    run_checks(scheme, data, frame, Problems())


def test_the_frame_shares_one_row_environment_per_ledger() -> None:
    scheme, data = _loaded()
    frame = derive(scheme, data, Problems())
    ev = evaluate(scheme, data, frame, Problems())
    tables = {c.table for c in ev.conds if c.table is not None}
    assert tables and all(frame.rows(t) is frame.row_envs[t] for t in tables)


def test_the_pipeline_calls_the_stages_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    for name in ("derive", "evaluate", "check_evaluation"):
        real = getattr(pipeline, name)

        def spy(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(pipeline, name, spy)
    results = pipeline.run(SPEC, SPEC_DATA)
    assert results is not None and results.units
    assert calls == ["derive", "evaluate", "check_evaluation"]
