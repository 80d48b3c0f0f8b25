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
