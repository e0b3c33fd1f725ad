"""Staff write endpoints: a session with CSRF, or `Authorization: Bearer TOKEN` (docs/formats.md §9).

Every call goes through the guarded services (progress.services, imports.services), so the API obeys the
same rule table as the web forms, uploads and the CLI.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import HttpBearer, SessionAuth

from shinchoku.accounts import tokens
from shinchoku.accounts.actor import Actor
from shinchoku.domain.calendar import parse_date, to_month_end
from shinchoku.domain.status import StatusError, parse_status
from shinchoku.imports.services import ImportOptions, file_import, max_bytes, outcome_summary, too_large_problem
from shinchoku.progress.models import System
from shinchoku.progress.services import status_set
from shinchoku.progress.writes import StaleVersion, UnknownStep
from shinchoku.reference.models import Organization


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        row = tokens.lookup(token)
        if row is None:
            return None
        request.user = row.user
        request.shinchoku_token_id = row.pk  # for the access log
        return row.user


class StaffSession(SessionAuth):
    """The browser session, CSRF-checked — only for a request with a session cookie and no Authorization
    header, so a script with a missing, revoked or invalid token gets 401, not a CSRF error."""

    def __call__(self, request: HttpRequest) -> Any:
        if "HTTP_AUTHORIZATION" in request.META or settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super().__call__(request)


# Bearer first (no CSRF for scripts); otherwise the browser session, which must carry a CSRF token.
router = Router(tags=["書き込み（職員） / staff writes"], auth=[BearerToken(), StaffSession(csrf=True)])


class CellIn(Schema):
    status: str
    as_of: str
    version: int


class CellOut(Schema):
    code: str
    system: str
    step: str
    as_of: date
    status: str
    status_label: str
    version: int
    changed: bool


def _err(status: int, code: str, message: str, details: Any = None) -> Status:
    return Status(status, {"error": {"code": code, "message": message, "details": details}})


def _org(code: str) -> Organization | None:
    return Organization.objects.filter(code=code, is_practice=False).first()


@router.put(
    "/organizations/{code}/systems/{system}/steps/{step}",
    response={200: CellOut, 400: dict, 401: dict, 403: dict, 404: dict, 409: dict, 422: dict},
    summary="セルの状態を更新 / set one status cell",
)
def put_cell(request: HttpRequest, code: str, system: str, step: str, body: CellIn) -> Any:
    org = _org(code)
    sys_obj = System.objects.select_related("organization").filter(organization=org, name=system).first()
    if org is None or sys_obj is None:
        return _err(404, "not_found", f"団体 {code} の対象システム「{system}」はありません。")
    try:
        status = parse_status(body.status)
        as_of = to_month_end(parse_date(body.as_of))
        result = status_set(
            actor=Actor.of(request.user, "api"),
            system=sys_obj,
            as_of=as_of,
            step=step,
            status=status,
            version=body.version,
        )
    except PermissionDenied as e:
        return _err(403, "forbidden", str(e))
    except StaleVersion as e:
        details = {
            "current_version": e.current_version,
            "current_status": e.current_status.value,
            "current_status_label": e.current_status.label,
            "changed_by": e.changed_by,
            "changed_at": e.changed_at.isoformat() if hasattr(e.changed_at, "isoformat") else None,
        }
        return _err(409, "stale_version", str(e), details)
    except (StatusError, UnknownStep, ValueError) as e:
        return _err(400, "bad_request", str(e))
    return Status(
        200,
        {
            "code": code,
            "system": system,
            "step": step,
            "as_of": as_of,
            "status": result.status.value,
            "status_label": result.status.label,
            "version": result.version,
            "changed": result.changed,
        },
    )


@router.post(
    "/imports",
    response={200: dict, 400: dict, 401: dict, 403: dict, 413: dict, 422: dict},
    summary="ファイルを取り込む / import a report file",
)
def post_import(
    request: HttpRequest,
    file: UploadedFile = File(...),  # noqa: B008  (django-ninja declares parameters this way)
    format: str = Form("auto"),
    as_of: str | None = Form(None),
    org: str | None = Form(None),
    dry_run: bool = Form(False),
    allow_new_systems: bool = Form(False),
) -> Any:
    if (file.size or 0) > max_bytes():  # refused before reading
        return _err(413, "too_large", too_large_problem(file.size or 0, file.name or "").message)
    options = ImportOptions(
        actor="",
        file_name=file.name or "upload",
        format=format,
        as_of=to_month_end(parse_date(as_of)) if as_of else None,
        org=org or None,
        allow_new_systems=allow_new_systems,
        dry_run=dry_run,
        source="api",
    )
    try:
        outcome = file_import(actor=Actor.of(request.user, "api"), data=file.read(), options=options)
    except PermissionDenied as e:
        return _err(403, "forbidden", str(e))
    body = {**outcome_summary(outcome), "format": outcome.format, "record_id": outcome.record_id}
    return Status(200 if outcome.ok else 422, body)
