"""Answering a 団体's page from the pages rendered ahead of readers (stored_pages.py) while it is current."""

from __future__ import annotations

import os
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import stored_pages

# SHINCHOKU_STORED_PAGES=0 renders every page on request (the speed benchmark measures both).
ENABLED = os.environ.get("SHINCHOKU_STORED_PAGES", "1") != "0"


def _anonymous(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "HTTP_AUTHORIZATION" not in request.META


class StoredPages:
    """A GET of a stored kind of page, without a query string, from a reader who is not logged in: the stored
    page when it is current (its ETag lets ConditionalGetMiddleware answer 304). Everything else goes on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = stored_pages.organization_of(request.path) if request.method == "GET" else None
        if (
            code is None
            or not ENABLED
            or request.META.get("QUERY_STRING")
            or not _anonymous(request)
            or request.headers.get("HX-Request")
        ):
            return self.get_response(request)
        stored = stored_pages.lookup(request.path, code)
        if stored is None:
            return self.get_response(request)
        gzip_ok = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
        origin = request.build_absolute_uri("/")[:-1]
        response = HttpResponse(stored.for_origin(origin, compressed=gzip_ok), content_type=stored.content_type)
        if gzip_ok:
            response["Content-Encoding"] = "gzip"
        response["ETag"] = stored.etag
        response["Vary"] = "Accept-Encoding, Cookie"
        response["X-Stored-Page"] = "1"
        return response
