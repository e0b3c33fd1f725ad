"""What every published dataset shares: its months (published or not, sample or real, with sources) and the
kind of data a database holds (fictional sample data or real data, never both)."""

from __future__ import annotations

from django.db import models

SAMPLE = "sample"
REAL = "real"
KIND_CHOICES = [(SAMPLE, "架空のサンプルデータ"), (REAL, "実際のデータ")]


class Dataset(models.Model):
    """One row: set by the first data loaded (`shinchoku demo` → sample; official figures or reports → real)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    kind = models.CharField("データの種類", max_length=8, choices=KIND_CHOICES)
    claimed_at = models.DateTimeField(auto_now_add=True)
    claimed_by = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "データの種類"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="dataset_single_row")]

    def __str__(self) -> str:
        return self.get_kind_display()


class PublishableMonth(models.Model):
    """A 基準日 with data, whether it is published and whether it holds sample data (progress, procedures)."""

    as_of = models.DateField("基準日", primary_key=True)
    published = models.BooleanField("公開", default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.CharField(max_length=150, blank=True)
    sample_data = models.BooleanField("架空のサンプルデータ", default=False)
    # Official sources whose figures this month holds: [{"publisher": "総務省", "title": …, "edition": …}]
    sources = models.JSONField("出典", default=list, blank=True)

    class Meta:
        abstract = True
        ordering = ["as_of"]

    def __str__(self) -> str:
        return self.as_of.isoformat()


class DataVersion(models.Model):
    """One row (id 1): its counter goes up with every write of public data (one way: see versions.py)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    counter = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "公開データの版"

    def __str__(self) -> str:
        return str(self.counter)
