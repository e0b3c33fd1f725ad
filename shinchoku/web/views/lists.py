"""特定移行支援 and vendor pages: aggregates over the System table and the month's 団体 rollups."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shinchoku.outlook.sections import special_section
from shinchoku.pagekit.common import MonthContext, public_page, rows_chart
from shinchoku.pagekit.numbers import num
from shinchoku.progress import selectors
from shinchoku.reference.models import Business


@public_page
def special_support(request: HttpRequest, month: MonthContext) -> HttpResponse:
    names = selectors.prefecture_names()
    pref = request.GET.get("pref", "")
    pref = pref if pref in names else ""
    years = selectors.special_support_by_year(as_of=month.as_of)
    businesses = list(Business.objects.order_by("number"))
    by_business = [(b, [y.by_business.get(b.number, 0) for y in years]) for b in businesses]
    totals = selectors.special_support_totals(as_of=month.as_of)
    common = [y.systems - sum(y.by_business.values()) for y in years]  # 共通機能: a system of no business
    latest = next((y for y in reversed(years) if y.fiscal_year), None)
    context = {
        "month": month,
        "years": years,
        "by_business": [(b, counts, sum(counts)) for b, counts in by_business if sum(counts)],
        "common": (common, sum(common)) if sum(common) else None,
        "year_totals": [y.systems for y in years],
        "total_systems": totals["systems"],
        "total_orgs": totals["organizations"],
        "special_timeline": special_section(month.as_of),  # lists over time, slips
        "prefectures": selectors.special_support_by_prefecture(as_of=month.as_of),
        "pref": pref,
        "pref_name": names.get(pref, ""),
        "pref_years": selectors.special_support_by_year(as_of=month.as_of, pref=pref) if pref else [],
        "pref_orgs": selectors.special_support_organizations(pref=pref, as_of=month.as_of) if pref else [],
        "names": names,
        "year_chart": rows_chart(
            "bar",
            years,
            title="移行完了予定の年度別 特定移行支援システム数",
            label="label",
            figures=[("システム数", "systems"), ("団体数", "organizations")],
            percent=False,
        ),
        "page_summary": (
            f"{month.short}末時点で、特定移行支援システムは{num(totals['organizations'])}"
            f"団体の{num(totals['systems'])}システムです。"
            + (f"最も遅い移行完了予定は{latest.label}で、{num(latest.systems)}システムです。" if latest else "")
            + month.sample_note
        ),
        "charts": True,
    }
    return render(request, "web/special_support.html", context)


@public_page
def vendors(request: HttpRequest, month: MonthContext) -> HttpResponse:
    rows = selectors.vendors(as_of=month.as_of)
    total = sum(r.systems for r in rows)
    context = {
        "month": month,
        "rows": [(r, r.systems / total if total else None) for r in rows],
        "bars": rows_chart(
            "hbar",
            rows,
            title="事業者別のシステム数",
            figures=[("システム数", "systems"), ("特定移行支援", "special_support_systems")],
            percent=False,
        ),
        "page_summary": (
            f"{month.short}末時点の、事業者ごとのシステム数と、その事業者のシステムを使う団体の完了率です。"
            f"登録されている事業者は{num(len(rows))}です。" + month.sample_note
        ),
        "charts": True,
    }
    return render(request, "web/vendors.html", context)
