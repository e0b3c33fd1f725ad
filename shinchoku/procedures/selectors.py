"""Reads for pages, the API and open data: published months only, from rollups and one bounded query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection

from shinchoku.domain.kinds import PREFECTURE
from shinchoku.progress.attributes import as_date
from shinchoku.progress.selectors import get_organization
from shinchoku.publication.memo import per_version
from shinchoku.publication.months import NotFound, latest_month, month_list
from shinchoku.publication.months import is_sample as is_sample_month
from shinchoku.reference.models import Organization, Procedure

from .dataset import PROCEDURES
from .models import AVAILABLE, UNAVAILABLE, ProcedureMonth, ProcedureRollup, ProcedureStatus
from .plain import plain
from .rollups import KIND_ORDER, available_count, is_complete

__all__ = [
    "NotFound",
    "ProcedureInfo",
    "is_sample",
    "months",
    "national_summary",
    "organization_procedures",
    "procedure_list",
    "resolve_as_of",
    "rollup",
    "trend",
]


def months(*, published_only: bool = True) -> list[date]:
    return month_list(ProcedureMonth, published_only=published_only)


def resolve_as_of(value: str | date | None, *, published_only: bool = True) -> date:
    """The procedures 基準日 to show: the latest month with data on or before the requested one."""
    return latest_month(ProcedureMonth, value, published_only=published_only, what=PROCEDURES.what)


def is_sample(as_of: date) -> bool:
    return is_sample_month(ProcedureMonth, as_of)


@dataclass(frozen=True)
class ProcedureInfo:
    number: int
    field: str
    name: str
    plain: str


def procedure_list() -> list[ProcedureInfo]:
    return list(_procedures())


@per_version
def _procedures() -> tuple[ProcedureInfo, ...]:
    return tuple(
        ProcedureInfo(p.number, p.field, p.name, plain(p.number, p.name)) for p in Procedure.objects.order_by("number")
    )


def rollup(as_of: date) -> dict:
    return ProcedureRollup.objects.filter(as_of=as_of).values_list("data", flat=True).first() or {}


def national_summary(*, as_of: date) -> dict:
    """The national figures in the shape of docs/formats.md §9 (`GET /api/v1/procedures/summary`)."""
    data = rollup(as_of)
    names = {p.number: p for p in procedure_list()}
    pref_names = dict(Organization.objects.filter(kind=PREFECTURE).values_list("prefecture_code", "prefecture_name"))
    return {
        "as_of": as_of,
        "sample_data": is_sample(as_of),
        "procedures": data.get("procedures", len(names)),
        "municipalities": data.get("municipalities", 0),
        "reported_municipalities": data.get("reported", 0),
        "completed_municipalities": data.get("completed", 0),
        "completed_share": data.get("completed_share"),
        "available_mean": data.get("available_mean"),
        "by_kind": [
            {
                "kind": kind,
                "municipalities": g["municipalities"],
                "completed_municipalities": g["completed"],
                "completed_share": g["completed_share"],
                "available_mean": g["available_mean"],
            }
            for kind, g in data.get("by_kind", {}).items()
        ],
        "by_prefecture": [
            {
                "code": pref,
                "name": pref_names.get(pref, pref),
                "municipalities": g["municipalities"],
                "completed_municipalities": g["completed"],
                "completed_share": g["completed_share"],
                "available_mean": g["available_mean"],
            }
            for pref, g in data.get("by_prefecture", {}).items()
        ],
        "by_procedure": [
            {
                "number": p["number"],
                "field": names[p["number"]].field if p["number"] in names else "",
                "name": names[p["number"]].name if p["number"] in names else "",
                "plain": names[p["number"]].plain if p["number"] in names else "",
                "available_municipalities": p["available"],
                "available_share": p["available_share"],
            }
            for p in data.get("by_procedure", [])
        ],
    }


LATEST_STATUS_SQL = (
    f"SELECT as_of, codes FROM {ProcedureStatus._meta.db_table} WHERE organization_id = %s AND as_of <= %s"
    " ORDER BY as_of DESC LIMIT 1"
)


def organization_procedures(code: str, as_of: str | date | None = None) -> dict:
    """One 市区町村's procedures at the latest published procedures month on or before `as_of`.

    For the 団体 page and `GET /api/v1/organizations/{code}/procedures`. Raises NotFound for a prefecture,
    an unknown code, or when no month is published yet.
    """
    org = get_organization(code)
    if org.is_prefecture:
        raise NotFound(f"{org.display_name} は都道府県です。手続のオンライン化は市区町村ごとに集計しています")
    month = resolve_as_of(as_of)
    with connection.cursor() as cur:  # one plain row: the 団体 page reads it on every month it shows
        cur.execute(LATEST_STATUS_SQL, [org.code, month])
        row = cur.fetchone()
    reported_as_of, codes = (as_date(row[0]), row[1]) if row else (None, "")
    procedures = procedure_list()
    numbers = [p.number for p in procedures]
    items = []
    for p in procedures:
        c = codes[p.number - 1] if len(codes) >= p.number else ""
        available = True if c == AVAILABLE else False if c == UNAVAILABLE else None
        label = {True: "できる", False: "できない", None: "情報なし"}[available]
        items.append(
            {
                "number": p.number,
                "field": p.field,
                "name": p.name,
                "plain": p.plain,
                "available": available,
                "label": label,
            }
        )
    count = available_count(codes, numbers)
    return {
        "code": org.code,
        "name": org.display_name,
        "kind": org.kind,
        "as_of": month,
        "reported_as_of": reported_as_of,
        "sample_data": is_sample(month),
        "reported": row is not None,
        "procedures_total": len(numbers),
        "available_count": count,
        "unavailable_count": len(numbers) - count,
        "completed": bool(codes) and is_complete(codes, numbers),
        "procedures": items,
        "available": [i for i in items if i["available"]],
        "unavailable": [i for i in items if not i["available"]],
    }


def trend(*, until: date) -> list[dict]:
    """National share 完了 and mean available per published month up to `until`."""
    allowed = set(months())
    rows = ProcedureRollup.objects.filter(as_of__lte=until).order_by("as_of").values_list("as_of", "data")
    return [
        {
            "as_of": m,
            "municipalities": d.get("municipalities"),
            "completed_municipalities": d.get("completed"),
            "completed_share": d.get("completed_share"),
            "available_mean": d.get("available_mean"),
        }
        for m, d in rows
        if m in allowed
    ]


def kind_order() -> tuple[str, ...]:
    return KIND_ORDER


def organization_history(code: str, *, until: date) -> list[dict]:
    """One 市区町村's available count per published month up to `until` (carried forward between reports)."""
    rows = list(
        ProcedureStatus.objects.filter(organization_id=code, as_of__lte=until)
        .order_by("as_of")
        .values_list("as_of", "codes")
    )
    numbers = [p.number for p in procedure_list()]
    out = []
    i, codes = 0, ""
    for m in months():
        if m > until:
            break
        while i < len(rows) and rows[i][0] <= m:
            codes = rows[i][1]
            i += 1
        if codes:
            out.append(
                {
                    "as_of": m,
                    "available_count": available_count(codes, numbers),
                    "completed": is_complete(codes, numbers),
                }
            )
    return out
