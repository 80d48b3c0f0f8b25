"""A scorer's records belong to the account that entered them and to the items the office assigned it: no
other account (not even one with the same display name) sees, deletes or downloads them, and a scorer posts
nothing for an item that is not assigned to it — whether or not the round has assignments yet."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db


def _post_a6(client, rnd):  # type: ignore[no-untyped-def]
    return client.post(reverse("finding_list", kwargs={"round_id": rnd.pk}),
                       {"entity": "u02", "item": "A6", "deduct": "3", "reason": "越权录入"})


def test_unassigned_scorer_posts_nothing_before_any_assignment(client, county_round, users) -> None:  # type: ignore[no-untyped-def]
    from web.findings.models import Assignment, Finding

    assert not Assignment.objects.exists()
    login(client, "scorer01")
    _post_a6(client, county_round)
    assert not Finding.objects.exists()
    page = client.get(reverse("finding_list", kwargs={"round_id": county_round.pk})).content.decode()
    assert '<option value="A6"' not in page


def test_scorer_posts_only_its_assigned_items(client, county_round, users) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from web.findings.models import Assignment, Finding

    User = get_user_model()
    Assignment.objects.create(round=county_round, item_id="A6", scorer=User.objects.get(username="scorer01"))
    login(client, "scorer01")
    _post_a6(client, county_round)
    assert Finding.objects.get().entered_by.username == "scorer01"
    client.post(reverse("finding_list", kwargs={"round_id": county_round.pk}),
                {"entity": "u02", "item": "B6", "score": "1", "reason": "越权录入"})
    assert Finding.objects.count() == 1


def test_scorer_deletes_only_its_own_records_of_its_items(client, county_round, users) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from web.findings.models import Assignment, Finding

    User = get_user_model()
    scorer = User.objects.get(username="scorer01")
    mine = Finding.objects.create(round=county_round, entity_id="u01", item_id="A6", deduct=1, reason="x",
                                  scorer_name="市应急管理局", entered_by=scorer)
    login(client, "scorer01")
    url = reverse("finding_delete", kwargs={"round_id": county_round.pk, "pk": mine.pk})
    client.post(url)     # no longer assigned the item (never was): refused
    assert Finding.objects.filter(pk=mine.pk).exists()
    Assignment.objects.create(round=county_round, item_id="A6", scorer=scorer)
    client.post(url)
    assert not Finding.objects.filter(pk=mine.pk).exists()


@pytest.fixture
def namesake(county_round, users):  # type: ignore[no-untyped-def]
    """A scorer account named like the office (made directly: the accounts page refuses the name), assigned A6,
    and an office record of A6 with an attachment."""
    from django.contrib.auth import get_user_model

    from web.accounts.models import Role
    from web.accounts.services import create_account
    from web.evidence.store import attach
    from web.findings.models import Assignment, Finding

    create_account("scorer05", Role.SCORER, "市安委办", password=PASSWORD)
    User = get_user_model()
    office = User.objects.get(username="office")
    Assignment.objects.create(round=county_round, item_id="A6", scorer=User.objects.get(username="scorer05"))
    row = Finding.objects.create(round=county_round, entity_id="u01", item_id="A6", deduct=1, reason="市安委办督查",
                                 scorer_name="市安委办", entered_by=office)
    a = attach(b"%PDF-1.4 office evidence", "通报.pdf", round=county_round, entity_id="u01", user=office,
               finding=row, scorer_name="市安委办")
    return row, a


def test_namesake_of_the_office_cannot_delete_see_or_download(client, county_round, namesake,
                                                              upload_dir_clean) -> None:  # type: ignore[no-untyped-def]
    from web.findings.models import Finding

    row, a = namesake
    login(client, "scorer05")
    client.post(reverse("finding_delete", kwargs={"round_id": county_round.pk, "pk": row.pk}))
    client.post(reverse("record_delete", kwargs={"round_id": county_round.pk, "item": "A6", "entity": "u01",
                                                 "pk": row.pk}))
    assert Finding.objects.filter(pk=row.pk).exists()
    page = client.get(reverse("finding_list", kwargs={"round_id": county_round.pk})).content.decode()
    assert "市安委办督查" not in page
    got = client.get(reverse("attachment", kwargs={"round_id": county_round.pk, "entity": "u01", "pk": a.pk}))
    assert got.status_code == 403
    wb = client.get(reverse("scorer_workbook", kwargs={"round_id": county_round.pk}))
    import io

    import openpyxl
    ws = openpyxl.load_workbook(io.BytesIO(wb.content))["评分表"]
    assert "市安委办督查" not in {ws.cell(r, 7).value for r in range(2, ws.max_row + 1)}


def test_office_name_refused_for_a_scorer_account(client, users) -> None:  # type: ignore[no-untyped-def]
    from web.accounts.models import Profile

    login(client, "office")
    html = client.post(reverse("accounts"), {"action": "scorers", "names": "市安委办\n市住建局"},
                       follow=True).content.decode()
    names = set(Profile.objects.filter(role="scorer").values_list("display_name", flat=True))
    assert "市住建局" in names and "市安委办" not in names
    assert "不能与市安委办同名" in html



def test_migration_gives_old_records_to_the_one_account_of_their_name(county_round, users) -> None:  # type: ignore[no-untyped-def]
    import importlib

    from django.apps import apps

    from web.accounts.models import Role
    from web.accounts.services import create_account
    from web.findings.models import Finding

    create_account("scorer07", Role.SCORER, "市消防救援支队", password=PASSWORD)
    create_account("scorer08", Role.SCORER, "市消防救援支队", password=PASSWORD)   # a shared name: left alone
    made = {name: Finding.objects.create(round=county_round, entity_id="u01", item_id="A6", deduct=1, reason="旧",
                                         scorer_name=name)
            for name in ("市应急管理局", "市安委办", "市消防救援支队")}
    importlib.import_module("web.findings.migrations.0003_backfill_entered_by").backfill(apps, None)
    owner = {name: Finding.objects.get(pk=f.pk).entered_by for name, f in made.items()}
    assert owner["市应急管理局"].username == "scorer01"
    assert owner["市安委办"] is None and owner["市消防救援支队"] is None
