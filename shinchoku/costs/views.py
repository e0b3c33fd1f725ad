"""Public pages: operating costs against the FY2018 baseline (/costs) and the ガバメントクラウド and vendors
(/costs/cloud). Server-rendered from the rollups; every chart has a table; JavaScript only draws the charts."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import replace

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shinchoku.pagekit.common import MonthContext, chart, month_context
from shinchoku.progress import selectors as progress

from . import cloud_selectors, selectors
from .domain import BINS, CATEGORIES, REFERENCE_LINES

TOP_VENDORS = 10


def cost_month(request: HttpRequest) -> MonthContext:
    """The published month shown. Cost figures are the 団体's own reports, so no official 出典 line."""
    return replace(month_context(request), source=None)


def costs_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        try:
            month = cost_month(request)
        except progress.NotFound:  # nothing published at all yet
            return render(request, "costs/empty.html", status=200)
        return view(request, month, *args, **kwargs)

    return wrapper


def _axis_max(values: Sequence[float | None], *, lines: Sequence[float] = ()) -> float:
    top = max([v for v in values if v is not None] + list(lines) + [1.0])
    return math.ceil(top * 1.1 * 2) / 2  # a half-step above the largest value or line


def _lines(*keys: str) -> list[dict]:
    return [{"value": r.ratio, "label": r.label} for r in REFERENCE_LINES if r.key in keys]


def _ratio_chart(kind: str, title: str, categories: list[str], series: list, lines: list[dict]) -> dict:
    spec = chart(kind, title=title, categories=categories, series=series, percent=False)
    spec["unit"] = "倍"
    spec["lines"] = lines
    spec["max"] = _axis_max([v for _name, data in series for v in data], lines=[x["value"] for x in lines])
    return spec


def _fiscal_year(request: HttpRequest) -> tuple[int | None, bool]:
    raw = (request.GET.get("fy") or "").strip()
    if not raw:
        return None, False
    return (int(raw), False) if raw.isdigit() else (None, True)


@costs_page
def national(request: HttpRequest, month: MonthContext) -> HttpResponse:
    wanted, invalid = _fiscal_year(request)
    summary = selectors.cost_summary(month.as_of, wanted)
    invalid = invalid or (wanted is not None and wanted != summary.fiscal_year)
    lines = _lines("target", "tokyo", "chukakushi_mean")
    trend = list(summary.trend)
    context = {
        "month": month,
        "summary": summary,
        "fy_invalid": invalid,
        "bins": [label for label, _upper in BINS],
        "distribution": list(zip([b for b, _u in BINS], summary.nation.distribution, strict=True))
        if summary.nation
        else [],
        "categories": CATEGORIES,
        "reference_lines": REFERENCE_LINES,
        "page_summary": _summary_text(summary, month),
        "charts": summary.has_figures,
    }
    if summary.has_figures:
        context |= {
            "trend_chart": _ratio_chart(
                "bar",
                "年度ごとの運用経費の平成30年度比（全国の市区町村）",
                [f"{fy}年度" for fy, _g in trend],
                [("平均", [g.mean_ratio for _fy, g in trend]), ("中央値", [g.median_ratio for _fy, g in trend])],
                lines,
            ),
            "distribution_chart": chart(
                "bar",
                title=f"{summary.fiscal_year}年度の平成30年度比の分布（市区町村の数）",
                categories=[label for label, _upper in BINS],
                series=[("市区町村の数", list(summary.nation.distribution) if summary.nation else [])],
                percent=False,
            ),
            "kind_chart": _ratio_chart(
                "hbar",
                f"団体区分別の平成30年度比の平均（{summary.fiscal_year}年度）",
                [k for k, _g in summary.by_kind],
                [("平均", [g.mean_ratio for _k, g in summary.by_kind])],
                lines,
            ),
        }
    return render(request, "costs/national.html", context)


def _summary_text(summary: selectors.CostSummary, month: MonthContext) -> str:
    n = summary.nation
    if n is None or summary.fiscal_year is None:
        return (
            f"{month.short}末時点で、運用経費を公開した団体はまだありません。"
            "国の目標は、運用経費を平成30年度より少なくとも3割減らすことです。"
        )
    text = (
        f"{summary.fiscal_year}年度の運用経費を平成30年度と比べると、公開した{n.organizations:,}の市区町村の平均は"
        f"{n.mean_ratio:.2f}倍、中央値は{n.median_ratio:.2f}倍です。国の目標（0.7倍以下、3割削減）を達成したのは"
        f"{n.met_target:,}団体です。"
    )
    if month.sample_data:
        text += "これは架空のサンプルデータです。"
    return text


@costs_page
def cloud(request: HttpRequest, month: MonthContext) -> HttpResponse:
    summary = cloud_selectors.cloud_summary(month.as_of)
    nation = summary.nation
    top = summary.vendors[:TOP_VENDORS]
    context = {
        "month": month,
        "summary": summary,
        "top_vendors": top,
        "pref_rows": [
            (a, [{q.key: q.systems for q in a.providers}.get(p.key, 0) for p in nation.providers])
            for a in summary.by_prefecture
        ],
        "gainers": [b for b in summary.balances if b.net_systems > 0],
        "losers": [b for b in summary.balances if b.net_systems < 0],
        "charts": summary.has_figures,
        "page_summary": _cloud_text(summary, month),
    }
    if summary.has_figures:
        context |= {
            "provider_chart": chart(
                "bar",
                title="ガバメントクラウドの事業者別のシステムの割合（全国）",
                categories=[p.label for p in nation.providers],
                series=[("システムの割合", [p.share for p in nation.providers])],
            ),
            "vendor_chart": chart(
                "hbar",
                title=f"事業者別のシステムの割合（上位{len(top)}事業者）",
                categories=[v.name for v in top],
                series=[("システムの割合", [v.share for v in top])],
            ),
        }
    return render(request, "costs/cloud.html", context)


def _cloud_text(summary: cloud_selectors.CloudSummary, month: MonthContext) -> str:
    n = summary.nation
    if not summary.has_figures:
        return f"{month.short}末時点で、ガバメントクラウドの利用や事業者を報告した団体はまだありません。"
    text = (
        f"{month.short}末時点で、利用の有無が分かる{n.reported:,}システムのうち{n.on_cloud:,}システム"
        f"（{(n.on_cloud_share or 0) * 100:.1f}%）がガバメントクラウドを利用しています。"
        f"事業者が変わったシステムは{summary.changed_systems:,}（{summary.changed_organizations:,}団体）です。"
    )
    if month.sample_data:
        text += "これは架空のサンプルデータです。"
    return text
