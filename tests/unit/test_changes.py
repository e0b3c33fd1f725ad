"""Change since the previous month and since twelve months earlier."""

from __future__ import annotations

from datetime import date

from shinchoku.domain.changes import Field, changes, earlier_months

MONTHS = [date(2025, 4, 30), date(2025, 9, 30), date(2026, 3, 31), date(2026, 4, 30)]
RATE = Field("rate", "完了率", percent=True)
COUNT = Field("ops", "運用開始", percent=False)


def test_earlier_months_are_the_previous_published_month_and_the_same_month_a_year_before():
    assert earlier_months(MONTHS, date(2026, 4, 30)) == (date(2026, 3, 31), date(2025, 4, 30))
    assert earlier_months(MONTHS, date(2026, 3, 31)) == (date(2025, 9, 30), None)
    assert earlier_months(MONTHS, date(2025, 4, 30)) == (None, None)


def test_changes_are_differences_and_none_where_a_month_or_figure_is_missing():
    series = {
        date(2025, 4, 30): {"rate": 0.5, "ops": 3},
        date(2026, 3, 31): {"rate": 0.8, "ops": None},
        date(2026, 4, 30): {"rate": 0.85, "ops": 10},
    }
    previous, year_ago, (rate, ops) = changes(series, date(2026, 4, 30), [RATE, COUNT])
    assert (previous, year_ago) == (date(2026, 3, 31), date(2025, 4, 30))
    assert rate.since_previous == 0.05 and rate.since_year_ago == 0.35
    assert ops.since_previous is None and ops.since_year_ago == 7
