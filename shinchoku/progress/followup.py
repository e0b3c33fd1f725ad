"""The prefecture's follow-up view (staff read): per 市区町村, whether it has reported for the open month and
what needs a call — late systems, stalled systems, late systems without a delay explanation, 特定移行支援.

Unpublished data included (staff only). A few queries for a whole prefecture or the whole country: the
latest snapshot on or before a month is found per system in bulk, never one 団体 at a time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Max

from shinchoku.domain.calendar import month_end, to_month_end
from shinchoku.domain.kinds import PREFECTURE
from shinchoku.domain.rollup import Rollup, rate_only_rollup, system_rollup
from shinchoku.reference.models import NationalStep, Organization

from .attributes import Attributes, attributes_at
from .models import DelayExplanation, Month, StatusSnapshot, System

DEFAULT_STALLED_MONTHS = 3
MAX_STALLED_MONTHS = 24


def open_month() -> date:
    """The month being reported: the latest unpublished month, else the one after the latest published."""
    latest = Month.objects.order_by("-as_of").values_list("as_of", "published").first()
    if latest is None:
        return to_month_end(date.today())
    as_of, published = latest
    return to_month_end(as_of + timedelta(days=1)) if published else as_of


def months_before(as_of: date, n: int) -> date:
    index = as_of.year * 12 + as_of.month - 1 - n
    return month_end(index // 12, index % 12 + 1)


# The items of a follow-up row's JSON named as its attributes (the lists are renamed)
SAME_NAMES = (
    "code",
    "name",
    "prefecture_code",
    "reported",
    "last_report",
    "systems",
    "completion_rate",
    "progress_rate",
)


@dataclass
class FollowupRow:
    code: str
    name: str
    prefecture_code: str
    systems: int = 0
    last_report: datetime | None = None
    completion_rate: float | None = None
    progress_rate: float | None = None
    late: list[str] = field(default_factory=list)
    stalled: list[str] = field(default_factory=list)
    late_unexplained: list[str] = field(default_factory=list)
    special: list[tuple[str, date | None]] = field(default_factory=list)

    @property
    def reported(self) -> bool:
        return self.last_report is not None

    def as_dict(self) -> dict:
        return {
            **{name: getattr(self, name) for name in SAME_NAMES},
            "late_systems": self.late,
            "stalled_systems": self.stalled,
            "late_without_explanation": self.late_unexplained,
            "special_support_systems": [{"name": n, "planned_completion": d} for n, d in self.special],
        }


def latest_snapshots(ids: list[int] | None, as_of: date) -> dict[int, tuple[date, str, int | None]]:
    """Per system (of `ids`, or every one): (month, codes, published_done) of its latest snapshot on or before
    as_of, in two queries (filtering by system id reads the (system, month) index; joining 団体 does not)."""
    scope = StatusSnapshot.objects.filter(as_of__lte=as_of)
    if ids is not None:
        scope = scope.filter(system_id__in=ids)
    wanted = {r["system_id"]: r["m"] for r in scope.values("system_id").annotate(m=Max("as_of"))}
    rows = scope.filter(as_of__in=set(wanted.values())).values_list("system_id", "as_of", "codes", "published_done")
    return {sid: (m, codes, done) for sid, m, codes, done in rows if wanted.get(sid) == m}


def _stalled(now: tuple[date, str, int | None] | None, before: tuple[date, str, int | None] | None) -> bool:
    """Statuses known, not finished, and the same as N months earlier."""
    if now is None or before is None or not now[1]:
        return False
    return now[1] == before[1] and any(c not in "CX" for c in now[1])


def followup(*, pref: str | None, as_of: date, stalled_months: int = DEFAULT_STALLED_MONTHS) -> list[FollowupRow]:
    """Every 市区町村 of a prefecture (or, with pref None, of the country) at a month, by 団体コード."""
    orgs = Organization.objects.filter(is_practice=False).exclude(kind=PREFECTURE)
    if pref:
        orgs = orgs.filter(prefecture_code=pref)
    rows = {
        code: FollowupRow(code, name, pc)
        for code, name, pc in orgs.order_by("code").values_list("code", "name", "prefecture_code")
    }
    systems = list(
        System.objects.filter(organization__in=orgs)
        .order_by("organization_id", "sort_order", "name")
        .values_list("id", "organization_id", "name")
    )
    ids = [s[0] for s in systems] if pref else None
    now = latest_snapshots(ids, as_of)
    before = latest_snapshots(ids, months_before(as_of, stalled_months))
    attrs = attributes_at(as_of, ids)
    explained = set(
        DelayExplanation.objects.filter(system__organization__in=orgs, as_of__lte=as_of)
        .values_list("system_id", flat=True)
        .distinct()
    )
    deadlines = list(NationalStep.objects.order_by("number").values_list("deadline", flat=True))
    reports = (
        StatusSnapshot.objects.filter(system__organization__in=orgs, as_of=as_of)
        .values("system__organization_id")
        .annotate(last=Max("updated_at"))
    )
    for r in reports:
        rows[r["system__organization_id"]].last_report = r["last"]
    totals: dict[str, Rollup] = defaultdict(Rollup.zero)
    for sid, code, name in systems:
        row = rows[code]
        a = attrs.get(sid, Attributes())
        if a.special_support:
            row.special.append((name, a.planned_completion))
        snap = now.get(sid)
        if snap is None:
            continue  # never reported
        row.systems += 1
        _month, codes, done = snap
        if not codes:
            totals[code] += rate_only_rollup(done=done or 0, special_support=a.special_support)
            continue
        rollup = system_rollup(
            codes=codes,
            deadlines=deadlines,
            as_of=as_of,
            special_support=a.special_support,
            special_support_completion=a.planned_completion if a.special_support else None,
        )
        totals[code] += rollup
        if not rollup.on_schedule_systems:
            row.late.append(name)
            if sid not in explained:
                row.late_unexplained.append(name)
        if _stalled(snap, before.get(sid)):
            row.stalled.append(name)
    for code, total in totals.items():
        rows[code].completion_rate = _round(total.completion_rate)
        rows[code].progress_rate = _round(total.progress_rate)
    return list(rows.values())


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)
