"""The status grid editor: systems × steps of one 団体 and month.

Without JavaScript it is one form (a select per cell); grid.js adds arrow-key movement, keys 1–4 and
Enter, and htmx posts each changed cell to `cell` and swaps the returned <td>. Every cell carries its
version; a stale one is refused with 409 and a message naming who changed it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shinchoku.accounts.actor import Actor
from shinchoku.accounts.rules import Action, can
from shinchoku.domain.status import Status, StatusError, parse_status
from shinchoku.progress import services
from shinchoku.progress.models import System
from shinchoku.progress.selectors import step_columns
from shinchoku.progress.writes import CellResult, StaleVersion, UnknownStep
from shinchoku.reference.models import Organization

from .common import (
    STATUS_ORDER,
    Cell,
    StaffMonth,
    base_context,
    cell_of,
    correcting,
    grid_rows,
    organization_for,
    published_lock,
    staff_month,
    staff_view,
)

FIELD = re.compile(r"^s-(\d+)-(\d{1,2}|独自\d{1,3})$")


def _context(request: HttpRequest, org: Organization, **extra: object) -> dict:
    month = staff_month(request)
    columns, rows = grid_rows(org, month.as_of)
    may_edit = can(request.user, Action.EDIT_PROGRESS, org)
    locked = published_lock(request, org, month) is not None
    fixing = may_edit and month.published and not org.is_practice and correcting(request)
    return {
        **base_context(request, org),
        "org": org,
        "staff_month": month,
        "columns": columns,
        "rows": rows,
        "statuses": STATUS_ORDER,
        "can_edit": may_edit and not locked,
        "locked": may_edit and locked,
        "correcting": fixing,
        "cell_url": _cell_url(org, month.param, correct=fixing),
        **extra,
    }


def _locked(request: HttpRequest, org: Organization) -> HttpResponse | None:
    """The grid with the reason when a write targets a published month not chosen for correction (409)."""
    reason = published_lock(request, org, staff_month(request))
    if reason is None:
        return None
    return render(request, "staff/grid.html", _context(request, org, errors=[reason]), status=409)


@staff_view
def grid(request: HttpRequest, code: str) -> HttpResponse:
    org = organization_for(request, code)
    return render(request, "staff/grid.html", _context(request, org))


def _changes(request: HttpRequest, org: Organization) -> list[tuple[System, str, Status, int | None]]:
    """The submitted cells whose status differs from the one the form was rendered with."""
    systems = {s.pk: s for s in System.objects.filter(organization=org).select_related("organization")}
    out: list[tuple[System, str, Status, int | None]] = []
    for name, value in request.POST.items():
        m = FIELD.match(name)
        if not m or int(m.group(1)) not in systems:
            continue
        suffix = f"{m.group(1)}-{m.group(2)}"
        if value == request.POST.get(f"o-{suffix}"):
            continue
        version = request.POST.get(f"v-{suffix}", "")
        out.append(
            (systems[int(m.group(1))], m.group(2), parse_status(value), int(version) if version.isdigit() else 0)
        )
    return out


def _grid_write(
    view: Callable[[HttpRequest, Organization, StaffMonth], HttpResponse],
) -> Callable[[HttpRequest, str], HttpResponse]:
    """A form POST that writes the grid's month: the 団体 (with the right to edit it), the month, and the grid
    with the reason instead (409) while the month is locked."""

    @staff_view
    @require_POST
    @wraps(view)
    def write(request: HttpRequest, code: str) -> HttpResponse:
        org = organization_for(request, code, Action.EDIT_PROGRESS)
        if (refused := _locked(request, org)) is not None:
            return refused
        return view(request, org, staff_month(request))

    return write


def _set(
    request: HttpRequest, month: StaffMonth, system: System, key: str, status: Status, version: int | None
) -> CellResult:
    """One cell written by the signed-in account (raises StaleVersion, UnknownStep, PermissionDenied)."""
    return services.status_set(
        actor=Actor.of(request.user, "ui"), system=system, as_of=month.as_of, step=key, status=status, version=version
    )


@_grid_write
def save_grid(request: HttpRequest, org: Organization, month: StaffMonth) -> HttpResponse:
    """The no-JavaScript path: the whole form; each changed cell is written with its own version check."""
    saved, conflicts, errors = 0, [], []
    try:
        changes = _changes(request, org)
    except StatusError as e:
        changes, errors = [], [str(e)]
    for system, key, status, version in changes:
        try:
            saved += int(_set(request, month, system, key, status, version).changed)
        except StaleVersion as e:
            conflicts.append(f"{system.name} ステップ{key}: {e}")
        except UnknownStep as e:
            errors.append(str(e))
    if conflicts or errors:
        ctx = _context(request, org, conflicts=conflicts, errors=errors, saved=saved)
        return render(request, "staff/grid.html", ctx, status=409 if conflicts else 400)
    messages.success(request, f"{saved} 件のセルを保存しました。")
    return redirect(_grid_url(org, month.param, correct=correcting(request)))


def _cell_url(org: Organization, month_param: str, *, correct: bool = False) -> str:
    return f"{reverse('staff:cell', args=[org.code])}?as_of={month_param}{'&correct=1' if correct else ''}"


def _grid_url(org: Organization, month_param: str, *, correct: bool = False) -> str:
    return f"{reverse('staff:grid', args=[org.code])}?as_of={month_param}{'&correct=1' if correct else ''}"


def _cell_response(request: HttpRequest, cell: Cell, message: str, *, alert: bool, status: int) -> HttpResponse:
    month = staff_month(request)
    ctx = {
        "cell": cell,
        "statuses": STATUS_ORDER,
        "message": message,
        "alert": alert,
        "can_edit": True,
        "cell_url": _cell_url(cell.system.organization, month.param, correct=correcting(request)),
    }
    return render(request, "staff/_cell.html", ctx, status=status)


@staff_view
@require_POST
def save_cell(request: HttpRequest, code: str) -> HttpResponse:
    """One cell (htmx): returns the cell's <td> and, out of band, the live-region message."""
    org = organization_for(request, code)  # read access; the write itself is checked by the service
    month = staff_month(request)
    changes = _changes(request, org)
    if len(changes) != 1:
        return HttpResponse("変更するセルを1つ指定してください。", status=400, content_type="text/plain; charset=utf-8")
    system, key, status, version = changes[0]
    column = next((c for c in step_columns(org, month.as_of) if c.key == key), None)
    if column is None:
        return HttpResponse("作業ステップが見つかりません。", status=400, content_type="text/plain; charset=utf-8")
    reason = published_lock(request, org, month)
    if reason is not None:
        cell = cell_of(system, key, column.label, column.name, month.as_of)
        return _cell_response(request, cell, reason, alert=True, status=409)
    try:
        _set(request, month, system, key, status, version)
    except StaleVersion as e:
        cell = cell_of(system, key, column.label, column.name, month.as_of)
        return _cell_response(
            request, cell, f"保存できませんでした：{system.name} {column.label}。{e}", alert=True, status=409
        )
    except PermissionDenied as e:
        cell = cell_of(system, key, column.label, column.name, month.as_of)
        return _cell_response(request, cell, str(e), alert=True, status=403)
    cell = cell_of(system, key, column.label, column.name, month.as_of)
    return _cell_response(
        request, cell, f"保存しました：{system.name} {column.label} を「{status.label}」に", alert=False, status=200
    )


@_grid_write
def bulk(request: HttpRequest, org: Organization, month: StaffMonth) -> HttpResponse:
    """Set one step for every system of the 団体."""
    step = request.POST.get("step", "")
    try:
        status = parse_status(request.POST.get("status", ""))
        n = services.status_bulk_set(
            actor=Actor.of(request.user, "ui"),
            org=org,
            as_of=month.as_of,
            step=step,
            status=status,
        )
    except (StatusError, UnknownStep) as e:
        ctx = _context(request, org, errors=[str(e)])
        return render(request, "staff/grid.html", ctx, status=400)
    label = next((f"{c.label}「{c.name}」" for c in step_columns(org, month.as_of) if c.key == step), step)
    messages.success(request, f"{label} を {n} システムで「{status.label}」にしました。")
    return redirect(_grid_url(org, month.param, correct=correcting(request)))
