"""Helpers for public pages: the month shown, its labels, and the chart data handed to charts.js."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shinchoku.domain.calendar import DateError, to_wareki
from shinchoku.progress import selectors
from shinchoku.progress.provenance import month_source


@dataclass
class MonthContext:
    as_of: date
    label: str
    sample_data: bool
    months: list[date]
    requested_invalid: bool = False
    # Other query parameters of the page, kept as hidden fields when another month is picked.
    keep: list[tuple[str, str]] = field(default_factory=list)
    pinned: bool = False  # the reader asked for this month, so links carry it on
    source: str | None = None  # 「出典：…」 when the month holds official figures

    @property
    def param(self) -> str:
        return f"{self.as_of:%Y-%m}"

    @property
    def query(self) -> str:
        """「?as_of=2025-05」 for links when a past month was asked for, so time travel survives a click."""
        return f"?as_of={self.param}" if self.pinned else ""

    @property
    def amp(self) -> str:
        return f"&as_of={self.param}" if self.pinned else ""

    @property
    def short(self) -> str:
        return f"{self.as_of.year}年{self.as_of.month}月"


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
    months = selectors.months(published_only=True)
    return MonthContext(
        as_of=as_of,
        label=f"{as_of.year}年{as_of.month}月{as_of.day}日（{to_wareki(as_of)}）",
        sample_data=selectors.is_sample(as_of),
        months=months,
        requested_invalid=invalid,
        keep=[(k, v) for k, v in request.GET.items() if k != "as_of"],
        pinned=not invalid and raw not in (None, "") and bool(months) and as_of != months[-1],
        source=month_source(as_of),
    )


PageView = Callable[..., HttpResponse]


def public_page(view: Callable[..., HttpResponse]) -> PageView:
    """Give the view its MonthContext; before any month is published, show the 'no data yet' page."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            month = month_context(request)
        except selectors.NotFound:
            return render(request, "web/empty.html", status=200)
        return view(request, month, *args, **kwargs)

    return wrapper


def month_series(month: MonthContext) -> list[date]:
    """The published months up to the one shown: the x axis of every trend."""
    return [m for m in month.months if m <= month.as_of]


def chart(
    kind: str,
    *,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | int | None]]],
    percent: bool = True,
    stacked: bool = False,
) -> dict:
    """The JSON charts.js draws; rates stay fractions here and become percentages on screen."""
    return {
        "type": kind,
        "title": title,
        "categories": list(categories),
        "series": [{"name": name, "data": [_round(v, percent) for v in data]} for name, data in series],
        "percent": percent,
        "stacked": stacked,
    }


def _round(v: float | int | None, percent: bool) -> float | int | None:
    if v is None:
        return None
    return round(v * 100, 1) if percent else v


def query_string(params: dict[str, str | None]) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return "?" + urlencode(clean) if clean else ""
