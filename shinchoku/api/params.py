"""Query parameters shared by the read endpoints."""

from __future__ import annotations

from datetime import date

from shinchoku.domain.codes import normalize_code
from shinchoku.progress import selectors
from shinchoku.reference.lookup import known_codes

AS_OF_DESCRIPTION = (
    "データ基準日 YYYY-MM-DD または YYYY-MM（省略時は最新の公開月）"
    " / as-of date YYYY-MM-DD or YYYY-MM (default: latest published month)"
)


def as_of(value: str | None) -> date:
    return selectors.resolve_as_of(value, published_only=True)


def org_code(value: str) -> str:
    return normalize_code(value, known_codes())
