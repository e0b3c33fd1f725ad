"""Helpers for public pages: the month shown, its labels, and the chart data handed to charts.js."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from urllib.parse import urlencode

from django.http import HttpRequest

from shinchoku.progress.dataset import PROGRESS
from shinchoku.publication import pages
from shinchoku.publication.pages import MonthContext


def month_context(request: HttpRequest) -> MonthContext:
    """The progress 基準日 a public page shows (see publication.pages)."""
    return pages.month_context(request, PROGRESS)


# Every public progress page: its MonthContext, or the 'no data yet' page before any month is published.
public_page = pages.public_page(PROGRESS)


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
    caption: str = "",
) -> dict:
    """The JSON charts.js draws; rates stay fractions here and become percentages on screen."""
    return {
        "type": kind,
        "title": title,
        "categories": list(categories),
        "series": [{"name": name, "data": [_chart_value(v, percent) for v in data]} for name, data in series],
        "percent": percent,
        "stacked": stacked,
        "caption": caption or title,  # the caption of the table beside the chart
    }


def rate_trend_chart(
    trend: Sequence[tuple[date, dict]], *, title: str, caption: str, rate_key: str, rate_label: str
) -> dict:
    """The line chart of an area's 完了率 and its share on schedule, one point per published month."""
    return chart(
        "line",
        title=title,
        caption=caption,
        categories=[f"{m.year}年{m.month}月" for m, _ in trend],
        series=[
            (rate_label, [d.get(rate_key) for _, d in trend]),
            ("スケジュール通りの割合", [d.get("on_schedule_share") for _, d in trend]),
        ],
    )


def _chart_value(v: float | int | None, percent: bool) -> float | int | None:
    if v is None:
        return None
    return round(v * 100, 1) if percent else v


def query_string(params: dict[str, str | None]) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return "?" + urlencode(clean) if clean else ""
