"""Publication freezes the run — scheme, every input's sha256, the results document and the reports — into a
read-only folder that `assess verify` reproduces byte for byte; nothing of it can change afterwards; each unit
then sees its own result and its explanation."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.urls import reverse

from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def test_the_run_is_frozen_with_every_sha256(published, county_round) -> None:  # type: ignore[no-untyped-def]
    from web.rounds.models import FrozenRun, Publication
    from web.submissions.models import Submission

    run = FrozenRun.objects.get(round=county_round)
    folder = run.path()
    assert run.number == 1 and folder.is_dir()
    assert run.scheme_sha256 == county_round.scheme.sha256
    assert (folder / "results.json").read_text(encoding="utf-8") == run.results_json
    assert hashlib.sha256(run.results_json.encode()).hexdigest() == run.results_sha256
    books = {hashlib.sha256(s.book_path().read_bytes()).hexdigest() for s in Submission.objects.filter(round=county_round)}
    assert books <= set(run.inputs.values()) and "data/findings.csv" in run.inputs and "scheme.yaml" in run.inputs
    for name, sha in run.inputs.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == sha
    for p in folder.rglob("*"):
        if p.is_file():
            assert p.stat().st_mode & 0o222 == 0, p           # read-only
    docs = {p.name: p.sha256 for p in Publication.objects.filter(round=county_round)}
    assert docs == run.documents and {"results.json", "results.xlsx", "report.html", "通报.md", "通报.docx"} <= set(docs)
    assert "督查发现推诿扯皮" in (folder / "data/findings.csv").read_text(encoding="utf-8")


def test_assess_verify_reproduces_it_byte_for_byte(published, county_round, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from assess import main
    from web.rounds.models import FrozenRun

    run = FrozenRun.objects.get(round=county_round)
    result = CliRunner().invoke(main, ["verify", str(run.path() / "results.json")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "逐字节一致" in result.output
    # a published result changed by one figure is caught
    forged = tmp_path / "forged.json"
    text = run.results_json
    marker = '"reason": "督查发现推诿扯皮'
    assert marker in text
    forged.write_text(text.replace(marker, '"reason": "督查发现推诿扯皮和', 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["verify", str(forged)], catch_exceptions=False)
    assert result.exit_code == 1 and "未能复现" in result.output
    # the office's page does the same, and the audit trail records that it did
    page = published.post(reverse("round_verify", kwargs={"round_id": county_round.pk, "number": 1})).content.decode()
    assert 'data-identical="yes"' in page
    from web.audit.models import AuditEntry

    assert AuditEntry.objects.filter(summary__contains="逐字节一致", username="office").exists()


def test_nothing_published_can_change(published, county_round) -> None:  # type: ignore[no-untyped-def]
    from web.rounds.models import FrozenRun, Publication

    run = FrozenRun.objects.get(round=county_round)
    with pytest.raises(ValueError):
        run.save()
    with pytest.raises(ValueError):
        run.delete()
    with pytest.raises(ValueError):
        FrozenRun.objects.all().delete()
    doc = Publication.objects.filter(round=county_round).first()
    with pytest.raises(ValueError):
        doc.save()
    with pytest.raises(ValueError):
        Publication.objects.filter(round=county_round).update(sha256="x")
    with pytest.raises(ValueError):
        Publication.objects.filter(round=county_round).delete()
    # the round cannot move on, nor be published twice
    published.post(reverse("round_advance", kwargs={"round_id": county_round.pk}))
    assert FrozenRun.objects.filter(round=county_round).count() == 1
    from web.audit.models import AuditEntry

    moved = AuditEntry.objects.filter(model="rounds.Round", action="update").order_by("id").last()
    assert moved.before["状态"] == "scoring" and moved.after["状态"] == "published" and moved.username == "office"
    assert AuditEntry.objects.filter(model="rounds.FrozenRun", action="create", username="office").exists()


def test_units_see_their_own_published_result(client, published, county_round) -> None:  # type: ignore[no-untyped-def]
    u01 = type(client)()
    login(u01, "u01")
    html = u01.get(reverse("unit_result", kwargs={"round_id": county_round.pk, "entity": "u01"})).content.decode()
    assert 'id="result-total"' in html and 'id="result-explain"' in html and "督查发现推诿扯皮" in html
    assert u01.get(reverse("unit_result", kwargs={"round_id": county_round.pk, "entity": "u02"})).status_code == 403


def test_every_role_on_the_run_pages(client, published, county_round) -> None:  # type: ignore[no-untyped-def]
    run = reverse("round_run", kwargs={"round_id": county_round.pk, "number": 1})
    verify = reverse("round_verify", kwargs={"round_id": county_round.pk, "number": 1})
    doc = reverse("round_run_document", kwargs={"round_id": county_round.pk, "number": 1, "name": "results.xlsx"})
    urls = [("get", run), ("post", verify), ("get", doc)]      # the page is read with GET; verifying is a POST
    assert published.get(run).status_code == 200
    assert published.get(reverse("round_run", kwargs={"round_id": county_round.pk, "number": 2})).status_code == 404
    for who in ("u01", "u02", "scorer01"):
        c = type(client)()
        login(c, who)
        for method, url in urls:
            assert getattr(c, method)(url).status_code == 403, (who, url)
    for method, url in urls:
        response = getattr(type(client)(), method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert published.post(run).status_code == 405 and published.get(verify).status_code == 405


def test_a_round_that_cannot_be_scored_leaves_no_folder(client, county_round, users, settings) -> None:  # type: ignore[no-untyped-def]
    from web.rounds.models import FrozenRun

    before = set(Path(settings.INSTANCE, "published").iterdir())
    login(client, "office")
    advance = reverse("round_advance", kwargs={"round_id": county_round.pk})
    client.post(advance)
    html = client.post(advance, follow=True).content.decode()
    assert "无法发布" in html and not FrozenRun.objects.exists()
    assert set(Path(settings.INSTANCE, "published").iterdir()) == before


def test_the_office_downloads_every_document_of_a_run_and_nothing_else(published, county_round) -> None:  # type: ignore[no-untyped-def]
    from web.rounds.models import FrozenRun

    run = FrozenRun.objects.get(round=county_round)
    page = published.get(reverse("round_run", kwargs={"round_id": county_round.pk, "number": 1})).content.decode()
    for name, sha in run.documents.items():
        url = reverse("round_run_document", kwargs={"round_id": county_round.pk, "number": 1, "name": name})
        assert f'href="{url}"' in page
        got = published.get(url)
        assert got.status_code == 200 and "attachment" in got["Content-Disposition"]
        assert hashlib.sha256(got.content).hexdigest() == sha
    for name in ("scheme.yaml", "manifest.json", "../../db.sqlite3", "data", ".x"):   # inputs, paths: not documents
        url = f"/rounds/{county_round.pk}/runs/1/documents/{name}"
        assert published.get(url).status_code == 404, name
    # a document changed on disk after freezing is refused, and the refusal is audited
    target = run.path() / "report.html"
    target.chmod(0o644)
    target.write_bytes(target.read_bytes() + b"<!-- changed -->")
    url = reverse("round_run_document", kwargs={"round_id": county_round.pk, "number": 1, "name": "report.html"})
    refused = published.get(url)
    assert refused.status_code == 409 and "sha256 不符" in refused.content.decode()
    from web.audit.models import AuditEntry

    assert AuditEntry.objects.filter(summary__contains="拒绝下载", username="office").exists()
