"""Operating costs per 団体 and 年度, reported in a month (the 報告月) and public once that month is published.

A report is a 団体's complete figures for one 年度 as reported in one month: its lines (category, optionally a
system, amount in 千円). A later report of the same 年度 replaces it from its own month on; earlier months keep
what they showed (carried forward, like progress). A report without a total withdraws the 年度 from its month on.
"""

from __future__ import annotations

from django.db import models

from shinchoku.progress.models import Written
from shinchoku.reference.models import Organization

from .domain import BASELINE_YEAR, CATEGORIES

CATEGORY_CHOICES = [(c.key, c.label) for c in CATEGORIES]


class CostReport(Written):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="cost_reports")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    as_of = models.DateField("報告月（月末日）")
    total = models.BigIntegerField("合計（千円）", null=True, blank=True)  # None: the 年度 is withdrawn
    comment = models.TextField("コメント", blank=True, max_length=2000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "fiscal_year", "as_of"], name="cost_report_unique"),
            models.CheckConstraint(condition=models.Q(fiscal_year__gte=BASELINE_YEAR), name="cost_report_from_2018"),
            models.CheckConstraint(
                condition=models.Q(total__isnull=True) | models.Q(total__gte=0), name="cost_report_total_positive"
            ),
        ]
        indexes = [models.Index(fields=["as_of"], name="cost_report_as_of")]
        verbose_name = verbose_name_plural = "運用経費の報告"

    def __str__(self) -> str:
        return f"{self.organization_id} {self.fiscal_year}年度 ({self.as_of:%Y-%m})"


class CostLine(models.Model):
    report = models.ForeignKey(CostReport, on_delete=models.CASCADE, related_name="lines")
    category = models.CharField("区分", max_length=16, choices=CATEGORY_CHOICES)
    system = models.CharField("対象システム", max_length=64, blank=True)  # "" = the 団体 as a whole
    amount = models.BigIntegerField("金額（千円）")
    note = models.CharField("備考", max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "category", "system"], name="cost_line_unique"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="cost_line_amount_positive"),
        ]
        verbose_name = verbose_name_plural = "運用経費の内訳"


class CostRollup(models.Model):
    """National, 団体区分 and prefecture figures as of a 報告月 (the months in which cost data changed)."""

    as_of = models.DateField(primary_key=True)
    data = models.JSONField()


class CloudRollup(models.Model):
    """ガバメントクラウド use, providers, vendor shares and vendor changes as of a progress month."""

    as_of = models.DateField(primary_key=True)
    data = models.JSONField()
    # What the figures were computed from (cloud.fingerprint): a refresh with the same inputs is skipped
    fingerprint = models.CharField(max_length=200, blank=True)
