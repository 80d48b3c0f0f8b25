"""A unit uploads a workbook with an error, sees it located, fixes it and sees its self-check; the office's
dashboard follows. Uploads are checked by content before anything reads them."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.web.conftest import broken, login

pytestmark = pytest.mark.django_db


def _upload(client, rnd, entity: str, content: bytes, name: str = "u01_秦川区.xlsx"):  # type: ignore[no-untyped-def]
    url = reverse("unit_upload", kwargs={"round_id": rnd.pk, "entity": entity})
    return client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)


def _status(client, rnd, entity: str) -> str:  # type: ignore[no-untyped-def]
    page = client.get(reverse("dashboard", kwargs={"round_id": rnd.pk})).content.decode()
    marker = f'data-testid="status-text-{entity}">'
    return page[page.index(marker) + len(marker):].split("<", 1)[0]


def test_error_then_fixed_then_selfcheck_and_dashboard(client, county_round, users, county_books, upload_dir_clean):  # type: ignore[no-untyped-def]
    office = type(client)()
    login(office, "office")
    assert _status(office, county_round, "u01") == "未提交"

    login(client, "u01")
    page = client.get(reverse("unit_round", kwargs={"round_id": county_round.pk, "entity": "u01"}))
    assert 'id="upload-form"' in page.content.decode()
    template = client.get(reverse("unit_template", kwargs={"round_id": county_round.pk, "entity": "u01"}))
    assert template.status_code == 200 and template.content.startswith(b"PK")

    response = _upload(client, county_round, "u01", broken(county_books["u01"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="error"' in html
    assert "u01_秦川区.xlsx·填报数据·第2行" in html          # located: workbook·sheet·row·column
    assert "七" in html
    assert 'id="download-annotated"' in html
    assert 'id="selfcheck"' not in html
    annotated = client.get(reverse("submission_annotated", kwargs={"round_id": county_round.pk, "entity": "u01",
                                                                     "version": 1}))
    names = zipfile.ZipFile(io.BytesIO(annotated.content)).namelist()
    assert "u01_秦川区.xlsx" in names
    assert _status(office, county_round, "u01") == "有错误"

    response = _upload(client, county_round, "u01", county_books["u01"])
    html = response.content.decode()
    assert 'data-status="clean"' in html
    assert 'id="selfcheck"' in html and 'id="sc-total"' in html and 'id="sc-gaps"' in html
    from web.submissions.models import Submission

    v2 = Submission.objects.get(round=county_round, entity_id="u01", version=2)
    assert v2.status == "clean" and v2.total and v2.selfcheck["entity"] == "u01"
    assert f'>{v2.total}<' in html
    assert _status(office, county_round, "u01") == "已提交"

    # every version kept unmodified, with its sha256
    import hashlib

    v1 = Submission.objects.get(round=county_round, entity_id="u01", version=1)
    original = client.get(reverse("submission_original", kwargs={"round_id": county_round.pk, "entity": "u01",
                                                                 "version": 1}))
    assert hashlib.sha256(original.content).hexdigest() == v1.sha256
    assert v1.original_path().read_bytes() == original.content

    # the office's ranking and explain over the latest clean submissions
    ranking = office.get(reverse("round_ranking", kwargs={"round_id": county_round.pk})).content.decode()
    assert 'data-testid="rank-u01"' in ranking
    explain = office.get(reverse("round_explain", kwargs={"round_id": county_round.pk, "entity": "u01"}))
    assert 'id="explain-text"' in explain.content.decode()


def test_a_workbook_of_another_unit_is_an_error(client, county_round, users, county_books, upload_dir_clean):  # type: ignore[no-untyped-def]
    login(client, "u01")
    html = _upload(client, county_round, "u01", county_books["u02"], "u02.xlsx").content.decode()
    assert 'data-status="error"' in html and "web-wrong-unit" in html


def _zip(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(("content", "code"), [
    (b"not a workbook at all", "web-file-type"),
    (b"", "web-file-type"),
    (_zip({"[Content_Types].xml": b"<Types>wordprocessingml</Types>", "word/document.xml": b"x"}), "web-file-type"),
    (_zip({"evil.exe": b"MZ"}), "web-file-type"),
    (_zip({"../../etc/passwd.csv": b"x"}), "web-file-type"),
    (_zip({"[Content_Types].xml": b"spreadsheetml", "xl/sheet1.xml": b"\0" * (50 * 1024 * 1024)}), "web-zip-bomb"),
])
def test_uploads_refused_by_content(client, county_round, users, content, code, upload_dir_clean):  # type: ignore[no-untyped-def]
    from web.submissions.models import Submission

    login(client, "u01")
    html = _upload(client, county_round, "u01", content).content.decode()
    assert f"（{code}）" in html
    assert not Submission.objects.exists()


def test_upload_size_limit(client, county_round, users, settings):  # type: ignore[no-untyped-def]
    settings.UPLOAD_MAX_BYTES = 1024
    login(client, "u01")
    html = _upload(client, county_round, "u01", b"PK\x03\x04" + b"x" * 4096).content.decode()
    assert "文件过大" in html


def test_csv_zip_upload_is_checked(client, county_round, users, upload_dir_clean):  # type: ignore[no-untyped-def]
    from tests.web.conftest import COUNTIES

    def only_u01(name: str) -> bytes:
        lines = (COUNTIES / name).read_text(encoding="utf-8").splitlines()
        keep = [lines[0]] + [x for x in lines[1:] if x.startswith("u01,")]
        return ("\n".join(keep) + "\n").encode("utf-8")

    files = {p.name: only_u01(p.name) for p in COUNTIES.glob("*.csv") if p.stem != "findings"}
    login(client, "u01")
    html = _upload(client, county_round, "u01", _zip(files), "秦川区.zip").content.decode()
    assert 'data-status="clean"' in html, html[html.find("problems"):][:3000]
    from web.submissions.models import Submission

    sub = Submission.objects.get(round=county_round, entity_id="u01")
    assert sub.kind == "zip" and sub.book_path().exists()


def test_upload_refused_after_collection(client, county_round, users, county_books):  # type: ignore[no-untyped-def]
    county_round.state = "scoring"
    county_round.save()
    login(client, "u01")
    html = _upload(client, county_round, "u01", county_books["u01"]).content.decode()
    assert "不再接收填报数据" in html
