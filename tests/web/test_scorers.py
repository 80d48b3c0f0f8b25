"""Scorers (评分单位): the office assigns the assessed items; each scorer sees its own items for every unit and
enters a record (figure in the scheme's range, reason, clause, evidence) or reports “nothing to record”; the
office sees who has not reported for which units and what the scheme does then; the records feed scoring."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from tests.web.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(client, county_round, users):  # type: ignore[no-untyped-def]
    """A6 (deduct 0.5—3) to 市应急管理局 (scorer01), B6 (score 0—2) to 专委会办公室 (scorer02)."""
    from django.contrib.auth import get_user_model

    from web.accounts.models import Role
    from web.accounts.services import create_account

    create_account("scorer02", Role.SCORER, "市安委会专委会办公室", password=PASSWORD)
    User = get_user_model()
    office = type(client)()
    login(office, "office")
    url = reverse("scorer_progress", kwargs={"round_id": county_round.pk})
    office.post(url, {"item": "A6", "scorer": User.objects.get(username="scorer01").pk})
    office.post(url, {"item": "B6", "scorer": User.objects.get(username="scorer02").pk})
    return office


def _entry(rnd, item: str, entity: str) -> str:  # type: ignore[no-untyped-def]
    return reverse("score_entry", kwargs={"round_id": rnd.pk, "item": item, "entity": entity})


def test_scorer_enters_records_and_office_sees_who_has_not_reported(client, county_round, assigned) -> None:  # type: ignore[no-untyped-def]
    from web.findings.models import Assignment, Finding, NoFinding

    assert set(Assignment.objects.values_list("item_id", "scorer__username")) == {("A6", "scorer01"),
                                                                                 ("B6", "scorer02")}
    login(client, "scorer01")
    page = client.get(reverse("scorer_round", kwargs={"round_id": county_round.pk})).content.decode()
    assert 'id="item-A6"' in page and 'id="item-B6"' not in page
    assert "不扣分" in page and 'data-testid="state-A6-u01"' in page and "未报送" in page

    html = client.get(_entry(county_round, "A6", "u01")).content.decode()
    assert 'id="not-reported"' in html and 'id="record-form"' in html and 'name="csrfmiddlewaretoken"' in html
    html = client.post(_entry(county_round, "A6", "u01"), {"action": "record", "figure": "4", "reason": "推诿扯皮"}
                       ).content.decode()
    assert "应在 0.5—3 分之间" in html and not Finding.objects.exists()
    client.post(_entry(county_round, "A6", "u01"), {
        "action": "record", "figure": "1", "reason": "督查发现推诿扯皮", "clause": "细则一(三)2",
        "basis": "市安委办督查通报〔2020〕5号"})
    f = Finding.objects.get()
    assert (f.entity_id, f.item_id, f.deduct, f.score, f.scorer_name) == ("u01", "A6", 1, None, "市应急管理局")
    assert f.basis_text() == "细则一(三)2；市安委办督查通报〔2020〕5号"
    client.post(_entry(county_round, "A6", "u02"), {"action": "nil"})
    assert NoFinding.objects.filter(entity_id="u02", item_id="A6").exists()
    # nothing to record cannot stand beside a record
    client.post(_entry(county_round, "A6", "u01"), {"action": "nil"})
    assert not NoFinding.objects.filter(entity_id="u01").exists()

    progress = assigned.get(reverse("scorer_progress", kwargs={"round_id": county_round.pk})).content.decode()
    a6 = progress.split('data-testid="progress-A6"')[1].split("</tr>")[0]
    assert "2/13" in a6 and "秦川区" not in a6 and "长乐区" not in a6 and "龙首区" in a6 and "不扣分" in a6
    assert "市应急管理局（scorer01）\" selected" not in a6 and "selected>市应急管理局" in a6
    dashboard = assigned.get(reverse("dashboard", kwargs={"round_id": county_round.pk})).content.decode()
    assert 'id="count-unreported">37<' in dashboard     # 3 assessed items × 13 units, 2 reported
    b6 = progress.split('data-testid="progress-B6"')[1].split("</tr>")[0]
    assert "0/13" in b6 and "按起算分计（本项得 2 分）" in b6 and "selected>市安委会专委会办公室" in b6


def test_a_score_is_one_record_and_has_no_nil(client, county_round, assigned) -> None:  # type: ignore[no-untyped-def]
    from web.findings.models import Finding, NoFinding

    login(client, "scorer02")
    client.post(_entry(county_round, "B6", "u03"), {"action": "record", "figure": "1.6", "reason": "专委会评定"})
    html = client.post(_entry(county_round, "B6", "u03"), {"action": "record", "figure": "1.9", "reason": "再评"},
                       follow=True).content.decode()
    assert "已有评定得分" in html
    client.post(_entry(county_round, "B6", "u04"), {"action": "nil"})
    assert list(Finding.objects.values_list("score", flat=True)) == [Decimal("1.6")]
    assert not NoFinding.objects.exists()


def test_records_feed_the_same_scoring(client, county_round, assigned, county_books, upload_dir_clean) -> None:  # type: ignore[no-untyped-def]
    from web.pipeline import explain, score_round
    from web.rounds.services import round_input
    from web.submissions.services import submit

    submit(county_round, "u01", None, county_books["u01"], "u01.xlsx")
    results, _ = score_round(round_input(county_round, provisional=True))
    assert results is not None
    before = results.unit("u01").total
    login(client, "scorer01")
    client.post(_entry(county_round, "A6", "u01"), {
        "action": "record", "figure": "1.5", "reason": "督查发现推诿扯皮", "clause": "细则一(三)2", "basis": "通报5号"})
    results, _ = score_round(round_input(county_round, provisional=True))
    assert results is not None and results.unit("u01").total == before - Decimal("1.5")
    text = explain(results, "u01")
    assert "督查发现推诿扯皮（市应急管理局，依据细则一(三)2；通报5号）" in text


def test_published_round_takes_no_records(client, county_round, assigned) -> None:  # type: ignore[no-untyped-def]
    from web.findings.models import Finding

    county_round.state = "published"
    county_round.save()
    login(client, "scorer01")
    client.post(_entry(county_round, "A6", "u01"), {"action": "record", "figure": "1", "reason": "迟到的记录"})
    assert not Finding.objects.exists()
    assert 'id="record-form"' not in client.get(_entry(county_round, "A6", "u01")).content.decode()


def test_every_role_on_every_scorer_page(client, county_round, assigned) -> None:  # type: ignore[no-untyped-def]
    from web.findings.models import Finding

    r = county_round.pk

    def pages() -> dict[str, tuple[str, str]]:   # a fresh record to delete for each visitor
        row = Finding.objects.create(round=county_round, entity_id="u01", item_id="A6", deduct=1, reason="x",
                                     scorer_name="市应急管理局")
        return {
            "round": ("get", reverse("scorer_round", kwargs={"round_id": r})),
            "progress": ("get", reverse("scorer_progress", kwargs={"round_id": r})),
            "assign": ("post", reverse("scorer_progress", kwargs={"round_id": r})),
            "entry_a6": ("get", _entry(county_round, "A6", "u01")),
            "entry_b6": ("get", _entry(county_round, "B6", "u01")),
            "record_a6": ("post", _entry(county_round, "A6", "u01")),
            "delete_a6": ("post", reverse("record_delete", kwargs={"round_id": r, "item": "A6", "entity": "u01",
                                                                   "pk": row.pk})),
        }

    allowed = {   # who gets through (anything else: 403; anonymous: the login page)
        "office": {"progress", "assign", "entry_a6", "entry_b6", "record_a6", "delete_a6"},
        "scorer01": {"round", "entry_a6", "record_a6", "delete_a6"},
        "scorer02": {"round", "entry_b6"},
        "u01": set(), "u02": set(),
    }
    for who, ok in allowed.items():
        c = type(client)()
        login(c, who)
        for name, (method, url) in pages().items():
            code = getattr(c, method)(url).status_code
            assert (code in (200, 302)) if name in ok else code == 403, (who, name, code)
    for _name, (method, url) in pages().items():
        response = getattr(type(client)(), method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # the office sees every unit's entry page; a unit not in the roster or an item not assessed: 404
    assert assigned.get(_entry(county_round, "A6", "zz9")).status_code == 404
    assert assigned.get(_entry(county_round, "A1", "u01")).status_code == 404


def _workbook(client, rnd) -> openpyxl.Workbook:  # type: ignore[no-untyped-def]
    response = client.get(reverse("scorer_workbook", kwargs={"round_id": rnd.pk}))
    assert response.status_code == 200 and response.content.startswith(b"PK")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _row(ws, entity: str, item: str) -> int:  # type: ignore[no-untyped-def]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == entity and ws.cell(r, 3).value == item)


def _upload(client, rnd, wb):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    buf = io.BytesIO()
    wb.save(buf)
    return client.post(reverse("scorer_upload", kwargs={"round_id": rnd.pk}),
                       {"file": SimpleUploadedFile("评分表.xlsx", buf.getvalue())}, follow=True)


def test_findings_workbook_round_trip(client, county_round, assigned) -> None:  # type: ignore[no-untyped-def]
    from common.formulas import set_cell
    from web.findings.models import Finding, NoFinding

    login(client, "scorer01")
    wb = _workbook(client, county_round)
    ws = wb["评分表"]
    assert {ws.cell(r, 3).value for r in range(2, ws.max_row + 1)} == {"A6"} and ws.max_row == 14   # 13 units
    r1, r2, r3 = _row(ws, "u01", "A6"), _row(ws, "u02", "A6"), _row(ws, "u03", "A6")
    ws.cell(r1, 6, 1.5)
    set_cell(ws.cell(r1, 7), "=HYPERLINK(\"http://x\")")   # text that looks like a formula stays text
    ws.cell(r1, 8, "细则一(三)2")
    ws.cell(r2, 6, "无")
    ws.cell(r3, 6, 5)                                # out of range
    ws.cell(r3, 7, "")
    bad = _row(ws, "u04", "A6")
    ws.cell(bad, 6, "两分")
    html = _upload(client, county_round, wb).content.decode()
    assert 'id="workbook-problems"' in html and "未保存任何记录" in html
    assert f"评分表·第{r3}行·“分值”列" in html and "应在 0.5—3 分之间" in html
    assert f"评分表·第{bad}行·“分值”列" in html and "不是数字" in html
    assert not Finding.objects.exists() and not NoFinding.objects.exists()

    ws.cell(r3, 6).value = None
    ws.cell(bad, 6).value = None
    html = _upload(client, county_round, wb).content.decode()
    assert "已按评分表保存：评分记录 1 条，无记录 1 个" in html
    f = Finding.objects.get()
    assert (f.entity_id, f.deduct, f.reason, f.clause) == ("u01", Decimal("1.5"), "=HYPERLINK(\"http://x\")", "细则一(三)2")
    assert NoFinding.objects.filter(entity_id="u02", item_id="A6").exists()
    # the same workbook again changes nothing; the downloaded one carries what was entered
    _upload(client, county_round, wb)
    assert Finding.objects.count() == 1 and NoFinding.objects.count() == 1
    again = _workbook(client, county_round)["评分表"]
    assert again.cell(_row(again, "u01", "A6"), 6).value == 1.5 and again.cell(_row(again, "u02", "A6"), 6).value == "无"
    cell = again.cell(_row(again, "u01", "A6"), 7)
    assert cell.value.startswith("=") and cell.data_type == "s"


def test_findings_workbook_refuses_other_items_and_files(client, county_round, assigned) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from web.findings.models import Finding

    login(client, "scorer01")
    wb = _workbook(client, county_round)
    ws = wb["评分表"]
    r = _row(ws, "u01", "A6")
    ws.cell(r, 3, "B6")                               # another scorer's item
    ws.cell(r, 6, 1)
    ws.cell(r, 7, "越权")
    html = _upload(client, county_round, wb).content.decode()
    assert "不是分给本单位评分的项目" in html and not Finding.objects.exists()
    html = client.post(reverse("scorer_upload", kwargs={"round_id": county_round.pk}),
                       {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")}, follow=True).content.decode()
    assert "web-file-type" in html
    for who in ("office", "u01"):
        other = type(client)()
        login(other, who)
        assert other.get(reverse("scorer_workbook", kwargs={"round_id": county_round.pk})).status_code == 403
        assert other.post(reverse("scorer_upload", kwargs={"round_id": county_round.pk})).status_code == 403
    anonymous = type(client)().get(reverse("scorer_workbook", kwargs={"round_id": county_round.pk}))
    assert anonymous.status_code == 302
