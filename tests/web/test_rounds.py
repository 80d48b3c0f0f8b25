"""Rounds: created from a scheme validated on upload (every problem with its line), a roster, and accounts made
from the roster; the scheme is stored immutably; the round moves 收集中 → 评分中 → 已发布."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.web.conftest import COUNTIES, COUNTY, login

pytestmark = pytest.mark.django_db


def _create(client, scheme: bytes, roster: bytes):  # type: ignore[no-untyped-def]
    return client.post(reverse("round_create"), {
        "name": "测试轮次", "deadline": "", "scheme": SimpleUploadedFile("细则.yaml", scheme),
        "roster": SimpleUploadedFile("entities.csv", roster)})


def test_broken_scheme_shows_every_problem_with_its_line(client, users) -> None:  # type: ignore[no-untyped-def]
    from web.rounds.models import Round, SchemeFile

    text = COUNTY.read_text(encoding="utf-8")
    text = text.replace("  total: 100\n", "  total: 100\n  totle: 3\n", 1)       # an unknown key
    text = text.replace("decimals: 2", "decimals: two", 1)                     # a wrong type
    login(client, "office")
    response = _create(client, text.encode("utf-8"), (COUNTIES / "entities.csv").read_bytes())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="scheme-problems"' in html
    line_totle = text.splitlines().index("  totle: 3") + 1
    assert f"细则.yaml:{line_totle}" in html
    assert html.count('data-testid="problem"') >= 2
    assert not Round.objects.exists() and not SchemeFile.objects.exists()


def test_broken_roster_is_located(client, users) -> None:  # type: ignore[no-untyped-def]
    login(client, "office")
    response = _create(client, COUNTY.read_bytes(), "id,name,class,kind\nu01,秦川区,四类,区\n".encode())
    html = response.content.decode()
    assert 'id="roster-problems"' in html and "entities.csv" in html and "四类" in html


def test_round_created_and_scheme_immutable(client, users) -> None:  # type: ignore[no-untyped-def]
    from web.rounds.models import Round

    login(client, "office")
    response = _create(client, COUNTY.read_bytes(), (COUNTIES / "entities.csv").read_bytes())
    rnd = Round.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("dashboard", kwargs={"round_id": rnd.pk})
    assert rnd.roster.count() == 13 and rnd.state == "collecting"
    import hashlib

    assert rnd.scheme.sha256 == hashlib.sha256(COUNTY.read_bytes()).hexdigest()
    assert rnd.scheme.path().read_bytes() == COUNTY.read_bytes()
    rnd.scheme.content += "\n# changed"
    with pytest.raises(ValueError):
        rnd.scheme.save()
    page = client.get(reverse("dashboard", kwargs={"round_id": rnd.pk})).content.decode()
    assert page.count('data-testid="status-u') == 13 and 'id="count-none">13<' in page


def test_bulk_accounts_from_roster_and_scorers(client, county_round, users) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    login(client, "office")
    html = client.post(reverse("accounts"), {"action": "roster", "round": county_round.pk}).content.decode()
    assert 'id="new-accounts"' in html and 'id="download-accounts"' in html
    user = get_user_model().objects.get(username="u05")
    assert user.profile.entity_id == "u05" and user.password.startswith(("pbkdf2", "md5"))   # hashed, not clear
    assert "u01" not in html.split('id="new-accounts"')[1].split("</table>")[0]     # existing ones skipped
    html = client.post(reverse("accounts"), {"action": "scorers", "names": "市消防救援支队\n市住建局"}).content.decode()
    assert "市消防救援支队" in html and 'data-testid="new-scorer' in html


def test_scorer_records_and_missing_list(client, county_round, users) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from web.findings.models import Assignment, Finding

    Assignment.objects.create(round=county_round, item_id="A6",   # a scorer enters only its assigned items
                              scorer=get_user_model().objects.get(username="scorer01"))
    login(client, "scorer01")
    url = reverse("finding_list", kwargs={"round_id": county_round.pk})
    client.post(url, {"entity": "u01", "item": "A6", "deduct": "0.5", "reason": "督查发现问题", "basis": "通报"})
    client.post(url, {"entity": "u01", "item": "A6", "deduct": "", "score": "", "reason": ""})
    f = Finding.objects.get()
    assert f.scorer_name == "市应急管理局" and str(f.deduct) == "0.5000"
    office = type(client)()
    login(office, "office")
    html = office.get(reverse("round_missing", kwargs={"round_id": county_round.pk})).content.decode()
    row = html.split('data-testid="missing-A6"')[1].split("</tr>")[0]
    assert "1/13" in row and "秦川区" not in row and "长乐区" in row


def test_publication(client, county_round, users, county_books, upload_dir_clean) -> None:  # type: ignore[no-untyped-def]
    """Publishing scores the whole roster and stores the documents `assess report` writes; until every unit
    has clean data it is refused with the reason."""
    from web.rounds.models import Publication
    from web.submissions.services import submit

    for entity, book in county_books.items():
        if entity != "u13":
            submit(county_round, entity, None, book, f"{entity}.xlsx")
    login(client, "office")
    advance = reverse("round_advance", kwargs={"round_id": county_round.pk})
    client.post(advance)
    county_round.refresh_from_db()
    assert county_round.state == "scoring"
    html = client.post(advance, follow=True).content.decode()
    county_round.refresh_from_db()
    assert county_round.state == "scoring" and "无法发布" in html
    from web.accounts.models import Role
    from web.accounts.services import create_account

    create_account("u13", Role.UNIT, "秦州高新区", entity_id="u13", password="test-password-1")
    unit = type(client)()
    login(unit, "u13")
    submit(county_round, "u13", None, county_books["u13"], "u13.xlsx")   # late, by the office's hand
    client.post(advance)
    county_round.refresh_from_db()
    assert county_round.state == "published"
    names = set(Publication.objects.filter(round=county_round).values_list("name", flat=True))
    assert {"results.xlsx", "report.html", "通报.md", "通报.docx"} <= names
    doc = client.get(reverse("round_published", kwargs={"round_id": county_round.pk, "kind": "docx"}))
    assert doc.status_code == 200 and doc.content.startswith(b"PK")
    # a unit sees its own result now, and still not another's
    html = unit.get(reverse("unit_result", kwargs={"round_id": county_round.pk, "entity": "u13"})).content.decode()
    assert 'id="result-total"' in html and 'id="result-explain"' in html
    assert unit.get(reverse("unit_result", kwargs={"round_id": county_round.pk, "entity": "u12"})).status_code == 403
