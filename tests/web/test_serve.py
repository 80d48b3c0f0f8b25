"""The instance folder, database URLs, the demo instance and `assess serve --no-run`."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from web.dburl import BadDatabaseUrl, from_url
from web.instance import prepare, secret_key


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
