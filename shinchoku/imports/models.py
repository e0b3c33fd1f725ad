"""The record of every import attempt: applied, rejected or dry run."""

from __future__ import annotations

from django.db import models


class ImportRecord(models.Model):
    STATUS_CHOICES = [
        ("applied", "反映済み"),
        ("rejected", "却下（エラーあり）"),
        ("dry_run", "確認のみ（書き込みなし）"),
    ]

    file_name = models.CharField("ファイル名", max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(default=0)
    format = models.CharField("形式", max_length=16, blank=True)
    as_of = models.DateField("基準日", null=True, blank=True)
    actor = models.CharField("実行者", max_length=150)
    source = models.CharField("経路", max_length=16, default="cli")
    created_at = models.DateTimeField("実行日時", auto_now_add=True)
    status = models.CharField("結果", max_length=16, choices=STATUS_CHOICES)
    counts = models.JSONField("件数", default=dict, blank=True)
    errors = models.JSONField("エラー", default=list, blank=True)
    warnings = models.JSONField("警告", default=list, blank=True)
    organization = models.CharField("対象団体（マトリクス）", max_length=6, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "取り込み記録"

    def __str__(self) -> str:
        return f"{self.file_name}（{self.get_status_display()}）"
