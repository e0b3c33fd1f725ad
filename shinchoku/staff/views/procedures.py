"""The 26 子育て・介護 procedures of one 市区町村 for a month: できる / できない per procedure.

One plain form (a checkbox per procedure, grouped by 分野), so it works without JavaScript. Each checkbox
carries the value the form was rendered with; only the procedures whose submitted value differs from it are
sent to the guarded service, so a stale form cannot silently undo another person's edit of a procedure it
did not touch. Permissions, the transaction and the audit entry are the service's
(`shinchoku.procedures.services.procedures_set`).
"""

from __future__ import annotations

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from shinchoku.accounts.actor import Actor
from shinchoku.accounts.rules import Action, can
from shinchoku.procedures import services
from shinchoku.procedures.models import AVAILABLE, UNAVAILABLE, UNKNOWN
from shinchoku.procedures.selectors import procedure_list
from shinchoku.reference.models import Organization

from .common import base_context, organization_for, saved, staff_month, staff_view

STATE_LABELS = {AVAILABLE: "できる", UNAVAILABLE: "できない", UNKNOWN: "情報なし"}


def _items(org: Organization, as_of) -> list[dict]:
    codes = services.procedure_codes(org, as_of)
    items = []
    for p in procedure_list():
        code = codes[p.number - 1] if len(codes) >= p.number else UNKNOWN
        code = code if code in STATE_LABELS else UNKNOWN
        items.append({"number": p.number, "field": p.field, "name": p.name, "code": code, "label": STATE_LABELS[code]})
    return items


def _groups(items: list[dict]) -> list[tuple[str, list[dict]]]:
    return [(field, list(rows)) for field, rows in groupby(items, key=lambda i: i["field"])]


def _submitted(request: HttpRequest, items: list[dict]) -> dict[int, bool]:
    """The procedures the person changed: checked = できる, unchecked = できない, against the rendered value."""
    out: dict[int, bool] = {}
    for item in items:
        n = item["number"]
        value = request.POST.get(f"p-{n}") == "1"
        original = request.POST.get(f"o-{n}", "")
        if original != (AVAILABLE if value else UNAVAILABLE):
            out[n] = value
    return out


@staff_view
def procedures(request: HttpRequest, code: str) -> HttpResponse:
    month = staff_month(request)
    status = 200
    errors: list[str] = []
    if request.method == "POST":
        org = organization_for(request, code, Action.EDIT_PROGRESS)
        try:
            changed = services.procedures_set(
                actor=Actor.of(request.user, "ui"),
                org=org,
                as_of=month.as_of,
                availability=_submitted(request, _items(org, month.as_of)),
            )
        except services.ProcedureEditError as e:
            errors, status = [str(e)], 400
        else:
            return saved(
                request,
                changed,
                f"{month.label}の手続のオンライン化を {len(changed)} 件保存しました。",
                f"{reverse('staff:procedures', args=[org.code])}?as_of={month.param}",
            )
    else:
        org = organization_for(request, code)
    items = [] if org.is_prefecture else _items(org, month.as_of)
    ctx = {
        **base_context(request, org),
        "org": org,
        "staff_month": month,
        "groups": _groups(items),
        "available_count": sum(1 for i in items if i["code"] == AVAILABLE),
        "total": len(items),
        "errors": errors,
        "can_edit": can(request.user, Action.EDIT_PROGRESS, org) and not org.is_prefecture,
    }
    return render(request, "staff/procedures.html", ctx, status=status)
