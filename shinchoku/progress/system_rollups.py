"""The month's 特定移行支援 and vendor figures, from each system's attributes in force that month.

Computed with the other rollups when data changes and stored as AreaRollup scopes "special" and "vendors",
so the public pages read a row instead of aggregating every system per request.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.db import connection

from shinchoku.domain.calendar import fiscal_year

from .attributes import latest_rows_sql
from .models import SystemAttributes

__all__ = ["SystemRow", "special_area", "system_rows_at", "vendor_area"]


@dataclass(frozen=True)
class SystemRow:
    system_id: int
    org: str
    pref: str
    business: int | None
    vendor: str
    special: bool
    planned: date | None


def system_rows_at(as_of: date, organizations: Collection[str] | None = None) -> list[SystemRow]:
    """Every public system (of some 団体 only, when given) with the attributes in force at a month (defaults
    where it has none yet)."""
    where, codes, only = "", [], ""
    if organizations is not None:
        codes = sorted(organizations)
        marks = ", ".join(["%s"] * len(codes))
        where = f" AND system_id IN (SELECT id FROM progress_system WHERE organization_id IN ({marks}))"
        only = f" WHERE s.organization_id IN ({marks})"
    attributes = latest_rows_sql(SystemAttributes._meta.db_table, where=where)
    sql = f"""
        SELECT s.id, s.organization_id, o.prefecture_code, s.business_id, a.vendor, a.special_support,
               a.planned_completion
        FROM progress_system s
        JOIN reference_organization o ON o.code = s.organization_id AND NOT o.is_practice
        LEFT JOIN ({attributes}) a ON a.system_id = s.id{only}
    """
    with connection.cursor() as cur:
        cur.execute(sql, [as_of, *codes, *codes])
        rows = cur.fetchall()
    return [
        SystemRow(
            sid,
            org,
            pref,
            business,
            vendor or "",
            bool(special),
            _date(planned) if special and planned else None,
        )
        for sid, org, pref, business, vendor, special, planned in rows
    ]


def _date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _years(rows: list[SystemRow]) -> list[dict]:
    by_year: dict[int | None, dict] = {}
    orgs: dict[int | None, set[str]] = defaultdict(set)
    for r in rows:
        fy = fiscal_year(r.planned) if r.planned else None
        entry = by_year.setdefault(fy, {"fiscal_year": fy, "systems": 0, "organizations": 0, "by_business": {}})
        entry["systems"] += 1
        orgs[fy].add(r.org)
        if r.business is not None:
            key = str(r.business)
            entry["by_business"][key] = entry["by_business"].get(key, 0) + 1
    for fy, entry in by_year.items():
        entry["organizations"] = len(orgs[fy])
    return sorted(by_year.values(), key=lambda e: (e["fiscal_year"] is None, e["fiscal_year"] or 0))


def _latest(rows: list[SystemRow]) -> str | None:
    latest = max((r.planned for r in rows if r.planned), default=None)
    return latest.isoformat() if latest else None


def special_area(rows: Iterable[SystemRow]) -> dict:
    """特定移行支援 systems by planned completion year, business and prefecture (prefectures' own and 共通機能
    included, as デジタル庁 counts them)."""
    special = [r for r in rows if r.special]
    by_pref: dict[str, list[SystemRow]] = defaultdict(list)
    for r in special:
        by_pref[r.pref].append(r)
    prefectures = {}
    detail = {}
    for pref, rs in sorted(by_pref.items()):
        prefectures[pref] = {
            "organizations": len({r.org for r in rs}),
            "systems": len(rs),
            "latest": _latest(rs),
            "by_year": _years(rs),
        }
        per_org: dict[str, list[SystemRow]] = defaultdict(list)
        for r in rs:
            per_org[r.org].append(r)
        detail[pref] = [
            {
                "code": org,
                "systems": len(items),
                "common": sum(1 for r in items if r.business is None),
                "latest": _latest(items),
            }
            for org, items in sorted(per_org.items())
        ]
    return {
        "organizations": len({r.org for r in special}),
        "systems": len(special),
        "common_systems": sum(1 for r in special if r.business is None),
        "by_year": _years(special),
        "by_prefecture": prefectures,
        "organizations_detail": detail,
    }


def vendor_area(vendors: Mapping[str, Mapping[str, list[int]]], org_rates: dict[str, float | None]) -> list[dict]:
    """Systems per vendor among the 団体 with figures this month, and the mean 完了率 of those 団体 (weighted
    by systems: a vendor's own per-system rate would need every system's statuses).

    `vendors`: vendor → 団体 → [systems, 特定移行支援 systems] (the month's sums, see rollup_parts).
    """
    out = []
    for vendor, orgs in vendors.items():
        counted = [(org, n) for org, n in orgs.items() if org in org_rates]
        systems = sum(n[0] for _org, n in counted)
        if not systems:
            continue
        rated = [(rate, n[0]) for org, n in counted if (rate := org_rates[org]) is not None]
        weight = sum(k for _rate, k in rated)
        out.append(
            {
                "name": vendor,
                "systems": systems,
                "organizations": len(counted),
                "special_support_systems": sum(n[1] for _org, n in counted),
                "mean_org_completion_rate": math.fsum(rate * k for rate, k in rated) / weight if weight else None,
            }
        )
    return sorted(out, key=lambda v: (-v["systems"], v["name"]))
