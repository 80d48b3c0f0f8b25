"""Appeals (申诉/复核): a county disputes one deduction of its published result within the office's window; the
office rejects (with a reason) or accepts (with a correction), which freezes a new run compared with the
published one; the unit sees the decision and its corrected result; the audit trail shows every step."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from django.urls import reverse
from django.utils import timezone

from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def _open_window(office, rnd, days: int = 7) -> None:  # type: ignore[no-untyped-def]
    closes = timezone.localtime() + dt.timedelta(days=days)
    office.post(reverse("appeal_list", kwargs={"round_id": rnd.pk}), {"closes_at": closes.strftime("%Y-%m-%dT%H:%M")})


def _a6_event(rnd) -> int:  # type: ignore[no-untyped-def]
    from web.appeals.services import deductions, latest_run

    return next(i for i, e in deductions(latest_run(rnd), "u01") if e["rule"] == "findings:A6")


def _file(unit, rnd, index: int, reason: str):  # type: ignore[no-untyped-def]
    return unit.post(reverse("unit_appeals", kwargs={"round_id": rnd.pk, "entity": "u01"}),
                     {"event": str(index), "reason": reason}, follow=True)


def test_appeal_rejected_then_accepted_with_a_new_run(client, published, county_round) -> None:  # type: ignore[no-untyped-def]
    from assess import main
    from web.appeals.models import Appeal
    from web.audit.models import AuditEntry
    from web.rounds.models import FrozenRun

    unit = type(client)()
    login(unit, "u01")
    page = unit.get(reverse("unit_appeals", kwargs={"round_id": county_round.pk, "entity": "u01"})).content.decode()
    assert 'id="appeal-no-window"' in page and 'id="appeal-form-' not in page
    index = _a6_event(county_round)
    assert "不在申诉期限内" in _file(unit, county_round, index, "已整改").content.decode()
    assert not Appeal.objects.exists()

    _open_window(published, county_round)
    page = unit.get(reverse("unit_appeals", kwargs={"round_id": county_round.pk, "entity": "u01"})).content.decode()
    assert f'id="appeal-form-{index}"' in page and "督查发现推诿扯皮" in page
    _file(unit, county_round, index, "该问题系市级部门职责，不属本区")
    first = Appeal.objects.get()
    assert first.state == "pending" and first.event["points"] == "-1" and first.event["item"] == "A6"
    assert "已有待复核的申诉" in _file(unit, county_round, index, "再次申诉").content.decode()

    decide = reverse("appeal_decide", kwargs={"round_id": county_round.pk, "pk": first.pk})
    assert "不采纳时请填写理由" in published.post(decide, {"action": "reject", "decision": ""}, follow=True
                                                   ).content.decode()
    published.post(decide, {"action": "reject", "decision": "经核查，督查通报所列问题属实"})
    first.refresh_from_db()
    assert first.state == "rejected" and first.decided_by.username == "office"
    page = unit.get(reverse("unit_appeals", kwargs={"round_id": county_round.pk, "entity": "u01"})).content.decode()
    assert "未采纳" in page and "经核查，督查通报所列问题属实" in page

    # appealed again with new evidence; accepted: the record is removed and a second run frozen
    _file(unit, county_round, index, "附整改报告：通报所列问题已于12月整改完毕，且非本区责任")
    second = Appeal.objects.get(state="pending")
    from web.findings.models import Finding

    finding = Finding.objects.get(entity_id="u01", item_id="A6")
    before = json.loads(FrozenRun.objects.get(number=1).units_json)["u01"]["total"]
    decide = reverse("appeal_decide", kwargs={"round_id": county_round.pk, "pk": second.pk})
    html = published.post(decide, {"action": "accept", "decision": "采纳，撤销该项扣分", "correction": "finding",
                                   "finding": finding.pk, "figure": ""}, follow=True).content.decode()
    second.refresh_from_db()
    assert second.state == "accepted" and second.new_run is not None and second.new_run.number == 2
    assert 'id="appeal-comparison"' in html and "u01" in second.comparison and "+1" in second.comparison
    assert not Finding.objects.filter(pk=finding.pk).exists()
    after = json.loads(second.new_run.units_json)["u01"]["total"]
    assert float(after) == float(before) + 1

    result = unit.get(reverse("unit_result", kwargs={"round_id": county_round.pk, "entity": "u01"})).content.decode()
    assert f'id="result-total">{after}<' in result and 'id="result-corrected"' in result
    page = unit.get(reverse("unit_appeals", kwargs={"round_id": county_round.pk, "entity": "u01"})).content.decode()
    assert "已采纳" in page and "采纳，撤销该项扣分" in page

    # the first run is untouched, the new one verifies byte for byte
    run1 = FrozenRun.objects.get(number=1)
    assert (run1.path() / "results.json").read_text(encoding="utf-8") == run1.results_json
    out = CliRunner().invoke(main, ["verify", str(second.new_run.path() / "results.json")], catch_exceptions=False)
    assert out.exit_code == 0, out.output

    # every step in the audit trail, by whom
    trail = list(AuditEntry.objects.filter(round_id=county_round.pk).values_list("model", "action", "username"))
    for step in [("appeals.Window", "create", "office"), ("appeals.Appeal", "create", "u01"),
                 ("appeals.Appeal", "update", "office"), ("findings.Finding", "delete", "office"),
                 ("rounds.FrozenRun", "create", "office")]:
        assert step in trail, step


def test_a_closed_window_takes_no_appeal(client, published, county_round) -> None:  # type: ignore[no-untyped-def]
    from web.appeals.models import Appeal

    _open_window(published, county_round, days=-1)
    unit = type(client)()
    login(unit, "u01")
    assert "不在申诉期限内" in _file(unit, county_round, _a6_event(county_round), "迟到").content.decode()
    assert not Appeal.objects.exists()


def test_every_role_on_every_appeal_page(client, published, county_round) -> None:  # type: ignore[no-untyped-def]
    from web.appeals.models import Appeal
    from web.appeals.services import latest_run

    _open_window(published, county_round)
    appeal = Appeal.objects.create(round=county_round, entity_id="u01", run=latest_run(county_round),
                                   event_index=0, event={"item": "A6", "points": "-1"}, reason="x")
    r = county_round.pk
    pages = {
        "unit": ("get", reverse("unit_appeals", kwargs={"round_id": r, "entity": "u01"})),
        "file": ("post", reverse("unit_appeals", kwargs={"round_id": r, "entity": "u01"})),
        "list": ("get", reverse("appeal_list", kwargs={"round_id": r})),
        "window": ("post", reverse("appeal_list", kwargs={"round_id": r})),
        "decide": ("get", reverse("appeal_decide", kwargs={"round_id": r, "pk": appeal.pk})),
        "decision": ("post", reverse("appeal_decide", kwargs={"round_id": r, "pk": appeal.pk})),
    }
    allowed = {"office": {"unit", "file", "list", "window", "decide", "decision"}, "u01": {"unit", "file"},
               "u02": set(), "scorer01": set()}
    for who, ok in allowed.items():
        c = type(client)()
        login(c, who)
        for name, (method, url) in pages.items():
            code = getattr(c, method)(url).status_code
            assert (code in (200, 302)) if name in ok else code == 403, (who, name, code)
    for _name, (method, url) in pages.items():
        response = getattr(type(client)(), method)(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # the office may read a unit's appeals but not file one in its name
    published.post(pages["file"][1], {"event": "0", "reason": "代为申诉"})
    assert Appeal.objects.count() == 1


def test_a_correction_that_fails_changes_nothing(client, published, county_round, county_books) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.web.conftest import broken
    from web.appeals.models import Appeal
    from web.rounds.models import FrozenRun
    from web.submissions.models import Submission

    _open_window(published, county_round)
    unit = type(client)()
    login(unit, "u01")
    _file(unit, county_round, _a6_event(county_round), "数据有误")
    appeal = Appeal.objects.get()
    versions = Submission.objects.filter(entity_id="u01").count()
    html = published.post(reverse("appeal_decide", kwargs={"round_id": county_round.pk, "pk": appeal.pk}), {
        "action": "accept", "decision": "采纳", "correction": "workbook",
        "workbook": SimpleUploadedFile("u01-更正.xlsx", broken(county_books["u01"]))}, follow=True).content.decode()
    assert "有 1 个错误，未采用" in html
    appeal.refresh_from_db()
    assert appeal.state == "pending" and FrozenRun.objects.count() == 1
    assert Submission.objects.filter(entity_id="u01").count() == versions
