"""HTTP caching and CORS for public GET requests of the API."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class PublicApiHeaders:
    """Cache-Control and CORS on API GETs; ETag/304 come from Django's ConditionalGetMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/") and request.method in ("GET", "HEAD"):
            response.setdefault("Cache-Control", "public, max-age=60")
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Expose-Headers"] = "ETag"
        return response
