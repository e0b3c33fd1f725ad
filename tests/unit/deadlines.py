"""国の完了期限 of the 40 standard steps, written out by hand from 総務省's published schedule (no tests here):
steps 1–8 R5.9月, 9–20 R5.12月, 21–26 R6.3月, 27–30 R6.11月, 31–40 R8.3月."""

from __future__ import annotations

from datetime import date

from shinchoku.domain.progress import FINAL_DEADLINE

NATIONAL_DEADLINES = (
    [date(2023, 9, 30)] * 8
    + [date(2023, 12, 31)] * 12
    + [date(2024, 3, 31)] * 6
    + [date(2024, 11, 30)] * 4
    + [FINAL_DEADLINE] * 10
)
