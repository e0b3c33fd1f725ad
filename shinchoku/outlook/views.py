"""Public pages: /warnings (警告) and /forecast (見通しと方法), and the sections other pages include.

They read only the precomputed rows of the month (a fixed, small number of queries per page).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shinchoku.domain.progress import FINAL_DEADLINE
from shinchoku.pagekit.common import MonthContext, public_page
from shinchoku.pagekit.numbers import num
from shinchoku.progress import selectors as progress_selectors

from . import selectors
from .forecasting import HORIZON_MONTHS, PHRASE, SPREAD, WINDOW
from .store_forecasts import NATION, ORGANIZATION, PREFECTURE
from .warning_rules import KIND_LABELS, KINDS

PAGE_SIZE = 100
KIND_NOTES = {
    "overdue": "国の期限（2026年3月31日）を過ぎても運用を開始していない、特定移行支援ではないシステム。"
    "完了率だけが公表されているシステムは、完了率が100%未満のとき。",
    "special_overdue": "特定移行支援システムで、そのシステムの移行完了予定を過ぎても運用を開始していないもの。",
    "stalled": "作業ステップの状態が{n}か月以上変わっていない、完了していないシステム。"
    "完了率だけが公表されているシステムは、完了率が{n}か月以上変わっていないとき。",
    "regression": "完了済みだった作業ステップが作業中・未着手に戻ったまま。"
    "完了率だけが公表されているシステムは、公表された完了率が前より下がったとき。",
    "unexplained": "期限超過または移行完了予定の超過で、遅延の説明が登録されていないもの。",
}


def _choice(value: str | None, allowed: object) -> str:
    return value if value and value in allowed else ""  # type: ignore[operator]


def _page(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


@public_page
def warnings_page(request: HttpRequest, month: MonthContext) -> HttpResponse:
    names = progress_selectors.prefecture_names()
    pref = _choice(request.GET.get("pref"), names)
    kind = _choice(request.GET.get("kind"), KINDS)
    counts = selectors.warning_counts(month.as_of)
    total = counts.count(prefecture=pref or None, kind=kind or None) if counts else 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(_page(request.GET.get("page")), pages)
    items = selectors.warnings(
        month.as_of, prefecture=pref or None, kind=kind or None, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    stall = counts.stall_months if counts else 3
    kinds = [
        (
            k,
            KIND_LABELS[k],
            KIND_NOTES[k].format(n=stall),
            counts.count(prefecture=pref or None, kind=k) if counts else 0,
        )
        for k in KINDS
    ]
    by_pref = [
        (code, name, [counts.by_prefecture.get(code, {}).get(k, 0) for k in KINDS] if counts else [0] * len(KINDS))
        for code, name in names.items()
    ]

    def link(**changes: object) -> str:
        params = {"pref": pref, "kind": kind, **({"as_of": month.param} if month.pinned else {}), **changes}
        clean = {k: v for k, v in params.items() if v not in ("", None, 1)}
        return "/warnings" + ("?" + urlencode(clean) if clean else "")

    where = names.get(pref, "全国")
    what = KIND_LABELS[kind] if kind else "警告"
    summary = f"{month.short}末時点で、{where}の{what}は{num(total)}件です。"
    if counts and not pref and not kind:
        summary += f"（{num(counts.organizations)}団体の{num(counts.systems)}システム）"
    if month.as_of <= FINAL_DEADLINE:
        summary += "国の期限（2026年3月31日）より前の月のため、期限超過はありません。"
    context = {
        "month": month,
        "counts": counts,
        "names": names,
        "pref": pref,
        "pref_name": names.get(pref, ""),
        "kind": kind,
        "kind_label": KIND_LABELS.get(kind, ""),
        "kinds": kinds,
        "kind_keys": [(k, KIND_LABELS[k]) for k in KINDS],
        # short enough for the select to fit a 320 px screen
        "kind_options": [(k, KIND_LABELS[k].replace("（特定移行支援）", "")) for k in KINDS],
        "by_pref": by_pref,
        "kind_totals": [counts.by_kind.get(k, 0) if counts else 0 for k in KINDS],
        "items": items,
        "total": total,
        "page": page,
        "pages": pages,
        "first_index": (page - 1) * PAGE_SIZE + 1,
        "previous_url": link(page=page - 1) if page > 1 else "",
        "next_url": link(page=page + 1) if page < pages else "",
        "pref_links": {code: link(pref=code, page=1) for code in names},
        "deadline_passed": month.as_of > FINAL_DEADLINE,
        "nation": selectors.forecast_of(month.as_of, NATION),
        "api_url": f"/api/v1/warnings?as_of={month.param}"
        + (f"&prefecture={pref}" if pref else "")
        + (f"&kind={kind}" if kind else ""),
        "page_summary": summary + month.sample_note,
    }
    return render(request, "outlook/warnings.html", context)


@public_page
def forecast_page(request: HttpRequest, month: MonthContext) -> HttpResponse:
    names = progress_selectors.prefecture_names()
    pref = _choice(request.GET.get("pref"), names)
    nation = selectors.forecast_of(month.as_of, NATION)
    text = nation.text if nation else "見通しはまだ計算されていません。"
    summary = f"{month.short}末時点の全国の見通し：{text}"
    if month.sample_data:
        summary += "これは架空のサンプルデータによる計算です。"
    context = {
        "month": month,
        "nation": nation,
        "prefectures": selectors.forecasts(month.as_of, PREFECTURE),
        "pref": pref,
        "pref_name": names.get(pref, ""),
        "names": names,
        "organizations": selectors.forecasts(month.as_of, ORGANIZATION, prefecture=pref) if pref else [],
        "backtests": selectors.backtests(month.as_of),
        "backtests_prefectures": selectors.backtests(month.as_of, level="prefectures"),
        "window": WINDOW,
        "spread": SPREAD,
        "horizon_years": HORIZON_MONTHS // 12,
        "phrase": PHRASE,
        "page_summary": summary,
    }
    return render(request, "outlook/forecast.html", context)
