"""The data version: counters that move with every write of public data, in the write's transaction.

It is moved one way — by the write layer itself: every audited write (accounts.audit.record), every applied
import, every rollup refresh and every publication calls data_changed(). Caches of rendered public answers
(the API's, per worker and per server) compare the counter of everything on each request, so a write shows at
once everywhere.

A write that names the 団体 it changed (`data_changed(["042021"])`: a staff edit of statuses, refreshed
incrementally) moves those 団体' own counters; any other write moves the epoch, which every 団体's pages
depend on. The pages of one 団体 rendered ahead of readers (stored_pages.py) stay valid while both the epoch
and their 団体's counter do.

Such a write also changes the pages of wider areas (national, prefectures, businesses …) of the months it
refreshed, and of every later month, whose trends show those months: months_changed() moves their counters.
A wider area's page of one month rendered ahead stays valid while the epoch and its month's counter do.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from django.db import connection
from django.db.models import Model

from .models import DataVersion, MonthVersion, OrganizationVersion

__all__ = ["EPOCH", "EVERYTHING", "counter", "data_changed", "month_counters", "months_changed", "organization_counter"]

EVERYTHING = 1  # DataVersion row moved by every write
EPOCH = 2  # DataVersion row moved by writes not scoped to named 団体


def _upsert(model: type[Model], keys: list) -> None:
    """Each key's counter goes up by one; a missing row starts at 1. One statement per key: PostgreSQL and SQLite
    (3.24 and later) both read INSERT … ON CONFLICT DO UPDATE. (An update then a get_or_create on a miss took
    up to five statements, a savepoint among them.)"""
    table, key = model._meta.db_table, model._meta.pk.column
    sql = (
        f"INSERT INTO {table} ({key}, counter) VALUES (%s, 1) "
        f"ON CONFLICT ({key}) DO UPDATE SET counter = {table}.counter + 1"
    )
    with connection.cursor() as cur:
        cur.executemany(sql, [(k,) for k in keys])


def data_changed(organizations: Collection[str] | None = None) -> None:
    """Public data changed: only that of the named 団体 (their own pages), or anything (None)."""
    if organizations is None:
        _upsert(DataVersion, [EVERYTHING, EPOCH])
        return
    _upsert(DataVersion, [EVERYTHING])
    if organizations:
        _upsert(OrganizationVersion, sorted(set(organizations)))


def counter() -> int:
    return DataVersion.objects.filter(pk=EVERYTHING).values_list("counter", flat=True).first() or 0


def organization_counter(code: str) -> int:
    return OrganizationVersion.objects.filter(code=code).values_list("counter", flat=True).first() or 0


def months_changed(months: Iterable[date]) -> None:
    """The pages of wider areas of these months changed (the caller names every later month too): their
    counters move, in the write's transaction."""
    wanted = sorted(set(months))
    if not wanted:
        return
    _upsert(MonthVersion, wanted)


def month_counters() -> dict[date, int]:
    return dict(MonthVersion.objects.values_list("as_of", "counter"))
