"""National and prefecture summaries."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router

from shinchoku.progress import selectors

from . import params
from .routes import public_get
from .schemas import NationalSummary, PrefectureSummary

router = Router(tags=["summary"])

INCLUDE_DESCRIPTION = params.d(
    "`prefectures` を指定すると都道府県も平均・中央値に含める", "`prefectures` to include prefectures in the figures"
)


@public_get(router, "/summary", NationalSummary, "全国の概要 / national summary")
def national(
    request: HttpRequest,
    as_of: params.AsOfQuery = None,
    include: str | None = Query(None, description=INCLUDE_DESCRIPTION),
):
    """市区町村の平均・中央値（`include=prefectures` で都道府県を含む）。 / Means and medians over municipalities."""
    month = params.as_of(as_of)
    return selectors.national_summary(as_of=month, include_prefectures=include == "prefectures")


@public_get(router, "/prefectures/{pref}/summary", PrefectureSummary, "都道府県の概要 / prefecture summary")
def prefecture(
    request: HttpRequest, pref: str = Path(..., description=params.PREF_DESCRIPTION), as_of: params.AsOfQuery = None
):
    """管内市区町村の集計と一覧。 / Figures for the municipalities of one prefecture, and each of them."""
    try:
        code = params.prefecture(pref)
    except params.BadParameter as exc:
        raise selectors.NotFound(str(exc)) from None
    month = params.as_of(as_of)
    return selectors.prefecture_summary(pref=code, as_of=month)
