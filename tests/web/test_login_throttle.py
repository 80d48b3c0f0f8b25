"""Login throttling: 5 failed logins in 15 minutes for one user name, or 30 from one address, refuse further
attempts (even with the right password) for 15 minutes, with a Chinese message — on /accounts/login/ and
/admin/login/; every failure is in the audit trail with the user name tried, the address and the time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.django_db

REFUSED = "登录失败次数过多"


def _try(client, url: str, username: str, password: str, ip: str = "10.0.0.1"):  # type: ignore[no-untyped-def]
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_failures_lock_the_account_then_it_opens_again(client, users) -> None:  # type: ignore[no-untyped-def]
    from web.accounts.models import LoginFailure
    from web.audit.models import AuditEntry

    url = reverse("login")
    for i in range(5):
        html = _try(client, url, "u01", "wrong-password", ip=f"10.0.0.{i + 1}").content.decode()
        assert REFUSED not in html
    response = _try(client, url, "u01", PASSWORD, ip="10.0.0.9")     # right password, another address: refused
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert "该账号已暂停登录" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _try(client, url, "u02", PASSWORD, ip="10.0.0.9").status_code == 302   # another account: fine
    failed = AuditEntry.objects.filter(summary__startswith="登录失败")
    assert failed.count() == 5
    row = failed.get(summary__contains="10.0.0.3")
    assert row.after == {"尝试的用户名": "u01", "IP 地址": "10.0.0.3"} and row.at is not None
    # 15 minutes later the account opens again
    LoginFailure.objects.update(at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    other = type(client)()
    assert _try(other, url, "u01", PASSWORD, ip="10.0.0.9").status_code == 302


def test_colleagues_mistyping_behind_one_office_address_do_not_lock_each_other(client, users) -> None:  # type: ignore[no-untyped-def]
    url = reverse("login")
    for name in ("u02", "u03", "u04", "u05", "u06", "u07") * 2:          # 12 mistakes, none five times
        assert REFUSED not in _try(client, url, name, "x", ip="192.0.2.7").content.decode()
    assert _try(client, url, "u01", PASSWORD, ip="192.0.2.7").status_code == 302


def test_thirty_failures_from_one_address_lock_the_address(client, users) -> None:  # type: ignore[no-untyped-def]
    url = reverse("login")
    for k in range(30):
        _try(client, url, f"guess{k}", "x", ip="192.0.2.7")
    html = _try(client, url, "u01", PASSWORD, ip="192.0.2.7").content.decode()
    assert REFUSED in html and "本机所在的网络地址已暂停登录" in html and "30 次" in html
    assert _try(client, url, "u01", PASSWORD, ip="192.0.2.8").status_code == 302


def test_admin_login_is_throttled_too(client, db) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("root", password=PASSWORD)
    url = reverse("admin:login")
    for _ in range(5):
        assert REFUSED not in _try(client, url, "root", "wrong").content.decode()
    html = _try(client, url, "root", PASSWORD).content.decode()
    assert REFUSED in html and "_auth_user_id" not in client.session
