"""ガバメントクラウド and vendor rollups per progress month, from the system attributes in force that month
(progress/attributes.py: one store, carried forward).

They are refreshed with the month's progress rollups: `refresh_months` is registered as a hook of
shinchoku.progress.rollups.refresh_months (see apps.py), which every attribute write and every publication goes
through. Later months are refreshed too, since an attribute is carried forward. Public pages read one row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction

from shinchoku.progress.models import Month, System, SystemAttributes

from .figures import SystemState, cloud_rollup, vendor_changes
from .models import CloudRollup

__all__ = ["refresh_all", "refresh_months"]

Row = tuple[date, str, bool | None, str | None]  # (as_of, vendor, uses_gov_cloud, provider)
# The attributes these figures are computed from (with the systems themselves)
FIGURE_ATTRIBUTES = frozenset({"vendor", "uses_gov_cloud", "cloud_provider"})


def _date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _systems() -> dict[int, tuple[str, str]]:
    """{system id: (団体, prefecture code)} of every public system."""
    rows = System.objects.filter(organization__is_practice=False).values_list(
        "id", "organization_id", "organization__prefecture_code"
    )
    return {sid: (org, pref) for sid, org, pref in rows}


def _history(systems: dict[int, tuple[str, str]]) -> dict[int, list[Row]]:
    history: dict[int, list[Row]] = defaultdict(list)
    rows = SystemAttributes.objects.order_by("system_id", "as_of").values_list(
        "system_id", "as_of", "vendor", "uses_gov_cloud", "cloud_provider"
    )
    for sid, as_of, vendor, cloud, provider in rows.iterator(chunk_size=5000):
        if sid in systems:
            history[sid].append((_date(as_of), vendor or "", cloud, provider or None))
    return history


def compute(months: Iterable[date]) -> dict[date, dict]:
    """Each month's figures from one read of all attribute rows."""
    months = sorted(set(months))
    systems = _systems()
    history = _history(systems)
    changes = vendor_changes({sid: [(r[0], r[1]) for r in rows] for sid, rows in history.items()}, systems)
    cursor = dict.fromkeys(history, -1)
    out: dict[date, dict] = {}
    previous: dict | None = None
    for m in months:
        moved = False
        for sid, rows in history.items():
            i = cursor[sid]
            while i + 1 < len(rows) and rows[i + 1][0] <= m:
                i += 1
            if i != cursor[sid]:
                cursor[sid], moved = i, True
        if previous is not None and not moved:
            out[m] = previous  # nothing took effect this month: the figures are those of the month before
            continue
        states = []
        for sid, (org, pref) in systems.items():
            i = cursor.get(sid, -1)
            if i < 0:
                states.append(SystemState(sid, org, pref, "", None, None))
                continue
            _as_of, vendor, cloud, provider = history[sid][i]
            states.append(SystemState(sid, org, pref, vendor, cloud, provider if cloud else None))
        out[m] = previous = cloud_rollup(states, [c for c in changes if c.as_of <= m])
    return out


def fingerprint() -> str:
    """Changes whenever a system or an attribute row is added, removed or saved (two indexed aggregates): most
    progress refreshes follow status edits, which leave these figures as they are."""
    attributes, systems = SystemAttributes._meta.db_table, System._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT (SELECT COUNT(*) FROM {attributes}), (SELECT MAX(id) FROM {attributes}),"
            f" (SELECT MAX(updated_at) FROM {attributes}), (SELECT COUNT(*) FROM {systems}),"
            f" (SELECT MAX(id) FROM {systems})"
        )
        return "|".join(str(v) for v in cur.fetchone())


def refresh_for(months: list[date], _systems: frozenset[int] | None, attributes: frozenset[str] | None = None) -> int:
    """A progress MONTH_HOOK: the months refreshed (whichever systems changed: the fingerprint tells). A write of
    step statuses, or of attributes these figures do not read (特定移行支援, package, planned go-live), can't
    move them: nothing to do, not even the fingerprint's counts, unless a month has no figures yet (the write
    created it). `attributes`: the fields the write changed; None when unknown."""
    unmoved = attributes is not None and not attributes & FIGURE_ATTRIBUTES
    if unmoved and CloudRollup.objects.filter(as_of__in=months).count() == len(set(months)):
        return 0
    return refresh_months(months)


@transaction.atomic(savepoint=False)  # no savepoint of its own: an error here ends the caller's transaction too
def refresh_months(months: Iterable[date], *, force: bool = False) -> int:
    """Recompute the given months and every later month (attributes are carried forward); months already
    computed from the same attributes are left alone unless `force`."""
    months = list(months)
    if not months:
        return 0
    wanted = list(Month.objects.filter(as_of__gte=min(months)).values_list("as_of", flat=True))
    current = fingerprint()
    done = dict(CloudRollup.objects.filter(as_of__in=wanted).values_list("as_of", "fingerprint"))
    if not force and len(done) == len(wanted) and all(f == current for f in done.values()):
        return 0
    figures = compute(wanted)
    CloudRollup.objects.filter(as_of__in=wanted).delete()
    CloudRollup.objects.bulk_create(
        [CloudRollup(as_of=m, data=data, fingerprint=current) for m, data in figures.items()]
    )
    return len(figures)


def refresh_all() -> int:
    return refresh_months(Month.objects.values_list("as_of", flat=True), force=True)
