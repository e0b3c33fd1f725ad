"""The prefecture digest (staff side): warnings and forecasts of a prefecture's 団体, printable and as XLSX.

Prefecture staff and viewers of the prefecture, and operators, may read it; a 市区町村担当 gets 403.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from shinchoku.accounts.rules import ALL, RULES, Action, profile_of, require
from shinchoku.domain.calendar import DateError, parse_month, to_month_end
from shinchoku.outlook import digest as digests
from shinchoku.outlook.warning_rules import KIND_LABELS, KINDS
from shinchoku.progress.models import Month
from shinchoku.reference.models import Organization

from .common import base_context, staff_view


def _prefecture(request: HttpRequest, pref: str) -> Organization:
    org = Organization.objects.filter(prefecture_code=pref, kind="都道府県", is_practice=False).first()
    if org is None:
        raise Http404("都道府県が見つかりません")
    require(request.user, Action.READ, org)
    return org


def _month(request: HttpRequest) -> tuple[date, list[date]]:
    months = list(Month.objects.order_by("as_of").values_list("as_of", flat=True))
    if not months:
        raise Http404("データがありません")
    wanted = request.GET.get("as_of", "")
    try:
        as_of = to_month_end(parse_month(wanted)) if wanted else months[-1]
    except DateError:
        as_of = months[-1]
    return (as_of if as_of in months else months[-1]), months


def _operator(request: HttpRequest) -> bool:
    profile = profile_of(request.user)
    return profile is not None and ALL in RULES.get(profile.role, {}).get(Action.READ, ())


@staff_view
def digest_index(request: HttpRequest) -> HttpResponse:
    """A prefecture's staff go to their digest; operators choose a prefecture."""
    profile = profile_of(request.user)
    home = profile.organization if profile else None
    if _operator(request):
        prefectures = Organization.objects.filter(kind="都道府県", is_practice=False).order_by("code")
        return render(request, "staff/digest_index.html", {**base_context(request), "prefectures": prefectures})
    if home is not None and home.is_prefecture:
        return redirect("staff:digest", pref=home.prefecture_code)
    raise PermissionDenied("都道府県のダイジェストは、都道府県の職員と運用者が見られます。")


@staff_view
def digest(request: HttpRequest, pref: str) -> HttpResponse:
    org = _prefecture(request, pref)
    as_of, months = _month(request)
    data = digests.build(pref, as_of)
    context = {
        **base_context(request),
        "digest": data,
        "pref_org": org,
        "months": list(reversed(months)),
        "as_of": as_of,
        "kind_labels": [KIND_LABELS[k] for k in KINDS],
        "is_operator_reader": _operator(request),
        "landscape_print": True,
    }
    return render(request, "staff/digest.html", context)


@staff_view
def digest_xlsx(request: HttpRequest, pref: str) -> HttpResponse:
    _prefecture(request, pref)
    as_of, _months = _month(request)
    data = digests.build(pref, as_of)
    response = HttpResponse(
        digests.xlsx(data), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"digest_{pref}_{as_of:%Y-%m}{'_sample' if data.sample_data else ''}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
