"""Staff profiles (role and scope), personal API tokens (hashed at rest) and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from shinchoku.reference.models import Organization


class Role(models.TextChoices):
    OPERATOR = "operator", "運用者"
    PREFECTURE = "prefecture", "都道府県担当"
    MUNICIPALITY = "municipality", "市区町村担当"
    VIEWER = "viewer", "閲覧者"


class StaffProfile(models.Model):
    """One staff account's role and the 団体 (or prefecture, for 都道府県担当) it is scoped to."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField("役割", max_length=16, choices=Role.choices)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, verbose_name="担当団体", related_name="+"
    )
    # 都道府県担当 only: may also edit the municipalities of its prefecture
    edits_municipalities = models.BooleanField("管内市区町村の編集を許可", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "職員アカウント"

    def __str__(self) -> str:
        return f"{self.user.get_username()}（{self.get_role_display()}）"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名前", max_length=64, blank=True)
    prefix = models.CharField("先頭", max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = "APIトークン"


class AuditEntry(models.Model):
    """One write, from any path: who, when, what, and the values before and after."""

    at = models.DateTimeField("日時", auto_now_add=True, db_index=True)
    actor = models.CharField("実行者", max_length=150)
    source = models.CharField("経路", max_length=16)  # ui, api, import, cli, admin
    action = models.CharField("操作", max_length=32)
    organization_code = models.CharField("団体コード", max_length=6, blank=True, db_index=True)
    target = models.CharField("対象", max_length=255, blank=True)
    before = models.JSONField("変更前", null=True, blank=True)
    after = models.JSONField("変更後", null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "操作記録"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"
