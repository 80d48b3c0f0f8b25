"""Attachments (佐证材料): a scorer's file with a record, a unit's with an appeal — kinds told by content, stored
unmodified and read-only with their sha256, shown only to those who may see them."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.web.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% inspection record\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def a6_to_scorer01(client, county_round, users):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from web.accounts.models import Role
    from web.accounts.services import create_account

    create_account("scorer02", Role.SCORER, "市住建局", password=PASSWORD)
    office = type(client)()
    login(office, "office")
    office.post(reverse("scorer_progress", kwargs={"round_id": county_round.pk}),
                {"item": "A6", "scorer": get_user_model().objects.get(username="scorer01").pk})
    return office


def _record(client, rnd, name: str, content: bytes):  # type: ignore[no-untyped-def]
    return client.post(reverse("score_entry", kwargs={"round_id": rnd.pk, "item": "A6", "entity": "u01"}), {
        "action": "record", "figure": "1", "reason": "督查发现问题",
        "attachment": SimpleUploadedFile(name, content)}, follow=True)


def test_a_record_with_its_evidence_and_who_may_see_it(client, county_round, a6_to_scorer01) -> None:  # type: ignore[no-untyped-def]
    from web.evidence.models import Attachment
    from web.findings.models import Finding

    login(client, "scorer01")
    html = _record(client, county_round, "督查记录.pdf", PDF).content.decode()
    a = Attachment.objects.get()
    assert a.finding == Finding.objects.get() and a.kind == "pdf" and a.sha256 == hashlib.sha256(PDF).hexdigest()
    assert a.path().read_bytes() == PDF and a.path().stat().st_mode & 0o222 == 0
    assert f'data-testid="attachment-{a.pk}"' in html and "督查记录.pdf" in html
    url = reverse("attachment", kwargs={"round_id": county_round.pk, "entity": "u01", "pk": a.pk})
    response = client.get(url)
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/octet-stream" and "attachment" in response["Content-Disposition"]
    assert a6_to_scorer01.get(url).status_code == 200
    for who in ("scorer02", "u01", "u02"):   # another scorer; the unit (a record's file); another unit
        other = type(client)()
        login(other, who)
        assert other.get(url).status_code == 403, who
    assert type(client)().get(url).status_code == 302
    wrong_unit = reverse("attachment", kwargs={"round_id": county_round.pk, "entity": "u02", "pk": a.pk})
    assert a6_to_scorer01.get(wrong_unit).status_code == 404


def test_a_refused_file_saves_nothing(client, county_round, a6_to_scorer01) -> None:  # type: ignore[no-untyped-def]
    from web.evidence.models import Attachment
    from web.findings.models import Finding

    login(client, "scorer01")
    html = _record(client, county_round, "run.exe", b"MZ\x90\x00 program").content.decode()
    assert "佐证材料只接受" in html and 'data-testid="error-attachment"' in html
    assert not Finding.objects.exists() and not Attachment.objects.exists()


def test_an_appeal_with_its_evidence(client, published, county_round) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.utils import timezone

    from web.appeals.models import Appeal
    from web.appeals.services import deductions, latest_run
    from web.evidence.models import Attachment

    closes = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    published.post(reverse("appeal_list", kwargs={"round_id": county_round.pk}), {"closes_at": closes})
    index = next(i for i, e in deductions(latest_run(county_round), "u01") if e["rule"] == "findings:A6")
    unit = type(client)()
    login(unit, "u01")
    url = reverse("unit_appeals", kwargs={"round_id": county_round.pk, "entity": "u01"})
    html = unit.post(url, {"event": str(index), "reason": "已整改", "attachment": SimpleUploadedFile("x.exe", b"MZ")},
                     follow=True).content.decode()
    assert "申诉未提交" in html and not Appeal.objects.exists()
    unit.post(url, {"event": str(index), "reason": "已整改，见整改报告",
                    "attachment": SimpleUploadedFile("整改报告.pdf", PDF)})
    a = Attachment.objects.get()
    assert a.appeal == Appeal.objects.get() and a.entity_id == "u01"
    download = reverse("attachment", kwargs={"round_id": county_round.pk, "entity": "u01", "pk": a.pk})
    assert unit.get(download).content == PDF and published.get(download).content == PDF
    decide = published.get(reverse("appeal_decide", kwargs={"round_id": county_round.pk, "pk": a.appeal_id}))
    assert "整改报告.pdf" in decide.content.decode()
    for who in ("u02", "scorer01"):
        other = type(client)()
        login(other, who)
        assert other.get(download).status_code == 403, who
