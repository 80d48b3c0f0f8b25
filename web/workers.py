"""Checking uploads in worker processes, so that 46 units uploading at once use every core.

A check is pure Python under the GIL: in the server's own threads, uploads queue behind each other on one
core while the dashboard waits behind them. Here each upload's check and self-check run in a pool of
processes (started by `spawn`, so no Django connection or lock is inherited), at a lower CPU priority than
the server, which keeps answering pages. The pool's size comes from `assess serve --workers` (environment
ASSESS_WORKERS); 0 — the default outside `assess serve`, e.g. in the tests' client — checks in the calling
thread. A worker that dies (killed, out of memory, a reader that aborts on a hostile file) is not fatal: that
upload is refused with a problem saying so — never checked again in the server process, where the same file
would take the whole server down — and the pool is started afresh for the next.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from common.problems import Problem
from web.pipeline import Outcome, check_submission, problem_dict

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def configured() -> int:
    """How many worker processes (ASSESS_WORKERS; unset or unreadable: none)."""
    try:
        return max(0, int(os.environ.get("ASSESS_WORKERS", "0")))
    except ValueError:
        return 0


def _start_worker() -> None:
    """In each worker: a lower CPU priority than the server's, and an exit when the server is gone — a server
    stopped by a signal or killed never shuts its pool down, and its workers would otherwise live on."""
    if hasattr(os, "nice"):
        os.nice(5)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()


def _exit_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(0)


def shown_names(original_name: str, kind: str):  # type: ignore[no-untyped-def]
    """File names as the unit knows them: its workbook's own name; a CSV as zip-name/file.csv."""
    def shown(path: str) -> str:
        name = Path(path).name
        if kind == "xlsx" and name == "unit.xlsx":
            return original_name
        return f"{original_name}/{name}" if kind == "zip" else name
    return shown


def _check(scheme_path: Path, data_dir: Path, entity: str, original_name: str, kind: str) -> Outcome:
    """One upload's check, in whichever process runs it (a closure cannot cross to a worker: names can)."""
    return check_submission(scheme_path, data_dir, entity, shown_names(original_name, kind))


def _get_pool(size: int) -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=size, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_start_worker)
        return _pool


def _drop_pool(broken: ProcessPoolExecutor) -> None:
    global _pool
    with _lock:
        if _pool is broken:
            _pool = None
    broken.shutdown(wait=False, cancel_futures=True)


def check(scheme_path: Path, data_dir: Path, entity: str, original_name: str, kind: str) -> Outcome:
    """Check one upload: in a worker process when the server has them, else here."""
    size = configured()
    if size == 0:
        return _check(scheme_path, data_dir, entity, original_name, kind)
    pool = _get_pool(size)
    try:
        return pool.submit(_check, scheme_path, data_dir, entity, original_name, kind).result()
    except BrokenProcessPool:
        _drop_pool(pool)
        return died(original_name)


def died(original_name: str) -> Outcome:
    """The outcome of an upload whose check killed its worker process."""
    problem = Problem(f"检查“{original_name[:100]}”时检查进程意外退出，未能完成检查：文件可能已损坏、过大或含有异常内容。"
                      "请用 Excel 或 WPS 打开后另存为 .xlsx 再上传；如果反复出现，请联系市安委办",
                      file=original_name, code="web-check-died")
    return Outcome(clean=False, problems=[problem_dict(problem)], errors=1, warnings=0)
