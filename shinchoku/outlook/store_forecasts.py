"""Compute and store the forecasts (団体, prefectures, the country) and the backtest of months.

The history is the 団体 rollups (OrganizationRollup: systems and 完了率 per month), so a forecast rests on the
same figures the pages show; an area adds up its 団体 (municipalities and the prefecture's own systems).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date

from django.db import connection

from shinchoku.domain.progress import NATIONAL_STEPS
from shinchoku.progress.models import OrganizationRollup
from shinchoku.reference.models import Organization

from .forecasting import Forecast as Outlook
from .forecasting import History, Point, backtest, forecast
from .history import as_date
from .models import Forecast, OutlookSummary

BACKTEST_SCOPE = "backtest"
ROLLUPS = OrganizationRollup._meta.db_table
ORGANIZATION, PREFECTURE, NATION = "organization", "prefecture", "nation"


def _points(
    prefectures: Collection[str] | None = None, organizations: Collection[str] | None = None
) -> tuple[dict[str, list[Point]], dict[str, list[Point]], list[Point]]:
    """Each 団体's, prefecture's and the country's (steps done, steps in all) by month; only those of some
    prefectures (and no country) when given, and of some 団体 alone (their prefectures' sums still over all
    their 団体) when `organizations` is given. Rows are added in a fixed order (month, 団体), so a prefecture's
    sums are the same float numbers whichever 団体 were asked for."""
    known = Organization.objects.filter(is_practice=False)
    if prefectures is not None:
        known = known.filter(prefecture_code__in=list(prefectures))
    prefs = dict(known.values_list("code", "prefecture_code"))
    if prefectures is not None and not prefs:
        return {}, {}, []  # only the practice 団体 (or none): nothing public to forecast
    wanted = None if organizations is None else set(organizations)
    orgs: dict[str, list[Point]] = defaultdict(list)
    areas: dict[str, dict[date, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0.0, 0.0]))
    where, params = "", []
    if prefectures is not None:
        where, params = f" AND organization_id IN ({', '.join(['%s'] * len(prefs))})", sorted(prefs)
    with connection.cursor() as cur:  # plain rows: the ORM's date conversion of every row is most of the time
        cur.execute(
            f"SELECT organization_id, CAST(as_of AS TEXT), systems, completion_rate FROM {ROLLUPS}"
            f" WHERE systems > 0 AND completion_rate IS NOT NULL{where} ORDER BY as_of, organization_id",
            params,
        )
        rows = cur.fetchall()
    dates: dict[str, date] = {}
    keys = ("",) if prefectures is None else ()  # the country: only when every 団体 is read
    for code, month, systems, rate in rows:
        pref = prefs.get(code)
        if pref is None:
            continue
        as_of = dates.get(month) or dates.setdefault(month, as_date(month))
        total = float(NATIONAL_STEPS * systems)
        done = round(rate * total, 6)
        if wanted is None or code in wanted:
            orgs[code].append(Point(as_of, done, total))
        for key in (pref, *keys):
            cell = areas[key][as_of]
            cell[0] += done
            cell[1] += total
    by_area = {key: [Point(m, d, t) for m, (d, t) in sorted(months.items())] for key, months in areas.items()}
    nation = by_area.pop("", [])
    return orgs, by_area, nation


INSERT = (
    "INSERT INTO outlook_forecast (as_of, scope, key, status, done, total, pace, best_pace, worst_pace,"
    " forecast_month, earliest, latest) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
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
    Forecast.objects.filter(month_id__gte=start, scope=ORGANIZATION, key__in=codes).delete()
    Forecast.objects.filter(month_id__gte=start, scope=PREFECTURE, key__in=prefectures).delete()
    org_points, pref_points, _nation = _points(prefectures, codes)
    rows: list[tuple] = []
    for m in target:
        rows += [_row(m, PREFECTURE, p, forecast(History(points), m)) for p, points in sorted(pref_points.items())]
        rows += [_row(m, ORGANIZATION, c, forecast(History(org_points[c]), m)) for c in codes if c in org_points]
    with connection.cursor() as cur:
        cur.executemany(INSERT, rows)
    return len(rows)


def refresh_forecasts(target: Sequence[date], *, national_only: bool = False) -> int:
    """Every forecast and the backtest of the target months; with `national_only`, the country's forecast and
    the backtest alone (what incremental writes leave behind: the 団体' and prefectures' are current)."""
    months = list(target)
    if national_only:
        Forecast.objects.filter(month_id__in=months, scope=NATION).delete()
    else:
        Forecast.objects.filter(month_id__in=months).delete()
    OutlookSummary.objects.filter(month_id__in=months, scope=BACKTEST_SCOPE).delete()
    org_points, pref_points, nation_points = _points()
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
    with connection.cursor() as cur:  # raw executemany: bulk_create's SQL building is most of the time otherwise
        cur.executemany(INSERT, rows)
    OutlookSummary.objects.bulk_create(summaries)
    return len(rows)


def refresh_national(target: Sequence[date]) -> int:
    """A progress NATION_HOOK: the country's forecast and the backtest of months whose 団体 are current."""
    return refresh_forecasts(sorted(target), national_only=True)
