"""The audit trail: one row per change of anything the round depends on — who, when, what, before and after.

Rows are written by web.audit.recorder only and are never changed or deleted: `save` of a stored row, `delete`,
and the queryset's `update`/`delete` raise; the admin shows them read-only; no view updates them
(tests/web/test_audit.py proves each)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class Immutable(Exception):
    """An attempt to change or delete an audit row."""


class AuditQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def update(self, **kwargs: Any) -> int:
        raise Immutable("audit entries are never changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise Immutable("audit entries are never deleted")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise Immutable("audit entries are never changed")


class Action(models.TextChoices):
    CREATE = "create", "新建"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    EVENT = "event", "操作"


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    username = models.CharField("账号", max_length=150, blank=True)     # kept when the account is gone
    role = models.CharField("角色", max_length=32, blank=True)
    action = models.CharField("动作", max_length=16, choices=Action.choices)
    model = models.CharField("对象类型", max_length=100)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    round_id = models.BigIntegerField("考核轮次", null=True, blank=True, db_index=True)
    entity_id = models.CharField("单位编号", max_length=64, blank=True)
    summary = models.CharField("摘要", max_length=500)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '系统'} {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise Immutable("audit entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise Immutable("audit entries are never deleted")
