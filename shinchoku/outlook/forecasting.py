"""「このままのペースなら」: when all systems would be done at the recent pace, and how well that worked before
(pure Python: no Django).

The measure is the 完了率's numerator: steps done (完了済み + 対象外, or the published k of 40) summed over a
団体's (or an area's) systems; "all done" is 40 × systems. The pace is the steps done per month over the last
6 months; the range uses the mean of the best and of the worst 3 of those 6 monthly increases. A pace of zero
or less gives no date (「見通せません」). See docs/outlook.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import pairwise

from .warning_rules import add_months, months_between

__all__ = [
    "DONE",
    "FORECAST",
    "HORIZON_MONTHS",
    "NO_HISTORY",
    "NO_PACE",
    "SPREAD",
    "WINDOW",
    "Backtest",
    "Forecast",
    "History",
    "Point",
    "backtest",
    "forecast",
    "series_at",
]

WINDOW = 6  # months of history the pace is measured over
SPREAD = 3  # the best / worst 3 monthly increases give the range
HORIZON_MONTHS = 240  # a date further than 20 years ahead is not a forecast
DONE, FORECAST, NO_PACE, NO_HISTORY = "done", "forecast", "no_pace", "no_history"


@dataclass(frozen=True)
class Point:
    """Steps done and steps in all (40 × systems) at a month."""

    as_of: date
    done: float
    total: float


@dataclass(frozen=True)
class Forecast:
    status: str  # done / forecast / no_pace / no_history
    as_of: date
    done: float = 0.0
    total: float = 0.0
    pace: float | None = None  # steps per month over the window
    best_pace: float | None = None
    worst_pace: float | None = None
    month: date | None = None  # when all would be done at `pace`
    earliest: date | None = None  # at the best pace
    latest: date | None = None  # at the worst pace; None when that pace is zero (「見通せません」)

    @property
    def remaining(self) -> float:
        return max(0.0, self.total - self.done)

    @property
    def rate(self) -> float | None:
        return self.done / self.total if self.total else None

    def done_after(self, months: int, pace: float | None = None) -> float:
        """Steps done `months` later at a pace (default: the forecast's), never beyond all of them."""
        p = self.pace if pace is None else pace
        return min(self.total, self.done + months * max(0.0, p or 0.0))


class History:
    """A unit's steps done and in all, month by month from its first point on (carried forward)."""

    def __init__(self, points: Sequence[Point]) -> None:
        ordered = sorted(points, key=lambda p: p.as_of)
        self.first: date | None = ordered[0].as_of if ordered else None
        self.values: list[tuple[float, float]] = []
        for p in ordered:
            assert self.first is not None
            index = months_between(self.first, p.as_of)
            while len(self.values) < index:
                self.values.append(self.values[-1])
            if len(self.values) == index:
                self.values.append((p.done, p.total))
            else:
                self.values[index] = (p.done, p.total)

    def index(self, as_of: date) -> int:
        return -1 if self.first is None else months_between(self.first, as_of)

    def at(self, as_of: date) -> tuple[float, float] | None:
        i = self.index(as_of)
        return None if i < 0 or not self.values else self.values[min(i, len(self.values) - 1)]

    def window(self, as_of: date, window: int) -> list[tuple[float, float]] | None:
        """The values at as_of − window … as_of, or None when the history starts later."""
        i = self.index(as_of)
        if i - window < 0 or not self.values:
            return None
        last = len(self.values) - 1
        return [self.values[min(k, last)] for k in range(i - window, i + 1)]


def series_at(points: Sequence[Point], as_of: date, window: int = WINDOW) -> list[Point] | None:
    """The values at as_of − window … as_of month by month (carried forward from the latest earlier point), or
    None when there is no point on or before the window's first month."""
    values = History(points).window(as_of, window)
    if values is None:
        return None
    return [Point(add_months(as_of, k - window), d, t) for k, (d, t) in enumerate(values)]


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _month_after(as_of: date, remaining: float, pace: float) -> date | None:
    months = math.ceil(remaining / pace - 1e-9)
    return add_months(as_of, months) if months <= HORIZON_MONTHS else None


def forecast(points: Sequence[Point] | History, as_of: date, *, window: int = WINDOW, spread: int = SPREAD) -> Forecast:
    """The forecast at `as_of` from the history held up to then (points of any months; carried forward)."""
    history = points if isinstance(points, History) else History(points)
    values = history.window(as_of, window)
    if values is None:
        current = history.at(as_of)
        if current is not None and current[1] and current[0] >= current[1]:
            return Forecast(DONE, as_of, *current)
        return Forecast(NO_HISTORY, as_of, *(current or (0.0, 0.0)))
    done, total = values[-1]
    if total and done >= total:
        return Forecast(DONE, as_of, done, total)
    if not total:
        return Forecast(NO_HISTORY, as_of)
    increases = sorted(b[0] - a[0] for a, b in pairwise(values))
    pace = (done - values[0][0]) / window
    worst, best = mean(increases[:spread]), mean(increases[-spread:])
    base = Forecast(FORECAST, as_of, done, total, pace, best, worst)
    remaining = total - done
    if pace <= 0:
        return _replace(base, status=NO_PACE)
    month = _month_after(as_of, remaining, pace)
    if month is None:
        return _replace(base, status=NO_PACE)
    earliest = _month_after(as_of, remaining, best)
    latest = _month_after(as_of, remaining, worst) if worst > 0 else None
    return _replace(base, month=month, earliest=earliest, latest=latest)


def _replace(f: Forecast, **values: object) -> Forecast:
    return replace(f, **values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Backtest:
    """Forecasts made `window` months before `as_of` compared with what happened by `as_of`."""

    as_of: date
    origin: date
    units: int  # 団体 with a forecast at the origin (any status but no_history)
    rate_mae: float | None  # mean absolute error of the 完了率 forecast for as_of, in points (0-1)
    rate_bias: float | None  # mean (forecast − actual): > 0 means the forecast was too optimistic
    within_range: float | None  # share whose actual rate lay in the best/worst range
    finished: int  # of those not done at the origin: finished by as_of
    forecast_to_finish: int  # … forecast (at the pace) to finish by as_of
    both: int  # finished and forecast to
    month_mae: float | None  # mean |forecast month − actual month| over those finished with a forecast month

    def as_dict(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items()}


def _finish_month(history: History, origin: date, as_of: date) -> date | None:
    for k in range(1, months_between(origin, as_of) + 1):
        m = add_months(origin, k)
        value = history.at(m)
        if value is not None and value[1] and value[0] >= value[1]:
            return m
    return None


def backtest(histories: Mapping[str, Sequence[Point] | History], as_of: date, *, window: int = WINDOW) -> Backtest:
    """Forecast each unit (a 団体) at as_of − window with only the history held then; compare with as_of."""
    origin = add_months(as_of, -window)
    errors: list[float] = []
    inside = 0
    finished = forecast_to = both = 0
    month_errors: list[int] = []
    for item in histories.values():
        history = item if isinstance(item, History) else History(item)
        f = forecast(history, origin, window=window)
        actual = history.at(as_of)
        if f.status == NO_HISTORY or actual is None or not actual[1] or not f.total:
            continue
        real = actual[0] / actual[1]
        predicted = f.done_after(window) / f.total
        errors.append(predicted - real)
        low = f.done_after(window, f.worst_pace) / f.total if f.worst_pace is not None else predicted
        high = f.done_after(window, f.best_pace) / f.total if f.best_pace is not None else predicted
        if min(low, high) - 1e-9 <= real <= max(low, high) + 1e-9:
            inside += 1
        if f.status == DONE:
            continue
        done_month = _finish_month(history, origin, as_of)
        predicted_finish = f.month is not None and f.month <= as_of
        finished += done_month is not None
        forecast_to += predicted_finish
        if done_month is not None and predicted_finish:
            both += 1
        if done_month is not None and f.month is not None:
            month_errors.append(abs(months_between(done_month, f.month)))
    n = len(errors)
    return Backtest(
        as_of=as_of,
        origin=origin,
        units=n,
        rate_mae=sum(abs(e) for e in errors) / n if n else None,
        rate_bias=sum(errors) / n if n else None,
        within_range=inside / n if n else None,
        finished=finished,
        forecast_to_finish=forecast_to,
        both=both,
        month_mae=sum(month_errors) / len(month_errors) if month_errors else None,
    )


def _ym(d: date) -> str:
    return f"{d.year}年{d.month}月"


PHRASE = "このままのペースなら"
CANNOT = "見通せません"


def describe(f: Forecast) -> str:
    """The forecast in words (「このままのペースなら…」, or 「見通せません」 with the reason)."""
    if f.status == DONE:
        return "すべてのシステムの作業ステップが完了しています。"
    if f.status == NO_HISTORY:
        return f"{CANNOT}（{WINDOW}か月分の履歴がありません）。"
    if f.status == NO_PACE or f.month is None:
        if f.pace is not None and f.pace > 0:
            return f"{CANNOT}（このままのペースでは{HORIZON_MONTHS // 12}年以上かかります）。"
        return f"{CANNOT}（直近{WINDOW}か月に完了した作業ステップがありません）。"
    early = _ym(f.earliest) if f.earliest else "—"
    late = _ym(f.latest) if f.latest else CANNOT
    return f"{PHRASE}{_ym(f.month)}ごろにすべて完了します（早ければ{early}、遅ければ{late}）。"
