"""The month a public page shows, and the decorator every dataset's public pages use.

A dataset names its month table, how to speak of it and the page shown before any month is published; the
page gets a MonthContext: `?as_of=YYYY-MM` (else the latest published month), the labels, the sample flag and
the 出典 line of official figures.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from shinchoku.domain.calendar import DateError, to_wareki

from .models import PublishableMonth
from .months import NotFound, is_sample, latest_month, month_list

__all__ = ["MonthContext", "PublishedDataset", "month_context", "public_page"]


def _no_source(_as_of: date) -> str | None:
    return None


@dataclass(frozen=True)
class PublishedDataset:
    """A monthly published dataset as its public pages see it."""

    name: str
    month_model: type[PublishableMonth]
    what: str  # how messages name its data: 「手続のオンライン化の」, "" for progress
    empty_template: str  # shown while no month is published
    source: Callable[[date], str | None] = _no_source  # the 出典 line of a month's official figures


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

    @property
    def options(self) -> str:
        """The month picker's options, newest first, this month selected (made once per month list and month:
        every public page has them, and the template engine takes about a millisecond for 44 of them)."""
        return _options(tuple(self.months), self.as_of)

    @property
    def sample_note(self) -> str:
        """The sentence a page summary ends with when the month holds the fictional sample, else ""."""
        return "これは架空のサンプルデータです。" if self.sample_data else ""


def month_context(request: HttpRequest, dataset: PublishedDataset) -> MonthContext:
    """The 基準日 a public page shows: `?as_of=YYYY-MM`, else the latest published month (NotFound: none)."""
    model = dataset.month_model
    raw = request.GET.get("as_of")
    invalid = False
    try:
        as_of = latest_month(model, raw, what=dataset.what)
    except (DateError, ValueError, NotFound):
        if raw in (None, ""):
            raise
        invalid = True
        as_of = latest_month(model, None, what=dataset.what)
    months = month_list(model)
    return MonthContext(
        as_of=as_of,
        label=f"{as_of.year}年{as_of.month}月{as_of.day}日（{to_wareki(as_of)}）",
        sample_data=is_sample(model, as_of),
        months=months,
        requested_invalid=invalid,
        keep=[(k, v) for k, v in request.GET.items() if k != "as_of"],
        pinned=not invalid and raw not in (None, "") and bool(months) and as_of != months[-1],
        source=dataset.source(as_of),
    )


@functools.lru_cache(maxsize=256)
def _options(months: tuple[date, ...], as_of: date) -> str:
    return mark_safe(  # dates only: nothing to escape
        "".join(
            f'<option value="{m:%Y-%m}"{" selected" if m == as_of else ""}>{m.year}年{m.month}月</option>'
            for m in reversed(months)
        )
    )


PageView = Callable[..., HttpResponse]


def public_page(dataset: PublishedDataset) -> Callable[[PageView], PageView]:
    """Give the view its MonthContext; before any month is published, show the dataset's 'no data yet' page."""

    def decorate(view: PageView) -> PageView:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            request.shinchoku_public_page = True  # its 200 may be kept (web.middleware.PublicPageCache)
            try:
                month = month_context(request, dataset)
            except NotFound:
                return render(request, dataset.empty_template, status=200)
            return view(request, month, *args, **kwargs)

        return wrapper

    return decorate
