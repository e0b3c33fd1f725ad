"""Prefecture, business and step pages: every figure comes from AreaRollup / OrganizationRollup."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from shinchoku.domain.codes import prefecture_org_code
from shinchoku.pagekit.common import MonthContext, month_series, public_page, query_string, rate_trend_chart, rows_chart
from shinchoku.pagekit.numbers import num, pct
from shinchoku.progress import selectors
from shinchoku.reference.models import Business
from shinchoku.web.changes import area_changes, area_sentence

SORTS = {
    "code": "団体コード順",
    "rate": "完了率順",
    "name": "名前（五十音）順",
    "kind": "団体区分順",
    "progress": "進捗率順",
    "on_schedule": "スケジュール通り順",
    "operation": "運用開始済み順",
    "special": "特定移行支援順",
}
# Figures sorted like the rate: largest first by default, 団体 without the figure last.
_FIGURES = {
    "rate": lambda o: o.completion_rate,
    "progress": lambda o: o.progress_rate,
    "on_schedule": lambda o: o.on_schedule_systems,
    "operation": lambda o: o.systems_in_operation,
    "special": lambda o: o.special_support_systems,
}
ORDERS = {"asc": "昇順", "desc": "降順"}
# Steps whose completion marks a milestone: vendor chosen, final data migration, testing, go-live.
MILESTONES = (27, 34, 35, 40)


def _pref_or_404(pref: str) -> tuple[str, str]:
    names = selectors.prefecture_names()
    code = pref.zfill(2) if pref.isascii() and pref.isdigit() else pref
    if code not in names:
        raise Http404("都道府県コードは01〜47の2桁です")
    return code, names[code]


@public_page
def prefecture(request: HttpRequest, month: MonthContext, pref: str) -> HttpResponse:
    code, name = _pref_or_404(pref)
    if code != pref:
        return redirect(f"/prefectures/{code}{query_string(dict(request.GET.items()))}", permanent=True)
    area = selectors.AreaRow.from_data(code, name, selectors.area(f"pref:{code}", month.as_of) or {})
    all_orgs = selectors.organizations_in(pref=code, as_of=month.as_of)
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "code"
    order = request.GET.get("order") if request.GET.get("order") in ORDERS else ("desc" if sort in _FIGURES else "asc")
    kinds_here = [k for k in selectors.KIND_ORDER if any(o.kind == k for o in all_orgs)]
    kind = request.GET.get("kind") if request.GET.get("kind") in kinds_here else ""
    special = request.GET.get("special") == "1"
    orgs = [o for o in all_orgs if (not kind or o.kind == kind) and (not special or o.special_support_systems)]
    orgs = _sorted(orgs, sort, order)
    own = _prefecture_own(code, month)
    trend = selectors.series(scope=f"pref:{code}", months=month_series(month))
    filters = {"kind": kind, "special": "1" if special else "", "as_of": month.param if month.pinned else ""}
    context = {
        "month": month,
        "pref": code,
        "name": name,
        "area": area,
        "orgs": orgs,
        "total": len(all_orgs),
        "sort": sort,
        "order": order,
        "sort_label": SORTS[sort],
        "order_label": ORDERS[order],
        "sorts": SORTS,
        "orders": ORDERS,
        "kind": kind,
        "kinds": kinds_here,
        "special": special,
        "headers": _sort_headers(filters, sort, order),
        "own": own,
        "pref_org_code": prefecture_org_code(code),
        "trend": trend,
        "change": area_changes(trend, month.as_of),
        "og_title": f"{name}の進捗",
        "og_image": f"/og/prefectures/{code}.png",
        "feed": {"url": f"/feeds/prefectures/{code}.atom", "title": f"{name}の進捗（Atom）"},
        "trend_chart": rate_trend_chart(trend, name, caption=f"{name}内の市区町村の推移"),
        "page_summary": area_sentence(dict(trend).get(month.as_of, {}))
        + (
            f"{month.short}末時点の{name}の状況です。{num(area.organizations)}の市区町村の完了率（総務省方式）の平均は"
            f"{pct(area.completion_rate_mean)}、スケジュール通りのシステムの割合は{pct(area.on_schedule_share)}です。"
            f"特定移行支援システムがある団体は{num(area.special_support_organizations)}です。" + month.sample_note
        ),
        "charts": True,
    }
    return render(request, "web/prefecture.html", context)


def _sorted(orgs: list[selectors.OrgRow], sort: str, order: str) -> list[selectors.OrgRow]:
    reverse = order == "desc"
    if sort in _FIGURES:
        value = _FIGURES[sort]
        rated = sorted((o for o in orgs if value(o) is not None), key=lambda o: (value(o), o.code))
        if reverse:
            rated.reverse()
        # 団体 without the figure go last whichever the direction: they have nothing to compare.
        return rated + [o for o in orgs if value(o) is None]
    if sort == "name":
        return sorted(orgs, key=lambda o: (o.kana or o.name, o.code), reverse=reverse)
    if sort == "kind":
        return sorted(orgs, key=lambda o: (selectors.KIND_ORDER.index(o.kind), o.code), reverse=reverse)
    return sorted(orgs, key=lambda o: o.code, reverse=reverse)


def _sort_headers(filters: dict[str, str], sort: str, order: str) -> dict[str, dict]:
    """For each sortable column: the link that sorts by it (toggling direction) and its aria-sort."""
    out = {}
    for key in SORTS:
        current = key == sort
        default = "desc" if key in _FIGURES else "asc"
        next_order = ("asc" if order == "desc" else "desc") if current else default
        out[key] = {
            "url": query_string({**filters, "sort": key, "order": next_order}),
            "aria": ("ascending" if order == "asc" else "descending") if current else "",
            "next": ORDERS[next_order],
        }
    return out


def _prefecture_own(code: str, month: MonthContext) -> dict | None:
    """The prefecture's own systems (児童扶養手当, 生活保護): the same bounded per-団体 read as its own page."""
    try:
        return selectors.organization_progress(
            code=prefecture_org_code(code), as_of=month.as_of, include_versions=False
        )
    except selectors.NotFound:
        return None


@public_page
def business_index(request: HttpRequest, month: MonthContext) -> HttpResponse:
    rows = selectors.businesses(as_of=month.as_of)
    context = {
        "month": month,
        "rows": rows,
        "bars": rows_chart(
            "hbar",
            rows,
            title="業務別の完了率（総務省方式、システム単位）",
            figures=[("完了率", "completion_rate")],
        ),
        "page_summary": f"{month.short}末時点の、基幹業務20業務ごとの進捗です。",
        "charts": True,
    }
    return render(request, "web/businesses.html", context)


@public_page
def business(request: HttpRequest, month: MonthContext, number: int) -> HttpResponse:
    b = Business.objects.filter(number=number).first()
    if b is None:
        raise Http404("業務番号は1〜20です")
    data = selectors.area(f"business:{number}", month.as_of) or {}
    names = selectors.prefecture_names()
    by_pref = data.get("by_prefecture", {})
    rows = [(code, pname, by_pref.get(code, {})) for code, pname in names.items()]
    trend = selectors.series(scope=f"business:{number}", months=month_series(month))
    context = {
        "month": month,
        "business": b,
        "data": data,
        "rows": rows,
        "others": Business.objects.order_by("number"),
        "trend": trend,
        "trend_chart": rate_trend_chart(trend, b.name, caption=f"{b.name}の推移（全国）", business=True),
        "page_summary": (
            f"{month.short}末時点の{b.name}のシステムの状況です。{num(data.get('systems'))}システムの完了率"
            f"（総務省方式）は{pct(data.get('completion_rate'))}、運用を始めたシステムは"
            f"{num(data.get('systems_in_operation'))}です。" + month.sample_note
        ),
        "charts": True,
    }
    return render(request, "web/business.html", context)


@public_page
def steps(request: HttpRequest, month: MonthContext) -> HttpResponse:
    data = selectors.steps(as_of=month.as_of) or {"nation": [], "by_prefecture": {}}
    names = selectors.prefecture_names()
    defs = selectors.national_steps()
    nation = selectors.step_rows(data["nation"], defs)
    pref = request.GET.get("pref", "")
    pref = pref if pref in names else ""
    pref_rows = selectors.step_rows(data["by_prefecture"][pref], defs) if pref and pref in data["by_prefecture"] else []
    milestone_rows = []
    for code, pname in names.items():
        counts = data["by_prefecture"].get(code)
        rows = selectors.step_rows(counts, defs) if counts else []
        milestone_rows.append((code, pname, [rows[n - 1].done_share if rows else None for n in MILESTONES]))
    stalled = sorted((r for r in nation if r.systems), key=lambda r: r.done_share or 0)[:3]
    totals = (selectors.area("nation", month.as_of) or {}).get("totals", {})
    context = {
        "month": month,
        "rate_only": totals.get("rate_only_systems", 0),
        "with_steps": totals.get("systems_with_steps", totals.get("systems", 0)),
        "nation": nation,
        "pref": pref,
        "pref_name": names.get(pref, ""),
        "pairs": [(r, p, _diff(p.done_share, r.done_share)) for r, p in zip(nation, pref_rows, strict=False)],
        "names": names,
        "milestones": [nation[n - 1] for n in MILESTONES] if nation else [],
        "milestone_rows": milestone_rows,
        "stack": rows_chart(
            "stacked",
            nation,
            title="作業ステップ別の状態（全国の市区町村のシステム）",
            label="label",
            figures=[
                ("完了済み", "completed_share"),
                ("対象外", "not_applicable_share"),
                ("作業中", "in_progress_share"),
                ("未着手", "not_started_share"),
            ],
            stacked=True,
        ),
        "page_summary": (
            f"{month.short}末時点の、作業ステップごとの進み具合です。"
            + (
                "済んでいる割合が最も低いステップは"
                + "、".join(f"{r.label} {r.name}（{pct(r.done_share)}）" for r in stalled)
                + "です。"
                if stalled
                else "作業ステップごとの状態の報告はありません（総務省の公表は業務ごとの完了率のみ）。"
            )
            + month.sample_note
        ),
        "charts": True,
    }
    return render(request, "web/steps.html", context)


def _diff(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b
