"""Login throttling: after MAX_FAILURES failed logins within WINDOW for one user name, further attempts for that
name are refused for LOCKOUT, before the password is checked (so guessing one password goes no faster than 5
tries per quarter hour). One client address is locked only after MAX_ADDRESS_FAILURES: a whole county office or
city bureau often reaches the server through one address, and five colleagues mistyping their own passwords must
not lock everyone else out; a guesser spraying many names from one address is still stopped. Both login pages use it: /accounts/login/ and
/admin/login/ (web/accounts/admin.py). Every failure is a LoginFailure row in the database — several server
processes agree — and an audit row (user name tried, address, time)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.utils import timezone

from web.accounts.models import LoginFailure

MAX_FAILURES = 5                # per user name
MAX_ADDRESS_FAILURES = 30       # per client address, whatever the names tried
WINDOW = dt.timedelta(minutes=15)
LOCKOUT = dt.timedelta(minutes=15)


def client_ip(request: HttpRequest | None) -> str:
    """The client's address (behind the reverse proxy, waitress puts X-Forwarded-For here: web/serve.py)."""
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def _locked_until(times: list[dt.datetime], limit: int) -> dt.datetime | None:
    """The end of the lockout these failure times impose, if any: `limit` of them within WINDOW
    lock for LOCKOUT from the last of those."""
    times = sorted(times)
    until = None
    for i in range(limit - 1, len(times)):
        if times[i] - times[i - limit + 1] <= WINDOW:
            until = times[i] + LOCKOUT
    return until


def _lock(field: str, value: str, limit: int, now: dt.datetime) -> dt.datetime | None:
    if not value:
        return None
    times = list(LoginFailure.objects.filter(at__gte=now - WINDOW - LOCKOUT, **{field: value})
                 .order_by("-at").values_list("at", flat=True)[:limit * 10])
    end = _locked_until(times, limit)
    return end if end is not None and end > now else None


def locked_until(username: str, ip: str, now: dt.datetime | None = None) -> tuple[dt.datetime, str] | None:
    """When this name or address may try again, and which of the two is locked, in words."""
    now = now or timezone.now()
    ends = [(end, what) for end, what in ((_lock("username", username.strip().lower(), MAX_FAILURES, now), "该账号"),
                                          (_lock("ip", ip, MAX_ADDRESS_FAILURES, now), "本机所在的网络地址"))
            if end is not None]
    return max(ends) if ends else None


def refusal(request: HttpRequest | None, username: str) -> str | None:
    """The Chinese message refusing this attempt, or None when it may go ahead."""
    locked = locked_until(username or "", client_ip(request))
    if locked is None:
        return None
    until, what = locked
    minutes = max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
    times = MAX_FAILURES if what == "该账号" else MAX_ADDRESS_FAILURES
    return (f"登录失败次数过多（{int(WINDOW.total_seconds() // 60)} 分钟内 {times} 次），{what}已暂停登录，"
            f"请 {minutes} 分钟后再试；如忘记密码，请联系市安委办重置。")


class _Throttled:
    """Checked before the password: a locked-out name or address gets the refusal, not a password check."""

    request: HttpRequest | None
    data: Any

    def clean(self) -> dict[str, Any]:
        message = refusal(self.request, str(self.data.get("username", "")))
        if message:
            raise forms.ValidationError(message, code="web-login-locked")
        return super().clean()  # type: ignore[misc, no-any-return]


class LoginForm(_Throttled, AuthenticationForm):
    pass


class AdminLoginForm(_Throttled, AdminAuthenticationForm):
    pass


def _failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kw: Any) -> None:
    from web.audit.recorder import write  # the audit app imports the accounts models: import it late

    username = str(credentials.get("username", ""))[:150]
    ip = client_ip(request)
    LoginFailure.objects.create(username=username.strip().lower(), ip=ip)
    write("event", f"登录失败：用户名“{username}”，IP {ip or '未知'}", model="auth.User",
          after={"尝试的用户名": username, "IP 地址": ip})


def connect() -> None:
    user_login_failed.connect(_failed, dispatch_uid="login-throttle-failed")
