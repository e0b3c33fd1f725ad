"""Compute and store the warnings of months (and their counts) from every system's raw history."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

from django.db import connection
from django.db.models import Q, Sum

from shinchoku.progress.models import OrganizationRollup

from .history import histories
from .models import OutlookSummary, SystemWarning
from .warning_rules import DEFAULT_STALL_MONTHS, KINDS, evaluate

WARNINGS_SCOPE = "warnings"
INSERT = (
    "INSERT INTO outlook_systemwarning (as_of, system_id, organization_id, prefecture_code, business, system_name,"
    " kind, since, basis, detail, evidence) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
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
        info = h.info
        for f in evaluate(months, h.readings, h.designations, h.explained_from, start=start):
            c = counts[f.as_of]
            c.by_pref[info.pref][f.kind] += 1
            c.by_basis[f.kind][f.basis] += 1
            c.systems.add(info.system_id)
            c.organizations.add(info.org)
            rows.append(
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
            )
        if len(rows) >= BATCH:
            written += _insert(rows)
            rows = []
    written += _insert(rows)
    OutlookSummary.objects.bulk_create(
        [OutlookSummary(month_id=m, scope=WARNINGS_SCOPE, data=c.as_dict()) for m, c in counts.items()]
    )
    return written


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
    if rows:
        with connection.cursor() as cur:
            cur.executemany(INSERT, rows)
    return len(rows)
