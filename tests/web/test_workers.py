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
    """A worker killed mid-check (out of memory, say): the upload is checked in the server instead."""
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
    assert sub.status == "clean"
    assert workers._pool is None                # started afresh for the next upload
