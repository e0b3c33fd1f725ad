"""Recompute what the outlook pages read, for months whose data changed or that were published.

Called at the end of shinchoku.progress.rollups.refresh_months (and after the sample's rollups). A month's
warnings depend on earlier months (stalled, regression), so every held month from the earliest given one on
is recomputed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from django.db import transaction

from shinchoku.progress.models import Month

from .special_timeline import refresh_special
from .store_forecasts import refresh_forecasts
from .store_warnings import refresh_system_warnings, refresh_warnings

__all__ = ["refresh_all", "refresh_outlook", "refresh_system_warnings"]


@transaction.atomic
def refresh_outlook(months: Iterable[date], systems: Collection[int] | None = None) -> int:
    """Warnings, forecasts, the backtest and the 特定移行支援 timeline of the given months and every later
    held month; returns how many months were refreshed. With `systems` (the few that changed), only their
    warnings are recomputed, not every system's history."""
    wanted = sorted(set(months))
    if not wanted:
        return 0
    held = list(Month.objects.order_by("as_of").values_list("as_of", flat=True))
    target = [m for m in held if m >= wanted[0]]
    if not target:
        return 0
    if systems is None or not refresh_system_warnings(systems, target[0], complete=True):
        refresh_warnings(held, target)
    refresh_forecasts(target)
    refresh_special(target)
    return len(target)


def refresh_all() -> int:
    return refresh_outlook(Month.objects.values_list("as_of", flat=True))
