"""Compute and store the rollups that public pages read (never raw history per request)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date

from django.db import connection, transaction
from django.db.models import Min, Q

from shinchoku.domain.kinds import PREFECTURE
from shinchoku.domain.progress import NATIONAL_STEPS, Counts
from shinchoku.domain.rollup import GroupSummary, Rollup, summarize, system_rollup
from shinchoku.publication.versions import data_changed
from shinchoku.reference.models import NationalStep, Organization

from .attributes import latest_rows_sql
from .hooks import MONTH_HOOKS
from .models import AreaRollup, Month, OrganizationRollup, OwnStep, StatusSnapshot, System, SystemAttributes
from .system_rollups import SystemRow, special_area, system_rows_at, vendor_area

PREFECTURE_KIND = PREFECTURE


@dataclass(frozen=True)
class SystemState:
    """What the rollups need of one system in one month."""

    system_id: int
    org_code: str
    business: int | None
    special_support: bool
    planned_completion: date | None
    codes: str  # "" when only a published 完了率 is known
    own_codes: str
    published_done: int | None = None  # the published 完了率 as k of 40, when there is one


@dataclass(frozen=True)
class OrgInfo:
    prefecture_code: str
    kind: str


@dataclass
class MonthRollups:
    as_of: date
    organizations: dict[str, Rollup]
    areas: dict[str, dict]


def national_deadlines() -> list[date]:
    return list(NationalStep.objects.order_by("number").values_list("deadline", flat=True))


def organization_info() -> dict[str, OrgInfo]:
    return {
        code: OrgInfo(pref, kind)
        for code, pref, kind in Organization.objects.filter(is_practice=False).values_list(
            "code", "prefecture_code", "kind"
        )
    }


def _rollup_dict(r: Rollup) -> dict:
    """A group of systems' figures; those that need step statuses are None when no system has any."""
    steps = bool(r.step_systems)
    return {
        "systems": r.systems,
        "completed": r.national.completed if steps else None,
        "in_progress": r.national.in_progress if steps else None,
        "not_started": r.national.not_started if steps else None,
        "not_applicable": r.national.not_applicable if steps else None,
        "completion_rate": r.completion_rate,
        "progress_rate": r.progress_rate,
        "systems_in_operation": r.systems_in_operation if steps else None,
        "on_schedule_systems": r.on_schedule_systems if steps else None,
        "on_schedule_share": r.on_schedule_share,
        "special_support_systems": r.special_support_systems,
        "systems_with_steps": r.step_systems,
        "rate_only_systems": r.rate_only_systems,
    }


def compute_month(
    *,
    as_of: date,
    states: Iterable[SystemState],
    orgs: dict[str, OrgInfo],
    own_step_numbers: dict[str, tuple[int, ...]],
    deadlines: Sequence[date],
    systems: Sequence[SystemRow] | None = None,
) -> MonthRollups:
    """Pure aggregation of one month's system states into every rollup scope.

    `systems` (every public system with its attributes that month, statuses or not) gives the 特定移行支援
    and vendor figures; 共通機能 and systems listed by デジタル庁 before any report count there too.
    """
    special: dict[str, int] | None = None
    if systems is not None:
        special = defaultdict(int)
        for row in systems:
            if row.special:
                special[row.org] += 1
    by_org: dict[str, list[Rollup]] = defaultdict(list)
    by_business: dict[int, dict[str, list[Rollup]]] = defaultdict(lambda: defaultdict(list))
    prefecture_business: dict[int, list[Rollup]] = defaultdict(list)  # the prefectures' own systems
    codes_by_pref: dict[str, Counter[str]] = defaultdict(Counter)
    cache: dict[tuple, Rollup] = {}  # many systems share the same statuses in a month
    for s in states:
        info = orgs.get(s.org_code)
        if info is None:  # practice 団体 never reach public rollups
            continue
        own = own_statuses(s.own_codes, own_step_numbers.get(s.org_code, ()))
        completion = s.planned_completion if s.special_support else None
        done = None if s.codes else s.published_done
        key = (s.codes, own, s.special_support, completion, done)
        r = cache.get(key)
        if r is None:
            r = cache[key] = system_rollup(
                codes=s.codes,
                own_codes=own,
                deadlines=deadlines,
                as_of=as_of,
                special_support=s.special_support,
                special_support_completion=completion,
                published_done=done,
            )
        by_org[s.org_code].append(r)
        if s.business is not None:
            if info.kind == PREFECTURE_KIND:
                prefecture_business[s.business].append(r)
            else:
                by_business[s.business][info.prefecture_code].append(r)
        if info.kind != PREFECTURE_KIND:
            codes_by_pref[info.prefecture_code][s.codes] += 1
    steps_nation = [[0, 0, 0, 0] for _ in range(NATIONAL_STEPS)]
    steps_pref: dict[str, list[list[int]]] = {}
    index = {"C": 0, "P": 1, "N": 2, "X": 3}
    for pref, counter in codes_by_pref.items():
        pref_steps = steps_pref[pref] = [[0, 0, 0, 0] for _ in range(NATIONAL_STEPS)]
        for codes, n in counter.items():
            for i, c in enumerate(codes):
                k = index.get(c, 2)
                pref_steps[i][k] += n
                steps_nation[i][k] += n
    org_rollups = {code: fast_sum(rs) for code, rs in by_org.items()}
    if special is not None:
        org_rollups = _with_special(org_rollups, special, orgs)
    areas: dict[str, dict] = {}
    municipal = {c: r for c, r in org_rollups.items() if orgs[c].kind != PREFECTURE_KIND}
    nation = _summary(municipal.values())
    everyone = summarize(org_rollups.values())
    nation["with_prefectures"] = _summary(org_rollups.values())
    nation["totals"] = _rollup_dict(fast_sum(municipal.values()))
    # 特定移行支援 is counted as デジタル庁 counts it: prefectures' own systems included.
    nation.update(_special_fields(everyone))
    areas["nation"] = nation
    by_pref: dict[str, list[Rollup]] = defaultdict(list)
    by_kind: dict[str, list[Rollup]] = defaultdict(list)
    pref_own: dict[str, Rollup] = {}
    for code, r in org_rollups.items():
        info = orgs[code]
        by_kind[info.kind].append(r)
        if info.kind != PREFECTURE_KIND:
            by_pref[info.prefecture_code].append(r)
        else:
            pref_own[info.prefecture_code] = r
    for pref in set(by_pref) | set(pref_own):
        rs = by_pref.get(pref, [])
        data = _summary(rs)
        data["totals"] = _rollup_dict(fast_sum(rs))
        prefecture_itself = [pref_own[pref]] if pref in pref_own else []
        data.update(_special_fields(summarize([*rs, *prefecture_itself])))
        areas[f"pref:{pref}"] = data
    for kind, rs in by_kind.items():
        areas[f"kind:{kind}"] = _summary(rs)
    # A business's figures are over 市区町村 systems, as 総務省 publishes them; prefectures' own apart.
    for number in set(by_business) | set(prefecture_business):
        by_p = {p: fast_sum(rs) for p, rs in sorted(by_business.get(number, {}).items())}
        data = _rollup_dict(fast_sum(by_p.values()))
        data["by_prefecture"] = {p: _rollup_dict(r) for p, r in by_p.items()}
        if prefecture_business.get(number):
            data["prefectures_own"] = _rollup_dict(fast_sum(prefecture_business[number]))
        areas[f"business:{number}"] = data
    areas["steps"] = {"nation": steps_nation, "by_prefecture": dict(sorted(steps_pref.items()))}
    if systems is not None:
        areas["special"] = special_area(systems)
        rates = {code: r.completion_rate for code, r in org_rollups.items() if r.systems}
        areas["vendors"] = {"vendors": vendor_area(systems, rates)}
    return MonthRollups(as_of=as_of, organizations=org_rollups, areas=areas)


def _summary(rollups: Iterable[Rollup]) -> dict:
    """A group's summary; the figures that need step statuses are None when no system has any."""
    data = asdict(summarize(rollups))
    if not data["systems_with_steps"]:
        data.update(systems_in_operation=None, on_schedule_systems=None, on_schedule_share=None, progress_rate=None)
    return data


def _special_fields(summary: GroupSummary) -> dict[str, int]:
    return {
        "special_support_organizations": summary.special_support_organizations,
        "special_support_systems": summary.special_support_systems,
    }


def _with_special(
    org_rollups: dict[str, Rollup], special: dict[str, int], orgs: dict[str, OrgInfo]
) -> dict[str, Rollup]:
    """Each 団体's rollup with its 特定移行支援 count from `special` (a 団体 with no statuses gets an empty one)."""
    out = {code: replace(r, special_support_systems=special.get(code, 0)) for code, r in org_rollups.items()}
    for code, n in special.items():
        if code not in out and code in orgs:
            out[code] = Rollup(special_support_systems=n)
    return out


def fast_sum(rollups: Iterable[Rollup]) -> Rollup:
    """The same as domain.rollup.rollup_all, without building an object per addition (hot in the demo)."""
    t = [0] * 14
    for r in rollups:
        n, o = r.national, r.own
        t[0] += r.systems
        t[1] += n.completed
        t[2] += n.in_progress
        t[3] += n.not_started
        t[4] += n.not_applicable
        t[5] += o.completed
        t[6] += o.in_progress
        t[7] += o.not_started
        t[8] += o.not_applicable
        t[9] += r.on_schedule_systems
        t[10] += r.special_support_systems
        t[11] += r.systems_in_operation
        t[12] += r.rate_only_systems
        t[13] += r.rate_only_done
    return Rollup(
        systems=t[0],
        national=Counts(t[1], t[2], t[3], t[4]),
        own=Counts(t[5], t[6], t[7], t[8]),
        on_schedule_systems=t[9],
        special_support_systems=t[10],
        systems_in_operation=t[11],
        rate_only_systems=t[12],
        rate_only_done=t[13],
    )


def states_at(as_of: date) -> list[SystemState]:
    """Each system's effective statuses at a month (its latest snapshot on or before it), with the
    attributes in force then (特定移行支援 and its planned completion)."""
    snapshots = latest_rows_sql(StatusSnapshot._meta.db_table)
    attributes = latest_rows_sql(SystemAttributes._meta.db_table)
    sql = f"""
        SELECT s.system_id, sys.organization_id, sys.business_id, a.special_support, a.planned_completion,
               s.codes, s.own_codes, s.published_done
        FROM ({snapshots}) s
        JOIN progress_system sys ON sys.id = s.system_id
        LEFT JOIN ({attributes}) a ON a.system_id = s.system_id
    """
    with connection.cursor() as cur:
        cur.execute(sql, [as_of, as_of])
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


def own_step_numbers(as_of: date | None = None) -> dict[str, tuple[int, ...]]:
    """Each 団体's own step numbers (独自N) shown at a month (all when as_of is None), in order; gaps allowed."""
    numbers: dict[str, list[int]] = defaultdict(list)
    rows = OwnStep.objects.order_by("organization_id", "number")
    if as_of is not None:
        rows = rows.filter(Q(since__isnull=True) | Q(since__lte=as_of))
    for org, number in rows.values_list("organization_id", "number"):
        numbers[org].append(number)
    return {org: tuple(ns) for org, ns in numbers.items()}


def own_statuses(own_codes: str, numbers: Sequence[int]) -> str:
    """The statuses of the defined own steps only (own_codes is indexed by N − 1; missing cells are 未着手)."""
    if not numbers:
        return ""
    padded = own_codes.ljust(max(numbers), "N")
    return "".join(padded[n - 1] for n in numbers)


ORG_ROLLUP_INSERT = (
    "INSERT INTO progress_organizationrollup (organization_id, as_of, systems, completed, in_progress,"
    " not_started, not_applicable, own_steps, own_completed, own_in_progress, own_not_started,"
    " own_not_applicable, on_schedule_systems, special_support_systems, systems_in_operation,"
    " rate_only_systems, completion_rate, progress_rate, progress_rate_incl_own) VALUES ("
    + ", ".join(["%s"] * 19)
    + ")"
)


def save_month(result: MonthRollups, *, own_numbers: dict[str, tuple[int, ...]]) -> None:
    OrganizationRollup.objects.filter(as_of=result.as_of).delete()
    AreaRollup.objects.filter(as_of=result.as_of).delete()
    rows = [
        (
            code,
            result.as_of,
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
            r.completion_rate,
            r.progress_rate,
            r.progress_rate_incl_own,
        )
        for code, r in result.organizations.items()
    ]
    with connection.cursor() as cur:  # raw executemany: bulk_create's SQL building dominates the demo otherwise
        cur.executemany(ORG_ROLLUP_INSERT, rows)
    AreaRollup.objects.bulk_create(
        [AreaRollup(scope=scope, as_of=result.as_of, data=data) for scope, data in result.areas.items()],
        batch_size=500,
    )


@transaction.atomic
def refresh_months(months: Iterable[date], *, systems: Collection[int] | None = None) -> int:
    """Recompute and store the rollups of the given months; returns how many were refreshed.

    `systems`: the systems whose data changed, when the caller knows (a staff edit, a small import); other apps'
    month figures (MONTH_HOOKS) may then refresh only what those systems touch.
    """
    months = sorted(set(months))
    if not months:
        return 0
    orgs = organization_info()
    deadlines = national_deadlines()
    for m in months:
        own_numbers = own_step_numbers(m)
        result = compute_month(
            as_of=m,
            states=states_at(m),
            orgs=orgs,
            own_step_numbers=own_numbers,
            deadlines=deadlines,
            systems=system_rows_at(m),
        )
        save_month(result, own_numbers=own_numbers)
    changed = frozenset(systems) if systems is not None else None
    for hook in MONTH_HOOKS:  # other apps' month figures (costs' cloud, outlook's warnings)
        hook(months, changed)
    data_changed()
    return len(months)


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


def system_ids_of(org_codes: Iterable[str]) -> list[int]:
    return list(System.objects.filter(organization_id__in=list(org_codes)).values_list("id", flat=True))
