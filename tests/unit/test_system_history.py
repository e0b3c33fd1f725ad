"""A system's attribute rows by month: the row in force at a month, and the rows up to it."""

from __future__ import annotations

from datetime import date

from shinchoku.progress.attributes import Attributes
from shinchoku.progress.selectors.system_history import SystemHistory

JAN, MAR, JUN = date(2025, 1, 31), date(2025, 3, 31), date(2025, 6, 30)
HISTORY = SystemHistory(
    1,
    "住民基本台帳",
    ((JAN, Attributes(vendor="甲社")), (MAR, Attributes(vendor="乙社", special_support=True))),
)


def test_before_the_first_row_a_system_has_no_attributes() -> None:
    assert HISTORY.at(date(2024, 12, 31)) is None
    assert HISTORY.until(date(2024, 12, 31)) == ()


def test_a_row_holds_from_its_month_until_the_next_row() -> None:
    assert HISTORY.at(JAN).vendor == "甲社"
    assert HISTORY.at(date(2025, 2, 28)).vendor == "甲社"
    assert HISTORY.at(MAR).vendor == "乙社"
    assert HISTORY.at(JUN).special_support is True


def test_the_rows_up_to_a_month_include_that_months_row() -> None:
    assert [m for m, _ in HISTORY.until(date(2025, 2, 28))] == [JAN]
    assert [m for m, _ in HISTORY.until(MAR)] == [JAN, MAR]


def test_a_system_never_described_has_no_rows() -> None:
    empty = SystemHistory(2, "税務", ())
    assert empty.at(JUN) is None and empty.until(JUN) == ()
