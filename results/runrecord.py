"""Run records: what a published result was computed from, so that it can be re-scored and verified.

A `score` JSON result carries `run`: the scheme id, the sha256 of the criteria file and of every data
file read, the tool's name and version, and the time of the run. Everything else in the result depends
on the inputs alone, so the same inputs give the same bytes apart from `run.time`. The time is fixed
with `--at TIME` or, as in reproducible builds, the `SOURCE_DATE_EPOCH` environment variable (seconds
since 1970-01-01 UTC); otherwise it is the local time now. `assess verify` re-scores with the recorded
time, so it compares everything but the time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from scoring.pipeline import Results

TOOL = "assess"


class BadTime(ValueError):
    """A run time that cannot be read (the message is Chinese)."""


def tool_version() -> str:
    try:
        return metadata.version(TOOL)
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "unknown"


def run_time(at: str | None, environ: Mapping[str, str]) -> str:
    """The run's time as ISO 8601 (seconds): `at`, else SOURCE_DATE_EPOCH, else now (local, with its offset)."""
    if at:
        try:
            t = dt.datetime.fromisoformat(at.strip().replace("Z", "+00:00"))
        except ValueError:
            raise BadTime(f"时间“{at}”无法识别，请写成 2021-01-15T09:30:00+08:00 或 2021-01-15") from None
        return t.isoformat(timespec="seconds")
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).isoformat(timespec="seconds")
        except (ValueError, OverflowError, OSError):
            raise BadTime(f"环境变量 SOURCE_DATE_EPOCH 的值“{epoch}”应为整数秒") from None
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def run_record(results: Results, criteria: Path | str, data: Path | str, time: str,
               version: str | None = None) -> dict[str, Any]:
    s = results.scheme
    files = dict(sorted(results.data.files.items())) if results.data is not None else {}
    record: dict[str, Any] = {
        "scheme": s.meta.id,
        "criteria": {"file": str(criteria), "sha256": s.sha256},
        "data": {"path": str(data), "files": files},
    }
    if results.rollups:   # the lower results' sources (criteria/README.md 2.19); their files are in data.files
        record["rollup"] = list(results.rollups)
    record["tool"] = {"name": TOOL, "version": version or tool_version()}
    record["time"] = time
    return record


def stamp(results: Results, criteria: Path | str, data: Path | str, time: str) -> Results:
    """Attach the run record; `to_json` writes it as `run`."""
    results.run = run_record(results, criteria, data, time)
    return results
