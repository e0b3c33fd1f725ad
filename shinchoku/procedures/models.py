"""Online availability of the 26 子育て・介護 procedures per 市区町村, by 基準日 (month end), with history.

One row per 団体 and month: `codes` holds one character per procedure (index 0 = 手続番号 1):
"1" できる, "0" できない, "-" not reported. A month without a row for a 団体 shows its latest earlier row
(carried forward), as progress does.
"""

from __future__ import annotations

from django.db import models

from shinchoku.progress.models import CellChange, Written, only_status_codes
from shinchoku.publication.models import PublishableMonth
from shinchoku.reference.models import Organization

AVAILABLE, UNAVAILABLE, UNKNOWN = "1", "0", "-"


class ProcedureMonth(PublishableMonth):
    """A 基準日 with procedures data; whether it is published and whether it is sample data."""

    class Meta(PublishableMonth.Meta):
        verbose_name = verbose_name_plural = "基準月（手続のオンライン化）"


class ProcedureStatus(Written):
    """Which procedures one 市区町村 offers online, as reported for one 基準日."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="procedure_statuses")
    as_of = models.DateField("基準日")
    codes = models.CharField("オンライン対応（手続番号順）", max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "as_of"], name="procedure_status_unique"),
            models.CheckConstraint(
                condition=only_status_codes("codes", codes=AVAILABLE + UNAVAILABLE + UNKNOWN),
                name="procedure_codes_known",
            ),
        ]
        indexes = [models.Index(fields=["as_of"], name="procedure_status_as_of")]
        verbose_name = verbose_name_plural = "手続のオンライン対応"

    def __str__(self) -> str:
        return f"{self.organization_id} {self.as_of}"


class ProcedureChange(CellChange):
    """One changed cell written by staff (the audit trail; imports are traced by their ImportRecord)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="procedure_changes")
    procedure = models.PositiveSmallIntegerField("手続番号")

    class Meta:
        indexes = [models.Index(fields=["organization", "as_of"], name="procedure_change_org_month")]


class ProcedureRollup(models.Model):
    """Precomputed national, 団体区分, prefecture and per-procedure figures of one month."""

    as_of = models.DateField(primary_key=True)
    data = models.JSONField()
