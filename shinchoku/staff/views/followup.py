"""The prefecture's follow-up view: each 市区町村's report for the open month and what needs a call.

`/staff/prefectures/{pref}/` (operators also `all` for the country), sortable and filterable through an
ordinary GET form, exported as CSV and XLSX; the printable one-page digest is the outlook digest it links to.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from openpyxl import Workbook

from shinchoku.progress.followup import FollowupRow, followup
from shinchoku.progress.models import Month

from ..followup_access import COUNTRY, is_operator_reader, month_param, scope_for, stalled_param
from .common import base_context, staff_view

FILTERS = {
    "": ("すべて", lambda r: True),
    "unreported": ("未報告", lambda r: not r.reported),
    "late": ("遅れのあるシステムがある", lambda r: bool(r.late)),
    "unexplained": ("説明なしの遅れがある", lambda r: bool(r.late_unexplained)),
    "stalled": ("停滞しているシステムがある", lambda r: bool(r.stalled)),
    "special": ("特定移行支援システムがある", lambda r: bool(r.special)),
}
SORTS: dict[str, tuple[str, Callable[[FollowupRow], object]]] = {
    "code": ("団体コード", lambda r: r.code),
    "last_report": ("最終報告日時", lambda r: r.last_report.timestamp() if r.last_report else -1.0),
    "completion_rate": ("完了率", lambda r: -1.0 if r.completion_rate is None else r.completion_rate),
    "late": ("遅れ", lambda r: len(r.late)),
    "stalled": ("停滞", lambda r: len(r.stalled)),
    "unexplained": ("説明なし", lambda r: len(r.late_unexplained)),
    "special": ("特定移行支援", lambda r: len(r.special)),
}
HEADERS = [
    "団体コード",
    "団体名",
    "報告",
    "最終報告日時",
    "システム数",
    "完了率",
    "進捗率",
    "遅れのあるシステム",
    "停滞しているシステム",
    "説明なしの遅れ",
    "特定移行支援システム（移行完了予定）",
]


def _query(request: HttpRequest, pref: str) -> dict:
    scope, name = scope_for(request.user, pref)
    as_of = month_param(request.GET.get("as_of"))
    stalled = stalled_param(request.GET.get("stalled"))
    rows = followup(pref=scope, as_of=as_of, stalled_months=stalled)
    total = len(rows)
    wanted = request.GET.get("show", "")
    keep = FILTERS.get(wanted, FILTERS[""])[1]
    rows = [r for r in rows if keep(r)]
    sort = request.GET.get("sort", "code")
    key = SORTS.get(sort, SORTS["code"])[1]
    descending = request.GET.get("order") == "desc"
    rows.sort(key=key, reverse=descending)  # type: ignore[arg-type]
    return {
        "pref": pref,
        "scope_name": name,
        "as_of": as_of,
        "stalled": stalled,
        "rows": rows,
        "total": total,
        "show": wanted if wanted in FILTERS else "",
        "sort": sort if sort in SORTS else "code",
        "order": "desc" if descending else "asc",
    }


def _month_label(as_of: date) -> str:
    return f"{as_of.year}年{as_of.month}月"


@staff_view
def followup_page(request: HttpRequest, pref: str) -> HttpResponse:
    q = _query(request, pref)
    month = Month.objects.filter(as_of=q["as_of"]).first()
    months = list(Month.objects.order_by("-as_of").values_list("as_of", flat=True))
    if q["as_of"] not in months:
        months.insert(0, q["as_of"])
    ctx = {
        **base_context(request),
        **q,
        "month_label": _month_label(q["as_of"]),
        "published": bool(month and month.published),
        "sample_data": bool(month and month.sample_data),
        "months": months,
        "filters": [(k, v[0]) for k, v in FILTERS.items()],
        "sorts": [(k, v[0]) for k, v in SORTS.items()],
        "is_operator_reader": is_operator_reader(request.user),
        "country": pref == COUNTRY,
        "query": request.GET.urlencode(),
    }
    return render(request, "staff/followup.html", ctx)


def _cells(r: FollowupRow) -> list:
    special = "、".join(f"{n}（{d:%Y-%m}）" if d else f"{n}（予定未入力）" for n, d in r.special)
    return [
        r.code,
        r.name,
        "報告あり" if r.reported else "未報告",
        r.last_report.strftime("%Y-%m-%d %H:%M") if r.last_report else "",
        r.systems,
        r.completion_rate,
        r.progress_rate,
        "、".join(r.late),
        "、".join(r.stalled),
        "、".join(r.late_unexplained),
        special,
    ]


def _file_name(q: dict, ext: str) -> str:
    return f"followup_{q['pref']}_{q['as_of']:%Y-%m}.{ext}"


@staff_view
def followup_csv(request: HttpRequest, pref: str) -> HttpResponse:
    q = _query(request, pref)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(HEADERS)
    for r in q["rows"]:
        w.writerow(_cells(r))
    response = HttpResponse(("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(q, "csv")}"'
    return response


@staff_view
def followup_xlsx(request: HttpRequest, pref: str) -> HttpResponse:
    q = _query(request, pref)
    wb = Workbook()
    ws = wb.active
    ws.title = "フォローアップ"
    ws.append([f"{q['scope_name']} フォローアップ一覧（{_month_label(q['as_of'])}・停滞 {q['stalled']} か月）"])
    ws.append(HEADERS)
    for r in q["rows"]:
        ws.append(_cells(r))
    ws.freeze_panes = "C3"
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(
        buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(q, "xlsx")}"'
    return response
