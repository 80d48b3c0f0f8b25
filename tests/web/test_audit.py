"""The audit trail: every change is recorded with who, when, before and after; the office reads and exports it
(formula-safe); nobody can change or delete it — not a page, not the admin, not the model."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def _assign_a6(rnd) -> None:  # type: ignore[no-untyped-def]
    """A6 to scorer01: a scorer enters records only for the items assigned to it."""
    from django.contrib.auth import get_user_model

    from web.findings.models import Assignment

    Assignment.objects.create(round=rnd, item_id="A6", scorer=get_user_model().objects.get(username="scorer01"))


def _entries(**filters):  # type: ignore[no-untyped-def]
    from web.audit.models import AuditEntry

    return list(AuditEntry.objects.filter(**filters).order_by("id"))


def test_changes_are_recorded_with_who_and_before_after(client, county_round, users, county_books,
                                                         upload_dir_clean) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, "u01")
    client.post(reverse("unit_upload", kwargs={"round_id": county_round.pk, "entity": "u01"}),
                {"file": SimpleUploadedFile("u01.xlsx", county_books["u01"])})
    sub = _entries(model="submissions.Submission")[-1]
    assert sub.username == "u01" and sub.role == "被考核单位" and sub.action == "create"
    assert sub.round_id == county_round.pk and sub.entity_id == "u01" and sub.after["sha256"]

    scorer = type(client)()
    login(scorer, "scorer01")
    _assign_a6(county_round)
    url = reverse("finding_list", kwargs={"round_id": county_round.pk})
    scorer.post(url, {"entity": "u02", "item": "A6", "deduct": "1", "reason": "督查发现问题"})
    from web.findings.models import Finding

    pk = Finding.objects.get().pk
    scorer.post(reverse("finding_delete", kwargs={"round_id": county_round.pk, "pk": pk}))
    made, gone = _entries(model="findings.Finding")
    assert made.username == "scorer01" and made.after["扣分"] == "1" and made.before is None
    assert gone.action == "delete" and gone.before["事由"] == "督查发现问题" and gone.after is None

    office = type(client)()
    login(office, "office")
    office.post(reverse("round_advance", kwargs={"round_id": county_round.pk}))
    moved = _entries(model="rounds.Round", action="update")[-1]
    assert moved.username == "office" and moved.before == {"状态": "collecting"} and moved.after == {"状态": "scoring"}

    office.post(reverse("accounts"), {"action": "scorers", "names": "市住建局"})
    assert any(e.after and e.after.get("单位名称") == "市住建局" for e in _entries(model="accounts.Profile"))
    assert _entries(summary="登录", username="office")

    office.post(reverse("password_change"), {"old_password": "test-password-1", "new_password1": "Another-pass-99",
                                             "new_password2": "Another-pass-99"})
    changed = _entries(model="auth.User", action="update")[-1]
    assert changed.username == "office" and set(changed.before) == {"密码"}
    assert changed.before["密码"] != changed.after["密码"] and "md5" not in str(changed.after)

    page = office.get(reverse("audit_list")).content.decode()
    assert 'id="audit-table"' in page and "督查发现问题" in page and "评分记录" in page
    only_u01 = office.get(reverse("audit_list") + "?entity=u01").content.decode()
    assert "督查发现问题" not in only_u01 and "新建报送：u01 v1" in only_u01


def test_export_is_formula_safe(client, county_round, users) -> None:  # type: ignore[no-untyped-def]
    login(client, "scorer01")
    _assign_a6(county_round)
    client.post(reverse("finding_list", kwargs={"round_id": county_round.pk}),
                {"entity": "u02", "item": "A6", "deduct": "1", "reason": "=HYPERLINK(\"http://x\")"})
    from web.audit.models import AuditEntry
    from web.audit.recorder import write

    write("event", "=cmd|' /C calc'!A0")
    assert AuditEntry.objects.filter(summary__startswith="=").exists()
    office = type(client)()
    login(office, "office")
    body = office.get(reverse("audit_export", kwargs={"kind": "csv"})).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "时间" and rows[0][-1] == "修改后"
    summaries = [r[8] for r in rows[1:]]
    assert "'=cmd|' /C calc'!A0" in summaries and not any(s.startswith("=") for s in summaries)
    response = office.get(reverse("audit_export", kwargs={"kind": "xlsx"}))
    ws = openpyxl.load_workbook(io.BytesIO(response.content))["操作记录"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)
    assert office.get(reverse("audit_export", kwargs={"kind": "pdf"})).status_code == 404


def test_never_editable(client, county_round, users) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from web.audit.models import AuditEntry, Immutable
    from web.audit.recorder import write

    entry = write("event", "测试")
    entry.summary = "改过"
    with pytest.raises(Immutable):
        entry.save()
    with pytest.raises(Immutable):
        entry.delete()
    with pytest.raises(Immutable):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="改过")
    with pytest.raises(Immutable):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).summary == "测试"

    # the pages answer GET only
    login(client, "office")
    for url in (reverse("audit_list"), reverse("audit_export", kwargs={"kind": "csv"})):
        assert client.post(url, {"summary": "改过"}).status_code == 405
    # the admin shows them read-only, even to a superuser
    get_user_model().objects.create_superuser("root", password="test-password-1")
    admin = type(client)()
    login(admin, "root")
    change = reverse("admin:audit_auditentry_change", args=[entry.pk])
    page = admin.get(change)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert admin.post(change, {"summary": "改过"}).status_code == 403
    assert admin.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert admin.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).summary == "测试"


def test_only_the_office_reads_it(client, county_round, users) -> None:  # type: ignore[no-untyped-def]
    urls = [reverse("audit_list"), reverse("audit_export", kwargs={"kind": "csv"}),
            reverse("audit_export", kwargs={"kind": "xlsx"})]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    for who in ("u01", "u02", "scorer01"):
        other = type(client)()
        login(other, who)
        for url in urls:
            assert other.get(url).status_code == 403, (who, url)
    login(client, "office")
    for url in urls:
        assert client.get(url).status_code == 200
