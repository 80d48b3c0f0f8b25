"""The instance folder, database URLs, the demo instance and `assess serve --no-run`."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from web.dburl import BadDatabaseUrl, from_url
from web.instance import prepare, secret_key

ROOT = Path(__file__).resolve().parents[2]


def test_secret_key_is_per_instance_and_private(tmp_path: Path) -> None:
    a, b = prepare(tmp_path / "a"), prepare(tmp_path / "b")
    key = secret_key(a)
    assert key == secret_key(a) and key != secret_key(b) and len(key) >= 50
    assert stat.S_IMODE((a / "secret_key").stat().st_mode) == 0o600


def test_database_urls(tmp_path: Path) -> None:
    pg = from_url("postgresql://assess:p%40ss@db.local:5433/assess?sslmode=require")
    assert pg["ENGINE"].endswith("postgresql") and pg["PASSWORD"] == "p@ss" and pg["PORT"] == "5433"
    assert pg["OPTIONS"] == {"sslmode": "require"}
    assert from_url(f"sqlite:///{tmp_path}/x.db")["NAME"] == f"{tmp_path}/x.db"
    for bad in ("mysql://x/y", "postgresql://host/"):
        with pytest.raises(BadDatabaseUrl):
            from_url(bad)


@pytest.mark.django_db
def test_demo_instance(tmp_path: Path) -> None:
    from web.accounts.models import Profile
    from web.demo import ensure_demo
    from web.rounds.models import Round
    from web.submissions.models import Submission

    lines: list[str] = []
    accounts, sample = ensure_demo(tmp_path, lines.append)
    rounds = list(Round.objects.all())
    assert len(rounds) == 2 and sum(r.roster.count() for r in rounds) == 46
    assert Profile.objects.filter(role="unit").count() == 46
    assert Profile.objects.filter(role="office").count() == 1 and Profile.objects.filter(role="scorer").exists()
    assert not Profile.objects.filter(role="scorer", display_name="市安委办").exists()   # no namesake of the office
    from web.findings.models import Finding

    seeded = Finding.objects.filter(scorer_name="市应急管理局")
    assert seeded.exists() and not seeded.filter(entered_by=None).exists()   # each scorer owns its demo records
    assert Submission.objects.count() == 44 and not Submission.objects.filter(entity_id__in=["u01", "d01"]).exists()
    assert Submission.objects.exclude(total="").count() == 44
    assert sample is not None and sample.read_bytes().startswith(b"PK")
    assert any(a[0] == "office" for a in accounts)
    again, _ = ensure_demo(tmp_path, lines.append)    # a second start leaves the instance as it is
    assert Round.objects.count() == 2 and again == accounts


def test_healthz_and_static(client, db) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").content == b"ok"
    css = client.get("/static/web/site.css")
    assert css.status_code == 200


def test_instance_folder_is_private_even_if_it_existed(tmp_path: Path) -> None:
    folder = tmp_path / "inst"
    (folder / "uploads").mkdir(parents=True)
    folder.chmod(0o755)
    (folder / "uploads").chmod(0o755)
    prepare(folder)
    for sub in ("", "uploads", "schemes", "published", "work"):
        assert stat.S_IMODE((folder / sub).stat().st_mode) == 0o700, sub


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_serve_creates_nothing_others_can_read(tmp_path: Path) -> None:
    """`assess serve --no-run` under the usual umask 022: the instance folder 0700, the database (sessions,
    password hashes) 0600, also when the database existed before with 0644."""
    folder = tmp_path / "inst"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSESS_", "DJANGO_"))}
    command = [sys.executable, "-c", "import os, sys; os.umask(0o022); from assess import main; main()",
               "serve", "--instance", str(folder), "--no-run", "--create-office", "boss"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
    assert mode(folder) == 0o700 and mode(folder / "uploads") == 0o700 and mode(folder / "published") == 0o700
    assert mode(folder / "db.sqlite3") == 0o600 and mode(folder / "secret_key") == 0o600
    (folder / "db.sqlite3").chmod(0o644)   # an instance made by an older version
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert mode(folder / "db.sqlite3") == 0o600
