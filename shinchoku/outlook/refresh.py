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

from .models import OutlookSummary
from .special_timeline import SPECIAL_SCOPE, refresh_special
from .store_forecasts import refresh_forecasts, refresh_forecasts_of
from .store_warnings import refresh_system_warnings, refresh_warnings

__all__ = ["refresh_all", "refresh_outlook", "refresh_system_warnings"]

DESIGNATION_FIELDS = frozenset({"special_support", "planned_completion"})  # what the timeline reads


@transaction.atomic(savepoint=False)  # no savepoint of its own: an error here ends the caller's transaction too
def refresh_outlook(
    months: Iterable[date], systems: Collection[int] | None = None, attributes: Collection[str] | None = None
) -> int:
    """Warnings, forecasts, the backtest and the 特定移行支援 timeline of the given months and every later
    held month; returns how many months were refreshed. With `systems` (the few that changed), only their
    warnings and their 団体' and prefectures' forecasts are recomputed, not every system's history; the
    country's forecast and the backtest follow at the month's next full refresh (publishing, rebuild).
    `attributes`: the attribute fields the write changed (None: unknown); the 特定移行支援 timeline reads only
    the designation and its planned completion, so a write of other fields (or of statuses) leaves it as it is."""
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
    # a few systems changed: their 団体' forecasts; the 特定移行支援 timeline only if it may have moved
    refresh_forecasts_of(target, _organizations_of(systems))
    if _timeline_stale(target, systems, attributes):
        refresh_special(target)
    return len(target)


def _timeline_stale(target: list[date], systems: Collection[int], attributes: Collection[str] | None) -> bool:
    """Whether a write to these systems may have changed the 特定移行支援 timeline of the target months: only
    attribute rows carry designations, and of their fields only the designation and its planned completion. A
    write of statuses alone never does; an attribute write also fills a month that has no timeline yet."""
    if attributes is not None and not attributes:
        return False
    designations = attributes is None or not DESIGNATION_FIELDS.isdisjoint(attributes)
    moved = SystemAttributes.objects.filter(system_id__in=list(systems), as_of__gte=target[0])
    if designations and moved.exists():
        return True
    return OutlookSummary.objects.filter(month_id__in=target, scope=SPECIAL_SCOPE).count() < len(target)


def _organizations_of(systems: Collection[int]) -> list[str]:
    return sorted(set(System.objects.filter(pk__in=list(systems)).values_list("organization_id", flat=True)))


def refresh_all() -> int:
    return refresh_outlook(Month.objects.values_list("as_of", flat=True))
