"""/changes?as_of=: what changed in a published month — systems that went into operation, newly late systems,
and 完了率 that went down — 団体 by 団体, against the month published before it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shinchoku.domain.changes import earlier_months
from shinchoku.pagekit.common import MonthContext, public_page
from shinchoku.pagekit.numbers import num
from shinchoku.progress import selectors
from shinchoku.progress.selectors.changes import OrgChange, organization_changes


def _positive(rows: list[OrgChange], value) -> list[OrgChange]:
    picked = [r for r in rows if (value(r) or 0) > 0]
    return sorted(picked, key=lambda r: (-value(r), r.code))


@public_page
def changes(request: HttpRequest, month: MonthContext) -> HttpResponse:
    names = selectors.prefecture_names()
    pref = request.GET.get("pref") if request.GET.get("pref") in names else ""
    previous, _ = earlier_months(month.months, month.as_of)
    rows = organization_changes(as_of=month.as_of, previous=previous, pref=pref or None) if previous else []
    operation = _positive(rows, lambda r: r.went_into_operation)
    late = _positive(rows, lambda r: r.newly_late)
    regressions = sorted(
        (r for r in rows if (r.completion_change or 0) < 0), key=lambda r: (r.completion_change, r.code)
    )
    improved = sum(1 for r in rows if (r.completion_change or 0) > 0)
    rate_only = bool(rows) and all(r.went_into_operation is None for r in rows)
    where = names.get(pref, "全国")
    if previous is None:
        summary = f"{month.short}末は最初に公表された月のため、比べる前の月がありません。"
    else:
        summary = (
            f"{where}の{month.short}末を前の月（{previous.year}年{previous.month}月末）と比べました。"
            f"完了率が上がった団体は{num(improved)}、下がった団体は{num(len(regressions))}です。"
        )
        if not rate_only:
            summary += (
                f"運用を始めたシステムがある団体は{num(len(operation))}、"
                f"新たに遅れたシステムがある団体は{num(len(late))}です。"
            )
    context = {
        "month": month,
        "previous": previous,
        "prefectures": names,
        "pref": pref,
        "where": where,
        "compared": len(rows),
        "improved": improved,
        "operation": operation,
        "operation_systems": sum(r.went_into_operation or 0 for r in operation),
        "late": late,
        "late_systems": sum(r.newly_late or 0 for r in late),
        "regressions": regressions,
        "rate_only": rate_only,
        "page_summary": summary + month.sample_note,
    }
    return render(request, "web/changes.html", context)
