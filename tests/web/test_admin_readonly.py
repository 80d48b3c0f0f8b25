"""Django's admin cannot change what a result is made of: every model of the site's apps is read-only there,
even for a superuser — a published round cannot be reopened, nor a finding edited after publication."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SITE_APPS = {"accounts", "rounds", "submissions", "findings", "audit", "appeals", "evidence"}


@pytest.fixture
def superuser(client, db):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", password=PASSWORD)
    assert client.login(username="root", password=PASSWORD)
    return client


def test_every_site_model_is_read_only_in_the_admin(rf, superuser) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    request = rf.get("/admin/")
    request.user = get_user_model().objects.get(username="root")
    registered = {m for m in admin.site._registry if m._meta.app_label in SITE_APPS}
    names = {m.__name__ for m in registered}
    assert {"Round", "Finding", "Appeal", "Window", "Submission", "Profile", "Attachment", "Assignment",
            "NoFinding", "RosterEntry", "FrozenRun", "Publication", "SchemeFile", "AuditEntry"} <= names
    for model in registered:
        ma = admin.site._registry[model]
        assert not ma.has_add_permission(request), model
        assert not ma.has_change_permission(request), model
        assert not ma.has_delete_permission(request), model
        assert ma.has_view_permission(request), model


def test_superuser_cannot_reopen_a_published_round_or_edit_its_finding(published) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from web.findings.models import Finding
    from web.rounds.models import Round

    get_user_model().objects.create_superuser("root", password=PASSWORD)
    client = type(published)()
    assert client.login(username="root", password=PASSWORD)
    rnd = Round.objects.get()
    url = reverse("admin:rounds_round_change", args=[rnd.pk])
    assert client.get(url).status_code == 200          # it can still be looked at
    response = client.post(url, {"name": rnd.name, "state": "collecting"})
    assert response.status_code == 403
    assert client.post(reverse("admin:rounds_round_delete", args=[rnd.pk]), {"post": "yes"}).status_code == 403
    f = Finding.objects.get()
    response = client.post(reverse("admin:findings_finding_change", args=[f.pk]),
                           {"round": rnd.pk, "entity_id": "u01", "item_id": "A6", "deduct": "3", "reason": "改",
                            "scorer_name": "x"})
    assert response.status_code == 403
    assert client.get(reverse("admin:appeals_appeal_add")).status_code == 403
    rnd.refresh_from_db()
    f.refresh_from_db()
    assert rnd.state == "published" and f.deduct == 1
