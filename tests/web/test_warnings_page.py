"""The office's round dashboard shows the warnings during the year (assess warn) over the latest clean
submissions, as of the date the office enters; only the office sees it (tests/web/test_policy.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.conftest import login

pytestmark = pytest.mark.django_db


def test_office_sees_the_warnings_as_of_a_date(client, county_round, users, county_books,  # type: ignore[no-untyped-def]
                                               upload_dir_clean) -> None:
    from web.submissions.services import submit

    for u in ("u01", "u12"):   # 北山县 (u12): deaths over its control target (V6)
        assert submit(county_round, u, None, county_books[u], f"{u}.xlsx").status == "clean"
    login(client, "office")
    url = reverse("round_warnings", kwargs={"round_id": county_round.pk})
    assert 'id="link-warnings"' in client.get(reverse("dashboard", kwargs={"round_id": county_round.pk})
                                              ).content.decode()
    html = client.get(url, {"as_of": "2020-12-31"}).content.decode()
    assert 'id="warnings-table"' in html and "北山县" in html and "死亡人数超控制指标" in html
    assert "已过 366/366 天" in html
    book = client.get(url, {"as_of": "2020-12-31", "download": "xlsx"})
    assert book["Content-Disposition"].startswith("attachment") and book.content[:2] == b"PK"
    page = client.get(url, {"as_of": "2020-12-31", "download": "html"}).content.decode()
    assert "Content-Security-Policy" in page and "北山县" in page
    late = client.get(url, {"as_of": "2021-03-01"}).content.decode()   # outside the scheme's period: said so
    assert "warn-date" in late and 'id="warnings-table"' not in late
    wrong = client.get(url, {"as_of": "九月底"}).content.decode()
    assert 'id="warnings-bad"' in wrong


def test_other_roles_are_refused(client, county_round, users) -> None:  # type: ignore[no-untyped-def]
    url = reverse("round_warnings", kwargs={"round_id": county_round.pk})
    for who in ("u01", "scorer01"):
        login(client, who)
        assert client.get(url).status_code == 403
        client.logout()
