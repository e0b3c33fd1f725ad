"""Turn parsed rows into a plan of snapshot writes, against what the database holds (no writes here)."""

from __future__ import annotations

import difflib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import connection

from shinchoku import SAMPLE_LABEL
from shinchoku.domain.calendar import to_month_end
from shinchoku.domain.progress import NATIONAL_STEPS
from shinchoku.domain.status import Status
from shinchoku.progress.models import OwnStep, System

from .problems import Problem
from .rates import RateReport
from .rows import ReportRow, SystemReport

LABEL = {s.code: s.label for s in Status}
NEW_SYSTEMS_LISTED = 100
STEP_KEYS = [str(i) for i in range(1, NATIONAL_STEPS + 1)]
CELL_CHANGES_LISTED = 200
TRANSITION = {(a, b): f"{LABEL[a]}→{LABEL[b]}" for a in LABEL for b in LABEL}


@dataclass
class SystemKey:
    org: str
    name: str
    business: int | None


@dataclass
class PlannedSnapshot:
    system_key: tuple[str, str]  # (org, name) — the system may not exist yet
    as_of: date
    codes: str  # "" when only a published 完了率 is known
    own_codes: str
    versions: dict[str, int]
    existing_id: int | None  # snapshot row at as_of, when there is one
    published_done: int | None = None


@dataclass
class Plan:
    snapshots: list[PlannedSnapshot] = field(default_factory=list)
    new_systems: list[SystemKey] = field(default_factory=list)
    new_own_steps: dict[str, dict[int, str]] = field(default_factory=dict)
    own_step_names: dict[str, dict[int, str]] = field(default_factory=dict)
    # (org, system) → (month, {vendor, package}) from the latest month that names them
    attributes: dict[tuple[str, str], tuple[date, dict[str, str]]] = field(default_factory=dict)
    transitions: Counter[str] = field(default_factory=Counter)
    # the changed cells themselves, for the upload preview: (org, system, step key, old code, new code)
    cell_changes: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    cells_changed: int = 0
    regressions: int = 0  # 完了済み → 作業中 / 未着手
    cells_reported: int = 0
    rates_reported: int = 0
    rates_changed: int = 0
    organizations: set[str] = field(default_factory=set)
    months: set[date] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    system_ids: dict[tuple[str, str], int] = field(default_factory=dict)
    sample_data: bool = False  # rows marked 架空のサンプルデータ (our own export of sample data)
    file_name: str = ""

    def changed_organizations(self) -> set[str]:
        """The 団体 whose data the plan writes (each gets an audit entry)."""
        changed = {s.system_key[0] for s in self.snapshots} | {k.org for k in self.new_systems}
        return changed | {org for org, _name in self.attributes} | set(self.new_own_steps)

    @property
    def snapshots_written(self) -> int:
        return len(self.snapshots)

    def counts(self) -> dict:
        return {
            **{
                name: getattr(self, name)
                for name in ("cells_reported", "cells_changed", "rates_reported", "rates_changed")
            },
            "transitions": dict(sorted(self.transitions.items())),
            "cell_changes": [
                {
                    "org": o,
                    "system": s,
                    "step": k,
                    "before": LABEL[a],
                    "after": LABEL[b],
                    "regression": a == "C" and b in "PN",
                }
                for o, s, k, a, b in self.cell_changes
            ],
            "regressions": self.regressions,
            "snapshots_written": self.snapshots_written,
            # the first national file adds ~35,000 systems: keep a sample of names and the count
            "new_systems": [f"{k.org} {k.name}" for k in self.new_systems[:NEW_SYSTEMS_LISTED]],
            "new_systems_count": len(self.new_systems),
            "new_own_steps": {org: sorted(steps) for org, steps in self.new_own_steps.items()},
            "organizations": len(self.organizations),
            "months": sorted(m.isoformat() for m in self.months),
        }


def _systems(orgs: set[str]) -> dict[tuple[str, str], int]:
    """(org, name) and (org, "#business:N") → system id; plain tuples, as the national file has 35,000."""
    qs = System.objects.values_list("id", "organization_id", "name", "business_id")
    if len(orgs) < 900:  # a short IN list; the national file reads every system anyway
        qs = qs.filter(organization_id__in=list(orgs))
    by_key: dict[tuple[str, str], int] = {}
    for pk, org, name, business in qs:
        by_key[(org, name)] = pk
        if business is not None:
            by_key[(org, f"#business:{business}")] = pk
    return by_key


def _current(system_ids: list[int], as_of: date) -> tuple[dict[int, tuple], dict[int, tuple]]:
    """Rows at as_of, and the latest earlier rows (carried forward) for the given systems."""
    at: dict[int, tuple] = {}
    before: dict[int, tuple] = {}
    if not system_ids:
        return at, before
    wanted = set(system_ids)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id, system_id, codes, own_codes, versions, published_done FROM progress_statussnapshot"
            " WHERE as_of = %s",
            [as_of],
        )
        for sid_row, sid, codes, own, versions, done in cur.fetchall():
            if sid in wanted:
                at[sid] = (sid_row, codes or "", own or "", versions, done)
        missing = wanted - set(at)
        if missing:
            few = len(missing) <= 500  # a small import should not scan the whole history table
            only = f" AND system_id IN ({', '.join(['%s'] * len(missing))})" if few else ""
            cur.execute(
                "SELECT s.system_id, s.codes, s.own_codes, s.versions FROM progress_statussnapshot s"
                " JOIN (SELECT system_id, MAX(as_of) AS m FROM progress_statussnapshot WHERE as_of < %s"
                f"{only} GROUP BY system_id) p ON p.system_id = s.system_id AND p.m = s.as_of",
                [as_of, *(sorted(missing) if few else [])],
            )
            for sid, codes, own, versions in cur.fetchall():
                if sid in missing:  # a published rate belongs to its month: it is not carried into a new row
                    before[sid] = (None, codes or "", own or "", versions, None)
    return at, before


def _versions(value: object) -> dict[str, int]:
    """JSON columns come back decoded on PostgreSQL and as text from a raw SQLite cursor."""
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and value:
        return dict(json.loads(value))
    return {}


def build_plan(
    rows: list[ReportRow],
    *,
    allow_new_systems: bool,
    systems: list[SystemReport] | None = None,
    rates: list[RateReport] | None = None,
) -> Plan:
    plan = Plan()
    # (org, name, as_of) -> {step index: code}, own {n: code}; whole rows of 40 codes kept as strings
    cells: dict[tuple[str, str, date], dict[int, str]] = defaultdict(dict)
    own_cells: dict[tuple[str, str, date], dict[int, str]] = defaultdict(dict)
    whole: dict[tuple[str, str, date], str] = {}
    business_of: dict[tuple[str, str], int | None] = {}
    where: dict[tuple[str, str], ReportRow | SystemReport] = {}  # the first row naming each system
    for w in systems or ():
        whole[(w.org_code, w.system_name, w.as_of)] = w.codes
        sk = (w.org_code, w.system_name)
        if sk not in business_of:
            business_of[sk] = w.business
            where[sk] = w
    published: dict[tuple[str, str, date], int] = {}
    for rate in rates or ():
        published[(rate.org_code, rate.system_name, rate.as_of)] = rate.done
        business_of.setdefault((rate.org_code, rate.system_name), rate.business)
    plan.rates_reported = len(published)
    for r in rows:
        key = (r.org_code, r.system_name, r.as_of)
        if r.step is not None:
            cells[key][r.step - 1] = r.status.code
        else:
            own_cells[key][r.own_step or 0] = r.status.code
            if r.own_step_name:
                plan.own_step_names.setdefault(r.org_code, {})[r.own_step or 0] = r.own_step_name
        sk = (r.org_code, r.system_name)
        if sk not in business_of:
            business_of[sk] = r.business
            where[sk] = r
        if r.note == SAMPLE_LABEL:
            plan.sample_data = True
        if r.vendor or r.package:
            month = to_month_end(r.as_of)
            earlier = plan.attributes.get(sk)
            if earlier is None or earlier[0] < month:
                plan.attributes[sk] = earlier = (month, {})
            if earlier[0] == month:
                earlier[1].update({k: v for k, v in (("vendor", r.vendor), ("package", r.package)) if v})
    plan.cells_reported = len(rows) + NATIONAL_STEPS * len(whole)
    orgs = {k[0] for k in business_of}
    plan.organizations = orgs
    existing = _systems(orgs)
    for (org, name), business in business_of.items():
        system = existing.get((org, f"#business:{business}")) if business else existing.get((org, name))
        if system is None and business is None and not allow_new_systems:
            first = where[(org, name)]  # rates always name a business, so only rows get here
            known = [n for (o, n) in existing if o == org and not n.startswith("#")]
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
            plan.problems.append(
                Problem(
                    "error",
                    f"対象システム「{name}」はこの団体（{org}）に登録されていません。"
                    "新しいシステムとして取り込むには --allow-new-systems を指定してください。",
                    sheet=first.sheet,
                    row=first.row,
                    column="対象システム",
                    value=name,
                    suggestion=close[0] if close else "",
                )
            )
            continue
        if system is None:
            plan.new_systems.append(SystemKey(org, name, business))
        else:
            plan.system_ids[(org, name)] = system
    if plan.problems:
        return plan
    own_known: dict[str, set[int]] = defaultdict(set)
    for org, number in OwnStep.objects.filter(organization_id__in=list(orgs)).values_list("organization_id", "number"):
        own_known[org].add(number)
    for (org, _name, _m), steps in own_cells.items():
        for n in steps:
            if n not in own_known[org]:
                name = plan.own_step_names.get(org, {}).get(n, "")
                plan.new_own_steps.setdefault(org, {})[n] = name
    by_month: dict[date, list[tuple[str, str, date]]] = defaultdict(list)
    for key in set(cells) | set(own_cells) | set(whole) | set(published):
        by_month[key[2]].append(key)
    for as_of, keys in by_month.items():
        month_end = to_month_end(as_of)
        plan.months.add(month_end)
        ids = [plan.system_ids[(k[0], k[1])] for k in keys if (k[0], k[1]) in plan.system_ids]
        at, before = _current(ids, month_end)
        for key in keys:
            sid = plan.system_ids.get((key[0], key[1]))
            current = (at.get(sid) or before.get(sid)) if sid is not None else None
            _plan_snapshot(
                plan,
                key,
                month_end,
                current,
                cells.get(key, {}),
                own_cells.get(key, {}),
                whole.get(key),
                published.get(key),
            )
    return plan


def _plan_snapshot(
    plan: Plan,
    key: tuple[str, str, date],
    month_end: date,
    current: tuple | None,
    national: dict[int, str],
    own: dict[int, str],
    whole: str | None,
    rate: int | None,
) -> None:
    """One system-month: statuses (whole or some cells), a published rate, or both. A published rate never
    becomes statuses; statuses applied to a month that had only a rate start from 未着手."""
    existing_id, old_codes, old_own, versions, old_done = current if current else (None, "", "", {}, None)
    base = old_codes or "N" * NATIONAL_STEPS
    new_codes = old_codes
    if existing_id is None and rate is not None and whole is None and not national:
        new_codes = ""  # a new month known by its published rate only: earlier statuses are not carried in
    if whole is not None:
        new_codes = whole
    if national:
        codes = list(new_codes or base)
        for i, c in national.items():
            codes[i] = c
        new_codes = "".join(codes)
    if not new_codes and rate is None:
        new_codes = base  # own steps only, on a system without statuses yet
    new_own = old_own
    if own:
        own_list = list(old_own)
        own_list += ["N"] * (max(own) - len(own_list))
        for n, c in own.items():
            own_list[n - 1] = c
        new_own = "".join(own_list)
    new_done = rate if rate is not None else (old_done if existing_id is not None else None)
    if existing_id is not None and new_codes == old_codes and new_own == old_own and new_done == old_done:
        return  # already reported exactly like this: idempotent
    versions = dict(_versions(versions))  # decoded only for rows that change
    changed = 0
    if new_codes and new_codes != old_codes:
        changed += _count_changes(plan, base, new_codes, versions, "", (key[0], key[1]))
    if new_own != old_own:
        changed += _count_changes(plan, old_own.ljust(len(new_own), "N"), new_own, versions, "独自", (key[0], key[1]))
    plan.cells_changed += changed
    if rate is not None and rate != old_done:
        plan.rates_changed += 1
    plan.snapshots.append(
        PlannedSnapshot(
            system_key=(key[0], key[1]),
            as_of=month_end,
            codes=new_codes,
            own_codes=new_own,
            versions=versions,
            existing_id=existing_id,
            published_done=new_done,
        )
    )


def _count_changes(
    plan: Plan, old: str, new: str, versions: dict[str, int], prefix: str, system: tuple[str, str]
) -> int:
    """Count transitions per (old, new) status, list the changed cells (the first few hundred for the
    preview) and bump the version of each changed cell."""
    changed = 0
    for (a, b), n in Counter(zip(old, new, strict=True)).items():
        if a != b:
            plan.transitions[TRANSITION[a, b]] += n
            changed += n
    keys = STEP_KEYS if not prefix else [f"{prefix}{i + 1}" for i in range(len(new))]
    get = versions.get
    for i in [i for i in range(len(new)) if old[i] != new[i]]:
        k = keys[i]
        versions[k] = get(k, 0) + 1
        plan.regressions += old[i] == "C" and new[i] in "PN"
        if len(plan.cell_changes) < CELL_CHANGES_LISTED:
            plan.cell_changes.append((system[0], system[1], k, old[i], new[i]))
    return changed
