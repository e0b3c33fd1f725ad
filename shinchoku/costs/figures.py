"""The aggregations behind the rollups, in plain Python (no database): cost ratios by 年度, 団体区分 and
prefecture; ガバメントクラウド use and providers; vendor shares and vendor changes.

Rounded once here, so pages, API and open data show the same numbers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from .domain import BASELINE_YEAR, ratio, summarize

__all__ = [
    "KIND_ORDER",
    "PREFECTURE_KIND",
    "SystemState",
    "VendorChange",
    "cloud_rollup",
    "cost_rollup",
    "share",
    "vendor_changes",
]

PREFECTURE_KIND = "都道府県"
KIND_ORDER = ("政令指定都市", "中核市", "市", "特別区", "町", "村", "都道府県")

# (団体, 年度) → (total in 千円, {category key: amount})
YearState = Mapping[tuple[str, int], tuple[int, Mapping[str, int]]]


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 6) if whole else None


def cost_rollup(state: YearState, orgs: Mapping[str, tuple[str, str]]) -> dict:
    """The figures of every 年度 after the baseline over the public 団体 {code: (prefecture code, kind)}.

    National and prefecture figures are over 市区町村 (as for progress); 都道府県 appear as their own 団体区分.
    A 団体 counts in a 年度 when it reported that 年度 and a positive FY2018 total.
    """
    per_org: dict[str, dict[int, tuple[int, Mapping[str, int]]]] = defaultdict(dict)
    for (org, fy), figures in state.items():
        if org in orgs:
            per_org[org][fy] = figures
    years = sorted({fy for years in per_org.values() for fy in years})
    out_years: dict[str, dict] = {}
    for fy in (y for y in years if y > BASELINE_YEAR):
        groups: dict[str, list[tuple[int, int, Mapping[str, int]]]] = defaultdict(list)
        for org, reported in per_org.items():
            base = reported.get(BASELINE_YEAR)
            this = reported.get(fy)
            if base is None or this is None:
                continue
            pref, kind = orgs[org]
            item = (this[0], base[0], dict(this[1]))
            groups[f"kind:{kind}"].append(item)
            if kind != PREFECTURE_KIND:
                groups["nation"].append(item)
                groups[f"pref:{pref}"].append(item)
        kinds = [k for k in KIND_ORDER if f"kind:{k}" in groups]
        prefs = sorted(k[5:] for k in groups if k.startswith("pref:"))
        out_years[str(fy)] = {
            "nation": summarize(groups.get("nation", [])).as_dict(),
            "by_kind": {k: summarize(groups[f"kind:{k}"]).as_dict() for k in kinds},
            "by_prefecture": {p: summarize(groups[f"pref:{p}"]).as_dict() for p in prefs},
        }
    organizations = {}
    for org in sorted(per_org):
        reported = per_org[org]
        base = reported.get(BASELINE_YEAR)
        organizations[org] = {
            "baseline": base[0] if base else None,
            "years": {
                str(fy): [reported[fy][0], ratio(reported[fy][0], base[0] if base else None)] for fy in sorted(reported)
            },
        }
    return {
        "baseline_year": BASELINE_YEAR,
        "reported_organizations": len(per_org),
        "fiscal_years": years,
        "years": out_years,
        "organizations": organizations,
    }


@dataclass(frozen=True)
class SystemState:
    """A public system's attributes in force at a month."""

    system_id: int
    org: str
    pref: str
    vendor: str
    uses_gov_cloud: bool | None
    provider: str | None


@dataclass(frozen=True)
class VendorChange:
    """A system whose vendor changed from one named vendor to another, from month `as_of` on."""

    as_of: date
    org: str
    pref: str
    system_id: int
    before: str
    after: str


def vendor_changes(
    history: Mapping[int, Sequence[tuple[date, str]]], systems: Mapping[int, tuple[str, str]]
) -> list[VendorChange]:
    """Changes between consecutive named vendors of each system ({system: [(month, vendor)] by month}); a first
    vendor, or a vendor left empty, is not a change. `systems` gives each public system's (団体, prefecture)."""
    out = []
    for sid, rows in history.items():
        if sid not in systems:
            continue
        org, pref = systems[sid]
        last = ""
        for as_of, vendor in rows:
            if not vendor:
                continue
            if last and vendor != last:
                out.append(VendorChange(as_of, org, pref, sid, last, vendor))
            last = vendor
    return sorted(out, key=lambda c: (c.as_of, c.org, c.system_id))


def _cloud_counts(states: Iterable[SystemState]) -> dict:
    systems = reported = on = 0
    providers: Counter[str] = Counter()
    for s in states:
        systems += 1
        if s.uses_gov_cloud is None:
            continue
        reported += 1
        if s.uses_gov_cloud:
            on += 1
            providers[s.provider or ""] += 1
    return {
        "systems": systems,
        "reported": reported,
        "on_cloud": on,
        "off_cloud": reported - on,
        "on_cloud_share": share(on, reported),
        "providers": dict(sorted(providers.items())),
    }


def _vendor_shares(states: Sequence[SystemState]) -> dict:
    named = [s for s in states if s.vendor]
    systems: Counter[str] = Counter(s.vendor for s in named)
    orgs: dict[str, set[str]] = defaultdict(set)
    for s in named:
        orgs[s.vendor].add(s.org)
    rows = [
        {"name": v, "systems": n, "organizations": len(orgs[v]), "share": share(n, len(named))}
        for v, n in systems.items()
    ]
    return {"systems": len(named), "list": sorted(rows, key=lambda r: (-r["systems"], r["name"]))}


def _changes(changes: Sequence[VendorChange]) -> dict:
    flows: dict[tuple[str, str], list[VendorChange]] = defaultdict(list)
    for c in changes:
        flows[(c.before, c.after)].append(c)
    vendors = sorted({c.before for c in changes} | {c.after for c in changes})
    by_vendor = []
    for v in vendors:
        joined = [c for c in changes if c.after == v]
        left = [c for c in changes if c.before == v]
        by_vendor.append(
            {
                "name": v,
                "joined_systems": len(joined),
                "left_systems": len(left),
                "joined_organizations": len({c.org for c in joined}),
                "left_organizations": len({c.org for c in left}),
                "net_systems": len(joined) - len(left),
            }
        )
    return {
        "systems": len({c.system_id for c in changes}),
        "organizations": len({c.org for c in changes}),
        "flows": sorted(
            (
                {"from": a, "to": b, "systems": len(cs), "organizations": len({c.org for c in cs})}
                for (a, b), cs in flows.items()
            ),
            key=lambda f: (-f["systems"], f["from"], f["to"]),
        ),
        "by_vendor": sorted(by_vendor, key=lambda v: (-v["net_systems"], v["name"])),
    }


def cloud_rollup(states: Sequence[SystemState], changes: Sequence[VendorChange]) -> dict:
    """A month's figures: ガバメントクラウド use and providers (national and by prefecture, each prefecture's
    own systems included), vendor shares, and the vendor changes up to the month."""
    by_pref: dict[str, list[SystemState]] = defaultdict(list)
    for s in states:
        by_pref[s.pref].append(s)
    return {
        **_cloud_counts(states),
        "by_prefecture": {p: _cloud_counts(by_pref[p]) for p in sorted(by_pref)},
        "vendors": _vendor_shares(states),
        "vendor_changes": _changes(changes),
    }
