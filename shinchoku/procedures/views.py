"""Public pages: the national picture (/procedures), "my town" search, and one 市区町村's procedures."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from shinchoku.domain.codes import CodeError, code_candidates
from shinchoku.domain.kinds import PREFECTURE
from shinchoku.pagekit import tilemap
from shinchoku.pagekit.common import chart, month_chart
from shinchoku.pagekit.numbers import pct
from shinchoku.publication.pages import MonthContext, public_page
from shinchoku.reference import lookup
from shinchoku.reference.models import Organization

from . import selectors
from .dataset import PROCEDURES

SEARCH_LIMIT = 30


procedures_page = public_page(PROCEDURES)


@procedures_page
def national(request: HttpRequest, month: MonthContext) -> HttpResponse:
    summary = selectors.national_summary(as_of=month.as_of)
    prefs = summary["by_prefecture"]
    trend = [t for t in selectors.trend(until=month.as_of)]
    lagging = sorted(summary["by_procedure"], key=lambda p: (p["available_share"] or 0, p["number"]))[:5]
    text = (
        f"{month.short}末時点で、26の手続すべてをマイナポータルからオンラインでできる市区町村は"
        f"{summary['completed_municipalities']:,}（全{summary['municipalities']:,}市区町村の{pct(summary['completed_share'])}）です。"
        + month.sample_note
    )
    context = {
        "month": month,
        "summary": summary,
        "prefectures": prefs,
        **tilemap.page_context({p["code"]: (p["name"], p["completed_share"]) for p in prefs}),
        "lagging": lagging,
        "trend": trend,
        "trend_chart": month_chart(
            title="26手続すべてオンラインでできる市区町村の割合の推移",
            caption="全国の完了した市区町村の割合の推移",
            months=[t["as_of"] for t in trend],
            series=[("完了した市区町村の割合", [t["completed_share"] for t in trend])],
        ),
        "procedure_chart": chart(
            "bar",
            title="手続ごとの、オンラインでできる市区町村の割合",
            categories=[f"{p['number']}" for p in summary["by_procedure"]],
            series=[("オンラインでできる割合", [p["available_share"] for p in summary["by_procedure"]])],
        ),
        "page_summary": text,
        "charts": True,
    }
    return render(request, "procedures/national.html", context)


def search(request: HttpRequest) -> HttpResponse:
    """「わたしのまち」: find a 市区町村 by name, kana or code; one clear match goes straight to its page."""
    q = (request.GET.get("q") or "").strip()[:64]
    as_of = request.GET.get("as_of") or ""
    suffix = f"?as_of={as_of}" if as_of else ""
    results: list[Organization] = []
    message = ""
    if q:
        code = _code_of(q)
        if code:
            return redirect(f"/procedures/{code}{suffix}")
        refs = [r for r in lookup.name_index().search(q, limit=SEARCH_LIMIT + 1) if not r.is_prefecture]
        exact = [r for r in refs if q in (r.name, r.display_name, r.prefecture + r.name)]
        if len(refs) == 1 or len(exact) == 1:
            return redirect(f"/procedures/{(exact or refs)[0].code}{suffix}")
        by_code = Organization.objects.in_bulk([r.code for r in refs[:SEARCH_LIMIT]])
        results = [by_code[r.code] for r in refs[:SEARCH_LIMIT] if r.code in by_code]
        if not results:
            message = (
                f"「{q}」に当たる市区町村が見つかりません。"
                "市区町村名（例：石巻市）、ひらがな・カタカナ、団体コードで探せます。"
            )
    context = {"q": q, "results": results, "message": message, "limit": SEARCH_LIMIT, "suffix": suffix, "as_of": as_of}
    return render(request, "procedures/search.html", context)


def _code_of(q: str) -> str | None:
    try:
        candidates = code_candidates(q)
    except CodeError:
        return None
    found = list(
        Organization.objects.filter(code__in=candidates, is_practice=False)
        .exclude(kind=PREFECTURE)
        .values_list("code", flat=True)
    )
    return found[0] if len(found) == 1 else None


@procedures_page
def organization(request: HttpRequest, month: MonthContext, code: str) -> HttpResponse:
    try:
        data = selectors.organization_procedures(code, month.as_of)
    except selectors.NotFound as exc:
        return render(request, "procedures/not_found.html", {"month": month, "message": str(exc)}, status=404)
    history = selectors.organization_history(code, until=month.as_of)
    text = (
        f"{data['name']}では、{month.short}末時点で、子育て・介護の{data['procedures_total']}の手続のうち"
        f"{data['available_count']}の手続をマイナポータルからオンラインでできます。" + month.sample_note
    )
    context = {"month": month, "procedures": data, "history": history, "page_summary": text}
    return render(request, "procedures/organization.html", context)
