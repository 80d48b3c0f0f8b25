"""Attachments (佐证材料): a file a scorer gives with a record, a unit with an appeal, or a unit with its submission
for an item whose scheme asks for it (`evidence`, rules/language/constructs/evidence.py: item_id + requirement). Kept unmodified under
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
    item_id = models.CharField("考核项目", max_length=64, blank=True, default="")      # a scheme's requirement:
    requirement = models.CharField("要求的材料", max_length=200, blank=True, default="")   # its item and name
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


class Seen(models.Model):
    """A reviewer (the office, or the item's scorer) has looked at a unit's attachment. Never changed once saved."""

    attachment = models.OneToOneField(Attachment, on_delete=models.PROTECT, related_name="seen",
                                      verbose_name="佐证材料")
    seen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                verbose_name="查看人")
    seen_at = models.DateTimeField("查看时间", auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "佐证材料查看"
        verbose_name_plural = "佐证材料查看"

    def __str__(self) -> str:
        a = self.attachment
        return f"{a.entity_id} 项目{a.item_id}“{a.requirement}”：{a.name}"

    # the round and the unit, so the audit trail files the mark under them (web/audit/recorder.py reads these)
    @property
    def round_id(self) -> int:
        return int(self.attachment.round_id)

    @property
    def entity_id(self) -> str:
        return str(self.attachment.entity_id)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("a mark is immutable")
        super().save(*args, **kwargs)
