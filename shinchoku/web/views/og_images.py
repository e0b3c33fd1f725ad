"""/og/…png: the figure of the national, prefecture and 団体 pages as the image their Open Graph meta names."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from shinchoku.pagekit.common import MonthContext, public_page
from shinchoku.pagekit.numbers import pct
from shinchoku.progress import selectors
from shinchoku.web.og import draw_card

from .lookups import organization_or_404, prefecture_name_or_404

MAX_AGE = 3600


def _card(month: MonthContext, *, title: str, latin_title: str, figure: float | None, label: str) -> HttpResponse:
    """The PNG card of one page's figure for the month (marked sample or naming its source), cached an hour."""
    response = HttpResponse(
        draw_card(
            title=title,
            latin_title=latin_title,
            figure=pct(figure),
            label=label,
            month=f"{month.short}末",
            sample=month.sample_data,
            source=_source(month),
        ),
        content_type="image/png",
    )
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


def _source(month: MonthContext) -> str:
    """「出典：総務省」 from the month's source line (the full line is on the page the image belongs to)."""
    return month.source.split("「", 1)[0] if month.source else ""


@public_page
def national(request: HttpRequest, month: MonthContext) -> HttpResponse:
    s = selectors.national_summary(as_of=month.as_of)
    return _card(
        month,
        title="全国の進捗",
        latin_title="Japan",
        figure=s["completion_rate_mean"],
        label="市区町村の完了率（総務省方式）の平均",
    )


@public_page
def prefecture(request: HttpRequest, month: MonthContext, pref: str) -> HttpResponse:
    name = prefecture_name_or_404(pref)
    area = selectors.AreaRow.from_data(pref, name, selectors.area(f"pref:{pref}", month.as_of) or {})
    return _card(
        month,
        title=f"{name}の進捗",
        latin_title=f"Prefecture {pref}",
        figure=area.completion_rate_mean,
        label="市区町村の完了率（総務省方式）の平均",
    )


@public_page
def organization(request: HttpRequest, month: MonthContext, code: str) -> HttpResponse:
    org = organization_or_404(code)
    progress = selectors.organization_progress(code=org.code, as_of=month.as_of, include_versions=False)
    return _card(
        month,
        title=f"{org.display_name}の進捗",
        latin_title=f"Organization {org.code}",
        figure=progress["summary"]["completion_rate"],
        label="完了率（総務省方式）",
    )
