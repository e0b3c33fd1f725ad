"""Reads of the precomputed warnings, forecasts and timelines (frozen dataclasses) for pages, API, files."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import QuerySet

from shinchoku.progress.attributes import as_date
from shinchoku.progress.models import Month
from shinchoku.progress.selectors.system_history import system_histories
from shinchoku.publication.memo import per_version
from shinchoku.reference.models import Business, Organization

from .forecasting import DONE, FORECAST, Backtest, describe
from .forecasting import Forecast as Outlook
from .models import Forecast, OutlookSummary, SystemWarning
from .special_timeline import SPECIAL_SCOPE
from .store_forecasts import BACKTEST_SCOPE, NATION, ORGANIZATION, PREFECTURE
from .store_warnings import WARNINGS_SCOPE
from .warning_rules import DEFAULT_STALL_MONTHS, KIND_LABELS, KINDS

__all__ = [
    "KINDS",
    "KIND_LABELS",
    "BacktestRow",
    "Edition",
    "ForecastItem",
    "WarningCounts",
    "WarningItem",
    "backtests",
    "designation_history",
    "forecast_of",
    "forecasts",
    "special_timeline",
    "warning_counts",
    "warnings",
]


@dataclass(frozen=True)
class WarningItem:
    code: str
    name: str  # 「宮城県 石巻市」
    prefecture_code: str
    system: str
    business: str | None
    business_number: int | None
    kind: str
    since: date
    basis: str
    detail: str
    evidence: dict = field(default_factory=dict, compare=False)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class WarningCounts:
    as_of: date
    total: int
    by_kind: dict[str, int]
    by_prefecture: dict[str, dict[str, int]]
    systems: int
    organizations: int
    systems_evaluated: int
    rate_only_systems: int
    stall_months: int = DEFAULT_STALL_MONTHS
    by_basis: dict[str, dict[str, int]] = field(default_factory=dict)

    def count(self, *, prefecture: str | None = None, kind: str | None = None) -> int:
        if prefecture:
            counts = self.by_prefecture.get(prefecture, {})
            return counts.get(kind, 0) if kind else sum(counts.values())
        return self.by_kind.get(kind, 0) if kind else self.total

    @property
    def all_rate_only(self) -> bool:
        return bool(self.systems_evaluated) and self.rate_only_systems == self.systems_evaluated


@per_version  # read only: the callers build their own values from it
def _summary(scope: str, as_of: date) -> dict | None:
    return OutlookSummary.objects.filter(month_id=as_of, scope=scope).values_list("data", flat=True).first()


def warning_counts(as_of: date) -> WarningCounts | None:
    """The month's counts by kind and prefecture (None before they were computed)."""
    data = _summary(WARNINGS_SCOPE, as_of)
    if data is None:
        return None
    return WarningCounts(
        as_of=as_of,
        total=data["total"],
        by_kind={k: data["by_kind"].get(k, 0) for k in KINDS},
        by_prefecture=data["by_prefecture"],
        systems=data["systems"],
        organizations=data["organizations"],
        systems_evaluated=data.get("systems_evaluated", 0),
        rate_only_systems=data.get("rate_only_systems", 0),
        stall_months=data.get("stall_months", DEFAULT_STALL_MONTHS),
        by_basis=data.get("by_basis", {}),
    )


def _warning_rows(
    as_of: date, *, prefecture: str | None = None, kind: str | None = None, code: str | None = None
) -> QuerySet[SystemWarning]:
    qs = SystemWarning.objects.filter(month_id=as_of)
    if prefecture:
        qs = qs.filter(prefecture_code=prefecture)
    if kind:
        qs = qs.filter(kind=kind)
    if code:
        qs = qs.filter(organization_id=code)
    return qs.order_by("organization_id", "system_id", "kind")


def _business_names() -> dict[int, str]:
    return dict(_business_rows())


@per_version
def _business_rows() -> tuple[tuple[int, str], ...]:
    return tuple(Business.objects.values_list("number", "name"))


def warnings(
    as_of: date,
    *,
    prefecture: str | None = None,
    kind: str | None = None,
    code: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[WarningItem]:
    """The month's warnings in 団体 code order (a page of them with offset/limit)."""
    qs = _warning_rows(as_of, prefecture=prefecture, kind=kind, code=code).select_related("organization")
    rows: Iterable[SystemWarning]
    if code and limit is None:
        # One 団体's few warnings, put in order here: asked to order them, SQLite (without statistics) reads
        # them through the month's index, every warning of the month, instead of the 団体's own index.
        rows = sorted(qs.order_by(), key=lambda w: (w.system_id, w.kind))
    else:
        rows = qs if limit is None else qs[offset : offset + limit]
    names = _business_names()
    return [
        WarningItem(
            code=w.organization_id,
            name=w.organization.display_name,
            prefecture_code=w.prefecture_code,
            system=w.system_name,
            business=names.get(w.business) if w.business else None,
            business_number=w.business,
            kind=w.kind,
            since=w.since,
            basis=w.basis,
            detail=w.detail,
            evidence=w.evidence,
        )
        for w in rows
    ]


ORGANIZATION_WARNINGS_SQL = (
    "SELECT system_id, kind, prefecture_code, system_name, business, since, basis, detail, evidence"
    " FROM outlook_systemwarning WHERE as_of = %s AND organization_id = %s"
)


def organization_warnings(as_of: date, code: str, name: str) -> list[WarningItem]:
    """One 団体's warnings of a month (what warnings(as_of, code=code) gives, `name` its display name), read as
    plain rows through the 団体's own index: its page shows them on every month. Put in order here, as
    warnings() does (and Python's order of the kinds, not the database's collation)."""
    with connection.cursor() as cur:
        cur.execute(ORGANIZATION_WARNINGS_SQL, [as_of, code])
        rows = sorted(cur.fetchall(), key=lambda row: (row[0], row[1]))
    names = _business_names()
    return [
        WarningItem(
            code=code,
            name=name,
            prefecture_code=pref,
            system=system,
            business=names.get(business) if business else None,
            business_number=business,
            kind=kind,
            since=as_date(since),
            basis=basis,
            detail=detail,
            evidence=json.loads(evidence) if isinstance(evidence, str) else evidence,
        )
        for _system_id, kind, pref, system, business, since, basis, detail, evidence in rows
    ]


@dataclass(frozen=True)
class ForecastItem:
    scope: str
    key: str
    name: str
    status: str
    done: float
    total: float
    pace: float | None
    best_pace: float | None
    worst_pace: float | None
    month: date | None
    earliest: date | None
    latest: date | None
    as_of: date

    @property
    def outlook(self) -> Outlook:
        return Outlook(
            self.status,
            self.as_of,
            self.done,
            self.total,
            self.pace,
            self.best_pace,
            self.worst_pace,
            self.month,
            self.earliest,
            self.latest,
        )

    @property
    def text(self) -> str:
        return describe(self.outlook)

    @property
    def rate(self) -> float | None:
        return self.done / self.total if self.total else None

    @property
    def pace_rate(self) -> float | None:
        """The pace as 完了率 points per month (0-1)."""
        return self.pace / self.total if self.pace is not None and self.total else None

    @property
    def has_date(self) -> bool:
        return self.status == FORECAST and self.month is not None

    @property
    def is_done(self) -> bool:
        return self.status == DONE


def _item(f: Forecast, name: str) -> ForecastItem:
    return ForecastItem(
        f.scope,
        f.key,
        name,
        f.status,
        f.done,
        f.total,
        f.pace,
        f.best_pace,
        f.worst_pace,
        f.forecast_month,
        f.earliest,
        f.latest,
        f.month_id,
    )


def _names(scope: str, keys: list[str]) -> dict[str, str]:
    if scope == NATION:
        return {"": "全国"}
    if scope == PREFECTURE:
        rows = Organization.objects.filter(kind="都道府県", is_practice=False, prefecture_code__in=keys)
        return {o.prefecture_code: o.prefecture_name for o in rows}
    return {o.code: o.display_name for o in Organization.objects.filter(code__in=keys)}


ORGANIZATION_FORECAST_SQL = (
    "SELECT status, done, total, pace, best_pace, worst_pace, forecast_month, earliest, latest FROM outlook_forecast"
    " WHERE as_of = %s AND scope = %s AND key = %s"
)


def organization_forecast(as_of: date, code: str, name: str) -> ForecastItem | None:
    """A 団体's forecast of a month (forecast_of(as_of, ORGANIZATION, code)) from one plain row."""
    with connection.cursor() as cur:
        cur.execute(ORGANIZATION_FORECAST_SQL, [as_of, ORGANIZATION, code])
        row = cur.fetchone()
    if row is None:
        return None
    status, done, total, pace, best, worst, month, earliest, latest = row
    return ForecastItem(
        ORGANIZATION,
        code,
        name,
        status,
        done,
        total,
        pace,
        best,
        worst,
        as_date(month),
        as_date(earliest),
        as_date(latest),
        as_of,
    )


def forecast_of(as_of: date, scope: str, key: str = "") -> ForecastItem | None:
    row = Forecast.objects.filter(month_id=as_of, scope=scope, key=key).first()
    if row is None:
        return None
    if scope == ORGANIZATION:  # the 団体 its page has read already
        from shinchoku.progress.selectors import NotFound, get_organization

        try:
            return _item(row, get_organization(key).display_name)
        except NotFound:
            pass
    return _item(row, _names(scope, [key]).get(key, key))


def forecasts(as_of: date, scope: str, *, prefecture: str | None = None) -> list[ForecastItem]:
    """Every forecast of a scope in the month (団体 of one prefecture when given), in code order."""
    rows = list(Forecast.objects.filter(month_id=as_of, scope=scope).order_by("key"))
    if scope == ORGANIZATION and prefecture:
        rows = [r for r in rows if r.key.startswith(prefecture)]
    names = _names(scope, [r.key for r in rows])
    return [_item(r, names.get(r.key, r.key)) for r in rows]


@dataclass(frozen=True)
class BacktestRow(Backtest):
    """A stored backtest of one level: organizations / prefectures / nation."""

    level: str = "organizations"


def backtests(until: date, *, level: str = "organizations", published_only: bool = True) -> list[BacktestRow]:
    """The backtest of every held month up to `until` (only months with a forecast to check)."""
    months = Month.objects.filter(as_of__lte=until)
    if published_only:
        months = months.filter(published=True)
    rows = (
        OutlookSummary.objects.filter(scope=BACKTEST_SCOPE, month_id__in=months.values("as_of"))
        .order_by("month_id")
        .values_list("data", flat=True)
    )
    out = []
    for data in rows:
        d = data.get(level) or {}
        if not d.get("units"):
            continue
        out.append(
            BacktestRow(
                **{**d, "as_of": date.fromisoformat(d["as_of"]), "origin": date.fromisoformat(d["origin"])},
                level=level,
            )
        )
    return out


@dataclass(frozen=True)
class Edition:
    as_of: date
    organizations: int
    systems: int
    added: int | None
    removed: int | None
    slipped: int | None
    brought_forward: int | None
    slipped_since_first: int
    by_year: list[tuple[int | None, int]]  # (fiscal year or None when not planned, systems)
    title: str = ""
    publisher: str = ""


def special_timeline(as_of: date) -> tuple[bool, list[Edition]]:
    """(whether the editions are デジタル庁 lists, the editions up to the month)."""
    data = _summary(SPECIAL_SCOPE, as_of) or {}
    editions = [
        Edition(
            as_of=date.fromisoformat(e["as_of"]),
            organizations=e["organizations"],
            systems=e["systems"],
            added=e["added"],
            removed=e["removed"],
            slipped=e["slipped"],
            brought_forward=e.get("brought_forward"),
            slipped_since_first=e.get("slipped_since_first", 0),
            by_year=[(y["fiscal_year"], y["systems"]) for y in e["by_year"]],
            title=e.get("title", ""),
            publisher=e.get("publisher", ""),
        )
        for e in data.get("editions", [])
    ]
    return bool(data.get("from_lists")), editions


@dataclass(frozen=True)
class DesignationRow:
    system: str
    cells: list[tuple[bool, date | None]]  # per edition: designated, planned completion
    changes: list[str]  # 「2025年12月から特定移行支援（移行完了予定 2027年3月31日）」…


def designation_history(code: str, as_of: date, editions: list[date]) -> list[DesignationRow]:
    """A 団体's systems that were ever 特定移行支援 up to the month: their designation at each edition and the
    changes of designation and planned completion (from the 団体's own attribute rows, read once for its page)."""
    by_system = [
        (
            s.name,
            [
                (month, a.special_support, a.planned_completion if a.special_support else None)
                for month, a in s.until(as_of)
            ],
        )
        for s in system_histories(code)
    ]
    out = []
    for name, history in by_system:
        if not any(special for _m, special, _p in history):
            continue
        cells = []
        for d in editions:
            current = [h for h in history if h[0] <= d]
            cells.append((current[-1][1], current[-1][2]) if current else (False, None))
        changes = []
        previous: tuple[bool, date | None] = (False, None)
        for month, special, planned in history:
            if (special, planned) == previous:
                continue
            when = f"{month.year}年{month.month}月"
            if special and not previous[0]:
                plan = f"（移行完了予定 {planned.year}年{planned.month}月{planned.day}日）" if planned else ""
                changes.append(f"{when}から特定移行支援{plan}")
            elif special and planned != previous[1]:
                changes.append(f"{when}に移行完了予定を変更：{_day(previous[1])} → {_day(planned)}")
            elif not special and previous[0]:
                changes.append(f"{when}から特定移行支援ではない")
            previous = (special, planned)
        out.append(DesignationRow(name, cells, changes))
    return out


def _day(d: date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else "未定"
