"""The forecast method on constructed histories: steady, zero and noisy pace; the range; the backtest."""

from __future__ import annotations

from datetime import date

from shinchoku.outlook.forecasting import (
    DONE,
    FORECAST,
    NO_HISTORY,
    NO_PACE,
    History,
    Point,
    backtest,
    describe,
    forecast,
)
from shinchoku.outlook.warning_rules import add_months

START = date(2025, 1, 31)


def history(done: list[float], total: float = 400.0, start: date = START) -> list[Point]:
    return [Point(add_months(start, i), d, total) for i, d in enumerate(done)]


def test_steady_pace_gives_one_month_and_a_range_of_that_month():
    points = history([100 + 20 * i for i in range(7)])  # 20 steps a month; 220 of 400 done at the 7th month
    as_of = add_months(START, 6)
    f = forecast(points, as_of)
    assert f.status == FORECAST
    assert f.pace == 20 and f.best_pace == 20 and f.worst_pace == 20
    assert f.month == add_months(as_of, 9)  # 180 remaining ÷ 20 a month
    assert f.earliest == f.latest == f.month
    assert describe(f).startswith("このままのペースなら") and "ごろ" in describe(f)


def test_zero_pace_cannot_be_forecast():
    f = forecast(history([150] * 7), add_months(START, 6))
    assert f.status == NO_PACE and f.month is None and f.pace == 0
    assert describe(f).startswith("見通せません")


def test_falling_pace_cannot_be_forecast_either():
    f = forecast(history([200, 200, 190, 190, 180, 180, 180]), add_months(START, 6))
    assert f.status == NO_PACE


def test_noisy_pace_gives_a_range_from_the_best_and_worst_three_months():
    increases = [0, 30, 5, 25, 10, 20]
    done = [100.0]
    for step in increases:
        done.append(done[-1] + step)
    as_of = add_months(START, 6)
    f = forecast(history(done), as_of)
    assert f.pace == 15  # 90 over 6 months
    assert f.best_pace == 25 and f.worst_pace == 5
    remaining = 400 - 190
    assert f.month == add_months(as_of, 14)  # ceil(210 / 15)
    assert f.earliest == add_months(as_of, 9)  # ceil(210 / 25)
    assert f.latest == add_months(as_of, 42)  # 210 / 5
    assert f.earliest <= f.month <= f.latest
    assert remaining == f.remaining


def test_worst_months_without_progress_leave_the_late_end_open():
    done = [100, 100, 100, 100, 130, 160, 190]
    f = forecast(history(done), add_months(START, 6))
    assert f.status == FORECAST and f.worst_pace == 0 and f.latest is None
    assert "遅ければ見通せません" in describe(f)


def test_finished_and_short_histories():
    assert forecast(history([400] * 3), add_months(START, 2)).status == DONE
    short = forecast(history([100, 120, 140]), add_months(START, 2))
    assert short.status == NO_HISTORY and "履歴" in describe(short)
    assert forecast([], START).status == NO_HISTORY


def test_gaps_between_months_are_carried_forward():
    points = [Point(START, 100, 400), Point(add_months(START, 6), 160, 400)]
    f = forecast(points, add_months(START, 6))
    assert f.pace == 10 and f.worst_pace == 0 and f.best_pace == 20  # one jump of 60 in the last month
    assert History(points).at(add_months(START, 3)) == (100, 400)


def test_a_pace_too_slow_for_the_horizon_is_not_a_date():
    f = forecast(history([100, 100, 100, 100, 100, 100, 101]), add_months(START, 6))
    assert f.status == NO_PACE and f.pace and f.pace > 0
    assert "年以上" in describe(f)


def test_backtest_of_a_steady_unit_has_no_error_and_a_stalled_one_shows_its_optimism():
    steady = history([20 * i for i in range(19)], total=400)  # 20 a month from 0; done at month 20
    stalled = history([20 * i for i in range(13)] + [240] * 6, total=400)  # stops after a year
    as_of = add_months(START, 18)
    bt = backtest({"steady": steady}, as_of)
    assert bt.units == 1 and bt.rate_mae == 0 and bt.within_range == 1
    bt = backtest({"steady": steady, "stalled": stalled}, as_of)
    # the stalled unit was forecast at 240 + 6 × 20 = 360 of 400 but stayed at 240: 0.3 too optimistic
    assert bt.units == 2 and abs(bt.rate_mae - 0.15) < 1e-9 and abs(bt.rate_bias - 0.15) < 1e-9
    assert bt.within_range == 0.5


def test_backtest_counts_units_that_finished_and_those_forecast_to():
    quick = history([min(600, 100 + 50 * i) for i in range(13)], total=600)  # all done at month 10
    bt = backtest({"quick": quick}, add_months(START, 12))  # forecast at month 6: 200 left at 50 a month
    assert bt.finished == 1 and bt.forecast_to_finish == 1 and bt.both == 1 and bt.month_mae == 0
