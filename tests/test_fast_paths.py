"""The shortcuts taken for large data sets (docs/performance.md) give exactly what the plain paths give."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from common.problems import Problems
from intake.convert import convert_cells, convert_column
from rules.language import expr as ex
from scoring.pipeline import run
from tests.helpers import SPEC, SPEC_DATA

ROOT = Path(__file__).parent.parent


def _one_by_one(cells: list[object], typ: str, **kw: object) -> tuple[list[object], list[bool], list[tuple[int, str]]]:
    """The reference: every cell converted on its own (a column of one cell takes no shortcut)."""
    values, na, errors = [], [], []
    for i, cell in enumerate(cells):
        v, n, errs = convert_column([cell], typ, **kw)  # type: ignore[arg-type]
        values.append(v[0])
        na.append(bool(n[0]))
        errors += [(i, e.message) for e in errs]
    return values, na, errors


def _check_column(cells: list[object], typ: str, **kw: object) -> None:
    got, na, errs = convert_column(np.array(cells, dtype=object), typ, **kw)  # type: ignore[arg-type]
    want = _one_by_one(cells, typ, **kw)
    assert [type(v) for v in got] == [type(v) for v in want[0]]
    assert [str(v) for v in got] == [str(v) for v in want[0]]
    assert na.tolist() == want[1]
    assert [(e.pos, e.message) for e in errs] == want[2]


def test_an_id_column_converts_like_one_cell_at_a_time() -> None:
    ids = [f"U{i:05d}" for i in range(3000)]
    ids[10], ids[20], ids[30], ids[40] = " padded ", "", "不涉及", "  "
    _check_column(ids, "str", optional=False)
    _check_column(ids, "str", optional=True, allow_na=True)
    _check_column(ids, "str", optional=False, allowed=[*ids[:5], "padded"])


def test_repeated_cells_convert_like_one_cell_at_a_time() -> None:
    rng = np.random.default_rng(7)
    dates = rng.choice(["2020-01-02", "2020/3/4", "", "不涉及", "2020-02-30", " 2020-05-06 "], 500).tolist()
    _check_column(dates, "date", optional=True, allow_na=True)
    numbers = rng.choice(["1", "1.0", "1.50", "-0", "x", "", "3%"], 500).tolist()
    _check_column(numbers, "number", optional=False, lo=Decimal(0), hi=Decimal("1.2"))
    _check_column(numbers, "percent", optional=True)
    # workbook cells: 1, 1.0 and True are equal in Python but not to the converter
    mixed = [1, 1.0, True, -0.0, 0.0, None, "1", float("nan"), dt.datetime(2020, 1, 2), Decimal("1.0")] * 20
    _check_column(mixed, "number", optional=True)
    _check_column(mixed, "int", optional=True)
    _check_column(mixed, "bool", optional=True)
    _check_column(mixed, "str", optional=True)


def test_distinct_only_when_proven() -> None:
    ids = np.array([f"K{i}" for i in range(2000)], dtype=object)
    assert convert_cells(ids, "str", optional=False, distinct_check=True).distinct
    ids[5] = "K7"
    assert not convert_cells(ids, "str", optional=False, distinct_check=True).distinct
    ids[5] = " K5"   # stripped to K5: distinct, found out only when asked
    assert convert_cells(ids, "str", optional=False, distinct_check=True).distinct
    assert not convert_cells(ids, "str", optional=False).distinct


def test_a_duplicate_key_is_found_in_a_long_ledger(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(SPEC_DATA, data)
    hazards = pd.read_csv(data / "hazards.csv", dtype=str, keep_default_na=False)
    extra = pd.DataFrame({c: hazards[c].iloc[0] for c in hazards.columns}, index=range(3000))
    extra["隐患编号"] = [f"X{i}" for i in range(3000)]
    extra.loc[2500, "隐患编号"] = "X17"   # the same key twice for one unit
    pd.concat([hazards, extra]).to_csv(data / "hazards.csv", index=False)
    problems = Problems()
    run(SPEC, data, problems)
    dups = [p for p in problems.errors if p.code == "duplicate-key"]
    assert len(dups) == 1 and "X17" in dups[0].message


def test_memoised_sub_expressions_keep_their_digits() -> None:
    values = np.array([Decimal(2), Decimal(3)], dtype=object)
    env = ex.Env(2, lambda name: ex.column(values))
    a = ex.evaluate(ex.parse("x * 1.00"), env)
    b = ex.evaluate(ex.parse("x * 1"), env)
    assert [str(v) for v in a.data] == ["2.00", "3.00"] and [str(v) for v in b.data] == ["2", "3"]
    # `text` of an `and` chain may be partial: two different conditions must not share a result
    flags = {"p": np.array([True, True], dtype=object), "q": np.array([True, False], dtype=object),
             "r": np.array([False, True], dtype=object)}
    env = ex.Env(2, lambda name: ex.column(flags[name]))
    assert ex.truthy(ex.evaluate(ex.parse("p and q"), env)).tolist() == [True, False]
    assert ex.truthy(ex.evaluate(ex.parse("p and r"), env)).tolist() == [False, True]


def test_stage_times_on_request() -> None:
    env = {**os.environ, "ASSESS_TIMINGS": "1"}
    done = subprocess.run([sys.executable, "-c", "import assess; assess.main()", "score", "-c", str(SPEC), "-d",
                           str(SPEC_DATA), "-f", "csv"], capture_output=True, text=True, env=env, cwd=ROOT)
    line = next(x for x in done.stderr.splitlines() if x.startswith("阶段用时（秒）："))
    stages = json.loads(line.split("：", 1)[1])
    assert {"load", "read", "check", "derive", "evaluate", "match", "aggregate", "write"} <= set(stages)
    quiet = subprocess.run([sys.executable, "-c", "import assess; assess.main()", "score", "-c", str(SPEC), "-d",
                            str(SPEC_DATA), "-f", "csv"], capture_output=True, text=True, cwd=ROOT,
                           env={k: v for k, v in os.environ.items() if k != "ASSESS_TIMINGS"})
    assert "阶段用时" not in quiet.stderr and quiet.stdout == done.stdout
