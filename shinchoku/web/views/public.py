"""The national page and the "find my town" search (server-rendered; they read rollups only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from shinchoku.domain.codes import CodeError, code_candidates
from shinchoku.pagekit import tilemap
from shinchoku.pagekit.common import MonthContext, chart, month_series, public_page, query_string, rate_trend_chart
from shinchoku.pagekit.numbers import num, pct
from shinchoku.progress import selectors
from shinchoku.reference import lookup
from shinchoku.reference.models import Organization

SEARCH_LIMIT = 30


@public_page
def national(request: HttpRequest, month: MonthContext) -> HttpResponse:
    summary = selectors.national_summary(as_of=month.as_of)
    prefs = selectors.prefectures(as_of=month.as_of)
    tiles, legend = tilemap.build({p.key: (p.name, p.completion_rate_mean) for p in prefs})
    ranking = selectors.ranked(prefs)
    kinds = selectors.kinds(as_of=month.as_of)
    bands = selectors.rate_bands(as_of=month.as_of)
    trend = [(m, d) for m, d in selectors.series(scope="nation", months=month_series(month))]
    context = {
        "month": month,
        "summary": summary,
        "prefectures": prefs,
        "tiles": tiles,
        "legend": legend,
        "map": {"width": tilemap.WIDTH, "height": tilemap.HEIGHT, "cell": tilemap.CELL},
        "ranking": ranking,
        "kinds": [(k, bands.get(k.key, [0] * len(selectors.BANDS))) for k in kinds],
        "band_labels": selectors.BAND_LABELS,
        "trend": trend,
        "trend_chart": rate_trend_chart(
            trend,
            title="全国の完了率（総務省方式）の推移",
            caption="全国の市区町村の推移",
            rate_key="completion_rate_mean",
            rate_label="完了率の平均",
        ),
        "kind_chart": chart(
            "bar",
            title="団体区分別の完了率（総務省方式）",
            categories=[k.name for k in kinds],
            series=[
                ("平均", [k.completion_rate_mean for k in kinds]),
                ("中央値", [k.completion_rate_median for k in kinds]),
            ],
        ),
        "page_summary": _summary_text(month, summary),
        "charts": True,
    }
    return render(request, "web/national.html", context)


def _summary_text(month: MonthContext, s: dict) -> str:
    text = (
        f"{month.short}末時点の全国の状況です。{num(s['organizations'])}の市区町村の完了率（総務省方式）の平均は"
        f"{pct(s['completion_rate_mean'])}です。運用を始めたシステムは{num(s['systems_in_operation'])}、"
        f"スケジュール通りのシステムの割合は{pct(s['on_schedule_share'])}です。"
        f"特定移行支援システムは{num(s['special_support_organizations'])}団体の"
        f"{num(s['special_support_systems'])}システムです。"
    )
    if month.sample_data:
        text += "これは架空のサンプルデータです。"
    return text


def search(request: HttpRequest) -> HttpResponse:
    """Find a 団体 by name, kana or code; one clear match goes straight to its page."""
    q = (request.GET.get("q") or "").strip()[:64]
    suffix = query_string({"as_of": request.GET.get("as_of")})
    results: list[Organization] = []
    message = ""
    if q:
        code = _code_of(q)
        if code:
            return redirect(f"/organizations/{code}{suffix}")
        refs = selectors.name_index().search(q, limit=SEARCH_LIMIT)
        if len(refs) == 1:
            return redirect(f"/organizations/{refs[0].code}{suffix}")
        by_code = Organization.objects.in_bulk([r.code for r in refs])
        results = [by_code[r.code] for r in refs if r.code in by_code]
        if not results:
            message = _not_found_message(q)
    if results:
        summary = f"「{q}」に当てはまる団体が{len(results)}件見つかりました。"
    elif q:
        summary = f"「{q}」に当てはまる団体は見つかりませんでした。"
    else:
        summary = "市区町村名、都道府県名、ふりがな、団体コードで団体を探せます。"
    context = {
        "q": q,
        "results": results,
        "message": message,
        "limit": SEARCH_LIMIT,
        "suffix": suffix,
        "page_summary": summary,
    }
    return render(request, "web/search.html", context)


def _code_of(q: str) -> str | None:
    try:
        candidates = code_candidates(q)
    except CodeError:
        return None
    found = list(Organization.objects.filter(code__in=candidates, is_practice=False).values_list("code", flat=True))
    return found[0] if len(found) == 1 else None


def _not_found_message(q: str) -> str:
    try:
        lookup.find(q)
    except lookup.LookupFailed as e:
        return str(e)
    return f"「{q}」に該当する団体が見つかりません"
