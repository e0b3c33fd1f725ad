"""Helpers for public pages: the month shown, its labels, and the chart data handed to charts.js."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
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


def rows_chart(
    kind: str,
    rows: Sequence[Any],
    *,
    title: str,
    figures: Sequence[tuple[str, str]],
    label: str = "name",
    percent: bool = True,
    stacked: bool = False,
) -> dict:
    """A chart of rows: one category per row (its `label` attribute, by default its name) and one series per
    (series name, attribute) figure."""
    return chart(
        kind,
        title=title,
        categories=[getattr(r, label) for r in rows],
        series=[(name, [getattr(r, attr) for r in rows]) for name, attr in figures],
        percent=percent,
        stacked=stacked,
    )


def month_chart(
    *, title: str, months: Sequence[date], series: Sequence[tuple[str, Sequence[float | int | None]]], caption: str = ""
) -> dict:
    """A line chart with one point per month (categories 「2025年5月」)."""
    return chart(
        "line", title=title, caption=caption, categories=[f"{m.year}年{m.month}月" for m in months], series=series
    )


def rate_trend_chart(trend: Sequence[tuple[date, dict]], where: str, *, caption: str, business: bool = False) -> dict:
    """The line chart of 完了率 and the share on schedule, one point per published month: for an area the mean of
    its 団体's rates, for a business (business=True) its own rate."""
    rate_key, rate_label = ("completion_rate", "完了率") if business else ("completion_rate_mean", "完了率の平均")
    return month_chart(
        title=f"{where}の完了率（総務省方式）の推移",
        caption=caption,
        months=[m for m, _ in trend],
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
