"""Shared helpers of the staff pages: access, the month being edited, and the grid's data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from shinchoku.accounts.rules import Action, can, profile_of, require
from shinchoku.domain.calendar import DateError, parse_month, to_month_end
from shinchoku.domain.status import Status
from shinchoku.progress.models import Month, System
from shinchoku.progress.practice import PRACTICE_CODE, ensure_practice
from shinchoku.progress.selectors import effective_snapshots, step_columns
from shinchoku.reference.models import Organization

# Keyboard keys of the grid, in the order of the help text (1 完了済み, 2 作業中, 3 未着手, 4 対象外)
STATUS_ORDER = [Status.COMPLETED, Status.IN_PROGRESS, Status.NOT_STARTED, Status.NOT_APPLICABLE]


def staff_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged-in staff only: anonymous → the login page; an account without a role → 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            if request.method != "GET":
                return HttpResponse("ログインしてください。", status=401, content_type="text/plain; charset=utf-8")
            return redirect_to_login(request.get_full_path())
        if profile_of(request.user) is None:
            return forbidden(request, "職員アカウントとして登録されていません。運用者に連絡してください。")
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as e:
            return forbidden(request, str(e) or "この操作をする権限がありません。")

    return wrapper


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "staff/forbidden.html", {"message": message, **base_context(request)}, status=403)


def organization_for(request: HttpRequest, code: str, action: Action = Action.READ) -> Organization:
    if code == PRACTICE_CODE:
        org = ensure_practice()
    else:
        org = Organization.objects.filter(code=code).first()
        if org is None:
            raise Http404("団体が見つかりません")
    require(request.user, action, org)
    return org


@dataclass(frozen=True)
class StaffMonth:
    as_of: date
    published: bool
    exists: bool
    choices: list[tuple[date, bool]]  # (month, published)

    @property
    def param(self) -> str:
        return f"{self.as_of:%Y-%m}"

    @property
    def label(self) -> str:
        return f"{self.as_of.year}年{self.as_of.month}月"


def staff_month(request: HttpRequest) -> StaffMonth:
    """`?as_of=YYYY-MM` among the months with data plus the next one (for a new report); else the month being
    reported (the latest while unpublished, else the next one)."""
    rows = list(Month.objects.order_by("as_of").values_list("as_of", "published"))
    latest = rows[-1][0] if rows else to_month_end(date.today())
    following = to_month_end(latest + timedelta(days=1))
    choices = [*rows, *([] if not rows else [(following, False)])]
    if not rows:
        choices = [(latest, False)]
    # the month being reported: the latest one while it is unpublished, else the next one
    current = latest if rows and not rows[-1][1] else choices[-1][0]
    wanted = request.GET.get("as_of") or request.POST.get("as_of") or ""
    as_of = current
    if wanted:
        try:
            as_of = to_month_end(parse_month(wanted))
        except DateError:
            as_of = current
    allowed = {m for m, _ in choices}
    if as_of not in allowed:
        as_of = current
    published = dict(rows).get(as_of, False)
    return StaffMonth(as_of=as_of, published=published, exists=as_of in dict(rows), choices=choices)


def base_context(request: HttpRequest, org: Organization | None = None) -> dict[str, Any]:
    profile = profile_of(request.user)
    return {
        "profile": profile,
        "staff_org": org,
        "practice": bool(org and org.is_practice),
        "practice_code": PRACTICE_CODE,
        "is_operator": can(request.user, Action.PUBLISH),
        "may_edit": bool(org and can(request.user, Action.EDIT_PROGRESS, org)),
    }


def saved(request: HttpRequest, changed: object, message: str, url: str) -> HttpResponse:
    """After a form's save: the message when something changed, else 「変更はありませんでした。」; back to `url`."""
    if changed:
        messages.success(request, message)
    else:
        messages.info(request, "変更はありませんでした。")
    return redirect(url)


def correcting(request: HttpRequest) -> bool:
    """The user chose to correct a published month (「この月を訂正する」)."""
    return (request.GET.get("correct") or request.POST.get("correct")) == "1"


def published_lock(request: HttpRequest, org: Organization, month: StaffMonth) -> str | None:
    """Why the month may not be edited here (a published month not explicitly chosen for correction), or None.
    Practice data is never public, so its months are never locked."""
    if not month.published or org.is_practice or correcting(request):
        return None
    return (
        f"{month.label}は公開済みです。変更すると公開ページがすぐに変わるため、"
        "「この月を訂正する」を選んでから変更してください。"
    )


@dataclass
class Cell:
    system: System
    key: str
    label: str
    name: str
    status: Status
    version: int

    @property
    def field(self) -> str:
        return f"{self.system.pk}-{self.key}"


def cell_of(system: System, key: str, label: str, name: str, as_of: date) -> Cell:
    snap = effective_snapshots([system], as_of).get(system.pk)
    return _cell(system, key, label, name, snap)


def _cell(system: System, key: str, label: str, name: str, snap: Any) -> Cell:
    code = "N"
    version = 0
    if snap is not None:
        if key.startswith("独自"):
            i = int(key[2:]) - 1
            code = snap.own_codes[i] if i < len(snap.own_codes) else "N"
        else:
            code = snap.codes[int(key) - 1] if snap.codes else "N"  # a month known by its rate only
        version = int(snap.versions.get(key, 0))
    return Cell(system, key, label, name, Status.from_code(code if code in "CPNX" else "N"), version)


def grid_rows(org: Organization, as_of: date) -> tuple[list, list[tuple[System, list[Cell]]]]:
    systems = list(
        System.objects.filter(organization=org).select_related("organization").order_by("sort_order", "name")
    )
    columns = step_columns(org, as_of)
    snaps = effective_snapshots(systems, as_of)
    rows = [(s, [_cell(s, c.key, c.label, c.name, snaps.get(s.pk)) for c in columns]) for s in systems]
    return columns, rows
