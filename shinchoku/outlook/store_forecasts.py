"""Compute and store the forecasts (団体, prefectures, the country) and the backtest of months.

The history is the 団体 rollups (OrganizationRollup: systems and 完了率 per month), so a forecast rests on the
same figures the pages show; an area adds up its 団体 (municipalities and the prefecture's own systems).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date

from django.db import connection
from django.db.models import Q

from shinchoku.domain.progress import NATIONAL_STEPS
from shinchoku.ops.bulk_insert import insert_each, insert_rows
from shinchoku.progress.models import OrganizationRollup
from shinchoku.reference.models import Organization

from .forecasting import Forecast as Outlook
from .forecasting import History, Point, backtest, forecast
from .history import as_date
from .models import Forecast, OutlookSummary

BACKTEST_SCOPE = "backtest"
ROLLUPS = OrganizationRollup._meta.db_table
ORGANIZATION, PREFECTURE, NATION = "organization", "prefecture", "nation"


def _organization_points(organizations: Collection[str] | None = None) -> dict[str, list[Point]]:
    """Each public 団体's (steps done, steps in all) by month; only those of the given 団体 when given."""
    where, params = "", []
    if organizations is not None:
        if not organizations:
            return {}
        where, params = f" AND r.organization_id IN ({', '.join(['%s'] * len(organizations))})", sorted(organizations)
    with connection.cursor() as cur:  # plain rows: the ORM's date conversion of every row is most of the time
        cur.execute(
            f"SELECT r.organization_id, CAST(r.as_of AS TEXT), r.systems, r.completion_rate FROM {ROLLUPS} r"
            f" JOIN {Organization._meta.db_table} o ON o.code = r.organization_id AND o.is_practice = %s"
            f" WHERE r.systems > 0 AND r.completion_rate IS NOT NULL{where} ORDER BY r.as_of, r.organization_id",
            [False, *params],
        )
        rows = cur.fetchall()
    dates: dict[str, date] = {}
    points: dict[str, list[Point]] = defaultdict(list)
    for code, month, systems, rate in rows:
        as_of = dates.get(month) or dates.setdefault(month, as_date(month))
        total = float(NATIONAL_STEPS * systems)
        points[code].append(Point(as_of, round(rate * total, 6), total))
    return points


# An area's steps done are added up in millionths of a step, as whole numbers: a sum of whole numbers does not
# depend on the order of its rows, so the database adds up each prefecture's, the country is the sum of the
# prefectures, and a prefecture's figures are the same after a full recompute and after a write to one 団体.
MICRO = 1_000_000
AREA_SUMS = (
    "SELECT o.prefecture_code, CAST(r.as_of AS TEXT), SUM(ROUND(r.completion_rate * r.systems * %s)), SUM(r.systems)"
    f" FROM {ROLLUPS} r JOIN {Organization._meta.db_table} o ON o.code = r.organization_id"
    " WHERE r.systems > 0 AND r.completion_rate IS NOT NULL AND o.is_practice = %s{where}"
    " GROUP BY o.prefecture_code, r.as_of"
)


def _area_points(prefectures: Collection[str] | None = None) -> tuple[dict[str, list[Point]], list[Point]]:
    """Each prefecture's (its 市区町村 and its own systems) and the country's (steps done, steps in all) by
    month; only the given prefectures', and no country, when given."""
    where, params = "", []
    if prefectures is not None:
        if not prefectures:
            return {}, []
        where, params = f" AND o.prefecture_code IN ({', '.join(['%s'] * len(prefectures))})", sorted(prefectures)
    with connection.cursor() as cur:
        cur.execute(AREA_SUMS.format(where=where), [NATIONAL_STEPS * MICRO, False, *params])
        rows = [(area, as_date(month), int(micro), int(systems)) for area, month, micro, systems in cur.fetchall()]
    by_area: dict[str, dict[date, tuple[int, int]]] = defaultdict(dict)
    nation: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for area, as_of, micro, systems in rows:
        by_area[area][as_of] = (micro, systems)
        nation[as_of][0] += micro
        nation[as_of][1] += systems

    def points(months: dict) -> list[Point]:
        return [Point(m, micro / MICRO, float(NATIONAL_STEPS * n)) for m, (micro, n) in sorted(months.items())]

    return {area: points(months) for area, months in by_area.items()}, points(nation) if prefectures is None else []


TABLE = Forecast._meta.db_table
COLUMNS = (
    "as_of",
    "scope",
    "key",
    "status",
    "done",
    "total",
    "pace",
    "best_pace",
    "worst_pace",
    "forecast_month",
    "earliest",
    "latest",
)


def _row(month: date, scope: str, key: str, f: Outlook) -> tuple:
    paces = (f.pace, f.best_pace, f.worst_pace)
    return (month, scope, key, f.status, f.done, f.total, *paces, f.month, f.earliest, f.latest)


def refresh_forecasts_of(target: Sequence[date], organizations: Collection[str]) -> int:
    """After a write to a few 団体: their forecasts and their prefectures' from the first target month on; the
    country's forecast and the backtest (over every 団体's history) wait for the month's full refresh
    (publishing, `shinchoku rollups rebuild`)."""
    start = target[0]
    codes = sorted(organizations)
    prefectures = sorted(set(Organization.objects.filter(code__in=codes).values_list("prefecture_code", flat=True)))
    Forecast.objects.filter(
        Q(scope=ORGANIZATION, key__in=codes) | Q(scope=PREFECTURE, key__in=prefectures), month_id__gte=start
    ).delete()
    org_points = _organization_points(codes)
    pref_points, _nation = _area_points(prefectures)
    rows: list[tuple] = []
    for m in target:
        rows += [_row(m, PREFECTURE, p, forecast(History(points), m)) for p, points in sorted(pref_points.items())]
        rows += [_row(m, ORGANIZATION, c, forecast(History(org_points[c]), m)) for c in codes if c in org_points]
    return insert_each(TABLE, COLUMNS, rows)  # a few 団体' and prefectures' rows


def refresh_forecasts(target: Sequence[date], *, national_only: bool = False) -> int:
    """Every forecast and the backtest of the target months; with `national_only`, the country's forecast and
    the backtest alone (what incremental writes leave behind: the 団体' and prefectures' are current)."""
    months = list(target)
    if national_only:
        Forecast.objects.filter(month_id__in=months, scope=NATION).delete()
    else:
        Forecast.objects.filter(month_id__in=months).delete()
    OutlookSummary.objects.filter(month_id__in=months, scope=BACKTEST_SCOPE).delete()
    org_points = _organization_points()
    pref_points, nation_points = _area_points()
    orgs = {c: History(p) for c, p in org_points.items()}
    prefs = {c: History(p) for c, p in pref_points.items()}
    nation = History(nation_points)
    rows: list[tuple] = []
    summaries: list[OutlookSummary] = []
    for m in months:
        rows.append(_row(m, NATION, "", forecast(nation, m)))
        if not national_only:
            rows += [_row(m, PREFECTURE, p, forecast(points, m)) for p, points in sorted(prefs.items())]
            rows += [_row(m, ORGANIZATION, c, forecast(points, m)) for c, points in sorted(orgs.items())]
        data = {
            "organizations": backtest(orgs, m).as_dict(),
            "prefectures": backtest(prefs, m).as_dict(),
            "nation": backtest({"": nation}, m).as_dict(),
        }
        summaries.append(OutlookSummary(month_id=m, scope=BACKTEST_SCOPE, data=data))
    insert_rows(TABLE, COLUMNS, rows)  # not bulk_create: its SQL building was most of the time
    OutlookSummary.objects.bulk_create(summaries)
    return len(rows)


def refresh_national(target: Sequence[date]) -> int:
    """A progress NATION_HOOK: the country's forecast and the backtest of months whose 団体 are current."""
    return refresh_forecasts(sorted(target), national_only=True)
