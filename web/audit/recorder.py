"""Recording every change: model signals on the models listed in AUDITED write one AuditEntry per create,
update and delete, with a snapshot before and after; the signed-in user of the request that made the change
comes from ActorMiddleware (changes made outside a request — `assess serve --demo`, `--create-office` — are
recorded as by 系统).

Signals, rather than calls in each view, so that a change made any way (a page, the admin, a service) is
recorded: a new model is audited by adding its label to AUDITED. Queryset `update()` and `bulk_create()` send
no signals: the web uses neither on an audited model (tests/web/test_audit.py walks a round to be sure)."""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse

from web.audit.models import Action, AuditEntry
from web.policy import ROLE_NAMES, role_of

AUDITED = (
    "auth.User", "accounts.Profile", "rounds.SchemeFile", "rounds.Round", "rounds.Publication",
    "submissions.Submission", "findings.Finding", "findings.Assignment", "findings.NoFinding",
    "rounds.FrozenRun", "appeals.Window", "appeals.Appeal", "evidence.Attachment",
    "evidence.Seen",
)
# Not kept in the trail: a login time (a login is recorded as a login), stored file bytes (their sha256 is a
# field of their own), check results (derived from the upload, recorded by its sha256).
SKIPPED = {"last_login", "roster_content", "content", "problems", "selfcheck", "selfcheck_text", "results_json",
           "units_json", "comparison"}
SECRET = {"password"}
LONG_TEXT = 1000

# Chinese names of the models that have none of their own
NAMES = {"submissions.Submission": "报送", "rounds.Publication": "发布文件", "rounds.RosterEntry": "名册单位"}

_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("audit_actor", default=None)


class ActorMiddleware:
    """Remember who makes the request, for the audit rows its changes write."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _actor.set(request)
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


def _value(field: models.Field, value: Any) -> Any:   # type: ignore[type-arg]
    if field.name in SECRET:
        return f"（已加密，摘要 {hashlib.sha256(str(value).encode()).hexdigest()[:8]}）" if value else ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None or isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        data = bytes(value)
        return f"（{len(data)} 字节，sha256 {hashlib.sha256(data).hexdigest()[:16]}…）"
    text = str(value) if not isinstance(value, list | dict) else value
    if isinstance(text, str) and len(text) > LONG_TEXT:
        return f"（{len(text)} 字，sha256 {hashlib.sha256(text.encode()).hexdigest()[:16]}…）"
    return text


# Chinese names of the fields that carry none of their own (the office reads the trail)
FIELD_NAMES = {
    "id": "编号", "round": "考核轮次", "user": "账号", "version": "版本", "storage": "存储编号", "kind": "类型",
    "size": "大小（字节）", "status": "状态", "errors": "错误数", "warnings": "警告数", "total": "得分",
    "grade": "等次", "has_annotated": "有标注工作簿", "seconds": "用时（秒）", "original_name": "原文件名",
    "name": "名称", "scheme": "考核细则", "scheme_id": "细则编号", "title": "标题", "position": "顺序",
    "roster_name": "单位名册文件", "roster_suffix": "名册类型", "roster_sha256": "名册 sha256",
    "created_at": "创建时间", "created_by": "创建人", "published_at": "发布时间", "uploaded_at": "上传时间",
    "uploaded_by": "上传人", "entered_at": "录入时间", "entered_by": "录入人", "assigned_at": "分配时间",
    "assigned_by": "分配人", "frozen_by": "冻结人", "folder": "文件夹", "number": "第几次计算",
    "filed_by": "申诉人", "decided_by": "复核人", "set_by": "设定人", "event_index": "事件序号",
    "is_superuser": "超级用户", "is_staff": "后台权限", "is_active": "有效", "date_joined": "创建时间",
}


def _key(field: models.Field) -> str:  # type: ignore[type-arg]
    """The field as the office reads it: its Chinese name."""
    name = str(field.verbose_name)
    return FIELD_NAMES.get(field.name, name) if name.isascii() else name


def snapshot(instance: models.Model) -> dict[str, Any]:
    return {_key(f): _value(f, getattr(instance, f.attname)) for f in instance._meta.concrete_fields
            if f.name not in SKIPPED}


def _actor_fields() -> dict[str, Any]:
    request = _actor.get()
    user = getattr(request, "user", None) if request is not None else None
    if user is None or not getattr(user, "is_authenticated", False):
        return {"user": None, "username": "", "role": ""}
    return {"user": user, "username": user.get_username(), "role": ROLE_NAMES.get(role_of(user) or "", "")}


def _label(instance: models.Model) -> str:
    return f"{instance._meta.app_label}.{instance._meta.object_name}"


def write(action: str, summary: str, *, model: str = "", object_id: Any = "", round_id: int | None = None,
          entity_id: str = "", before: Any = None, after: Any = None, user: Any = None) -> AuditEntry:
    """One audit row (also for an event that changes no model, such as a login)."""
    who = _actor_fields()
    if user is not None:
        who = {"user": user, "username": user.get_username(), "role": ROLE_NAMES.get(role_of(user) or "", "")}
    return AuditEntry.objects.create(action=action, summary=summary[:500], model=model, object_id=str(object_id or ""),
                                     round_id=round_id, entity_id=entity_id[:64], before=before, after=after, **who)


def _round_of(instance: models.Model) -> int | None:
    if _label(instance) == "rounds.Round":
        return instance.pk  # type: ignore[no-any-return]
    rid = getattr(instance, "round_id", None)
    return rid if isinstance(rid, int) else None


def _record(instance: models.Model, action: str, before: Any, after: Any) -> None:
    name = NAMES.get(_label(instance)) or str(instance._meta.verbose_name)
    write(action, f"{dict(Action.choices)[action]}{name}：{instance}", model=_label(instance), object_id=instance.pk,
          round_id=_round_of(instance), entity_id=str(getattr(instance, "entity_id", "") or ""),
          before=before, after=after)


def _pre_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kw: Any) -> None:
    if raw or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old is not None else None  # type: ignore[attr-defined]


def _post_save(sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False,
               **kw: Any) -> None:
    if raw:
        return
    after = snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None  # type: ignore[attr-defined]
    if created or before is None:
        _record(instance, "create", None, after)
        return
    changed = [k for k in after if after[k] != before.get(k)]
    if changed:
        _record(instance, "update", {k: before.get(k) for k in changed}, {k: after[k] for k in changed})


def _post_delete(sender: type[models.Model], instance: models.Model, **kw: Any) -> None:
    _record(instance, "delete", snapshot(instance), None)


def _logged_in(sender: Any, request: HttpRequest, user: Any, **kw: Any) -> None:
    write("event", "登录", model="auth.User", object_id=user.pk, user=user)


def _logged_out(sender: Any, request: HttpRequest, user: Any, **kw: Any) -> None:
    if user is not None:
        write("event", "退出登录", model="auth.User", object_id=user.pk, user=user)


def connect() -> None:
    for label in AUDITED:
        try:
            model = apps.get_model(label)
        except LookupError:   # a model of a later step, not installed yet
            continue
        uid = f"audit-{label}"
        pre_save.connect(_pre_save, sender=model, dispatch_uid=uid + "-pre")
        post_save.connect(_post_save, sender=model, dispatch_uid=uid + "-post")
        post_delete.connect(_post_delete, sender=model, dispatch_uid=uid + "-del")
    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
