"""The 特定移行支援 and vendor figures of a month (its "special" and "vendors" rollups, one row each) and the
history of デジタル庁's lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from shinchoku.domain.calendar import fiscal_year, fiscal_year_label
from shinchoku.reference.models import Organization

from ..models import OrganizationRollup, SpecialSupportList
from .areas import area
from .common import prefecture_names


@dataclass
class YearRow:
    fiscal_year: int | None
    label: str
    systems: int = 0
    organizations: int = 0
    by_business: dict[int, int] = field(default_factory=dict)


def _year_rows(items: list[dict]) -> list[YearRow]:
    return [
        YearRow(
            fiscal_year=i["fiscal_year"],
            label=fiscal_year_label(i["fiscal_year"]) if i["fiscal_year"] else "未定",
            systems=i["systems"],
            organizations=i["organizations"],
            by_business={int(k): v for k, v in i.get("by_business", {}).items()},
        )
        for i in items
    ]


def _special(as_of: date) -> dict:
    return area("special", as_of) or {}


def special_support_totals(*, as_of: date) -> dict:
    """{organizations, systems, common_systems} of the month, prefectures and 共通機能 included."""
    data = _special(as_of)
    return {k: data.get(k, 0) for k in ("organizations", "systems", "common_systems")}


def special_support_by_year(*, as_of: date, pref: str | None = None) -> list[YearRow]:
    """特定移行支援 systems and 団体 by the fiscal year of their planned completion."""
    data = _special(as_of)
    if pref:
        return _year_rows(data.get("by_prefecture", {}).get(pref, {}).get("by_year", []))
    return _year_rows(data.get("by_year", []))


@dataclass(frozen=True)
class SpecialPrefRow:
    code: str
    name: str
    organizations: int
    systems: int
    latest: date | None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def special_support_by_prefecture(*, as_of: date) -> list[SpecialPrefRow]:
    by_pref = _special(as_of).get("by_prefecture", {})
    return [
        SpecialPrefRow(
            code,
            name,
            by_pref.get(code, {}).get("organizations", 0),
            by_pref.get(code, {}).get("systems", 0),
            _date(by_pref.get(code, {}).get("latest")),
        )
        for code, name in prefecture_names().items()
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
    items = _special(as_of).get("organizations_detail", {}).get(pref, [])
    orgs = Organization.objects.in_bulk([i["code"] for i in items])
    rates = dict(
        OrganizationRollup.objects.filter(as_of=as_of, organization__prefecture_code=pref).values_list(
            "organization_id", "completion_rate"
        )
    )
    return [
        SpecialOrgRow(
            i["code"],
            orgs[i["code"]].short_name if i["code"] in orgs else i["code"],
            orgs[i["code"]].kind if i["code"] in orgs else "",
            i["systems"],
            _date(i.get("latest")),
            rates.get(i["code"]),
        )
        for i in items
    ]


@dataclass(frozen=True)
class VendorRow:
    name: str
    systems: int
    organizations: int
    special_support_systems: int
    mean_org_completion_rate: float | None


def vendors(*, as_of: date) -> list[VendorRow]:
    """Systems by vendor, with the mean 完了率 of the 団体 using them (weighted by systems)."""
    rows = (area("vendors", as_of) or {}).get("vendors", [])
    return [
        VendorRow(
            r["name"] or "（事業者名の登録なし）",
            r["systems"],
            r["organizations"],
            r["special_support_systems"],
            r["mean_org_completion_rate"],
        )
        for r in rows
    ]


def special_support_history(*, until: date) -> list[dict]:
    """Each 特定移行支援 list loaded up to a month: its date, counts, and the systems added and removed since
    the list before it (for the history table when more than one list is loaded)."""
    lists = list(SpecialSupportList.objects.filter(as_of__lte=until).order_by("as_of"))
    out: list[dict] = []
    previous: set[tuple[str, int | None]] | None = None
    for lst in lists:
        entries = set(lst.entries.values_list("organization_id", "business_id"))
        out.append(
            {
                "as_of": lst.as_of,
                "title": lst.title,
                "publisher": lst.publisher,
                "sample_data": lst.sample_data,
                "organizations": lst.organizations,
                "systems": lst.systems,
                "added": None if previous is None else len(entries - previous),
                "removed": None if previous is None else len(previous - entries),
            }
        )
        previous = entries
    return out
