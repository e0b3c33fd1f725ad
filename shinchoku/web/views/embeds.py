"""/embed/organizations/{code} and /embed/prefectures/{pref}: a small card other sites may show in an iframe.

These are the only pages that allow framing (X-Frame-Options off, CSP frame-ancestors *); every other page keeps
DENY / 'none'. The card names the month and the source (or 「架空のサンプルデータ」) and links back to the page.
"""

from __future__ import annotations

from csp.decorators import csp_replace
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt

from shinchoku.pagekit.common import MonthContext, public_page
from shinchoku.progress import selectors

from .lookups import organization_or_404, prefecture_name_or_404

FRAMEABLE = {"frame-ancestors": ["*"]}


def _figures(rate_label: str, completion, on_schedule, in_operation) -> list[tuple[str, str, object]]:
    """(label, "pct" or "num", value) for the card; None shows as 「—」 (rate-only months have no steps)."""
    return [
        (rate_label, "pct", completion),
        ("スケジュール通りのシステムの割合", "pct", on_schedule),
        ("運用を始めたシステム", "num", in_operation),
    ]


@xframe_options_exempt
@csp_replace(FRAMEABLE)
@public_page
def organization(request: HttpRequest, month: MonthContext, code: str) -> HttpResponse:
    org = organization_or_404(code)
    progress = selectors.organization_progress(code=org.code, as_of=month.as_of, include_versions=False)
    s = progress["summary"]
    with_steps = s.get("systems_with_steps") or 0
    in_operation = sum(1 for x in progress["systems"] if x.get("in_operation")) if with_steps else None
    context = {
        "month": month,
        "name": org.display_name,
        "path": f"/organizations/{org.code}",
        "figures": _figures(
            "完了率（総務省方式）",
            s["completion_rate"],
            s["on_schedule_systems"] / with_steps if with_steps else None,
            in_operation,
        ),
        "systems": s["systems"],
    }
    return render(request, "web/embed.html", context)


@xframe_options_exempt
@csp_replace(FRAMEABLE)
@public_page
def prefecture(request: HttpRequest, month: MonthContext, pref: str) -> HttpResponse:
    name = prefecture_name_or_404(pref)
    area = selectors.AreaRow.from_data(pref, name, selectors.area(f"pref:{pref}", month.as_of) or {})
    context = {
        "month": month,
        "name": name,
        "path": f"/prefectures/{pref}",
        "figures": _figures(
            "市区町村の完了率（総務省方式）の平均",
            area.completion_rate_mean,
            area.on_schedule_share,
            area.systems_in_operation,
        ),
        "organizations": area.organizations,
    }
    return render(request, "web/embed.html", context)
