"""Permissions: every URL pattern declares who may see it, and a unit never sees another unit's data."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.web.conftest import broken, login
from web.policy import policy_of


def _patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[tuple[str, URLPattern]]:
    out = []
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue   # Django's admin: staff only, its own checks
            out += _patterns(p, prefix + str(p.pattern))
        else:
            out.append((prefix + str(p.pattern), p))
    return out


def test_every_url_pattern_declares_a_policy() -> None:
    patterns = _patterns()
    assert len(patterns) > 20
    missing = [route for route, p in patterns if policy_of(p.callback) is None]
    assert missing == []


def test_a_view_without_policy_is_refused(rf, db) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied
    from django.http import HttpResponse

    from web.policy import PolicyMiddleware

    request = rf.get("/")
    request.resolver_match = None
    middleware = PolicyMiddleware(lambda r: HttpResponse())
    with pytest.raises(PermissionDenied):
        middleware.process_view(request, lambda r: HttpResponse(), (), {})


def _unit_urls(round_id: int, entity: str) -> list[tuple[str, str]]:
    k = {"round_id": round_id, "entity": entity}
    v = {**k, "version": 1}
    return [
        ("get", reverse("unit_round", kwargs=k)), ("get", reverse("unit_template", kwargs=k)),
        ("post", reverse("unit_upload", kwargs=k)), ("get", reverse("unit_result", kwargs=k)),
        ("get", reverse("submission", kwargs=v)), ("get", reverse("submission_original", kwargs=v)),
        ("get", reverse("submission_annotated", kwargs=v)), ("post", reverse("unit_evidence_upload", kwargs=k)),
    ]


def _office_urls(round_id: int) -> list[tuple[str, str]]:
    r = {"round_id": round_id}
    return [
        ("get", reverse("round_list")), ("get", reverse("round_create")), ("get", reverse("accounts")),
        ("get", reverse("dashboard", kwargs=r)), ("post", reverse("round_advance", kwargs=r)),
        ("get", reverse("round_scheme", kwargs=r)), ("get", reverse("round_ranking", kwargs=r)),
        ("get", reverse("round_warnings", kwargs=r)),
        ("get", reverse("round_explain", kwargs={**r, "entity": "u01"})), ("get", reverse("round_missing", kwargs=r)),
        ("get", reverse("round_published", kwargs={**r, "kind": "xlsx"})),
    ]


@pytest.mark.django_db
def test_another_county_sees_nothing_of_u01(client, county_round, users, county_books, upload_dir_clean) -> None:  # type: ignore[no-untyped-def]
    from web.submissions.services import submit

    submit(county_round, "u01", None, broken(county_books["u01"]), "u01.xlsx")   # v1 with errors and annotations
    login(client, "u02")
    for method, url in _unit_urls(county_round.pk, "u01") + _office_urls(county_round.pk):
        response = getattr(client, method)(url)
        assert response.status_code in (403, 404), (method, url, response.status_code)
        if response.status_code == 403:
            assert "无权访问" in response.content.decode()
    # and its own pages answer
    assert client.get(reverse("unit_round", kwargs={"round_id": county_round.pk, "entity": "u02"})).status_code == 200


@pytest.mark.django_db
def test_scorer_sees_no_unit_pages_and_no_dashboard(client, county_round, users) -> None:  # type: ignore[no-untyped-def]
    login(client, "scorer01")
    for method, url in _unit_urls(county_round.pk, "u01") + _office_urls(county_round.pk):
        assert getattr(client, method)(url).status_code in (403, 404), url
    assert client.get(reverse("finding_list", kwargs={"round_id": county_round.pk})).status_code == 200


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, county_round) -> None:  # type: ignore[no-untyped-def]
    for _method, url in _unit_urls(county_round.pk, "u01") + _office_urls(county_round.pk):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), url
    assert client.get(reverse("healthz")).content == b"ok"
    assert client.get(reverse("login")).status_code == 200


@pytest.mark.django_db
def test_unit_cannot_see_a_round_it_is_not_in(client, county_round, users) -> None:  # type: ignore[no-untyped-def]
    from web.accounts.models import Role
    from web.accounts.services import create_account

    create_account("d01", Role.UNIT, "市应急管理局", entity_id="d01", password="test-password-1")
    login(client, "d01")
    url = reverse("unit_round", kwargs={"round_id": county_round.pk, "entity": "d01"})
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_office_sees_every_unit(client, county_round, users) -> None:  # type: ignore[no-untyped-def]
    login(client, "office")
    for entity in ("u01", "u13"):
        assert client.get(reverse("unit_round", kwargs={"round_id": county_round.pk, "entity": entity})).status_code == 200


def test_csrf_is_enforced(county_round, users) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, "office")
    response = client.post(reverse("round_advance", kwargs={"round_id": county_round.pk}))
    assert response.status_code == 403
