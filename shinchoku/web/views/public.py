"""The national page (server-rendered; it reads rollups only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shinchoku.pagekit import tilemap
from shinchoku.pagekit.common import MonthContext, month_series, public_page, rate_trend_chart, rows_chart
from shinchoku.pagekit.numbers import num, pct
from shinchoku.progress import selectors
from shinchoku.web.changes import area_changes, area_sentence


@public_page
def national(request: HttpRequest, month: MonthContext) -> HttpResponse:
    summary = selectors.national_summary(as_of=month.as_of)
    prefs = selectors.prefectures(as_of=month.as_of)
    ranking = selectors.ranked(prefs)
    kinds = selectors.kinds(as_of=month.as_of)
    bands = selectors.rate_bands(as_of=month.as_of)
    trend = [(m, d) for m, d in selectors.series(scope="nation", months=month_series(month))]
    context = {
        "month": month,
        "summary": summary,
        "prefectures": prefs,
        **tilemap.page_context({p.key: (p.name, p.completion_rate_mean) for p in prefs}),
        "ranking": ranking,
        "kinds": [(k, bands.get(k.key, [0] * len(selectors.BANDS))) for k in kinds],
        "band_labels": selectors.BAND_LABELS,
        "trend": trend,
        "change": area_changes(trend, month.as_of),
        "og_title": "全国の進捗",
        "og_image": "/og/national.png",
        "feed": {"url": "/feeds/national.atom", "title": "全国の進捗（Atom）"},
        "trend_chart": rate_trend_chart(trend, "全国", caption="全国の市区町村の推移"),
        "kind_chart": rows_chart(
            "bar",
            kinds,
            title="団体区分別の完了率（総務省方式）",
            figures=[("平均", "completion_rate_mean"), ("中央値", "completion_rate_median")],
        ),
        "page_summary": area_sentence(dict(trend).get(month.as_of, {})) + _summary_text(month, summary),
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
    text += month.sample_note
    return text
