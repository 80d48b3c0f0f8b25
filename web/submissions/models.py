"""Submissions: every upload a unit makes, kept unmodified with its sha256, who and when, and what the check
and the self-check found."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models

from web.rounds.models import Round


class Status(models.TextChoices):
    ERROR = "error", "有错误"
    CLEAN = "clean", "已提交"


class Submission(models.Model):
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="submissions")
    entity_id = models.CharField(max_length=64, db_index=True)
    version = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    original_name = models.CharField(max_length=255)   # shown to people only; never used as a path
    kind = models.CharField(max_length=8)              # xlsx | zip
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    storage = models.CharField(max_length=32, unique=True)   # generated id: instance/uploads/<storage>/
    status = models.CharField(max_length=8, choices=Status.choices)
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list)          # located problems (file names as the user knows them)
    selfcheck = models.JSONField(null=True, blank=True)    # reports.selfcheckreport.selfcheck_document
    selfcheck_text = models.TextField(blank=True)          # the same as `assess selfcheck` prints
    total = models.CharField(max_length=32, blank=True)
    grade = models.CharField(max_length=32, blank=True)
    has_annotated = models.BooleanField(default=False)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["round", "entity_id", "-version"]
        constraints = [models.UniqueConstraint(fields=["round", "entity_id", "version"], name="submission_version")]

    def __str__(self) -> str:
        return f"{self.entity_id} v{self.version}"

    def folder(self) -> Path:
        return Path(settings.INSTANCE) / "uploads" / self.storage

    def original_path(self) -> Path:
        return self.folder() / f"original.{self.kind}"

    def book_path(self) -> Path:
        """The unit's workbook the round's scoring reads (the upload itself, or made from its CSV files)."""
        return self.folder() / "book.xlsx"

    def annotated_path(self) -> Path:
        return self.folder() / "annotated.zip"
