"""和暦, 年度 and 基準日: the dates government files are written in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shinchoku.domain.calendar import (
    DateError,
    find_wareki_month,
    fiscal_year,
    fiscal_year_label,
    month_end,
    month_range,
    parse_date,
    parse_month,
    to_month_end,
    to_wareki,
    wareki_month_label,
)
from tests.unit.cases import by_outcome, function_name

HEISEI_START = date(1989, 1, 8)
heisei_or_later = st.dates(min_value=HEISEI_START)


def test_month_end_knows_leap_years() -> None:
    assert month_end(2024, 2) == date(2024, 2, 29)
    assert month_end(2025, 2) == date(2025, 2, 28)
    assert month_end(2026, 1) == date(2026, 1, 31)
    assert to_month_end(date(2024, 10, 1)) == date(2024, 10, 31)


def test_month_outside_one_to_twelve_is_a_date_error() -> None:
    with pytest.raises(DateError, match="月は1〜12"):
        month_end(2024, 13)


def test_fiscal_year_starts_in_april() -> None:
    assert fiscal_year(date(2026, 3, 31)) == 2025
    assert fiscal_year(date(2026, 4, 1)) == 2026


def test_fiscal_year_label_uses_the_era_and_gannen() -> None:
    assert fiscal_year_label(2025) == "令和7年度"
    assert fiscal_year_label(2019) == "令和元年度"
    assert fiscal_year_label(2018) == "平成30年度"


@pytest.mark.parametrize(
    ("day", "long", "short"),
    [
        (date(2024, 10, 31), "令和6年10月31日", "R6.10.31"),
        (date(2019, 5, 1), "令和元年5月1日", "R1.5.1"),
        (date(2019, 4, 30), "平成31年4月30日", "H31.4.30"),
        (date(1989, 1, 8), "平成元年1月8日", "H1.1.8"),
        (date(1989, 1, 7), "昭和64年1月7日", "S64.1.7"),
    ],
)
def test_to_wareki_writes_long_and_short_forms(day: date, long: str, short: str) -> None:
    assert to_wareki(day) == long
    assert to_wareki(day, short=True) == short


def test_wareki_month_label_drops_the_day() -> None:
    assert wareki_month_label(date(2026, 1, 31)) == "令和8年1月"
    assert wareki_month_label(date(2026, 3, 31), short=True) == "R8.3月"
    assert wareki_month_label(date(2019, 5, 31)) == "令和元年5月"


def test_dates_before_showa_cannot_be_written_in_wareki() -> None:
    with pytest.raises(DateError):
        to_wareki(date(1900, 1, 1))


# What each reader makes of the texts in use: parse_date the day; parse_month the month's last day (from a month
# or a day); find_wareki_month the month named anywhere in a sheet's or a file's title.
READINGS = [
    (
        parse_date,
        date(2024, 10, 31),
        [
            "2024-10-31",
            "2024/10/31",
            "2024.10.31",
            "2024年10月31日",
            "R6.10.31",
            "r6.10.31",
            "R06/10/31",
            "令和6年10月31日",
            "２０２４－１０－３１",
            "Ｒ６．１０．３１",
            "令和６年１０月３１日",
            " 令和6年 10月 31日\u3000",
            "2024-10-31 00:00:00",
            "2024-10-31T00:00:00+09:00",
        ],
    ),
    (parse_date, date(2024, 1, 5), ["2024/1/5"]),
    (parse_date, date(2019, 5, 1), ["令和元年5月1日"]),
    (parse_date, date(2019, 4, 30), ["H31.4.30", "平成31年4月30日"]),
    (parse_month, date(2026, 1, 31), ["2026-01", "2026/1", "2026年1月", "令和8年1月", "R8.1"]),
    (parse_month, date(2026, 3, 31), ["R8.3月"]),
    (parse_month, date(2019, 5, 31), ["令和元年5月"]),
    (parse_month, date(2024, 2, 29), ["2024-02-10", date(2024, 2, 1)]),
    (parse_month, date(2024, 10, 31), ["令和6年10月1日"]),
    (
        find_wareki_month,
        date(2026, 1, 31),
        ["市区町村の標準化・共通化に係る手順書の各ステップの進捗状況（令和８年１月末時点）", "令和8年1月_進捗状況"],
    ),
    (find_wareki_month, date(2019, 5, 31), ["令和元年5月分"]),
    (find_wareki_month, date(2025, 12, 31), ["progress 2025年12月.xlsx"]),
    (find_wareki_month, date(2026, 2, 28), ["令和8年13月 と 令和8年2月"]),
]


@pytest.mark.parametrize(("read", "expected", "text"), by_outcome(READINGS), ids=function_name)
def test_each_reader_reads_the_forms_in_use(read: Callable[[object], date], expected: date, text: object) -> None:
    assert read(text) == expected


def test_date_and_datetime_objects_pass_through() -> None:
    assert parse_date(date(2024, 10, 31)) == date(2024, 10, 31)
    assert parse_date(datetime(2024, 10, 31, 15, 30)) == date(2024, 10, 31)
    assert type(parse_date(datetime(2024, 10, 31, 15, 30))) is date


def test_find_wareki_month_returns_none_without_a_month() -> None:
    assert find_wareki_month("業務別ステップ別進捗一覧") is None


# What a reader refuses, and the reason its DateError gives
REFUSALS = [
    (parse_date, "読み取れません", ["", None, "tomorrow", "31/10/2024", "R6", "2024-10"]),
    (parse_date, "存在しない日付", ["2025-02-29", "2024-13-01", "R6.4.31"]),
    (parse_date, "令和は令和元年5月1日から", ["R1.4.30"]),
    (parse_month, "年月を読み取れません", ["", "2026", "令和8年"]),
    (parse_month, "月は1〜12", ["2026-13"]),
    (parse_month, "令和は令和元年5月から", ["R1.4"]),
]


@pytest.mark.parametrize(("read", "message", "text"), by_outcome(REFUSALS), ids=function_name)
def test_each_reader_refuses_what_it_cannot_read_and_says_why(
    read: Callable[[object], date], message: str, text: object
) -> None:
    with pytest.raises(DateError, match=message):
        read(text)


def test_date_error_is_a_value_error() -> None:
    assert issubclass(DateError, ValueError)


def test_month_range_lists_month_ends_inclusively() -> None:
    assert month_range(date(2025, 11, 15), date(2026, 2, 1)) == [
        date(2025, 11, 30),
        date(2025, 12, 31),
        date(2026, 1, 31),
        date(2026, 2, 28),
    ]
    assert month_range(date(2026, 2, 1), date(2025, 11, 15)) == []


@given(heisei_or_later)
def test_wareki_round_trips_from_heisei_onwards(day: date) -> None:
    assert parse_date(to_wareki(day)) == day
    assert parse_date(to_wareki(day, short=True)) == day


@given(heisei_or_later)
def test_wareki_month_label_round_trips_to_the_month_end(day: date) -> None:
    assert parse_month(wareki_month_label(day)) == to_month_end(day)
    assert parse_month(wareki_month_label(day, short=True)) == to_month_end(day)


@given(st.dates())
def test_iso_dates_round_trip(day: date) -> None:
    assert parse_date(day.isoformat()) == day


@given(st.dates(max_value=date(9998, 12, 31)), st.integers(min_value=0, max_value=60))
def test_month_range_has_one_month_end_per_month(start: date, months: int) -> None:
    end_year, end_month = divmod(start.year * 12 + start.month - 1 + months, 12)
    end = date(end_year, end_month + 1, 1)
    result = month_range(start, end)
    assert len(result) == months + 1
    assert result == sorted(set(result))
    assert all(to_month_end(d) == d for d in result)


@given(st.dates(min_value=date(2, 1, 1), max_value=date(9999, 3, 31)))  # FY of Jan–Mar of year 1 is year 0
def test_fiscal_year_contains_the_date(day: date) -> None:
    fy = fiscal_year(day)
    assert date(fy, 4, 1) <= day < date(fy + 1, 4, 1)
