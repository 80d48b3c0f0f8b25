"""Attachments (佐证材料): a file a scorer gives with a record, or a unit with an appeal. Kept unmodified under
instance/uploads/<generated id>/file (read-only) with its sha256; the name the user gave is shown, never used
as a path. Never changed once saved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models

from web.rounds.models import Round


class Attachment(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="attachments")
    entity_id = models.CharField("单位编号", max_length=64, db_index=True)     # the unit the evidence is about
    finding = models.ForeignKey("findings.Finding", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="attachments", verbose_name="评分记录")
    appeal = models.ForeignKey("appeals.Appeal", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="attachments", verbose_name="申诉")
    name = models.CharField("文件名", max_length=255)
    kind = models.CharField("类型", max_length=8)         # pdf | jpg | png | docx | xlsx
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    storage = models.CharField(max_length=32, unique=True)
    scorer_name = models.CharField("评分单位", max_length=100, blank=True)   # for a record's file: whose record
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"

    def __str__(self) -> str:
        return f"{self.name}（{self.entity_id}，sha256 {self.sha256[:12]}…）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("an attachment is immutable")
        super().save(*args, **kwargs)

    def path(self) -> Path:
        return Path(settings.INSTANCE) / "uploads" / self.storage / "file"
