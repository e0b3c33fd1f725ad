"""和暦, 年度 and 基準日: reading and writing the dates Japanese government files use."""

from __future__ import annotations

import calendar as _stdlib_calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

__all__ = [
    "DateError",
    "find_wareki_month",
    "fiscal_year",
    "fiscal_year_label",
    "month_end",
    "month_range",
    "parse_date",
    "parse_month",
    "to_month_end",
    "to_wareki",
    "wareki_month_label",
]


class DateError(ValueError):
    """A date that cannot be read; str(e) is shown to users as is."""


@dataclass(frozen=True)
class _Era:
    name: str
    letter: str
    start: date

    def year_label(self, year: int, short: bool) -> str:
        number = year - self.start.year + 1
        if short:
            return f"{self.letter}{number}"
        # The first year of an era is written 元年, never 1年.
        return f"{self.name}{'元' if number == 1 else number}年"


# Newest first, so the first era that started on or before a date is its era.
_ERAS = (
    _Era("令和", "R", date(2019, 5, 1)),
    _Era("平成", "H", date(1989, 1, 8)),
    _Era("昭和", "S", date(1926, 12, 25)),
)
_ERA_BY_TOKEN = {token: era for era in _ERAS for token in (era.name, era.letter, era.name[0])}
_ERA_PATTERN = "|".join(sorted(_ERA_BY_TOKEN, key=len, reverse=True))

_SEP = r"[-/.]"
# Excel and str(datetime) append a midnight time; the day is all a 基準日 needs.
_TIME_SUFFIX = re.compile(r"(?:T|\s)+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")
_ERA_YEAR = rf"({_ERA_PATTERN})(元|\d{{1,4}})"
_WESTERN_DATE = re.compile(rf"(\d{{4}})(?:{_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})|年(\d{{1,2}})月(\d{{1,2}})日)")
_WAREKI_DATE = re.compile(rf"{_ERA_YEAR}(?:{_SEP}(\d{{1,2}}){_SEP}(\d{{1,2}})|年(\d{{1,2}})月(\d{{1,2}})日)")
_WESTERN_MONTH = re.compile(rf"(\d{{4}})(?:{_SEP}(\d{{1,2}})|年(\d{{1,2}})月)")
_WAREKI_MONTH = re.compile(rf"{_ERA_YEAR}(?:{_SEP}(\d{{1,2}})月?|年(\d{{1,2}})月)")
_TITLE_MONTH = re.compile(rf"(?:({_ERA_PATTERN})(元|\d{{1,2}})|(\d{{4}}))年(\d{{1,2}})月")


def month_end(year: int, month: int) -> date:
    """The last day of a month: progress is reported as of month ends."""
    if not 1 <= month <= 12:
        raise DateError(f"月は1〜12で指定してください: {month}")
    try:
        return date(year, month, _stdlib_calendar.monthrange(year, month)[1])
    except ValueError:
        raise DateError(f"扱えない年です: {year}") from None


def to_month_end(d: date) -> date:
    return month_end(d.year, d.month)


def fiscal_year(d: date) -> int:
    """The 年度 of a date: a fiscal year starts on 1 April."""
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_label(fy: int) -> str:
    """「令和7年度」 for FY2025; the era is the one in force for most of that 年度."""
    era = _era_of(date(fy, 12, 31))
    return era.year_label(fy, short=False) + "度"


def _era_of(d: date) -> _Era:
    for era in _ERAS:
        if d >= era.start:
            return era
    raise DateError(f"昭和より前の日付は和暦で表せません: {d.isoformat()}")


def to_wareki(d: date, short: bool = False) -> str:
    """「令和6年10月31日」, or 「R6.10.31」 when short."""
    era = _era_of(d)
    if short:
        return f"{era.year_label(d.year, True)}.{d.month}.{d.day}"
    return f"{era.year_label(d.year, False)}{d.month}月{d.day}日"


def wareki_month_label(d: date, short: bool = False) -> str:
    """「令和8年1月」, or 「R8.1月」 when short; 基準日 are month ends, so the day is noise."""
    era = _era_of(d)
    if short:
        return f"{era.year_label(d.year, True)}.{d.month}月"
    return f"{era.year_label(d.year, False)}{d.month}月"


def _clean(text: object) -> str:
    normalized = unicodedata.normalize("NFKC", "" if text is None else str(text)).strip()
    return "".join(_TIME_SUFFIX.sub("", normalized).split())


def _upper_era_letters(text: str) -> str:
    # 「r6.10.31」 is as common as 「R6.10.31」 in hand-typed cells.
    return text.translate(str.maketrans("rhs", "RHS"))


def _era_year(token: str, number: str) -> tuple[_Era, int]:
    era = _ERA_BY_TOKEN[token]
    n = 1 if number == "元" else int(number)
    if n < 1:
        raise DateError(f"{era.name}0年はありません")
    return era, era.start.year + n - 1


def _make_date(year: int, month: int, day: int, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"存在しない日付です: {original}") from None


def parse_date(text: object) -> date:
    """A date from a cell: ISO, slashes, dots, 和暦 (R6.10.31, 令和6年10月31日), full-width digits."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    cleaned = _clean(text)
    western = _WESTERN_DATE.fullmatch(cleaned)
    if western:
        year, m1, d1, m2, d2 = western.groups()
        return _make_date(int(year), int(m1 or m2), int(d1 or d2), cleaned)
    wareki = _WAREKI_DATE.fullmatch(_upper_era_letters(cleaned))
    if wareki:
        token, number, m1, d1, m2, d2 = wareki.groups()
        era, year = _era_year(token, number)
        result = _make_date(year, int(m1 or m2), int(d1 or d2), cleaned)
        if result < era.start:
            raise DateError(f"{era.name}は{to_wareki(era.start)}からです: {cleaned}")
        return result
    raise DateError(f"日付を読み取れません: {cleaned or '（空欄）'}（例: 2024-10-31, R6.10.31, 令和6年10月31日）")


def parse_month(text: object) -> date:
    """The month end of a month (2026-01, 2026年1月, 令和8年1月, R8.1) or of a full date."""
    if isinstance(text, date):
        return to_month_end(text.date() if isinstance(text, datetime) else text)
    cleaned = _clean(text)
    try:
        return to_month_end(parse_date(cleaned))
    except DateError:
        pass
    western = _WESTERN_MONTH.fullmatch(cleaned)
    if western:
        year, m1, m2 = western.groups()
        return month_end(int(year), int(m1 or m2))
    wareki = _WAREKI_MONTH.fullmatch(_upper_era_letters(cleaned))
    if wareki:
        token, number, m1, m2 = wareki.groups()
        era, year = _era_year(token, number)
        result = month_end(year, int(m1 or m2))
        if result < era.start:
            raise DateError(f"{era.name}は{wareki_month_label(era.start)}からです: {cleaned}")
        return result
    raise DateError(f"年月を読み取れません: {cleaned or '（空欄）'}（例: 2026-01, 令和8年1月, R8.1）")


def find_wareki_month(text: str) -> date | None:
    """The month a file or sheet title is about (「…令和8年1月末時点…」), as its month end."""
    for match in _TITLE_MONTH.finditer(unicodedata.normalize("NFKC", str(text))):
        token, number, western_year, month = match.groups()
        try:
            year = _era_year(token, number)[1] if token else int(western_year)
            return month_end(year, int(month))
        except DateError:
            # 「令和8年13月」 is not a month; a later mention may be.
            continue
    return None


def month_range(start: date, end: date) -> list[date]:
    """Month ends from start's month to end's month, inclusive; empty if start is later."""
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(month_end(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
