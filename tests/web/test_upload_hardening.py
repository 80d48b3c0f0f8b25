"""Uploads and downloads hardened: a score sheet gets the same sheet-size guard as a unit's workbook; a damaged
zip member is refused, not a 500; an original is served with the type of what was stored, not of its name; the
verify action is a POST; every page carries a Content-Security-Policy."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def test_oversized_score_sheet_is_refused_before_it_is_read(client, county_round, users) -> None:  # type: ignore[no-untyped-def]
    """A small workbook whose sheet claims cells out to XFD: the sheet-size guard of unit uploads refuses it
    before openpyxl would walk millions of empty cells in a web thread."""
    import io
    import time

    import openpyxl
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from web.findings.models import Assignment
    from web.findings.workbook import HEADER, SHEET

    Assignment.objects.create(round=county_round, item_id="A6",
                              scorer=get_user_model().objects.get(username="scorer01"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(HEADER)
    ws["XFD1300"] = "x"      # 1300 rows × 16384 columns: over the guard's 20 million cells
    buf = io.BytesIO()
    wb.save(buf)
    assert len(buf.getvalue()) < 20_000
    login(client, "scorer01")
    start = time.monotonic()
    html = client.post(reverse("scorer_upload", kwargs={"round_id": county_round.pk}),
                       {"file": SimpleUploadedFile("大表.xlsx", buf.getvalue())}, follow=True).content.decode()
    assert time.monotonic() - start < 5
    assert 'id="workbook-problems"' in html and "大表.xlsx" in html and "数据区域过大" in html and "XFD1300" in html


def _bad_crc_zip() -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("填报数据.csv", "entity,field,value\nu01,a,1\n")
    data = bytearray(buf.getvalue())
    at = data.index(b"u01,a,1")
    data[at] ^= 0x20                 # one byte of the member changed: its CRC no longer matches
    return bytes(data)


def test_zip_with_a_damaged_member_is_refused_not_a_500(client, county_round, users, upload_dir_clean) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from web.submissions.models import Submission

    login(client, "u01")
    client.raise_request_exception = False
    response = client.post(reverse("unit_upload", kwargs={"round_id": county_round.pk, "entity": "u01"}),
                           {"file": SimpleUploadedFile("data.zip", _bad_crc_zip())}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "文件已损坏" in html and "填报数据.csv" in html and "web-file-type" in html
    assert not Submission.objects.exists()


def test_original_is_served_as_what_was_stored_not_as_its_name(client, county_round, users, county_books,
                                                              upload_dir_clean) -> None:  # type: ignore[no-untyped-def]
    from web.submissions.services import submit

    sub = submit(county_round, "u01", None, county_books["u01"], "evil.html")
    login(client, "u01")
    response = client.get(reverse("submission_original", kwargs={"round_id": county_round.pk, "entity": "u01",
                                                                 "version": sub.version}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment") and "evil.html.xlsx" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_verify_is_a_post_with_csrf(published, county_round) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model
    from django.test import Client

    from web.audit.models import AuditEntry

    url = reverse("round_verify", kwargs={"round_id": county_round.pk, "number": 1})
    before = AuditEntry.objects.count()
    assert published.get(url).status_code == 405
    assert AuditEntry.objects.count() == before
    page = published.get(reverse("round_run", kwargs={"round_id": county_round.pk, "number": 1})).content.decode()
    form = page.split('id="run-verify"')[0].rsplit("<form", 1)[1]
    assert 'method="post"' in form and f'action="{url}"' in form and "csrfmiddlewaretoken" in form
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(get_user_model().objects.get(username="office"))
    assert strict.post(url).status_code == 403          # no token: refused
    assert 'data-identical="yes"' in published.post(url).content.decode()


def test_every_page_has_a_content_security_policy(client, users) -> None:  # type: ignore[no-untyped-def]
    from web.security import POLICY

    for response in (client.get(reverse("login")), login(client, "office").get(reverse("round_list"))):
        assert response["Content-Security-Policy"] == POLICY
    assert "default-src 'self'" in POLICY and "'unsafe-inline'" not in POLICY


def test_templates_have_no_inline_script_or_style() -> None:
    """What the policy forbids must not be in the pages: inline <script>, <style>, style= and on…= attributes."""
    import re
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "web" / "templates"
    for path in folder.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert not re.search(r"<style\b|\sstyle=\"|\son[a-z]+=\"", text), path
