"""Reference lists and the other area summaries: months, prefectures, businesses, steps."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router

from shinchoku.progress import selectors

from . import params
from .routes import public_get
from .schemas_areas import BusinessOut, BusinessSummary, MonthOut, PrefectureList, StepsSummary

router = Router(tags=["areas"])


@public_get(router, "/months", list[MonthOut], "公開済みの月 / published months")
def months(request: HttpRequest):
    """データのある公開済みの基準日（古い順）。 / Published as-of dates, oldest first."""
    return selectors.published_months()


@public_get(router, "/prefectures", PrefectureList, "都道府県の一覧と集計 / prefectures")
def prefectures(request: HttpRequest, as_of: params.AsOfQuery = None):
    """47都道府県それぞれの管内市区町村の集計。 / Figures over each prefecture's municipalities."""
    return selectors.prefecture_list(as_of=params.as_of(as_of))


@public_get(router, "/businesses", list[BusinessOut], "20業務 / the 20 businesses")
def businesses(request: HttpRequest):
    """標準化の対象となる基幹業務20業務。 / The 20 standardised core businesses."""
    return selectors.business_list()


@public_get(router, "/businesses/{number}/summary", BusinessSummary, "業務の概要 / business summary")
def business_summary(
    request: HttpRequest,
    number: int = Path(..., description=params.d("業務番号（1〜20）", "business number 1-20")),
    as_of: params.AsOfQuery = None,
):
    """その業務のシステムの集計（全国と都道府県別）。 / Figures over the systems of one business."""
    return selectors.business_summary(number=number, as_of=params.as_of(as_of))


@public_get(router, "/steps/summary", StepsSummary, "作業ステップ別の状況 / progress by step")
def steps_summary(
    request: HttpRequest,
    as_of: params.AsOfQuery = None,
    prefecture: str | None = Query(None, description=params.PREF_DESCRIPTION + params.d("（省略時は全国）", "")),
):
    """40ステップそれぞれの状態別システム数と割合（市区町村のシステム）。 / Counts and shares per step."""
    pref = params.prefecture(prefecture) if prefecture not in (None, "") else None
    return selectors.steps_summary(as_of=params.as_of(as_of), prefecture=pref)
