"""Recompute what the outlook pages read, for months whose data changed or that were published.

Called at the end of shinchoku.progress.rollups.refresh_months (and after the sample's rollups). A month's
warnings depend on earlier months (stalled, regression), so every held month from the earliest given one on
is recomputed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from django.db import transaction

from shinchoku.progress.models import Month, System, SystemAttributes

from .special_timeline import refresh_special
from .store_forecasts import refresh_forecasts, refresh_forecasts_of
from .store_warnings import refresh_system_warnings, refresh_warnings

__all__ = ["refresh_all", "refresh_outlook", "refresh_system_warnings"]


@transaction.atomic(savepoint=False)  # no savepoint of its own: an error here ends the caller's transaction too
def refresh_outlook(months: Iterable[date], systems: Collection[int] | None = None, statuses_only: bool = False) -> int:
    """Warnings, forecasts, the backtest and the 特定移行支援 timeline of the given months and every later
    held month; returns how many months were refreshed. With `systems` (the few that changed), only their
    warnings and their 団体' and prefectures' forecasts are recomputed, not every system's history; the
    country's forecast and the backtest follow at the month's next full refresh (publishing, rebuild).
    `statuses_only`: no attribute changed, so the 特定移行支援 timeline stays as it is."""
    wanted = sorted(set(months))
    if not wanted:
        return 0
    held = list(Month.objects.order_by("as_of").values_list("as_of", flat=True))
    target = [m for m in held if m >= wanted[0]]
    if not target:
        return 0
    if systems is None or not refresh_system_warnings(systems, target[0], complete=True, held=held):
        refresh_warnings(held, target)
        refresh_forecasts(target)
        refresh_special(target)
        return len(target)
    # a few systems changed: their 団体' forecasts; the 特定移行支援 timeline only if their attributes moved
    refresh_forecasts_of(target, _organizations_of(systems))
    moved = SystemAttributes.objects.filter(system_id__in=list(systems), as_of__gte=target[0])
    if not statuses_only and moved.exists():
        refresh_special(target)
    return len(target)


def _organizations_of(systems: Collection[int]) -> list[str]:
    return sorted(set(System.objects.filter(pk__in=list(systems)).values_list("organization_id", flat=True)))


def refresh_all() -> int:
    return refresh_outlook(Month.objects.values_list("as_of", flat=True))
