"""Public reads of cost figures: published months only, from the rollups (national) or one bounded query (one
団体). Return frozen dataclasses; pages, the API and open data all read these.

The figures as of a published month M are the reports in force at M (`?as_of`, default the latest published
month): a report written for an unpublished later month never shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from shinchoku.progress import selectors as progress
from shinchoku.progress.selectors import NotFound
from shinchoku.reference.models import Organization

from .domain import BASELINE_YEAR, CATEGORY_KEYS, REFERENCE_LINES, TARGET_RATIO, Group, ReferenceLine, group_from_dict
from .domain import ratio as cost_ratio
from .figures import KIND_ORDER
from .models import CostRollup
from .services import reports_at

__all__ = [
    "CostSummary",
    "NotFound",
    "OrganizationCosts",
    "OrganizationRatio",
    "YearFigures",
    "cost_summary",
    "organization_costs",
    "resolve_month",
]


def resolve_month(value: str | date | None) -> date:
    """The published progress month shown (NotFound before any is published; DateError for bad input)."""
    return progress.resolve_as_of(value, published_only=True)


def rollup_at(month: date) -> dict | None:
    """The cost figures in force at a month: the rollup of the latest 報告月 on or before it."""
    row = CostRollup.objects.filter(as_of__lte=month).order_by("-as_of").values_list("data", flat=True).first()
    return row


@dataclass(frozen=True)
class SystemAmount:
    category: str
    system: str
    amount: int
    note: str


@dataclass(frozen=True)
class YearFigures:
    fiscal_year: int
    total: int
    by_category: Mapping[str, int]
    categories_reported: tuple[str, ...]
    ratio_to_baseline: float | None
    comment: str
    reported_as_of: date  # the 報告月 of the figures
    lines: tuple[SystemAmount, ...]

    @property
    def by_system(self) -> tuple[SystemAmount, ...]:
        return tuple(x for x in self.lines if x.system)


@dataclass(frozen=True)
class OrganizationCosts:
    code: str
    name: str
    kind: str
    as_of: date
    sample_data: bool
    baseline_year: int
    baseline_total: int | None
    years: tuple[YearFigures, ...]

    @property
    def reported(self) -> bool:
        return bool(self.years)

    @property
    def latest(self) -> YearFigures | None:
        return self.years[-1] if self.years else None


def organization_costs(code: str, as_of: date) -> OrganizationCosts:
    """One 団体's figures in force at a published month (raises NotFound for an unknown 団体)."""
    org = progress.get_organization(code)
    reports = {fy: r for (_org, fy), r in reports_at([org.code], as_of).items() if r.total is not None}
    base = reports.get(BASELINE_YEAR)
    baseline = base.total if base else None
    years = tuple(
        YearFigures(
            fiscal_year=fy,
            total=int(r.total or 0),
            by_category=r.by_category(),
            categories_reported=tuple(k for k in CATEGORY_KEYS if k in r.reported_categories()),
            ratio_to_baseline=cost_ratio(r.total, baseline),
            comment=r.comment,
            reported_as_of=r.as_of,
            lines=tuple(SystemAmount(x.category, x.system, x.amount, x.note) for x in r.lines),
        )
        for fy, r in sorted(reports.items())
    )
    return OrganizationCosts(
        code=org.code,
        name=org.display_name,
        kind=org.kind,
        as_of=as_of,
        sample_data=progress.is_sample(as_of),
        baseline_year=BASELINE_YEAR,
        baseline_total=baseline,
        years=years,
    )


@dataclass(frozen=True)
class OrganizationRatio:
    code: str
    name: str
    kind: str
    prefecture_code: str
    baseline_total: int
    total: int
    ratio: float | None


@dataclass(frozen=True)
class CostSummary:
    as_of: date
    sample_data: bool
    baseline_year: int
    target_ratio: float
    fiscal_year: int | None  # the 年度 shown (the latest with figures unless asked)
    fiscal_years: tuple[int, ...]  # 年度 after the baseline with figures
    reported_organizations: int
    nation: Group | None
    by_kind: tuple[tuple[str, Group], ...]
    by_prefecture: tuple[tuple[str, str, Group], ...]  # (prefecture code, name, figures)
    trend: tuple[tuple[int, Group], ...]  # national figures of every 年度
    organizations: tuple[OrganizationRatio, ...]  # the 団体 counted in the 年度 shown
    reference_lines: tuple[ReferenceLine, ...] = REFERENCE_LINES

    @property
    def has_figures(self) -> bool:
        return self.nation is not None or bool(self.by_kind)


def _prefecture_names() -> dict[str, str]:
    return dict(Organization.objects.filter(kind="都道府県").values_list("prefecture_code", "prefecture_name"))


def cost_summary(as_of: date, fiscal_year: int | None = None) -> CostSummary:
    """National, 団体区分 and prefecture figures of one 年度 at a published month (from the rollup)."""
    data = rollup_at(as_of) or {}
    years = data.get("years", {})
    fiscal_years = tuple(sorted(int(y) for y in years))
    chosen = fiscal_year if fiscal_year in fiscal_years else (fiscal_years[-1] if fiscal_years else None)
    year = years.get(str(chosen), {}) if chosen is not None else {}
    nation = group_from_dict(year["nation"]) if year.get("nation", {}).get("organizations") else None
    kinds = year.get("by_kind", {})
    names = _prefecture_names()
    return CostSummary(
        as_of=as_of,
        sample_data=progress.is_sample(as_of),
        baseline_year=BASELINE_YEAR,
        target_ratio=TARGET_RATIO,
        fiscal_year=chosen,
        fiscal_years=fiscal_years,
        reported_organizations=data.get("reported_organizations", 0),
        nation=nation,
        by_kind=tuple((k, group_from_dict(kinds[k])) for k in KIND_ORDER if k in kinds),
        by_prefecture=tuple(
            (p, names.get(p, p), group_from_dict(g)) for p, g in sorted(year.get("by_prefecture", {}).items())
        ),
        trend=tuple(
            (int(y), group_from_dict(years[y]["nation"]))
            for y in sorted(years, key=int)
            if years[y]["nation"]["organizations"]
        ),
        organizations=_organizations(data.get("organizations", {}), chosen),
    )


def _organizations(data: Mapping[str, dict], fiscal_year: int | None) -> tuple[OrganizationRatio, ...]:
    if fiscal_year is None:
        return ()
    key = str(fiscal_year)
    wanted = {code: d for code, d in data.items() if d.get("baseline") and key in d["years"]}
    orgs = Organization.objects.in_bulk(list(wanted))
    out = []
    for code, d in wanted.items():
        org = orgs.get(code)
        if org is None:
            continue
        total, r = d["years"][key]
        out.append(OrganizationRatio(code, org.display_name, org.kind, org.prefecture_code, d["baseline"], total, r))
    return tuple(sorted(out, key=lambda o: o.code))
