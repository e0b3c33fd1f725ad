"""The pure computation of a month's rollups: each 団体's rollup and parts, then every area from them.

compute_organizations turns system states into per-団体 rollups and parts (rollup_parts.OrgParts);
areas_from turns the per-団体 rollups and the month's sums of parts into every AreaRollup scope. A full
recompute (compute_month) and an incremental refresh (rollups.refresh_organizations) both end in areas_from,
so they give identical numbers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date

from shinchoku.domain.kinds import PREFECTURE
from shinchoku.domain.progress import NATIONAL_STEPS
from shinchoku.domain.rollup import GroupSummary, Rollup, rollup_all, system_rollup

from .rollup_parts import (
    SYSTEMS,
    Group,
    OrgParts,
    add_parts,
    empty_sums,
    rate_of_row,
    rollup_from_list,
    rollup_to_list,
    special_rows,
    steps_of,
)
from .system_rollups import SystemRow, special_area, vendor_area

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
    parts: dict[str, OrgParts]
    sums: dict


def own_statuses(own_codes: str, numbers: Sequence[int]) -> str:
    """The statuses of the defined own steps only (own_codes is indexed by N − 1; missing cells are 未着手)."""
    if not numbers:
        return ""
    padded = own_codes.ljust(max(numbers), "N")
    return "".join(padded[n - 1] for n in numbers)


@dataclass(frozen=True)
class MonthInput:
    """What a month's rollups are computed from: the systems' states, the public 団体 (practice 団体 are not in
    `orgs`), each 団体's own step numbers and the national deadlines.

    `systems` (every public system with its attributes that month, statuses or not) gives the 特定移行支援
    and vendor figures; 共通機能 and systems listed by デジタル庁 before any report count there too.
    """

    as_of: date
    states: Iterable[SystemState]
    orgs: Mapping[str, OrgInfo]
    own_step_numbers: dict[str, tuple[int, ...]]
    deadlines: Sequence[date]
    systems: Sequence[SystemRow] | None = None


def compute_organizations(month: MonthInput) -> tuple[dict[str, Rollup], dict[str, OrgParts]]:
    """Each 団体's rollup and parts from its systems' states (and attributes rows, for 特定移行支援 and vendors).

    A 団体 appears when it has a system with statuses or a 特定移行支援 system; practice 団体 never do.
    """
    orgs, systems = month.orgs, month.systems
    by_org: dict[str, list[Rollup]] = defaultdict(list)
    business: dict[str, dict[str, list[int]]] = defaultdict(dict)
    codes_of: dict[str, list[str]] = defaultdict(list)
    cache: dict[tuple, Rollup] = {}  # many systems share the same statuses in a month
    for s in month.states:
        info = orgs.get(s.org_code)
        if info is None:  # practice 団体 never reach public rollups
            continue
        own = own_statuses(s.own_codes, month.own_step_numbers.get(s.org_code, ()))
        completion = s.planned_completion if s.special_support else None
        done = None if s.codes else s.published_done
        key = (s.codes, own, s.special_support, completion, done)
        r = cache.get(key)
        if r is None:
            r = cache[key] = system_rollup(
                codes=s.codes,
                own_codes=own,
                deadlines=month.deadlines,
                as_of=month.as_of,
                special_support=s.special_support,
                special_support_completion=completion,
                published_done=done,
            )
        by_org[s.org_code].append(r)
        if s.business is not None:
            values = rollup_to_list(r)
            entry = business[s.org_code].setdefault(str(s.business), [0] * len(values))
            for i, v in enumerate(values):
                entry[i] += v
        if info.kind != PREFECTURE_KIND:
            codes_of[s.org_code].append(s.codes)
    rollups = {code: fast_sum(rs) for code, rs in by_org.items()}
    parts = {
        code: OrgParts(business=business.get(code, {}), steps=steps_of(codes_of[code]) if code in codes_of else None)
        for code in rollups
    }
    if systems is not None:
        special: dict[str, int] = defaultdict(int)
        vendors: dict[str, dict[str, list[int]]] = defaultdict(dict)
        special_items: dict[str, list[list]] = defaultdict(list)
        for row in systems:
            if row.org not in orgs:
                continue
            entry = vendors[row.org].setdefault(row.vendor, [0, 0])
            entry[0] += 1
            if row.special:
                entry[1] += 1
                special[row.org] += 1
                special_items[row.org].append([row.business, row.planned.isoformat() if row.planned else None])
        rollups = {code: replace(r, special_support_systems=special.get(code, 0)) for code, r in rollups.items()}
        for code, n in special.items():
            if code not in rollups:
                rollups[code] = Rollup(special_support_systems=n)
                parts[code] = OrgParts()
        for code, p in parts.items():
            p.vendors = vendors.get(code, {})
            p.special = sorted(special_items.get(code, []), key=lambda i: (i[0] is None, i[0] or 0, i[1] or ""))
    return rollups, parts


def compute_month(month: MonthInput) -> MonthRollups:
    """Pure aggregation of one month's system states into every rollup scope (the full recompute)."""
    rollups, parts = compute_organizations(month)
    sums = empty_sums()
    for code in sorted(parts):
        info = month.orgs[code]
        add_parts(sums, code, info.prefecture_code, info.kind == PREFECTURE_KIND, parts[code])
    rows = {code: rollup_to_list(r) for code, r in rollups.items()}
    areas = areas_from(rows, month.orgs, sums, with_systems=month.systems is not None)
    return MonthRollups(as_of=month.as_of, organizations=rollups, areas=areas, parts=parts, sums=sums)


def areas_from(
    org_rows: Mapping[str, list[int]],
    orgs: Mapping[str, OrgInfo],
    sums: dict,
    *,
    with_systems: bool = True,
    only: Collection[str] | None = None,
) -> dict[str, dict]:
    """Every area scope of a month (or those in `only`) from the 団体' rollups in their list form
    (rollup_to_list: figures over 団体, means and medians) and the month's sums of parts (businesses, steps,
    特定移行支援, vendors)."""
    areas: dict[str, dict] = {}

    def wanted(scope: str) -> bool:
        return only is None or scope in only

    rated = {code: (t, rate_of_row(t)) for code, t in org_rows.items()}  # each 団体's rate, worked out once
    # One pass puts each 団体 in its groups: 市区町村 or prefectures, its 団体区分, and (市区町村 of the wanted
    # prefectures only) its prefecture.
    municipal, prefectures = Group(), Group()
    by_kind: dict[str, Group] = defaultdict(Group)
    by_pref: dict[str, Group] = defaultdict(Group)
    pref_own: dict[str, Group] = {}
    prefs_wanted = None if only is None else {s.partition(":")[2] for s in only if s.startswith("pref:")}
    for code in sorted(rated):
        t, rate = rated[code]
        info = orgs[code]
        if info.kind == PREFECTURE_KIND:
            prefectures.add(t, rate)
            pref_own[info.prefecture_code] = own = Group()
            own.add(t, rate)
            continue
        municipal.add(t, rate)
        by_kind[info.kind].add(t, rate)
        if prefs_wanted is None or info.prefecture_code in prefs_wanted:
            by_pref[info.prefecture_code].add(t, rate)
    if pref_own:
        by_kind[PREFECTURE_KIND] = prefectures
    everyone = municipal.joined(prefectures).summary()
    nation = _summary_dict(municipal.summary())
    nation["with_prefectures"] = _summary_dict(everyone)
    nation["totals"] = _rollup_dict(rollup_from_list(municipal.total()))
    # 特定移行支援 is counted as デジタル庁 counts it: prefectures' own systems included.
    nation.update(_special_fields(everyone))
    areas["nation"] = nation
    for pref in sorted(set(by_pref) | set(pref_own)):
        if not wanted(f"pref:{pref}"):
            continue
        group = by_pref.get(pref, Group())
        data = _summary_dict(group.summary())
        data["totals"] = _rollup_dict(rollup_from_list(group.total()))
        itself = pref_own.get(pref)
        data.update(_special_fields((group.joined(itself) if itself else group).summary()))
        areas[f"pref:{pref}"] = data
    for kind, group in by_kind.items():
        if wanted(f"kind:{kind}"):
            areas[f"kind:{kind}"] = _summary_dict(group.summary())
    # A business's figures are over 市区町村 systems, as 総務省 publishes them; prefectures' own apart.
    for number in set(sums["business"]) | set(sums["prefectures_own"]):
        if not wanted(f"business:{number}"):
            continue
        by_p = {p: rollup_from_list(v) for p, v in sorted(sums["business"].get(number, {}).items())}
        data = _rollup_dict(fast_sum(by_p.values()))
        data["by_prefecture"] = {p: _rollup_dict(r) for p, r in by_p.items()}
        if number in sums["prefectures_own"]:
            data["prefectures_own"] = _rollup_dict(rollup_from_list(sums["prefectures_own"][number]))
        areas[f"business:{number}"] = data
    if wanted("steps"):
        areas["steps"] = _steps_area(sums["steps"])
    if with_systems and wanted("special"):
        rows = [
            SystemRow(0, code, orgs[code].prefecture_code, business, "", True, planned)
            for code, business, planned in special_rows(sums)
            if code in orgs
        ]
        areas["special"] = special_area(rows)
    if with_systems and wanted("vendors"):
        rates = {code: rate for code, (t, rate) in rated.items() if t[SYSTEMS]}
        areas["vendors"] = {"vendors": vendor_area(sums["vendors"], rates)}
    return areas


def _steps_area(steps: Mapping[str, dict]) -> dict:
    """The step table: each step's systems by status, in the nation and per prefecture (市区町村 systems)."""
    nation = [[0, 0, 0, 0] for _ in range(NATIONAL_STEPS)]
    by_prefecture = {}
    for pref, entry in sorted(steps.items()):
        by_prefecture[pref] = [list(row) for row in entry["counts"]]
        for total, row in zip(nation, entry["counts"], strict=True):
            for i, v in enumerate(row):
                total[i] += v
    return {"nation": nation, "by_prefecture": by_prefecture}


def touched_scopes(
    codes: Iterable[str], orgs: Mapping[str, OrgInfo], old: Mapping[str, OrgParts], new: Mapping[str, OrgParts]
) -> set:
    """The area scopes a write to these 団体 can change, given their parts before and after it.

    Figures over 団体 (the nation, their prefectures and 団体区分, vendors: their 完了率) always; a business, the
    step table and 特定移行支援 only when some 団体's part of them changed (a cell edit touches one business)."""
    scopes = {"nation", "vendors"}
    empty = OrgParts()
    for code in codes:
        scopes |= {f"pref:{orgs[code].prefecture_code}", f"kind:{orgs[code].kind}"}
        before, after = old.get(code, empty), new.get(code, empty)
        scopes |= {
            f"business:{number}"
            for number in before.business.keys() | after.business.keys()
            if before.business.get(number) != after.business.get(number)
        }
        if before.steps != after.steps:
            scopes.add("steps")
        if before.special != after.special:
            scopes.add("special")
    return scopes


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


def _summary_dict(summary: GroupSummary) -> dict:
    data = asdict(summary)
    if not data["systems_with_steps"]:
        data.update(systems_in_operation=None, on_schedule_systems=None, on_schedule_share=None, progress_rate=None)
    return data


def _special_fields(summary: GroupSummary) -> dict[str, int]:
    return {
        "special_support_organizations": summary.special_support_organizations,
        "special_support_systems": summary.special_support_systems,
    }


fast_sum = rollup_all  # (its old name here)
