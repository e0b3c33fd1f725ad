"""Precomputed warnings, forecasts and summaries of each month (public pages read these rows, never history).

Every row belongs to a Month: removing a month (or the whole dataset) removes what was computed for it.
"""

from __future__ import annotations

from django.db import models

from shinchoku.progress.models import Month, System
from shinchoku.reference.models import Organization


class SystemWarning(models.Model):
    """One warning of one system in one month (kinds: shinchoku.outlook.warning_rules.KINDS)."""

    month = models.ForeignKey(Month, on_delete=models.CASCADE, db_column="as_of", related_name="+")
    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    prefecture_code = models.CharField("都道府県コード", max_length=2)
    business = models.PositiveSmallIntegerField("業務番号", null=True, blank=True)
    system_name = models.CharField("対象システム名", max_length=64)
    kind = models.CharField("種類", max_length=16)
    since = models.DateField("いつから")
    basis = models.CharField("根拠", max_length=16)  # steps / published_rate
    detail = models.TextField("内容")
    evidence = models.JSONField("根拠の値", default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "system", "kind"], name="warning_unique")]
        indexes = [
            models.Index(fields=["month", "kind"], name="warning_month_kind"),
            models.Index(fields=["month", "prefecture_code", "kind"], name="warning_month_pref"),
            models.Index(fields=["organization", "month"], name="warning_org_month"),
        ]
        verbose_name = verbose_name_plural = "警告"


class Forecast(models.Model):
    """「このままのペースなら」 for a 団体 (scope organization, key its code), a prefecture (key 2 digits) or the
    country (scope nation, key "")."""

    month = models.ForeignKey(Month, on_delete=models.CASCADE, db_column="as_of", related_name="+")
    scope = models.CharField(max_length=16)
    key = models.CharField(max_length=6, blank=True)
    status = models.CharField(max_length=16)  # done / forecast / no_pace / no_history
    done = models.FloatField(default=0)
    total = models.FloatField(default=0)
    pace = models.FloatField(null=True)
    best_pace = models.FloatField(null=True)
    worst_pace = models.FloatField(null=True)
    forecast_month = models.DateField(null=True)
    earliest = models.DateField(null=True)
    latest = models.DateField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "scope", "key"], name="forecast_unique")]
        verbose_name = verbose_name_plural = "見通し"


class OutlookSummary(models.Model):
    """Figures of a month read as one row: warning counts, the backtest, the 特定移行支援 timeline."""

    month = models.ForeignKey(Month, on_delete=models.CASCADE, db_column="as_of", related_name="+")
    scope = models.CharField(max_length=32)
    data = models.JSONField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "scope"], name="outlook_summary_unique")]
