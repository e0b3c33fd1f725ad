"""Public pages without rendering them again: a 団体's page, or a wider area's page of any published month, from
the pages rendered ahead of readers (stored_pages.py) while it is current, and any public page a worker has
rendered in the current data version."""

from __future__ import annotations

import os
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse

from shinchoku.api import cache
from shinchoku.opendata import revision
from shinchoku.publication import memo

from . import stored_pages

# SHINCHOKU_STORED_PAGES=0 renders every page on request (the speed benchmark measures both).
ENABLED = os.environ.get("SHINCHOKU_STORED_PAGES", "1") != "0"
# Paths that are never public pages (the API has its own cache; files, images and staff pages are not kept).
NOT_PAGES = ("/api/", "/staff", "/admin", "/accounts", "/opendata", "/og/", "/static/", "/healthz", "/feeds/")


def _anonymous(request: HttpRequest) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and "HTTP_AUTHORIZATION" not in request.META


class StoredPages:
    """A GET of a stored kind of page (stored_pages.key_of) from a reader who is not logged in: the stored page
    when it is current (its ETag lets ConditionalGetMiddleware answer 304). Everything else goes on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = (
            stored_pages.key_of(request.path, request.META.get("QUERY_STRING", ""))
            if request.method == "GET" and ENABLED
            else None
        )
        if key is None or not _anonymous(request) or request.headers.get("HX-Request"):
            return self.get_response(request)
        stored = stored_pages.lookup(key)
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


# Rendered public pages, per worker: the national page is asked for by every reader of a news article.
pages = cache.ResponseCache()
PLAIN_HEADERS = {"content-type", "vary"}


def _in_transaction() -> bool:
    return connection.in_atomic_block


def _plain_page(response: HttpResponse) -> bool:
    """A 200 HTML page whose view set nothing a kept copy would lose: no header of its own (Cache-Control …),
    no frame or CSP exemption (the embeds)."""
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and {name.lower() for name in response.headers} <= PLAIN_HEADERS
        and not getattr(response, "xframe_options_exempt", False)
        and not any(name.startswith("_csp") for name in vars(response))
    )


class PublicPageCache:
    """A public page (one given its month by `public_page`) rendered once per data version and worker, for
    readers who are not logged in; the data version (one indexed query) is checked on every request, so a write
    shows at once. Not inside a transaction (tests), where a rollback could bring an old version back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method != "GET"
            or not cache.ENABLED
            or request.path.startswith(NOT_PAGES)
            or not _anonymous(request)
            or request.headers.get("HX-Request")
            or _in_transaction()
        ):
            return self.get_response(request)
        version = revision.current()
        key = request.build_absolute_uri()  # with the host: the page's absolute links name it
        entry = pages.get(key, version)
        if entry is not None:
            response = entry.response(gzip_ok="gzip" in request.META.get("HTTP_ACCEPT_ENCODING", ""))
            response["Vary"] = "Accept-Encoding, Cookie"
            return response
        with memo.at_version(version):  # the page's repeated small reads are kept for this version
            response = self.get_response(request)
        if getattr(request, "shinchoku_public_page", False) and _plain_page(response):
            entry = cache.entry_from(response)
            pages.put(key, version, entry)
            response["ETag"] = entry.etag
        return response
