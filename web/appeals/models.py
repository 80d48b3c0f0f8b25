"""Appeals (申诉/复核): a unit disputes one deduction event of its published result, with a reason, within the
window the office sets; the office accepts it (with a correction, which produces a new frozen run compared with
the published one) or rejects it with a reason; the unit sees the decision."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from web.rounds.models import FrozenRun, Round


class Window(models.Model):
    round = models.OneToOneField(Round, on_delete=models.PROTECT, related_name="appeal_window")
    closes_at = models.DateTimeField("申诉截止时间")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "申诉期限"
        verbose_name_plural = "申诉期限"

    def __str__(self) -> str:
        return f"{self.round} 申诉截止 {self.closes_at:%Y-%m-%d %H:%M}"


class AppealState(models.TextChoices):
    PENDING = "pending", "待复核"
    ACCEPTED = "accepted", "已采纳"
    REJECTED = "rejected", "未采纳"


class Appeal(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="appeals")
    entity_id = models.CharField("单位编号", max_length=64, db_index=True)
    run = models.ForeignKey(FrozenRun, on_delete=models.PROTECT, related_name="appeals", verbose_name="申诉的计算结果")
    event_index = models.PositiveIntegerField()                  # the event's place in the unit's events of `run`
    event = models.JSONField("申诉的扣分事件")                     # the event as published (item, rule, points, reason)
    reason = models.TextField("申诉理由", max_length=2000)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField("申诉时间", auto_now_add=True)
    state = models.CharField("状态", max_length=16, choices=AppealState.choices, default=AppealState.PENDING)
    decision = models.TextField("复核意见", blank=True, max_length=2000)
    correction = models.CharField("更正内容", max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("复核时间", null=True, blank=True)
    new_run = models.ForeignKey(FrozenRun, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name="更正后的计算结果")
    comparison = models.TextField("与发布结果的比较", blank=True)

    class Meta:
        ordering = ["round", "-filed_at", "-id"]
        verbose_name = "申诉"
        verbose_name_plural = "申诉"

    def __str__(self) -> str:
        return f"{self.entity_id} 对 {self.event.get('item') or ''} {self.event.get('points', '')} 分的申诉"
