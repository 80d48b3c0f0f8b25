"""Rounds: a scheme (kept immutable, by its sha256), a roster of units, and a state 收集中 → 评分中 → 已发布."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import models


class SchemeFile(models.Model):
    """A criteria file as uploaded. Never changed once saved: a round's results must stay reproducible."""

    sha256 = models.CharField(max_length=64, unique=True)
    name = models.CharField("文件名", max_length=200)
    content = models.TextField()
    scheme_id = models.CharField(max_length=100)
    title = models.CharField("考核细则", max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "考核细则文件"
        verbose_name_plural = "考核细则文件"

    def __str__(self) -> str:
        return f"{self.title}（{self.sha256[:12]}）"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("a stored scheme file is immutable")
        self.sha256 = hashlib.sha256(self.content.encode("utf-8")).hexdigest()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def path(self) -> Path:
        """The file the pipeline reads: instance/schemes/<sha256>.yaml, written once and checked each time."""
        path = Path(settings.INSTANCE) / "schemes" / f"{self.sha256}.yaml"
        data = self.content.encode("utf-8")
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise ValueError(f"scheme {self.pk}: content does not match its sha256")
        if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != self.sha256:
            tmp = path.with_name(f".{path.name}.{id(self)}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
        return path


class FrozenQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Published documents and frozen runs: no bulk change or deletion either."""

    def update(self, **kwargs: object) -> int:
        raise ValueError("published documents and frozen runs are immutable")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValueError("published documents and frozen runs are never deleted")


class State(models.TextChoices):
    COLLECTING = "collecting", "收集中"
    SCORING = "scoring", "评分中"
    PUBLISHED = "published", "已发布"


NEXT_STATE = {State.COLLECTING: State.SCORING, State.SCORING: State.PUBLISHED}


class Round(models.Model):
    name = models.CharField("轮次名称", max_length=200)
    scheme = models.ForeignKey(SchemeFile, on_delete=models.PROTECT, related_name="rounds")
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.COLLECTING)
    deadline = models.CharField("报送期限", max_length=100, blank=True)
    roster_name = models.CharField("单位名册文件", max_length=200)
    roster_suffix = models.CharField(max_length=8)          # ".csv" or ".xlsx": how the pipeline reads it
    roster_content = models.BinaryField()
    roster_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "考核轮次"
        verbose_name_plural = "考核轮次"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def published(self) -> bool:
        return self.state == State.PUBLISHED

    def roster_file_name(self) -> str:
        return "entities.csv" if self.roster_suffix == ".csv" else "单位名册.xlsx"


class RosterEntry(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="roster")
    position = models.PositiveIntegerField()
    entity_id = models.CharField("单位编号", max_length=64)
    name = models.CharField("单位名称", max_length=200)

    class Meta:
        ordering = ["round", "position"]
        constraints = [models.UniqueConstraint(fields=["round", "entity_id"], name="roster_entity_once")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.name}"


class Publication(models.Model):
    """A published document, built by reports/ exactly as `assess report` builds it; kept as bytes with sha256."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="publications")
    name = models.CharField(max_length=100)           # results.xlsx, report.html, 通报.md, 通报.docx
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FrozenQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="publication_once")]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("a published document is immutable")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("a published document is never deleted")


class FrozenRun(models.Model):
    """A published run, frozen: the scheme, every input file with its sha256, the results document (with its run
    record) and the reports, kept in instance/published/<folder>/ (files read-only) and here. `assess verify
    <folder>/results.json` re-scores the folder and must reproduce results.json byte for byte. Never changed or
    deleted once saved."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="runs")
    number = models.PositiveIntegerField("第几次计算")
    frozen_at = models.DateTimeField("冻结时间", auto_now_add=True)
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    folder = models.CharField(max_length=64, unique=True)            # generated: r<round>-n<number>-<token>
    run_time = models.CharField("运行时间", max_length=40)
    scheme_sha256 = models.CharField("考核细则 sha256", max_length=64)
    inputs = models.JSONField("输入文件 sha256")                     # path under the folder -> sha256
    documents = models.JSONField("发布文件 sha256")                  # file name -> sha256
    results_json = models.TextField()
    results_sha256 = models.CharField("结果 sha256", max_length=64)
    units_json = models.TextField()                                 # each unit's total, rank, grade, explanation
    note = models.CharField("说明", max_length=200, blank=True)      # why this run: publication, an appeal accepted

    objects = FrozenQuerySet.as_manager()

    class Meta:
        ordering = ["round", "number"]
        verbose_name = "冻结的计算结果"
        verbose_name_plural = "冻结的计算结果"
        constraints = [models.UniqueConstraint(fields=["round", "number"], name="frozen_run_once")]

    def __str__(self) -> str:
        return f"{self.round} 第{self.number}次（{self.results_sha256[:12]}）"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("a frozen run is immutable")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ValueError("a frozen run is never deleted")

    def path(self) -> Path:
        return Path(settings.INSTANCE) / "published" / self.folder
