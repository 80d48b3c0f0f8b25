"""The console script `assess` (assess.run) exits without tearing down the interpreter, but with everything said:
the exit code, every line of output flushed, and the exit handlers run (ASSESS_TIMINGS' stage report)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTY = ["-c", "criteria/2020/county.yaml", "-d", "examples/city-2020/counties"]


def _assess(*args: str, entry: str = "run", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", f"import sys; sys.argv[0] = 'assess'; from assess import {entry}; {entry}()",
                           *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=300,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8", **env})


def test_exit_codes_and_every_line_of_output() -> None:
    quick = _assess("explain", *COUNTY, "u09")
    slow = _assess("explain", *COUNTY, "u09", entry="main")      # the ordinary exit, for comparison
    assert quick.returncode == slow.returncode == 0
    assert quick.stdout == slow.stdout and quick.stdout.count("\n") > 20
    assert _assess("score", "-c", "no-such.yaml", "-d", "examples/city-2020/counties").returncode == 1
    assert _assess("no-such-command").returncode == 2


def test_exit_handlers_still_run() -> None:
    done = _assess("score", *COUNTY, "-f", "json", ASSESS_TIMINGS="1")
    assert done.returncode == 0 and done.stdout.startswith("{")
    assert "阶段用时" in done.stderr        # common.timing reports from an atexit handler
