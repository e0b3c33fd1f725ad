"""/api/v1/docs: Swagger UI from the site's own static files (npm's swagger-ui-dist, copied by `make static`).

django-ninja's default page loads Swagger UI from a CDN and starts it with an inline script; the site's CSP
allows neither, so the page stayed blank. This page loads the same UI from /static/ and starts it from a file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI


class LocalSwagger(DocsBase):
    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "deepLinking": True,
            "layout": "BaseLayout",
            "validatorUrl": None,  # Swagger's online validator is another host
        }
        return render(request, self.template, {"api": api, "swagger_settings": settings})
