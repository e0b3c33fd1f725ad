"""Helpers for public pages: the month shown, and its labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest

from shinchoku.domain.calendar import DateError, to_wareki
from shinchoku.progress import selectors


@dataclass
class MonthContext:
    as_of: date
    label: str
    sample_data: bool
    months: list[date]
    requested_invalid: bool = False


def month_context(request: HttpRequest) -> MonthContext:
    """The 基準日 a public page shows: `?as_of=YYYY-MM`, else the latest published month."""
    raw = request.GET.get("as_of")
    invalid = False
    try:
        as_of = selectors.resolve_as_of(raw, published_only=True)
    except (DateError, ValueError, selectors.NotFound):
        if raw in (None, ""):
            raise
        invalid = True
        as_of = selectors.resolve_as_of(None, published_only=True)
    return MonthContext(
        as_of=as_of,
        label=f"{as_of.year}年{as_of.month}月{as_of.day}日（{to_wareki(as_of)}）",
        sample_data=selectors.is_sample(as_of),
        months=selectors.months(published_only=True),
        requested_invalid=invalid,
    )
