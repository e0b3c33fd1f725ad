"""Public pages (server-rendered; they read rollups only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shinchoku.progress import selectors

from .common import month_context


def national(request: HttpRequest) -> HttpResponse:
    try:
        month = month_context(request)
    except selectors.NotFound:
        return render(request, "web/empty.html", status=200)
    summary = selectors.national_summary(as_of=month.as_of)
    return render(request, "web/national.html", {"month": month, "summary": summary})
