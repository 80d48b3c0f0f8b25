"""Uploads checked in worker processes (web.workers) give what the server's own thread gives."""

from __future__ import annotations

import pytest

from tests.web.conftest import broken

pytestmark = pytest.mark.django_db


def _user(name: str):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def _fields(sub):  # type: ignore[no-untyped-def]
    return (sub.status, sub.errors, sub.warnings, [p["message"] for p in sub.problems], sub.total, sub.grade,
            sub.has_annotated)


def test_a_worker_process_checks_as_the_server_would(county_round, users, county_books, upload_dir_clean,  # type: ignore[no-untyped-def]
                                                     monkeypatch):
    from web import workers
    from web.submissions.services import submit

    unit = _user("u01")
    uploads = [broken(county_books["u01"]), county_books["u01"]]
    monkeypatch.setenv("ASSESS_WORKERS", "0")
    here = [_fields(submit(county_round, "u01", unit, b, "u01_秦川区.xlsx")) for b in uploads]
    monkeypatch.setenv("ASSESS_WORKERS", "1")
    there = [_fields(submit(county_round, "u01", unit, b, "u01_秦川区.xlsx")) for b in uploads]
    assert workers._pool is not None           # the pool ran them
    assert here == there
    assert [x[0] for x in there] == ["error", "clean"]




def test_a_dead_worker_is_not_the_end_of_the_upload(county_round, users, county_books, upload_dir_clean,  # type: ignore[no-untyped-def]
                                                     monkeypatch):
    """A worker killed mid-check (a reader aborting on a hostile file, out of memory): the upload is refused
    with a problem saying so — checking it again in the server would take the server down with it."""
    from concurrent.futures.process import BrokenProcessPool

    from web import workers
    from web.submissions.services import submit

    class Dead:
        def submit(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise BrokenProcessPool("a child process terminated abruptly")

        def shutdown(self, **kwargs):  # type: ignore[no-untyped-def]
            pass

    monkeypatch.setenv("ASSESS_WORKERS", "1")
    monkeypatch.setattr(workers, "_pool", Dead())
    sub = submit(county_round, "u01", _user("u01"), county_books["u01"], "u01_秦川区.xlsx")
    assert sub.status == "error" and [p["code"] for p in sub.problems] == ["web-check-died"]
    assert "u01_秦川区.xlsx" in sub.problems[0]["message"]
    assert workers._pool is None                # started afresh for the next upload


def test_workers_leave_with_the_server(tmp_path):  # type: ignore[no-untyped-def]
    """A server killed outright (kill -9) never shuts its pool down: its workers must not live on."""
    import os
    import signal
    import subprocess
    import sys
    import time

    (tmp_path / "server.py").write_text(
        "import multiprocessing, os, time\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from web.workers import _start_worker\n"
        "def _pid(_):\n"
        "    time.sleep(0.2)\n"
        "    return os.getpid()\n"
        "if __name__ == '__main__':\n"
        "    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context('spawn'), initializer=_start_worker)\n"
        "    print(*sorted(set(pool.map(_pid, range(8)))), flush=True)\n"
        "    time.sleep(60)\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.getcwd()])}
    server = subprocess.Popen([sys.executable, str(tmp_path / "server.py")], stdout=subprocess.PIPE, text=True, env=env,
                              cwd=tmp_path)
    assert server.stdout is not None
    pids = [int(p) for p in server.stdout.readline().split()]
    assert pids, "the pool did not start"
    server.send_signal(signal.SIGKILL)
    server.wait()
    deadline = time.monotonic() + 20
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [p for p in pids if _alive(p)]
    assert not alive, f"workers {alive} outlived the server"


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:   # a zombie (dead, not yet reaped by init) counts as gone
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False
