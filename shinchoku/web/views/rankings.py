"""/rankings: every 市区町村 of a month, worst first by the figure chosen, filtered by prefecture and 団体区分."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shinchoku.pagekit.common import MonthContext, public_page, query_string
from shinchoku.pagekit.numbers import num
from shinchoku.progress import selectors
from shinchoku.progress.selectors.rankings import RankRow, municipality_rows


@dataclass(frozen=True)
class Sort:
    label: str
    worst: str  # the direction that puts the worst first: "asc" or "desc"
    value: Callable[[RankRow], float | int | None]


SORTS: dict[str, Sort] = {
    "completion": Sort("完了率", "asc", lambda r: r.completion_rate),
    "on_schedule": Sort("スケジュール通りの割合", "asc", lambda r: r.on_schedule_share),
    "late": Sort("遅れているシステム", "desc", lambda r: r.late_systems),
    "special": Sort("特定移行支援システム", "desc", lambda r: r.special_support_systems),
}
ORDERS = {"asc": "小さい順", "desc": "大きい順"}


def ranked(rows: list[RankRow], sort: str, order: str) -> list[tuple[int | None, RankRow]]:
    """Rows in order with their rank (ties share a rank); rows without the figure go last, unranked."""
    value = SORTS[sort].value
    known = sorted((r for r in rows if value(r) is not None), key=lambda r: r.code)
    known.sort(key=lambda r: value(r), reverse=order == "desc")  # type: ignore[arg-type, return-value]
    out: list[tuple[int | None, RankRow]] = []
    previous: tuple[float | int | None, int] | None = None
    for i, r in enumerate(known, start=1):
        rank = previous[1] if previous and previous[0] == value(r) else i
        previous = (value(r), rank)
        out.append((rank, r))
    return out + [(None, r) for r in rows if value(r) is None]


@public_page
def rankings(request: HttpRequest, month: MonthContext) -> HttpResponse:
    names = selectors.prefecture_names()
    pref = request.GET.get("pref") if request.GET.get("pref") in names else ""
    kinds = list(selectors.KIND_ORDER[:-1])
    kind = request.GET.get("kind") if request.GET.get("kind") in kinds else ""
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "completion"
    order = request.GET.get("order") if request.GET.get("order") in ORDERS else SORTS[sort].worst
    rows = municipality_rows(as_of=month.as_of, pref=pref or None, kind=kind or None)
    filters = {"pref": pref, "kind": kind, "as_of": month.param if month.pinned else ""}
    headers = []
    for key, s in SORTS.items():
        current = key == sort
        next_order = ("asc" if order == "desc" else "desc") if current else s.worst
        headers.append(
            {
                "label": s.label,
                "url": query_string({**filters, "sort": key, "order": next_order}),
                "aria": ("ascending" if order == "asc" else "descending") if current else "",
                "next": ORDERS[next_order],
            }
        )
    where = names.get(pref, "全国") + (f"の{kind}" if kind else "の市区町村")
    worst_first = order == SORTS[sort].worst
    summary = (
        f"{month.short}末時点の{where}{num(len(rows))}団体を、{SORTS[sort].label}の"
        f"{'悪い順（遅れている団体が先）' if worst_first else '良い順'}に並べています。"
    )
    if month.sample_data:
        summary += "これは架空のサンプルデータです。"
    context = {
        "month": month,
        "rows": ranked(rows, sort, order),
        "count": len(rows),
        "prefectures": names,
        "pref": pref,
        "kinds": kinds,
        "kind": kind,
        "sort": sort,
        "order": order,
        "sorts": {k: s.label for k, s in SORTS.items()},
        "orders": ORDERS,
        "headers": headers,
        "where": where,
        "rate_only": bool(rows) and all(r.systems_with_steps == 0 for r in rows),
        "page_summary": summary,
    }
    return render(request, "web/rankings.html", context)
