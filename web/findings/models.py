"""Scorer records: the findings ledger (考核扣分记录) a scorer enters for the assessed items it owns."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from web.rounds.models import Round


class Finding(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="findings")
    entity_id = models.CharField("单位编号", max_length=64, db_index=True)
    item_id = models.CharField("考核项目", max_length=64)
    deduct = models.DecimalField("扣分", max_digits=8, decimal_places=4, null=True, blank=True)
    score = models.DecimalField("得分", max_digits=8, decimal_places=4, null=True, blank=True)
    reason = models.CharField("事由", max_length=500)
    scorer_name = models.CharField("评分单位", max_length=100)
    basis = models.CharField("依据", max_length=500, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "entity_id", "item_id", "id"]
        verbose_name = "评分记录"
        verbose_name_plural = "评分记录"
