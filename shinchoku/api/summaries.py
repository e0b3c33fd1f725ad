"""National and prefecture summaries."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from shinchoku.progress import selectors

from . import params
from .schemas import ErrorOut, NationalSummary, PrefectureSummary

router = Router(tags=["summary"])


@router.get(
    "/summary",
    response={200: NationalSummary, 400: ErrorOut, 404: ErrorOut},
    summary="全国の概要 / national summary",
)
def national(request: HttpRequest, as_of: Query[str | None] = None, include: Query[str | None] = None):
    """市区町村の平均・中央値（`include=prefectures` で都道府県を含む）。 / Means and medians over municipalities."""
    month = params.as_of(as_of)
    return selectors.national_summary(as_of=month, include_prefectures=include == "prefectures")


@router.get(
    "/prefectures/{pref}/summary",
    response={200: PrefectureSummary, 400: ErrorOut, 404: ErrorOut},
    summary="都道府県の概要 / prefecture summary",
)
def prefecture(request: HttpRequest, pref: str, as_of: Query[str | None] = None):
    """管内市区町村の集計と一覧。 / Figures for the municipalities of one prefecture."""
    month = params.as_of(as_of)
    code = pref.strip().zfill(2)
    if not (code.isdigit() and len(code) == 2):
        raise selectors.NotFound(f"都道府県コード「{pref}」は2桁の数字で指定してください")
    return selectors.prefecture_summary(pref=code, as_of=month)
