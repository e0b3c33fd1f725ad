"""HTTP caching, the per-version response cache, and CORS for public GET requests of the API."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from shinchoku.opendata import revision
from shinchoku.publication import memo

from . import cache

API_PREFIX = "/api/"
READ_METHODS = ("GET", "HEAD")


def _bypass(request: HttpRequest) -> bool:
    """No cache for a request with credentials, or inside a transaction (tests, ATOMIC_REQUESTS), where a
    rollback could bring an old data version back."""
    return not cache.ENABLED or "HTTP_AUTHORIZATION" in request.META or connection.in_atomic_block


def _gzip_ok(request: HttpRequest) -> bool:
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")


class PublicApiHeaders:
    """Cache-Control, CORS and cached responses on API GETs.

    ETag/304 come from Django's ConditionalGetMiddleware, which sits outside this one: a cached response
    carries its ETag, so a matching If-None-Match becomes a 304 without rendering anything.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and request.META.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD") in READ_METHODS:
            return self._preflight()
        if request.method not in READ_METHODS:
            return self._json_405(self.get_response(request))
        head = request.method == "HEAD"
        if head:  # ninja routes GET only; answer HEAD with the GET's headers and no body
            request.method = "GET"
        response = self._json_405(self._read(request))
        if head:
            request.method = "HEAD"
            length = len(response.content) if not response.streaming else None
            response.content = b""
            if length is not None:
                response["Content-Length"] = str(length)
        response.setdefault("Cache-Control", "public, max-age=60")
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "ETag, X-Total-Count"
        return response

    def _read(self, request: HttpRequest) -> HttpResponse:
        if _bypass(request):
            return self.get_response(request)
        version = revision.current()
        key = request.get_full_path()
        entry = cache.responses.get(key, version)
        if entry is not None:
            return entry.response(gzip_ok=_gzip_ok(request))
        with memo.at_version(version):  # the small repeated reads (months, the 団体, its rows) kept for it
            response = self.get_response(request)
        if (
            getattr(request, "shinchoku_public_read", False)
            and response.status_code == 200
            and not response.streaming
            and not response.has_header("Content-Encoding")
        ):
            entry = cache.entry_from(response)
            cache.responses.put(key, version, entry)
            response["ETag"] = entry.etag
        return response

    @staticmethod
    def _json_405(response: HttpResponse) -> HttpResponse:
        """ninja answers a wrong method in plain text; the API's errors are JSON in Japanese."""
        if response.status_code != 405 or response.get("Content-Type", "").startswith("application/json"):
            return response
        allowed = response.get("Allow", "")
        body = {
            "error": {
                "code": "method_not_allowed",
                "message": f"このアドレスでは {allowed or 'GET'} だけが使えます",
                "details": {"allow": [m.strip() for m in allowed.split(",") if m.strip()]},
            }
        }
        out = JsonResponse(body, status=405, json_dumps_params={"ensure_ascii": False})
        if allowed:
            out["Allow"] = allowed
        return out

    @staticmethod
    def _preflight() -> HttpResponse:
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Accept, If-None-Match, If-Modified-Since"
        response["Access-Control-Max-Age"] = "86400"
        return response
