"""Request id and access log (JSON lines), and the body-size limit of every endpoint."""

from __future__ import annotations

import logging
import os
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.functional import empty
from django.utils.html import escape

from .jsonlog import request_id

access_log = logging.getLogger("shinchoku.access")
HEADER = "X-Request-ID"
# An id from the reverse proxy (nginx $request_id, Caddy {http.request.uuid}) is kept, so both logs match.
_GOOD_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
# Paths that take a file upload; every other body is limited to DATA_UPLOAD_MAX_MEMORY_SIZE.
_UPLOAD_PATHS = re.compile(r"/api/v1/imports/?|/staff/orgs/[^/]+/upload/")
MULTIPART_ALLOWANCE = 1_000_000  # the form fields and boundaries around an upload


def _account(request: HttpRequest) -> dict[str, object]:
    """The account name (and token id) — only when already known: never a session lookup just to log."""
    fields: dict[str, object] = {}
    token_id = getattr(request, "shinchoku_token_id", None)
    if token_id is not None:
        fields["token_id"] = token_id
    user = request.__dict__.get("user")
    wrapped = getattr(user, "_wrapped", user)  # the lazy user of AuthenticationMiddleware, if evaluated
    if wrapped is not empty and wrapped is not None and getattr(wrapped, "is_authenticated", False):
        fields["user"] = wrapped.get_username()
    return fields


class RequestLog:
    """Gives every request an id (also the X-Request-ID response header) and logs one JSON line for it:
    method, path without the query string (which may hold secrets), status, duration, worker pid, account."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        rid = incoming if _GOOD_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.shinchoku_request_id = rid  # for log lines written after this returns
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[HEADER] = rid
        fields = {
            "event": "request",
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "pid": os.getpid(),  # which worker served it (gunicorn runs several)
            **_account(request),
        }
        extra = {"fields": fields, "request_id": rid}
        access_log.info("%s %s %s", request.method, request.path, response.status_code, extra=extra)
        return response


def body_limit(path: str) -> int:
    if _UPLOAD_PATHS.fullmatch(path):
        return int(settings.SHINCHOKU_MAX_UPLOAD_BYTES) + MULTIPART_ALLOWANCE
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


class BodyLimit:
    """413 for a request whose declared body is larger than its endpoint takes, before anything reads it
    (a chunked body without Content-Length is not read by Django at all)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request.path)
        if length <= limit:
            return self.get_response(request)
        if _UPLOAD_PATHS.fullmatch(request.path):  # the file limit, said as every import message says it
            from shinchoku.imports.services import too_large_problem

            message = too_large_problem(length, "").message
        else:
            # decimal megabytes, as the import messages: 10 MB = 10,000,000 bytes
            message = (
                f"送られたデータが大きすぎます（{length / 1_000_000:.1f} MB）。上限は {limit / 1_000_000:.0f} MB です。"
            )
        if request.path.startswith("/api/"):
            body = {"error": {"code": "too_large", "message": message, "details": {"limit_bytes": limit}}}
            response: HttpResponse = JsonResponse(body, status=413, json_dumps_params={"ensure_ascii": False})
        else:
            html = (
                f'<!doctype html><html lang="ja"><meta charset="utf-8"><title>大きすぎます</title><p>{escape(message)}'
            )
            response = HttpResponse(html, status=413, content_type="text/html; charset=utf-8")
        response["Connection"] = "close"  # the unread body must not be taken for the next request
        return response
