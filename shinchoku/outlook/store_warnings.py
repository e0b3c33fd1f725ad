"""Compute and store the warnings of months (and their counts) from every system's raw history."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Collection, Sequence
from datetime import date

from django.db.models import Q, Sum

from shinchoku.ops.bulk_insert import insert_each, insert_rows
from shinchoku.progress.models import Month, OrganizationRollup

from .history import SystemHistory, histories
from .models import OutlookSummary, SystemWarning
from .warning_rules import DEFAULT_STALL_MONTHS, KINDS, evaluate

WARNINGS_SCOPE = "warnings"
COLUMNS = (
    "as_of",
    "system_id",
    "organization_id",
    "prefecture_code",
    "business",
    "system_name",
    "kind",
    "since",
    "basis",
    "detail",
    "evidence",
)
BATCH = 5000


class _Counts:
    """The counts of one month that the page, the API and open data show (precomputed with the rows)."""

    def __init__(self) -> None:
        self.by_pref: dict[str, Counter[str]] = defaultdict(Counter)
        self.by_basis: dict[str, Counter[str]] = defaultdict(Counter)
        self.systems: set[int] = set()
        self.organizations: set[str] = set()
        self.rate_only_systems = 0
        self.evaluated = 0  # systems with a row that month

    def count(self, system: int, org: str, pref: str, kind: str, basis: str) -> None:
        self.by_pref[pref][kind] += 1
        self.by_basis[kind][basis] += 1
        self.systems.add(system)
        self.organizations.add(org)

    @classmethod
    def from_dict(cls, data: dict) -> _Counts:
        """The counts as stored (as_dict), to add rows to; the distinct systems and 団体 are not kept."""
        counts = cls()
        for pref, kinds in data.get("by_prefecture", {}).items():
            counts.by_pref[pref].update(kinds)
        for kind, bases in data.get("by_basis", {}).items():
            counts.by_basis[kind].update(bases)
        counts.evaluated = data.get("systems_evaluated", 0)
        counts.rate_only_systems = data.get("rate_only_systems", 0)
        return counts

    def add(self, row: tuple) -> None:
        """A row as inserted (see COLUMNS)."""
        self.count(row[1], row[2], row[3], row[6], row[8])

    def as_dict(self) -> dict:
        by_kind = Counter[str]()
        for counts in self.by_pref.values():
            by_kind.update(counts)
        return {
            "total": sum(by_kind.values()),
            "by_kind": {k: by_kind.get(k, 0) for k in KINDS},
            "by_prefecture": {p: {k: c.get(k, 0) for k in KINDS if c.get(k)} for p, c in sorted(self.by_pref.items())},
            "by_basis": {k: dict(self.by_basis[k]) for k in KINDS if k in self.by_basis},
            "systems": len(self.systems),
            "organizations": len(self.organizations),
            "systems_evaluated": self.evaluated,
            "rate_only_systems": self.rate_only_systems,
            "stall_months": DEFAULT_STALL_MONTHS,
        }


def refresh_warnings(held: Sequence[date], target: Sequence[date]) -> int:
    """Recompute the warnings of `target` (held months from some month on); returns the rows written."""
    start = target[0]
    SystemWarning.objects.filter(month_id__gte=start).delete()
    OutlookSummary.objects.filter(month_id__gte=start, scope=WARNINGS_SCOPE).delete()
    months = [m for m in held if m <= target[-1]]
    counts = {m: _Counts() for m in target}
    rows: list[tuple] = []
    written = 0
    for m, (systems, rate_only) in _systems_by_month(target).items():
        if m in counts:
            counts[m].evaluated, counts[m].rate_only_systems = systems, rate_only
    for h in histories(target[-1]):
        for row in _rows(h, months, start):
            c = counts[row[0]]
            c.add(row)
            rows.append(row)
        if len(rows) >= BATCH:
            written += _insert(rows)
            rows = []
    written += _insert(rows)
    OutlookSummary.objects.bulk_create(
        [OutlookSummary(month_id=m, scope=WARNINGS_SCOPE, data=c.as_dict()) for m, c in counts.items()]
    )
    return written


def _rows(h: SystemHistory, months: Sequence[date], start: date) -> list[tuple]:
    info = h.info
    return [
        (
            f.as_of,
            info.system_id,
            info.org,
            info.pref,
            info.business,
            info.name[:64],
            f.kind,
            f.since,
            f.basis,
            f.detail,
            json.dumps(f.evidence, ensure_ascii=False),
        )
        for f in evaluate(months, h.readings, h.designations, h.explained_from, start=start)
    ]


# More systems than this: reading every history once is cheaper than a query per system.
FEW_SYSTEMS = 500


def refresh_system_warnings(
    system_ids: Collection[int], since: date, *, complete: bool = False, held: Sequence[date] | None = None
) -> int | bool:
    """Recompute the warnings of a few systems from a month on (a delay explanation saved, a cell edited) and
    the month counts, without reading any other system's history; returns the rows written.

    With `complete`, returns whether it could (False: the months were never computed, or too many systems —
    the caller then refreshes everything).
    """
    if held is None:  # (every month held, in order: the caller may know them already)
        held = list(Month.objects.order_by("as_of").values_list("as_of", flat=True))
    target = [m for m in held if m >= since]
    if not target or not system_ids:
        return True if complete else 0
    computed = set(
        OutlookSummary.objects.filter(scope=WARNINGS_SCOPE, month_id__in=target).values_list("month_id", flat=True)
    )
    if computed != set(target) or len(system_ids) > FEW_SYSTEMS:
        return False if complete else 0  # not computed yet: the next refresh of those months does it all
    stored = SystemWarning.objects.filter(system_id__in=system_ids, month_id__gte=since)
    removed = list(stored.values_list("month_id", "system_id", "organization_id", "prefecture_code", "kind", "basis"))
    stored.delete()
    rows = [row for h in histories(target[-1], only=system_ids) for row in _rows(h, held, since)]
    insert_each(SystemWarning._meta.db_table, COLUMNS, rows)  # a few rows: a staff edit's, in the query log
    added = [(r[0], r[1], r[2], r[3], r[6], r[8]) for r in rows]
    for summary in OutlookSummary.objects.filter(scope=WARNINGS_SCOPE, month_id__in=target):
        m = summary.month_id
        summary.data = _recount(
            m, summary.data, [r for r in removed if r[0] == m], [r for r in added if r[0] == m], system_ids
        )
        summary.save(update_fields=["data"])
    return True if complete else len(rows)


Counted = tuple[date, int, str, str, str, str]  # (month, system, 団体, prefecture, kind, basis) of a warning row


def _recount(month: date, old: dict, removed: list[Counted], added: list[Counted], systems: Collection[int]) -> dict:
    """A month's counts after the rows of some systems were rewritten: the old counts less their removed rows
    plus their new ones (what counting every row again gives, without reading the other systems' rows)."""
    counts = _Counts.from_dict(old)
    for rows, sign in ((removed, -1), (added, 1)):
        for _m, _system, _org, pref, kind, basis in rows:
            _bump(counts.by_pref, pref, kind, sign)
            _bump(counts.by_basis, kind, basis, sign)
    data = counts.as_dict()
    # 団体 with a warning: the touched systems' own, or another system's of the same 団体 (one small query)
    touched = sorted({r[2] for r in removed} | {r[2] for r in added})
    others = set(
        SystemWarning.objects.filter(month_id=month, organization_id__in=touched)
        .exclude(system_id__in=list(systems))
        .values_list("organization_id", flat=True)
        .distinct()
    )
    before = {r[2] for r in removed} | others
    after = {r[2] for r in added} | others
    data.update(
        systems=old.get("systems", 0) - len({r[1] for r in removed}) + len({r[1] for r in added}),
        organizations=old.get("organizations", 0) - len(before) + len(after),
    )
    return data


def _bump(table: dict[str, Counter[str]], key: str, item: str, sign: int) -> None:
    """Add sign to table[key][item]; what falls to nothing is dropped (as if never counted)."""
    counter = table[key]
    counter[item] += sign
    if not counter[item]:
        del counter[item]
    if not counter:
        del table[key]


def _systems_by_month(target: Sequence[date]) -> dict[date, tuple[int, int]]:
    """(systems with a row, systems with only a published rate) of each month, from the 団体 rollups."""
    rows = (
        OrganizationRollup.objects.filter(month_filter(target), organization__is_practice=False)
        .values("as_of")
        .annotate(systems=Sum("systems"), rate_only=Sum("rate_only_systems"))
        .values_list("as_of", "systems", "rate_only")
    )
    return {m: (systems or 0, rate_only or 0) for m, systems, rate_only in rows}


def month_filter(target: Sequence[date]) -> Q:
    return Q(as_of__gte=target[0], as_of__lte=target[-1])


def _insert(rows: list[tuple]) -> int:
    """Rows of a full refresh (COPY on PostgreSQL)."""
    return insert_rows(SystemWarning._meta.db_table, COLUMNS, rows)


def refresh_one_system(system_id: int, since: date) -> object:
    """A progress DELAY_HOOK: one system's warnings after its delay explanation changed."""
    return refresh_system_warnings([system_id], since)
