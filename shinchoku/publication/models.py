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


class OrganizationVersion(models.Model):
    """A counter per 団体 that goes up with each write of public data scoped to that 団体 (a staff edit of its
    statuses or delay explanations; see versions.data_changed). Writes of wider scope move the epoch instead."""

    code = models.CharField(primary_key=True, max_length=6)
    counter = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "団体ごとの公開データの版"

    def __str__(self) -> str:
        return f"{self.code}: {self.counter}"


class MonthVersion(models.Model):
    """A counter per month that goes up with each write scoped to named 団体 that changes what that month's
    pages of wider areas show (national, prefectures, businesses …): its refreshed rollups, or a delay
    explanation. Such a write moves every later month's counter too, whose trends show the month."""

    as_of = models.DateField(primary_key=True)
    counter = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "月ごとの公開データの版"

    def __str__(self) -> str:
        return f"{self.as_of:%Y-%m}: {self.counter}"


class StoredPage(models.Model):
    """A public page rendered ahead of its readers (stored_pages.py), shared by every server process on the
    database: a 団体's page, or a page of a wider area in one month. Served only while the epoch and the counter
    it was rendered at (its 団体's, or its month's) are current."""

    path = models.CharField(primary_key=True, max_length=200)  # with its query string, if any
    organization_code = models.CharField(max_length=6, db_index=True)  # "" for a page of a wider area
    month = models.DateField(null=True, blank=True)  # the month of a wider area's page; None for a 団体's
    epoch = models.CharField(max_length=200)
    counter = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    etag = models.CharField(max_length=40)
    body = models.BinaryField()  # gzip-compressed
    size = models.PositiveIntegerField()  # uncompressed
    has_origin = models.BooleanField(default=False)  # absolute links to the placeholder host, replaced when served
    rendered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "事前に描画したページ"

    def __str__(self) -> str:
        return self.path
