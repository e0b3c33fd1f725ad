"""Area figures of a month from the precomputed rollups: the nation, prefectures, 団体区分, businesses and
steps, and their trends. One or two indexed queries each; never raw status history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from shinchoku.domain.kinds import PREFECTURE
from shinchoku.publication.months import NotFound
from shinchoku.reference.models import Business, NationalStep, Organization

from ..models import AreaRollup, OrganizationRollup
from ..provenance import month_source
from .common import KIND_ORDER, basis, prefecture_names, rounded
from .months import is_sample, months

SUMMARY_FIELDS = (
    "organizations",
    "systems",
    "systems_with_steps",
    "rate_only_systems",
    "completion_rate_mean",
    "completion_rate_median",
    "systems_in_operation",
    "on_schedule_share",
    "special_support_organizations",
    "special_support_systems",
)


def area(scope: str, as_of: date) -> dict | None:
    row = AreaRollup.objects.filter(scope=scope, as_of=as_of).values_list("data", flat=True).first()
    return row


def national_summary(*, as_of: date, include_prefectures: bool = False) -> dict:
    data = area("nation", as_of) or {}
    src = data.get("with_prefectures", {}) if include_prefectures else data
    out: dict = {"as_of": as_of, "sample_data": is_sample(as_of), "source": month_source(as_of)}
    out.update(_summary_fields(src))
    if include_prefectures:  # 特定移行支援 counts include prefectures either way (as デジタル庁 counts them)
        out.update({k: data.get(k) for k in ("special_support_organizations", "special_support_systems")})
    return out


def _summary_fields(src: dict) -> dict:
    """The summary fields of an area rollup; figures that need step statuses are None without any."""
    out = {k: rounded(src.get(k)) for k in SUMMARY_FIELDS}
    if out.get("systems_with_steps") is None:  # rollups computed before rate-only data existed
        out["systems_with_steps"] = out.get("systems")
        out["rate_only_systems"] = 0
    if not out["systems_with_steps"]:
        out["systems_in_operation"] = None
        out["on_schedule_share"] = None
    with_steps = out["systems_with_steps"]
    out["basis"] = basis(int(src.get("systems") or 0), with_steps if isinstance(with_steps, int) else 0)
    return out


def prefecture_summary(*, pref: str, as_of: date) -> dict:
    pref_org = Organization.objects.filter(prefecture_code=pref, kind=PREFECTURE).first()
    if pref_org is None:
        raise NotFound(f"都道府県コード {pref} は見つかりません")
    data = area(f"pref:{pref}", as_of) or {}
    out: dict = {
        "as_of": as_of,
        "sample_data": is_sample(as_of),
        "source": month_source(as_of),
        "code": pref,
        "name": pref_org.prefecture_name,
    }
    out.update(_summary_fields(data))
    rows = (
        OrganizationRollup.objects.filter(as_of=as_of, organization__prefecture_code=pref)
        .select_related("organization")
        .order_by("organization_id")
    )
    detail = []
    own = None
    for r in rows:
        item = {
            "code": r.organization_id,
            "name": r.organization.short_name,
            "kind": r.organization.kind,
            "completion_rate": rounded(r.completion_rate),
            "progress_rate": rounded(r.progress_rate),
            "special_support_systems": r.special_support_systems,
            "systems": r.systems,
            "systems_with_steps": r.systems - r.rate_only_systems,
            "on_schedule_systems": r.on_schedule_systems if r.systems > r.rate_only_systems else None,
            "basis": None if not r.systems else basis(r.systems, r.systems - r.rate_only_systems),
        }
        if r.organization.is_prefecture:
            own = item
        else:
            detail.append(item)
    out["prefecture_own"] = own
    out["organizations_detail"] = detail
    return out


def trend(scope: str, *, until: date, published_only: bool = True, field: str = "completion_rate_mean") -> list:
    allowed = set(months(published_only=published_only))
    rows = AreaRollup.objects.filter(scope=scope, as_of__lte=until).order_by("as_of").values_list("as_of", "data")
    return [(m, rounded(d.get(field))) for m, d in rows if m in allowed]


# Upper limits of the rate bands in the distribution table (the last band includes 100%).
BANDS = (0.6, 0.7, 0.8, 0.9, 1.0)

BAND_LABELS = ("60%未満", "60〜70%", "70〜80%", "80〜90%", "90%以上")


@dataclass(frozen=True)
class AreaRow:
    """The summary of one area (prefecture, 団体区分) for a month, as in AreaRollup's GroupSummary."""

    key: str
    name: str
    organizations: int
    systems: int
    completion_rate_mean: float | None
    completion_rate_median: float | None
    on_schedule_share: float | None
    special_support_organizations: int
    special_support_systems: int
    systems_in_operation: int | None  # None when no system has step statuses (published rates only)
    progress_rate: float | None
    rank: int = 0
    systems_with_steps: int = 0
    rate_only_systems: int = 0

    @classmethod
    def from_data(cls, key: str, name: str, data: dict) -> AreaRow:
        return cls(
            key=key,
            name=name,
            organizations=data.get("organizations") or 0,
            systems=data.get("systems") or 0,
            completion_rate_mean=data.get("completion_rate_mean"),
            completion_rate_median=data.get("completion_rate_median"),
            on_schedule_share=data.get("on_schedule_share"),
            special_support_organizations=data.get("special_support_organizations") or 0,
            special_support_systems=data.get("special_support_systems") or 0,
            systems_in_operation=(
                (data.get("systems_in_operation") or 0) if data.get("systems_with_steps", data.get("systems")) else None
            ),
            progress_rate=data.get("progress_rate"),
            systems_with_steps=data.get("systems_with_steps", data.get("systems")) or 0,
            rate_only_systems=data.get("rate_only_systems") or 0,
        )


def prefectures(*, as_of: date) -> list[AreaRow]:
    """The 47 prefectures' summaries (over their 市区町村) in code order."""
    names = prefecture_names()
    data = dict(AreaRollup.objects.filter(as_of=as_of, scope__startswith="pref:").values_list("scope", "data"))
    return [AreaRow.from_data(code, name, data.get(f"pref:{code}", {})) for code, name in names.items()]


def ranked(rows: list[AreaRow]) -> list[AreaRow]:
    """Highest mean 完了率 first, with competition ranks (equal rates share a rank)."""
    ordered = sorted(rows, key=lambda r: (r.completion_rate_mean is None, -(r.completion_rate_mean or 0), r.key))
    out: list[AreaRow] = []
    for i, row in enumerate(ordered):
        same = out and out[-1].completion_rate_mean == row.completion_rate_mean
        out.append(_with_rank(row, out[-1].rank if same else i + 1))
    return out


def _with_rank(row: AreaRow, rank: int) -> AreaRow:
    return AreaRow(**{**row.__dict__, "rank": rank})


def kinds(*, as_of: date) -> list[AreaRow]:
    data = dict(AreaRollup.objects.filter(as_of=as_of, scope__startswith="kind:").values_list("scope", "data"))
    return [AreaRow.from_data(k, k, data[f"kind:{k}"]) for k in KIND_ORDER if f"kind:{k}" in data]


def rate_bands(*, as_of: date) -> dict[str, list[int]]:
    """How many 団体 of each 団体区分 fall in each 完了率 band (from OrganizationRollup, one query)."""
    bands: dict[str, list[int]] = defaultdict(lambda: [0] * len(BANDS))
    rows = OrganizationRollup.objects.filter(as_of=as_of, systems__gt=0, completion_rate__isnull=False).values_list(
        "organization__kind", "completion_rate"
    )
    for kind, rate in rows:
        bands[kind][_band(rate)] += 1
    return dict(bands)


def _band(rate: float) -> int:
    for i, limit in enumerate(BANDS[:-1]):
        if rate < limit:
            return i
    return len(BANDS) - 1


def series(*, scope: str, months: list[date]) -> list[tuple[date, dict]]:
    """An area's rollup data for each of the given months (one query), oldest first."""
    rows = AreaRollup.objects.filter(scope=scope, as_of__in=months).order_by("as_of").values_list("as_of", "data")
    return list(rows)


@dataclass(frozen=True)
class BusinessRow:
    number: int
    name: str
    field: str
    systems: int
    completion_rate: float | None
    progress_rate: float | None
    on_schedule_share: float | None
    systems_in_operation: int
    special_support_systems: int


def businesses(*, as_of: date) -> list[BusinessRow]:
    data = dict(AreaRollup.objects.filter(as_of=as_of, scope__startswith="business:").values_list("scope", "data"))
    out = []
    for b in Business.objects.order_by("number"):
        d = data.get(f"business:{b.number}", {})
        out.append(
            BusinessRow(
                b.number,
                b.name,
                b.field,
                d.get("systems") or 0,
                d.get("completion_rate"),
                d.get("progress_rate"),
                d.get("on_schedule_share"),
                d.get("systems_in_operation") or 0,
                d.get("special_support_systems") or 0,
            )
        )
    return out


class _Share:
    """A StepRow property: `completed_share` is the share of the step's systems counted in `completed`."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.count = name.removesuffix("_share")

    def __get__(self, row: StepRow | None, owner: type | None = None) -> float | None:
        return None if row is None else row.share(getattr(row, self.count))


@dataclass(frozen=True)
class StepRow:
    number: int
    label: str
    name: str
    deadline_label: str
    systems: int
    completed: int
    in_progress: int
    not_started: int
    not_applicable: int

    def share(self, n: int) -> float | None:
        return n / self.systems if self.systems else None

    completed_share = _Share()
    in_progress_share = _Share()
    not_started_share = _Share()
    not_applicable_share = _Share()

    @property
    def done_share(self) -> float | None:
        """完了済み＋対象外: the share that needs no more work on this step."""
        return self.share(self.completed + self.not_applicable)


def national_steps() -> list[NationalStep]:
    return list(NationalStep.objects.order_by("number"))


def step_rows(counts: list[list[int]], steps: list[NationalStep]) -> list[StepRow]:
    """Rows from the AreaRollup 'steps' shape: 40 × [完了済み, 作業中, 未着手, 対象外]."""
    return [
        StepRow(s.number, s.item_number, s.name, s.deadline_label, sum(c), c[0], c[1], c[2], c[3])
        for s, c in zip(steps, counts, strict=False)
    ]


def steps(*, as_of: date) -> dict | None:
    return AreaRollup.objects.filter(scope="steps", as_of=as_of).values_list("data", flat=True).first()
