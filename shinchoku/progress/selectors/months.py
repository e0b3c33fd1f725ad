"""Progress months: which are published, which one a request means, and whether it is fictional."""

from __future__ import annotations

from datetime import date

from shinchoku.publication.months import NotFound, latest_month, month_list
from shinchoku.publication.months import is_sample as is_sample_month

from ..models import Month
from ..provenance import month_row

__all__ = ["NotFound", "is_sample", "month_info", "months", "published_months", "resolve_as_of"]


def months(*, published_only: bool = True) -> list[date]:
    return month_list(Month, published_only=published_only)


def month_info(as_of: date) -> Month | None:
    return month_row(as_of)


def resolve_as_of(value: str | date | None, *, published_only: bool = True) -> date:
    """The progress 基準日 to show: the latest month with data on or before the requested one."""
    return latest_month(Month, value, published_only=published_only)


def is_sample(as_of: date) -> bool:
    return is_sample_month(Month, as_of)


def published_months() -> list[dict]:
    """Every published month and whether it holds fictional data (the API's month list)."""
    rows = Month.objects.filter(published=True).order_by("as_of").values_list("as_of", "sample_data")
    return [{"as_of": m, "sample_data": bool(s)} for m, s in rows]
