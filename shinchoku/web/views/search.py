"""「わたしのまち」 search: a results page that works without JavaScript, and suggestions while typing."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from shinchoku.domain.codes import CodeError, code_candidates
from shinchoku.domain.town_search import shortlist
from shinchoku.pagekit.common import query_string
from shinchoku.progress.selectors.towns import town_index
from shinchoku.reference import lookup
from shinchoku.reference.models import Organization

SEARCH_LIMIT = 30  # a whole prefecture is always listed in full, past this
SUGGEST_LIMIT = 8
MAX_QUERY = 64


def search(request: HttpRequest) -> HttpResponse:
    """Find a 団体 by name, kana, romaji or code; one clear match goes straight to its page."""
    q = (request.GET.get("q") or "").strip()[:MAX_QUERY]
    suffix = query_string({"as_of": request.GET.get("as_of")})
    results: list[Organization] = []
    total = 0
    message = ""
    if q:
        code = _code_of(q)
        if code:
            return redirect(f"/organizations/{code}{suffix}")
        hits = town_index().search(q)
        total = len(hits)
        if total == 1:
            return redirect(f"/organizations/{hits[0].org.code}{suffix}")
        shown = shortlist(hits, SEARCH_LIMIT)
        by_code = Organization.objects.in_bulk([h.org.code for h in shown])
        results = [by_code[h.org.code] for h in shown if h.org.code in by_code]
        if not results:
            message = _not_found_message(q)
    if results:
        summary = f"「{q}」に当てはまる団体が{total}件見つかりました。"
    elif q:
        summary = f"「{q}」に当てはまる団体は見つかりませんでした。"
    else:
        summary = "市区町村名、都道府県名、ふりがな、ローマ字、団体コードで団体を探せます。"
    context = {
        "q": q,
        "results": results,
        "total": total,
        "truncated": total > len(results),
        "message": message,
        "suffix": suffix,
        "page_summary": summary,
    }
    return render(request, "web/search.html", context)


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    """Suggestions while typing (the search box's script asks this): the best few 団体, best first."""
    q = (request.GET.get("q") or "").strip()[:MAX_QUERY]
    items = []
    if q:
        code = _code_of(q)
        codes = [code] if code else [h.org.code for h in town_index().search(q, limit=SUGGEST_LIMIT)[:SUGGEST_LIMIT]]
        by_code = Organization.objects.in_bulk(codes)
        items = [
            {"code": c, "name": by_code[c].display_name, "kind": by_code[c].kind, "url": f"/organizations/{c}"}
            for c in codes
            if c in by_code
        ]
    response = JsonResponse({"query": q, "suggestions": items}, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=300"
    return response


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
