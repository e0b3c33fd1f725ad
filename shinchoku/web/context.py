"""Template context shared by every page."""

from __future__ import annotations

from django.http import HttpRequest

from shinchoku import SAMPLE_LABEL, __version__


def site(request: HttpRequest) -> dict:
    return {"SAMPLE_LABEL": SAMPLE_LABEL, "VERSION": __version__}
