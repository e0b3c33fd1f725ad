"""/compare?codes=042021,011002: up to four 団体 side by side (rates, per business, one trend chart and its table)."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from shinchoku.domain.codes import CodeError, code_candidates
from shinchoku.pagekit.common import MonthContext, month_chart, month_series, public_page
from shinchoku.progress import selectors
from shinchoku.progress.selectors.towns import town_index
from shinchoku.reference.models import Organization

MAX_COMPARED = 4
MAX_PEERS = 8


def compare_url(codes: list[str], as_of: str | None = None) -> str:
    """/compare?codes=042021,041009 (commas kept readable), with the month when one is pinned."""
    url = "/compare?codes=" + ",".join(codes) if codes else "/compare"
    if as_of:
        url += ("&" if codes else "?") + "as_of=" + quote(as_of)
    return url


def _resolve(text: str) -> str | None:
    """A real 団体's code from any code form, or from a name when the search puts one match first."""
    text = text.strip()[:64]
    if not text:
        return None
    try:
        candidates = code_candidates(text)
    except CodeError:
        hits = town_index().search(text, limit=1)
        return hits[0].org.code if hits else None
    found = Organization.objects.filter(code__in=candidates, is_practice=False).values_list("code", flat=True)
    return next((c for c in candidates if c in set(found)), None)


def _codes(raw: str) -> tuple[list[str], list[str]]:
    """The first four known codes in the order given, and what could not be read."""
    codes: list[str] = []
    unknown: list[str] = []
    for part in raw.replace("、", ",").split(","):
        if not part.strip():
            continue
        code = _resolve(part)
        if code is None:
            unknown.append(part.strip()[:20])
        elif code not in codes and len(codes) < MAX_COMPARED:
            codes.append(code)
    return codes, unknown


def _figures(progress: dict) -> dict:
    s = progress["summary"]
    with_steps = s.get("systems_with_steps") or 0
    systems = progress["systems"]
    return {
        "systems": s["systems"],
        "completion_rate": s["completion_rate"],
        "progress_rate": s["progress_rate"] if with_steps else None,
        "on_schedule_share": (s["on_schedule_systems"] / with_steps) if with_steps else None,
        "late_systems": (with_steps - s["on_schedule_systems"]) if with_steps else None,
        "special_support_systems": sum(1 for x in systems if x["special_support"]),
    }


@public_page
def compare(request: HttpRequest, month: MonthContext) -> HttpResponse:
    raw = request.GET.get("codes", "")
    if request.GET.get("add"):
        raw = f"{raw},{request.GET['add']}"
    codes, unknown = _codes(raw)
    canonical = ",".join(codes)
    if codes and not unknown and (request.GET.get("add") or raw != canonical):
        return redirect(compare_url(codes, request.GET.get("as_of")))
    orgs = [selectors.get_organization(c) for c in codes]
    progress = [selectors.organization_progress(code=c, as_of=month.as_of, include_versions=False) for c in codes]
    figures = [_figures(p) for p in progress]
    businesses: dict[tuple[int, str], list[float | None]] = {}
    for i, p in enumerate(progress):
        for sys in p["systems"]:
            if sys["business_number"] is None:
                continue
            row = businesses.setdefault((sys["business_number"], sys["business"]), [None] * len(codes))
            row[i] = sys["completion_rate"]
    series_months = month_series(month)
    trends = [dict((m, c) for m, c, _ in selectors.organization_trend(code=c, until=month.as_of)) for c in codes]
    trend_rows = [(m, [t.get(m) for t in trends]) for m in series_months]
    keep = month.param if month.pinned else None
    context = {
        "month": month,
        "columns": [
            {
                "org": o,
                "figures": f,
                "remove_url": compare_url([c for c in codes if c != o.code], keep),
            }
            for o, f in zip(orgs, figures, strict=True)
        ],
        "codes": canonical,
        "unknown": unknown,
        "full": len(codes) >= MAX_COMPARED,
        "max": MAX_COMPARED,
        "businesses": [(name, values) for (_, name), values in sorted(businesses.items())],
        "trend_rows": trend_rows,
        "trend_chart": month_chart(
            title="完了率（総務省方式）の推移",
            caption="比べている団体の完了率（総務省方式）の推移",
            months=series_months,
            series=[(o.display_name, [t.get(m) for m in series_months]) for o, t in zip(orgs, trends, strict=True)],
        ),
        "peers": _peers(orgs, codes, keep),
        "page_summary": _summary(month, orgs),
        "charts": bool(codes),
    }
    return render(request, "web/compare.html", context)


def _peers(orgs: list, codes: list[str], keep: str | None) -> list[tuple[Organization, str]]:
    """団体 of the same 団体区分 in the same prefecture as the first one compared, with the link that adds each."""
    if not orgs or len(codes) >= MAX_COMPARED:
        return []
    first = orgs[0]
    peers = (
        Organization.objects.filter(prefecture_code=first.prefecture_code, kind=first.kind, is_practice=False)
        .exclude(code__in=codes)
        .order_by("code")[:MAX_PEERS]
    )
    return [(p, compare_url([*codes, p.code], keep)) for p in peers]


def _summary(month: MonthContext, orgs: list) -> str:
    if not orgs:
        return f"団体コードか名前を入れると、{MAX_COMPARED}団体まで数値を並べて比べられます。"
    names = "、".join(o.display_name for o in orgs)
    text = f"{month.short}末時点の{names}を並べて比べています。"
    return text + month.sample_note
