"""Scorer records: the findings ledger (考核扣分记录) a scorer enters for the assessed items it owns."""

from __future__ import annotations

from decimal import Decimal

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
    basis = models.CharField("依据", max_length=500, blank=True)     # evidence: inspection record, notice number
    clause = models.CharField("依据条款", max_length=200, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "entity_id", "item_id", "id"]
        verbose_name = "评分记录"
        verbose_name_plural = "评分记录"

    def __str__(self) -> str:
        value = self.deduct if self.deduct is not None else self.score
        figure = ("扣" if self.deduct is not None else "得") + format(Decimal(str(value or 0)).normalize(), "f")
        return f"{self.entity_id} {self.item_id} {figure}（{self.scorer_name}）"

    def basis_text(self) -> str:
        """The findings ledger's 依据 column: the clause and the evidence, as the scorer entered them."""
        return "；".join(x for x in (self.clause, self.basis) if x)


class Assignment(models.Model):
    """Which scorer account owns an assessed item in a round (the office assigns it): that scorer enters the
    item's records for every unit, and the office sees who has not yet reported."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="assignments")
    item_id = models.CharField("考核项目", max_length=64)
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments",
                               verbose_name="评分单位账号")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "item_id"]
        verbose_name = "评分分工"
        verbose_name_plural = "评分分工"
        constraints = [models.UniqueConstraint(fields=["round", "item_id"], name="assignment_item_once")]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.scorer.get_username()}"


class NoFinding(models.Model):
    """A scorer's report that a unit has nothing to record for an item (无扣分/无加分): the unit has been
    assessed, and the scheme's rule for no record applies on purpose, not by omission."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="no_findings")
    entity_id = models.CharField("单位编号", max_length=64)
    item_id = models.CharField("考核项目", max_length=64)
    scorer_name = models.CharField("评分单位", max_length=100)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "item_id", "entity_id"]
        verbose_name = "无记录报送"
        verbose_name_plural = "无记录报送"
        constraints = [models.UniqueConstraint(fields=["round", "item_id", "entity_id"], name="no_finding_once")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.item_id} 无记录（{self.scorer_name}）"
