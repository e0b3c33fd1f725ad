"""Compute and store the rollups that public pages read (never raw history per request).

Two ways, same numbers: a full recompute of a month (refresh_months without systems, the demo, publishing a
month, `shinchoku rollups rebuild`) and an incremental refresh of the 団体 a write touched
(refresh_organizations: their rows, then the aggregates above them by delta; see rollup_parts).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date

from django.db import connection, transaction
from django.db.models import Min, Q

from shinchoku.domain.rollup import Rollup
from shinchoku.ops.bulk_insert import insert_each, insert_rows
from shinchoku.publication.versions import data_changed, months_changed
from shinchoku.reference.models import NationalStep, Organization

from . import sums_parts
from .attributes import latest_rows_sql
from .fields import json_text
from .hooks import MONTH_HOOKS, NATION_HOOKS
from .models import (
    CURRENT,
    FULL_NEEDED,
    OUTLOOK_BEHIND,
    AreaRollup,
    Month,
    MonthSumsPart,
    OrganizationRollup,
    OwnStep,
    StatusSnapshot,
    System,
    SystemAttributes,
)
from .month_compute import (
    PREFECTURE_KIND,
    MonthInput,
    MonthRollups,
    OrgInfo,
    SystemState,
    areas_from,
    compute_month,
    compute_organizations,
    fast_sum,
    own_statuses,
    touched_scopes,
)
from .rollup_parts import OrgParts, add_parts, join_sums, split_sums
from .system_rollups import system_rows_at

__all__ = [
    "MonthInput",
    "MonthRollups",
    "OrgInfo",
    "SystemState",
    "compute_month",
    "fast_sum",
    "mark_refreshed",
    "mark_skipped",
    "months_affected_from",
    "national_deadlines",
    "organization_info",
    "own_statuses",
    "rebuild_all",
    "refresh_all",
    "refresh_for_publishing",
    "refresh_months",
    "refresh_organizations",
    "save_month",
    "states_at",
]

# Above this many 団体 in one write, a full recompute of the month is as cheap as the delta.
INCREMENTAL_MAX_ORGANIZATIONS = 200


def national_deadlines() -> list[date]:
    return list(NationalStep.objects.order_by("number").values_list("deadline", flat=True))


def organization_info() -> dict[str, OrgInfo]:
    return {
        code: OrgInfo(pref, kind)
        for code, pref, kind in Organization.objects.filter(is_practice=False).values_list(
            "code", "prefecture_code", "kind"
        )
    }


def of_organizations_sql(codes: Collection[str] | None) -> tuple[str, list[str]]:
    """A condition on system_id limiting latest_rows_sql to the systems of some 団体 (all when None)."""
    if codes is None:
        return "", []
    marks = ", ".join(["%s"] * len(codes))
    return f" AND system_id IN (SELECT id FROM progress_system WHERE organization_id IN ({marks}))", sorted(codes)


def states_at(as_of: date, organizations: Collection[str] | None = None) -> list[SystemState]:
    """Each system's effective statuses at a month (its latest snapshot on or before it), with the
    attributes in force then (特定移行支援 and its planned completion); of some 団体 only when given."""
    where, wanted = of_organizations_sql(organizations)
    snapshots = latest_rows_sql(StatusSnapshot._meta.db_table, where=where)
    attributes = latest_rows_sql(SystemAttributes._meta.db_table, where=where)
    sql = f"""
        SELECT s.system_id, sys.organization_id, sys.business_id, a.special_support, a.planned_completion,
               s.codes, s.own_codes, s.published_done
        FROM ({snapshots}) s
        JOIN progress_system sys ON sys.id = s.system_id
        LEFT JOIN ({attributes}) a ON a.system_id = s.system_id
    """
    if organizations is not None:  # said again outside: PostgreSQL then reads those systems by their index
        sql += f" WHERE sys.organization_id IN ({', '.join(['%s'] * len(wanted))})"
    with connection.cursor() as cur:
        cur.execute(sql, [as_of, *wanted, as_of, *wanted, *(wanted if organizations is not None else [])])
        rows = cur.fetchall()
    return [
        SystemState(
            system_id=sid,
            org_code=org,
            business=business,
            special_support=bool(special),
            planned_completion=_as_date(planned) if planned and special else None,
            codes=codes or "",
            own_codes=own or "",
            published_done=done,
        )
        for sid, org, business, special, planned, codes, own, done in rows
    ]


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def own_step_numbers(
    as_of: date | None = None, organizations: Collection[str] | None = None
) -> dict[str, tuple[int, ...]]:
    """Each 団体's own step numbers (独自N) shown at a month (all when as_of is None), in order; gaps allowed."""
    numbers: dict[str, list[int]] = defaultdict(list)
    rows = OwnStep.objects.order_by("organization_id", "number")
    if organizations is not None:
        rows = rows.filter(organization_id__in=list(organizations))
    if as_of is not None:
        rows = rows.filter(Q(since__isnull=True) | Q(since__lte=as_of))
    for org, number in rows.values_list("organization_id", "number"):
        numbers[org].append(number)
    return {org: tuple(ns) for org, ns in numbers.items()}


# The stored fields a Rollup is rebuilt from, in rollup_parts' list order.
ROLLUP_COLUMNS = (
    "systems",
    "completed",
    "in_progress",
    "not_started",
    "not_applicable",
    "own_completed",
    "own_in_progress",
    "own_not_started",
    "own_not_applicable",
    "on_schedule_systems",
    "special_support_systems",
    "systems_in_operation",
    "rate_only_systems",
    "rate_only_done",
)
# A stored row of OrganizationRollup: the 団体 and month, the Rollup's fields with its own steps' count among them,
# the rates, and its parts (what _org_rows gives, in this order).
ORG_ROLLUP_COLUMNS = (
    "organization_id",
    "as_of",
    *ROLLUP_COLUMNS[:5],
    "own_steps",
    *ROLLUP_COLUMNS[5:],
    "completion_rate",
    "progress_rate",
    "progress_rate_incl_own",
    "parts",
)
ORG_ROLLUP_TABLE = OrganizationRollup._meta.db_table


def _org_rows(
    as_of: date, rollups: dict[str, Rollup], parts: dict[str, OrgParts], own_numbers: dict[str, tuple[int, ...]]
) -> list[tuple]:
    return [
        (
            code,
            as_of,
            r.systems,
            r.national.completed,
            r.national.in_progress,
            r.national.not_started,
            r.national.not_applicable,
            len(own_numbers.get(code, ())),
            r.own.completed,
            r.own.in_progress,
            r.own.not_started,
            r.own.not_applicable,
            r.on_schedule_systems,
            r.special_support_systems,
            r.systems_in_operation,
            r.rate_only_systems,
            r.rate_only_done,
            r.completion_rate,
            r.progress_rate,
            r.progress_rate_incl_own,
            json.dumps(parts[code].as_json(), ensure_ascii=False, separators=(",", ":")),
        )
        for code, r in rollups.items()
    ]


AREA_INSERT = f"INSERT INTO {AreaRollup._meta.db_table} (scope, as_of, data) VALUES (%s, %s, %s)"


def _insert_areas(as_of: date, areas: dict[str, dict]) -> None:
    """A plain executemany: bulk_create's single statement quotes each JSON text again as an array element,
    which took PostgreSQL twice as long to read."""
    with connection.cursor() as cur:
        cur.executemany(AREA_INSERT, [(scope, as_of, json_text(data)) for scope, data in sorted(areas.items())])


def _save_areas(as_of: date, areas: dict[str, dict], sums: dict) -> None:
    AreaRollup.objects.filter(as_of=as_of).delete()
    _insert_areas(as_of, areas)
    _save_sums_parts(as_of, sums)


def save_month(result: MonthRollups, *, own_numbers: dict[str, tuple[int, ...]]) -> None:
    OrganizationRollup.objects.filter(as_of=result.as_of).delete()
    # not bulk_create: its SQL building dominated the demo; COPY on PostgreSQL (a month is 1,788 rows)
    insert_rows(
        ORG_ROLLUP_TABLE, ORG_ROLLUP_COLUMNS, _org_rows(result.as_of, result.organizations, result.parts, own_numbers)
    )
    _save_areas(result.as_of, result.areas, result.sums)


def _month_input(
    m: date, orgs: dict[str, OrgInfo], deadlines: list[date], codes: Collection[str] | None = None
) -> MonthInput:
    """What month m's rollups are computed from: its systems (of the 団体 `codes` only, when given) as stored."""
    return MonthInput(
        as_of=m,
        states=states_at(m, codes),
        orgs=orgs,
        own_step_numbers=own_step_numbers(m, codes),
        deadlines=deadlines,
        systems=system_rows_at(m, codes),
    )


def _full_month(m: date, orgs: dict[str, OrgInfo], deadlines: list[date]) -> None:
    month = _month_input(m, orgs, deadlines)
    save_month(compute_month(month), own_numbers=month.own_step_numbers)


STORED_ROLLUPS = (
    f"SELECT organization_id, {', '.join(ROLLUP_COLUMNS)} FROM {OrganizationRollup._meta.db_table} WHERE as_of = %s"
)


def stored_rollups(m: date, orgs: Collection[str]) -> dict[str, list[int]]:
    """Every public 団体's stored rollup of a month in its list form (rollup_to_list)."""
    with connection.cursor() as cur:
        cur.execute(STORED_ROLLUPS, [m])
        return {code: values for code, *values in cur.fetchall() if code in orgs}


def refresh_organizations(m: date, codes: Collection[str], orgs: dict[str, OrgInfo], deadlines: list[date]) -> bool:
    """The incremental refresh of one month after a write to some 団体: their rows are recomputed from their
    own systems; the month's sums lose their old parts and gain the new ones; the areas are rebuilt from the
    sums and the stored per-団体 rows. False (nothing done) when the month has no sums yet (a full recompute
    is needed) or a touched row predates the parts."""
    codes = sorted(c for c in codes if c in orgs)
    if not codes:
        return True  # only the practice 団体: nothing public changed
    # every part is locked (writes to one month take turns), but only those this write needs are read
    digests = dict(MonthSumsPart.objects.select_for_update().filter(as_of=m).values_list("part", "digest"))
    if not digests:
        return False
    old = dict(
        OrganizationRollup.objects.filter(as_of=m, organization_id__in=codes).values_list("organization_id", "parts")
    )
    if any(not p for p in old.values()):
        return False
    month = _month_input(m, orgs, deadlines, codes)
    own_numbers = month.own_step_numbers
    rollups, parts = compute_organizations(month)
    olds = {code: OrgParts.from_json(p) for code, p in old.items()}
    scopes = touched_scopes(codes, orgs, olds, parts)
    needed = needed_sums_parts(codes, orgs, olds, parts, scopes)
    sums = join_sums(sums_parts.read(m, digests, needed))
    for code in codes:
        info = orgs[code]
        is_pref = info.kind == PREFECTURE_KIND
        if code in olds:
            add_parts(sums, code, info.prefecture_code, is_pref, olds[code], sign=-1)
        if code in parts:
            add_parts(sums, code, info.prefecture_code, is_pref, parts[code])
    OrganizationRollup.objects.filter(as_of=m, organization_id__in=codes).delete()
    insert_each(ORG_ROLLUP_TABLE, ORG_ROLLUP_COLUMNS, _org_rows(m, rollups, parts, own_numbers))
    every = stored_rollups(m, orgs)
    areas = areas_from(every, orgs, sums, only=scopes)
    AreaRollup.objects.filter(as_of=m, scope__in=sorted(scopes)).delete()
    _insert_areas(m, areas)
    _save_sums_parts(m, sums, changed_sums_parts(codes, orgs, olds, parts, scopes))
    return True


def changed_sums_parts(
    codes: Collection[str], orgs: dict[str, OrgInfo], old: dict[str, OrgParts], new: dict[str, OrgParts], scopes: set
) -> set[str]:
    """The stored parts of the sums a write changed: the businesses, steps and 特定移行支援 whose areas it
    touched (the prefectures' own systems with a prefecture's businesses), vendors when a 団体's vendors moved."""
    changed = {s for s in scopes if s.startswith("business:") or s in ("steps", "special")}
    if any(orgs[c].kind == PREFECTURE_KIND for c in codes):
        changed.add("prefectures_own")
    empty = OrgParts()
    if any(old.get(c, empty).vendors != new.get(c, empty).vendors for c in codes):
        changed.add("vendors")
    return changed


def needed_sums_parts(
    codes: Collection[str], orgs: dict[str, OrgInfo], old: dict[str, OrgParts], new: dict[str, OrgParts], scopes: set
) -> set[str]:
    """The stored parts of the month's sums an incremental refresh reads: those the write changes, the
    prefectures' own systems beside any business it recomputes, and the vendors (their area, over every 団体's
    完了率, is recomputed after every write). A part the write leaves as it was is neither read nor stored."""
    needed = changed_sums_parts(codes, orgs, old, new, scopes) | {"vendors"}
    if any(part.startswith("business:") for part in needed):
        needed.add("prefectures_own")
    return needed


def _save_sums_parts(m: date, sums: dict, parts: set[str] | None = None) -> None:
    """Store the month's sums: the given parts (those a write changed), or all of them."""
    rows = split_sums(sums)
    stored = MonthSumsPart.objects.filter(as_of=m)
    if parts is not None:
        stored = stored.filter(part__in=sorted(parts))
    stored.delete()
    wanted = rows.keys() if parts is None else parts & rows.keys()
    sums_parts.insert(m, {part: rows[part] for part in wanted})


@transaction.atomic(savepoint=False)  # no savepoint of its own: an error here ends the caller's transaction too
def refresh_months(
    months: Iterable[date], *, systems: Collection[int] | None = None, attributes: Collection[str] | None = None
) -> int:
    """Recompute and store the rollups of the given months; returns how many were refreshed.

    `systems`: the systems whose data changed, when the caller knows (a staff edit, a small import): only their
    団体 are recomputed and the aggregates above them updated by delta (refresh_organizations); other apps'
    month figures (MONTH_HOOKS) may then refresh only what those systems touch. Without it, a full recompute.
    `attributes`: with `systems`, the attribute fields (ATTRIBUTE_FIELDS) the write changed, when the caller knows;
    empty for a write of step statuses alone. Figures computed from other attributes may then stay as they are
    (costs' cloud figures after a 特定移行支援 edit, the 特定移行支援 timeline after a vendor edit). None: unknown.
    """
    months = sorted(set(months))
    if not months:
        return 0
    orgs = organization_info()
    deadlines = national_deadlines()
    codes = organizations_of(systems) if systems is not None else None
    incremental = True
    for m in months:
        if (
            codes is not None
            and len(codes) <= INCREMENTAL_MAX_ORGANIZATIONS
            and refresh_organizations(m, codes, orgs, deadlines)
        ):
            continue
        _full_month(m, orgs, deadlines)
        incremental = False
    changed = frozenset(systems) if systems is not None else None
    for hook in MONTH_HOOKS:  # other apps' month figures (costs' cloud, outlook's warnings)
        hook(months, changed, frozenset(attributes) if attributes is not None and changed is not None else None)
    mark_refreshed(months, complete=changed is None)
    # of the 団体 pages, an incremental refresh changes only those of the 団体 it recomputed
    data_changed(sorted(codes) if codes is not None and incremental else None)
    months_changed(months_from(months[0]))  # the wider areas' pages of these months and of later ones
    return len(months)


def months_from(as_of: date) -> list[date]:
    """The month and every later one: those whose pages show it (a trend shows every month up to its own)."""
    return list(Month.objects.filter(as_of__gte=as_of).values_list("as_of", flat=True))


def mark_refreshed(months: Collection[date], *, complete: bool) -> None:
    """Record what publishing these months still has to do. A full refresh (rollups and outlook) leaves
    nothing; an incremental one leaves the country's forecast and the backtest, unless the month already
    needed a full recompute (a write the rollups skipped is still missing)."""
    rows = Month.objects.filter(as_of__in=list(months))
    if complete:
        rows.update(refresh_needed=CURRENT)
    else:
        rows.filter(refresh_needed=CURRENT).update(refresh_needed=OUTLOOK_BEHIND)


def mark_skipped(months: Collection[date]) -> None:
    """Writes to these months skipped the rollups (no published month shows them): publishing recomputes."""
    Month.objects.filter(as_of__in=list(months)).update(refresh_needed=FULL_NEEDED)


def refresh_for_publishing(months: Collection[date]) -> int:
    """What publishing needs before the months go public: a full recompute from the first month that missed
    writes; else, after incremental writes, the country's forecast and backtest only (NATION_HOOKS); else
    nothing. Returns how many months were recomputed in full."""
    needed = dict(Month.objects.filter(as_of__in=list(months)).values_list("as_of", "refresh_needed"))
    stale = sorted(m for m, state in needed.items() if state == FULL_NEEDED)
    if stale:
        return refresh_months([m for m in needed if m >= stale[0]])
    behind = sorted(m for m, state in needed.items() if state == OUTLOOK_BEHIND)
    if behind:
        for hook in NATION_HOOKS:
            hook(behind)
        Month.objects.filter(as_of__in=behind).update(refresh_needed=CURRENT)
        data_changed()
    return 0


def months_affected_from(as_of: date, system_ids: Iterable[int] | None = None) -> list[date]:
    """Months whose carried-forward view may change after writes at `as_of` to the given systems.

    A later month in which every written system has its own row is not affected, nor is any month after it.
    """
    months = list(Month.objects.filter(as_of__gte=as_of).values_list("as_of", flat=True))
    if system_ids is None:
        return months
    ids = set(system_ids)
    later = (
        (
            StatusSnapshot.objects.filter(as_of__gt=as_of, system_id__in=ids)
            .values("system_id")
            .annotate(m=Min("as_of"))
            .values_list("system_id", "m")
        )
        if len(ids) <= 500
        else (
            StatusSnapshot.objects.filter(as_of__gt=as_of)
            .values("system_id")
            .annotate(m=Min("as_of"))
            .values_list("system_id", "m")
        )
    )
    next_row = {sid: m for sid, m in later if sid in ids}
    if len(next_row) < len(ids):
        return months  # some system carries this write forward to the latest month
    until = max(next_row.values())
    return [m for m in months if m < until]


def refresh_all() -> int:
    return refresh_months(Month.objects.values_list("as_of", flat=True))


def rebuild_all() -> int:
    """The repair: every month's rollups recomputed from scratch (`shinchoku rollups rebuild`)."""
    return refresh_all()


def organizations_of(system_ids: Iterable[int]) -> list[str]:
    ids = list(system_ids)
    if not ids:
        return []
    return sorted(set(System.objects.filter(pk__in=ids).values_list("organization_id", flat=True)))


def system_ids_of(org_codes: Iterable[str]) -> list[int]:
    return list(System.objects.filter(organization_id__in=list(org_codes)).values_list("id", flat=True))
