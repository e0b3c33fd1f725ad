"""Aggregates over the System table (about 35,000 rows) for the 特定移行支援 and vendor pages.

System holds each system's current vendor, 特定移行支援 flag and planned completion; the month's figures
come from OrganizationRollup, never from the status history.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Count, Max, Q

from shinchoku.domain.calendar import fiscal_year, fiscal_year_label
from shinchoku.progress.models import OrganizationRollup, System

from .readers import prefecture_names


def _special_at(as_of: date) -> Q:
    # A system counts as 特定移行支援 from the month it was designated (unknown month: always).
    return Q(special_support=True) & (Q(special_support_since__isnull=True) | Q(special_support_since__lte=as_of))


@dataclass
class YearRow:
    fiscal_year: int | None
    label: str
    systems: int = 0
    organizations: int = 0
    by_business: dict[int, int] = field(default_factory=dict)


def special_support_by_year(*, as_of: date, pref: str | None = None) -> list[YearRow]:
    """特定移行支援 systems and 団体 by the fiscal year of their planned completion (one aggregate query)."""
    qs = System.objects.filter(_special_at(as_of), organization__is_practice=False)
    if pref:
        qs = qs.filter(organization__prefecture_code=pref)
    years: dict[int | None, YearRow] = {}
    orgs: dict[int | None, set[str]] = defaultdict(set)
    rows = qs.values_list("planned_completion", "business_id", "organization_id").annotate(n=Count("id"))
    for planned, business, org, n in rows:
        fy = fiscal_year(planned) if planned else None
        row = years.setdefault(fy, YearRow(fy, fiscal_year_label(fy) if fy else "未定"))
        row.systems += n
        orgs[fy].add(org)
        if business:
            row.by_business[business] = row.by_business.get(business, 0) + n
    for fy, row in years.items():
        row.organizations = len(orgs[fy])
    return sorted(years.values(), key=lambda r: (r.fiscal_year is None, r.fiscal_year or 0))


@dataclass(frozen=True)
class SpecialPrefRow:
    code: str
    name: str
    organizations: int
    systems: int
    latest: date | None


def special_support_by_prefecture(*, as_of: date) -> list[SpecialPrefRow]:
    names = prefecture_names()
    rows = (
        System.objects.filter(_special_at(as_of), organization__is_practice=False)
        .values("organization__prefecture_code")
        .annotate(systems=Count("id"), orgs=Count("organization", distinct=True), latest=Max("planned_completion"))
    )
    by_code = {r["organization__prefecture_code"]: r for r in rows}
    return [
        SpecialPrefRow(
            code,
            name,
            by_code.get(code, {}).get("orgs", 0),
            by_code.get(code, {}).get("systems", 0),
            by_code.get(code, {}).get("latest"),
        )
        for code, name in names.items()
    ]


@dataclass(frozen=True)
class SpecialOrgRow:
    code: str
    name: str
    kind: str
    systems: int
    latest: date | None
    completion_rate: float | None

    @property
    def latest_label(self) -> str:
        return fiscal_year_label(fiscal_year(self.latest)) if self.latest else "未定"


def special_support_organizations(*, pref: str, as_of: date) -> list[SpecialOrgRow]:
    """The 団体 of one prefecture with 特定移行支援 systems, their count and latest planned completion."""
    rows = (
        System.objects.filter(_special_at(as_of), organization__prefecture_code=pref, organization__is_practice=False)
        .values("organization_id", "organization__name", "organization__prefecture_name", "organization__kind")
        .annotate(systems=Count("id"), latest=Max("planned_completion"))
        .order_by("organization_id")
    )
    rates = dict(
        OrganizationRollup.objects.filter(as_of=as_of, organization__prefecture_code=pref).values_list(
            "organization_id", "completion_rate"
        )
    )
    return [
        SpecialOrgRow(
            r["organization_id"],
            r["organization__name"] or r["organization__prefecture_name"],
            r["organization__kind"],
            r["systems"],
            r["latest"],
            rates.get(r["organization_id"]),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class VendorRow:
    name: str
    systems: int
    organizations: int
    special_support_systems: int
    mean_org_completion_rate: float | None


def vendors(*, as_of: date) -> list[VendorRow]:
    """Systems by vendor, with the mean 完了率 of the 団体 using them (weighted by systems).

    Vendor-level per-system rates would need each system's statuses for the month; public pages do not
    scan that history, so this joins the 団体 rollups instead and the page says so.
    """
    rows = (
        System.objects.filter(organization__is_practice=False, organization__rollups__as_of=as_of)
        .values("vendor")
        .annotate(
            systems=Count("id"),
            orgs=Count("organization", distinct=True),
            special=Count("id", filter=_special_at(as_of)),
            mean_rate=Avg("organization__rollups__completion_rate"),
        )
        .order_by("-systems", "vendor")
    )
    return [
        VendorRow(r["vendor"] or "（事業者名の登録なし）", r["systems"], r["orgs"], r["special"], r["mean_rate"])
        for r in rows
    ]
