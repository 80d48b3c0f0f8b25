"""Accounts: Django's users (hashed passwords, sessions) plus a role and, for a unit, its roster entity."""

from __future__ import annotations

from django.conf import settings
from django.db import models

OFFICE, UNIT, SCORER = "office", "unit", "scorer"   # the values of Role, typed as plain strings


class Role(models.TextChoices):
    OFFICE = "office", "市安委办"
    UNIT = "unit", "被考核单位（县区/部门）"
    SCORER = "scorer", "评分单位"


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField("角色", max_length=16, choices=Role.choices)
    entity_id = models.CharField("单位编号", max_length=64, blank=True, db_index=True,
                                 help_text="被考核单位账号绑定的名册编号（如 u01）")
    display_name = models.CharField("单位名称", max_length=100, blank=True)

    class Meta:
        verbose_name = "账号角色"
        verbose_name_plural = "账号角色"

    def __str__(self) -> str:
        return f"{self.user.get_username()}（{self.get_role_display()} {self.display_name}）"



class LoginFailure(models.Model):
    """A failed login: the login throttle counts them (web/accounts/throttle.py). Kept in the database, not in a
    process's memory, so that several server processes (or waitress threads) agree on who is locked out."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    username = models.CharField("尝试的用户名", max_length=150, db_index=True)   # lower-cased
    ip = models.CharField("IP 地址", max_length=64, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "登录失败"
        verbose_name_plural = "登录失败"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.ip}"
