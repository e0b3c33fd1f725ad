"""The 団体 or prefecture a public URL names, or a 404 (embeds, images and feeds share these)."""

from __future__ import annotations

from django.http import Http404

from shinchoku.progress import selectors
from shinchoku.reference.models import Organization

PREF_MESSAGE = "都道府県コードは01〜47の2桁です"


def organization_or_404(code: str) -> Organization:
    try:
        return selectors.get_organization(code)
    except selectors.NotFound as e:
        raise Http404(str(e)) from e


def prefecture_name_or_404(pref: str) -> str:
    names = selectors.prefecture_names()
    if pref not in names:
        raise Http404(PREF_MESSAGE)
    return names[pref]
