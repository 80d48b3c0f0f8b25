"""Lightweight stage timings for performance work: `ASSESS_TIMINGS=1 assess score ...` prints, on exit, the
seconds spent in each pipeline stage to stderr as one line, ``阶段用时（秒）：{"load": 0.05, ...}``.

Stages nest (evaluation contains derivation and the durable-rules cross-check); each stage is charged
its own time only, so the figures add up. ``write`` is what happens after the last stage until the
process exits (the run record, formatting and writing the result, printing problems). `bench/run.py`
reads the line. Without the variable, ``stage`` costs one boolean test.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

PREFIX = "阶段用时（秒）："
ENABLED = os.environ.get("ASSESS_TIMINGS", "") not in ("", "0")

_spent: dict[str, float] = {}
_stack: list[list[float]] = []  # [start, time spent in nested stages]
_last = [0.0]  # when the last stage ended
_registered = [False]


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Charge the time spent in the block (minus nested stages) to `name`."""
    if not ENABLED:
        yield
        return
    if not _registered[0]:
        _registered[0] = True
        atexit.register(_report)
    frame = [time.perf_counter(), 0.0]
    _stack.append(frame)
    try:
        yield
    finally:
        _stack.pop()
        now = time.perf_counter()
        elapsed = now - frame[0]
        _spent[name] = _spent.get(name, 0.0) + elapsed - frame[1]
        if _stack:
            _stack[-1][1] += elapsed
        _last[0] = now


def _report() -> None:
    figures = {k: round(v, 4) for k, v in _spent.items()}
    figures["write"] = round(time.perf_counter() - _last[0], 4)
    sys.stderr.write(PREFIX + json.dumps(figures) + "\n")
    sys.stderr.flush()
