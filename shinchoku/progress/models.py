"""Progress storage: systems, own steps, status history by 基準日, and precomputed rollups.

Statuses of one system in one month are a row: `codes` holds the 40 national steps as one
character each (C 完了済み, P 作業中, N 未着手, X 対象外) and `own_codes` the 団体's own steps
(独自1 = index 0). A month without a row for a system shows the latest earlier row (carried forward).
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Length, Replace
from django.db.models.lookups import Exact

from shinchoku.publication.models import PublishableMonth
from shinchoku.reference.models import Business, Organization, listed

from .fields import JSONText


def only_status_codes(field: str, *, length: int | None = None, codes: str = "CPNX") -> models.Q:
    """A database check that a text holds only the given codes, by default the four statuses C/P/N/X
    (portable SQL: no regex)."""
    stripped = F(field)
    for code in codes:
        stripped = Replace(stripped, Value(code), Value(""))
    condition = models.Q(Exact(Length(stripped), 0))
    if length is not None:
        condition &= models.Q(Exact(Length(field), length))
    return condition


class System(models.Model):
    """A 対象システム of a 団体: a standard one (business set), 共通機能 or an extra one (business null).

    Its attributes (vendor, 特定移行支援 …) change over time and are kept per month in SystemAttributes.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="systems")
    name = models.CharField("対象システム名", max_length=64)
    business = models.ForeignKey(Business, null=True, blank=True, on_delete=models.PROTECT)
    sort_order = models.PositiveSmallIntegerField(default=0)

    Meta = listed(
        "対象システム",
        ["organization", "sort_order", "name"],
        constraints=[models.UniqueConstraint(fields=["organization", "name"], name="system_unique_name")],
    )

    def __str__(self) -> str:
        return f"{self.organization.short_name} {self.name}"

    @property
    def is_extra(self) -> bool:
        return self.business_id is None


# The ガバメントクラウド's providers (デジタル庁's certified clouds): stored key → label.
CLOUD_PROVIDERS = (
    ("aws", "AWS"),
    ("azure", "Microsoft Azure"),
    ("google", "Google Cloud"),
    ("oracle", "Oracle Cloud"),
    ("sakura", "さくらのクラウド"),
)


class Written(models.Model):
    """A row written by staff, an import or the sample: when, by whom, and through what ("demo", "import:12",
    "ui", "api"). Abstract."""

    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)
    source = models.CharField(max_length=32, blank=True)

    class Meta:
        abstract = True


class SystemAttributes(Written):
    """A system's attributes as reported for a 基準日 (month end); carried forward like statuses.

    A change made while reporting month M shows from M on, and only once M is published; earlier months keep
    what they showed. 特定移行支援 is set by デジタル庁's list (from its date on) or by the 団体.
    """

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="attribute_history")
    as_of = models.DateField("基準日")
    vendor = models.CharField("事業者名", max_length=64, blank=True)
    package = models.CharField("パッケージ名", max_length=64, blank=True)
    planned_go_live = models.DateField("運用開始予定", null=True, blank=True)
    special_support = models.BooleanField("特定移行支援システム", default=False)
    planned_completion = models.DateField("移行完了予定（特定移行支援）", null=True, blank=True)
    uses_gov_cloud = models.BooleanField("ガバメントクラウド利用", null=True, blank=True)
    cloud_provider = models.CharField(
        "ガバメントクラウドの事業者", max_length=16, null=True, blank=True, choices=CLOUD_PROVIDERS
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["system", "as_of"], name="attributes_unique_month"),
            models.CheckConstraint(
                condition=models.Q(special_support=True) | models.Q(planned_completion__isnull=True),
                name="planned_completion_only_special",
            ),
            models.CheckConstraint(
                condition=models.Q(uses_gov_cloud=True) | models.Q(cloud_provider__isnull=True),
                name="cloud_provider_only_on_gov_cloud",
            ),
        ]
        indexes = [models.Index(fields=["as_of"], name="attributes_as_of")]
        verbose_name = verbose_name_plural = "対象システムの属性（月別）"


class OwnStep(models.Model):
    """A 団体's own step 独自N (applies to all of its systems) from the month it was added.

    `name` is its first name; renames are kept by month in `renamed` ({"2026-02-28": "…"}) so a published
    month keeps the name it showed.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="own_steps")
    number = models.PositiveSmallIntegerField("番号")
    name = models.CharField("作業ステップ名", max_length=128, blank=True)
    since = models.DateField("追加した基準日", null=True, blank=True)  # None: shown in every month
    renamed = models.JSONField("名前の変更（基準日→名前）", default=dict, blank=True)

    def name_at(self, as_of: date) -> str:
        """The name shown for a month: the latest rename on or before it, else the first name."""
        key = as_of.isoformat()
        dates = [d for d in self.renamed if d <= key]
        return str(self.renamed[max(dates)]) if dates else self.name

    def shown_at(self, as_of: date) -> bool:
        return self.since is None or self.since <= as_of

    Meta = listed(
        "独自ステップ",
        ["organization", "number"],
        constraints=[models.UniqueConstraint(fields=["organization", "number"], name="own_step_unique")],
    )

    def __str__(self) -> str:
        return f"独自{self.number} {self.name}"

    @property
    def key(self) -> str:
        return f"独自{self.number}"


class StatusSnapshot(Written):
    """All statuses of one system as reported for one 基準日 (month end)."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="snapshots")
    as_of = models.DateField("基準日")
    codes = models.CharField(max_length=40, blank=True)  # "" when only a published 完了率 is known
    # The 完了率 総務省 published for this system and month as k of 40 steps (k ÷ 40); never turned into statuses.
    published_done = models.PositiveSmallIntegerField("公表された完了率（40分のk）", null=True, blank=True)
    own_codes = models.CharField(max_length=100, blank=True, default="")
    # step key -> write counter; a missing key means the cell has never been edited (version 0)
    versions = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["system", "as_of"], name="snapshot_unique_month"),
            models.CheckConstraint(
                condition=models.Q(only_status_codes("codes", length=40))
                | models.Q(codes="", published_done__isnull=False),
                name="snapshot_codes_or_rate",
            ),
            models.CheckConstraint(condition=models.Q(only_status_codes("own_codes")), name="snapshot_own_codes"),
            models.CheckConstraint(
                condition=models.Q(published_done__isnull=True) | models.Q(published_done__lte=40),
                name="snapshot_published_done_range",
            ),
        ]
        indexes = [models.Index(fields=["as_of"], name="snapshot_as_of")]


class CellChange(models.Model):
    """One changed cell of a month's codes (a status, a procedure's availability): old and new code, who wrote
    it and when. Abstract: each table adds which cell it was."""

    as_of = models.DateField("基準日")
    old = models.CharField(max_length=1, blank=True)
    new = models.CharField(max_length=1)
    actor = models.CharField(max_length=150)
    source = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class StatusChange(CellChange):
    """One changed cell: the history behind versions, and the audit of progress writes."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="changes")
    step = models.CharField("作業ステップ", max_length=8)
    version = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["system", "as_of"], name="change_system_month")]


class DelayExplanation(models.Model):
    """Why a system is late, as 石巻市 publishes it (per system and 基準日)."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="delays")
    as_of = models.DateField("基準日")
    department = models.CharField("担当課名", max_length=64)
    expected_completion = models.CharField("移行完了時期（見込）", max_length=32)
    reason = models.TextField("理由")
    # [{"date": "2026-04", "task": "…", "role": "…"}]
    schedule = models.JSONField("今後の実施スケジュール", default=list, blank=True)
    impact = models.BooleanField("移行完了時期への影響", default=False)
    impact_reason = models.TextField("影響の理由", blank=True)
    # {"roles": [...], "rows": [{"task": "…", "marks": {"課長": "◎"}}]}; roles only, never names
    role_matrix = models.JSONField("役割分担", default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.CharField(max_length=150, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["system", "as_of"], name="delay_unique_month")]
        verbose_name = verbose_name_plural = "遅延の説明"


# What publishing a month still has to recompute (see rollups.mark_refreshed): nothing, only the country's
# forecast and the backtest (incremental writes leave them), or everything (a new month, or staff edits of an
# unpublished month, which skip the rollups).
CURRENT, OUTLOOK_BEHIND, FULL_NEEDED = "", "outlook", "full"
REFRESH_CHOICES = [(CURRENT, "最新"), (OUTLOOK_BEHIND, "全国の予測のみ未更新"), (FULL_NEEDED, "要再計算")]


class Month(PublishableMonth):
    """A month of progress data."""

    refresh_needed = models.CharField(max_length=8, choices=REFRESH_CHOICES, default=FULL_NEEDED, blank=True)

    class Meta(PublishableMonth.Meta):
        verbose_name = verbose_name_plural = "基準月"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(refresh_needed__in=[c for c, _label in REFRESH_CHOICES]),
                name="month_refresh_needed_known",
            )
        ]


def counters(n: int) -> tuple[models.PositiveIntegerField, ...]:
    """n fields that count (systems or steps): whole numbers, 0 by default."""
    return tuple(models.PositiveIntegerField(default=0) for _ in range(n))


class OrganizationRollup(models.Model):
    """A 団体's figures for one month, refreshed whenever its data changes."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="rollups")
    as_of = models.DateField()
    systems, completed, in_progress, not_started, not_applicable = counters(5)
    own_steps, own_completed, own_in_progress, own_not_started, own_not_applicable = counters(5)
    on_schedule_systems, special_support_systems, systems_in_operation = counters(3)
    # Systems with a published 完了率 but no statuses, and the sum of their published k of 40.
    rate_only_systems, rate_only_done = counters(2)
    completion_rate = models.FloatField(null=True)
    progress_rate = models.FloatField(null=True)
    progress_rate_incl_own = models.FloatField(null=True)
    # What this 団体 adds to the month's sums (rollup_parts.OrgParts): taken away again when it changes.
    parts = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "as_of"], name="org_rollup_unique")]
        indexes = [
            models.Index(fields=["as_of"], name="org_rollup_as_of"),
            # the forecasts' history (outlook) reads these columns alone: an index holding them answers it
            models.Index(fields=["organization", "as_of", "systems", "completion_rate"], name="org_rollup_history"),
        ]


class AreaRollup(models.Model):
    """Precomputed figures for a scope and month: 'nation', 'pref:04', 'kind:市', 'business:1', 'steps'."""

    scope = models.CharField(max_length=32)
    as_of = models.DateField()
    data = JSONText()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "as_of"], name="area_rollup_unique")]


class MonthSumsPart(models.Model):
    """One part of a month's running sums of every 団体's parts (rollup_parts): what a write adds to and takes
    from, so that no edit recomputes the country. One row per business ("business:1") and per other section
    ("prefectures_own", "steps", "vendors", "special"): a write rewrites only the parts it changed (a cell edit,
    one business and the step table). `shinchoku rollups rebuild` recomputes them from scratch."""

    as_of = models.DateField()
    part = models.CharField(max_length=16)
    data = JSONText()
    # a hash of the stored text: it names the content, so a process may keep a part it decoded ("" for rows
    # written before the column existed: those are always read)
    digest = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["as_of", "part"], name="month_sums_part_unique")]


class SpecialSupportList(models.Model):
    """One edition of デジタル庁's 特定移行支援システムの該当見込み一覧 (or the fictional sample's), by its date.

    It is in force from its date until the next list's date; its entries set the systems' 特定移行支援 flag.
    """

    as_of = models.DateField("時点", primary_key=True)
    title = models.CharField("表題", max_length=200, blank=True)
    publisher = models.CharField("公表者", max_length=64, blank=True)
    sample_data = models.BooleanField("架空のサンプルデータ", default=False)
    organizations = models.PositiveIntegerField("団体数", default=0)
    systems = models.PositiveIntegerField("システム数", default=0)
    imported_at = models.DateTimeField(auto_now=True)
    imported_by = models.CharField(max_length=150, blank=True)
    file_name = models.CharField(max_length=255, blank=True)

    Meta = listed("特定移行支援システムの一覧", ["as_of"])

    def __str__(self) -> str:
        return self.as_of.isoformat()


class SpecialSupportEntry(models.Model):
    """One system marked ● in a list: a business (1–20) of a 団体, or its 共通機能 (business null)."""

    list = models.ForeignKey(SpecialSupportList, on_delete=models.CASCADE, related_name="entries")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    business = models.ForeignKey(Business, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["list", "organization", "business"], name="special_entry_unique"),
            models.UniqueConstraint(
                fields=["list", "organization"],
                condition=models.Q(business__isnull=True),
                name="special_entry_unique_common",
            ),
        ]
