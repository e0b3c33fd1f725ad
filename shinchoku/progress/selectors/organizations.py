"""One 団体's progress at a month (the API document, the disclosure page, the CLI) and its trend; the
団体 of a prefecture with their month's figures. A bounded per-団体 read; public lists read rollups."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db import connection
from django.db.models import Max, Q

from shinchoku.domain.kinds import PREFECTURE
from shinchoku.domain.progress import NATIONAL_STEPS, Counts, progress_rate
from shinchoku.domain.rollup import Rollup, rate_only_rollup, system_rollup
from shinchoku.domain.status import Status
from shinchoku.publication.memo import per_version
from shinchoku.publication.months import NotFound
from shinchoku.reference.models import NationalStep, Organization

from ..attributes import Attributes, as_date, latest_rows_sql
from ..models import OrganizationRollup, OwnStep, StatusSnapshot, System
from ..provenance import month_source
from ..rollups import national_deadlines, own_statuses
from .common import BASIS_PUBLISHED_RATE, BASIS_STEPS, rounded
from .months import month_info, months
from .system_history import system_histories


@per_version  # read by the page, its progress, costs and procedures: once
def get_organization(code: str) -> Organization:
    org = Organization.objects.filter(code=code, is_practice=False).first()
    if org is None:
        raise NotFound(f"団体コード {code} は見つかりません")
    return org


@dataclass(frozen=True)
class StepColumn:
    key: str  # "1".."40" or "独自N"
    label: str  # 「①-1」 or 「独自1」
    name: str
    own: bool


def step_columns(org: Organization, as_of: date | None = None) -> list[StepColumn]:
    """The 40 national steps and the 団体's own steps shown at a month (all of them when as_of is None)."""
    cols = list(_national_columns())
    for o in own_steps_of(org.code):
        if as_of is None or o.shown_at(as_of):
            cols.append(StepColumn(o.key, o.key, o.name_at(as_of) if as_of else o.name, True))
    return cols


@per_version  # read by the page's progress and its step columns: once
def own_steps_of(code: str) -> tuple[OwnStep, ...]:
    return tuple(OwnStep.objects.filter(organization_id=code).order_by("number"))


@per_version
def _national_columns() -> tuple[StepColumn, ...]:
    steps = NationalStep.objects.order_by("number")
    return tuple(StepColumn(str(s.number), s.item_number, s.name, False) for s in steps)


# The rollups' own read of the 40 deadlines, kept for the page (its list is copied, never changed).
_national_deadlines = per_version(national_deadlines)


def effective_snapshots(systems: list[System], as_of: date) -> dict[int, StatusSnapshot]:
    """The latest snapshot on or before `as_of` for each of a 団体's systems (one indexed query)."""
    latest = (
        StatusSnapshot.objects.filter(system__in=systems, as_of__lte=as_of).values("system_id").annotate(m=Max("as_of"))
    )
    wanted = [(row["system_id"], row["m"]) for row in latest]
    if not wanted:
        return {}
    exact = Q()
    for system_id, month in wanted:  # one (system, month) pair each: reads exactly one row per system
        exact |= Q(system_id=system_id, as_of=month)
    return {s.system_id: s for s in StatusSnapshot.objects.filter(exact)}


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


ORG_SYSTEMS_SQL = """
    SELECT sys.id, sys.name, sys.business_id, b.name, snap.codes, snap.own_codes, snap.published_done, snap.versions
    FROM progress_system sys
    LEFT JOIN reference_business b ON b.number = sys.business_id
    JOIN ({snapshots}) snap ON snap.system_id = sys.id
    WHERE sys.organization_id = %s
    ORDER BY sys.sort_order, sys.name
"""


def _system_rows(code: str, as_of: date) -> list[tuple]:
    """Each reported system of a 団体 with its effective statuses row at a month: one query, plain tuples."""
    snapshots = latest_rows_sql(
        StatusSnapshot._meta.db_table,
        where=" AND system_id IN (SELECT id FROM progress_system WHERE organization_id = %s)",
    )
    with connection.cursor() as cur:
        cur.execute(ORG_SYSTEMS_SQL.format(snapshots=snapshots), [as_of, code, code])
        return cur.fetchall()


DELAYS_SQL = (
    "SELECT system_id, as_of, department, expected_completion, reason, schedule, impact, impact_reason, role_matrix"
    " FROM progress_delayexplanation WHERE as_of <= %s AND system_id IN ({marks}) ORDER BY as_of"
)


def _delays_at(system_ids: list[int], as_of: date) -> dict[int, dict]:
    """The latest delay explanation on or before the month, per system (later rows overwrite earlier ones):
    plain rows, with the JSON columns read as the model's fields read them."""
    if not system_ids:
        return {}
    with connection.cursor() as cur:
        cur.execute(DELAYS_SQL.format(marks=", ".join(["%s"] * len(system_ids))), [as_of, *system_ids])
        rows = cur.fetchall()
    return {
        sid: {
            "as_of": as_date(month),
            "department": department,
            "expected_completion": expected,
            "reason": reason,
            "schedule": _json(schedule),
            "impact": bool(impact),
            "impact_reason": impact_reason,
            "role_matrix": _json(role_matrix),
        }
        for sid, month, department, expected, reason, schedule, impact, impact_reason, role_matrix in rows
    }


def _json(value: object) -> object:
    """A JSON column from a plain cursor: text on SQLite (and PostgreSQL's jsonb under Django), else parsed."""
    return json.loads(value) if isinstance(value, str) else value


def organization_progress(
    *, code: str, as_of: date, include_versions: bool = True, steps_as_codes: bool = False
) -> dict:
    """A 団体's progress at a 基準日, in the shape of docs/formats.md (the API and the CLI print this).

    A system known only by its published 完了率 (basis "published_rate") has that rate and null for every
    figure that needs step statuses; a system with statuses (basis "steps") shows the published rate beside
    them when both exist for the month. A fixed number of queries whatever the number of systems, read as
    plain rows (the statuses string of each system's effective month), never one model instance per system.

    `steps_as_codes` (the HTML page, which only turns the steps into its matrix): a system's "steps" is None and
    "step_codes" maps each step key ("1".."40", "独自N") to its status code (C, P, N, X), instead of a dict per
    step (some 800 for a 団体 of twenty systems).
    """
    org = get_organization(code)
    rows = _system_rows(code, as_of)
    ids = [row[0] for row in rows]
    attrs = {h.id: a for h in system_histories(code) if (a := h.at(as_of)) is not None}
    own_steps = [o for o in own_steps_of(code) if o.shown_at(as_of)]
    own_numbers = [o.number for o in own_steps]
    own_keys = [o.key for o in own_steps]
    step_keys = [*STEP_KEYS, *own_keys]  # steps_as_codes: every system's codes are read against the same keys
    deadlines = tuple(_national_deadlines())
    delays = _delays_at(ids, as_of)
    out_systems = []
    total = Rollup.zero()
    for sid, name, business_id, business_name, codes, own_raw, published_done, versions in rows:
        a = attrs.get(sid, NO_ATTRIBUTES)
        special = a.special_support
        published = None if published_done is None else _rate(published_done / NATIONAL_STEPS)
        item: dict = {
            "name": name,
            "business": business_name,
            "business_number": business_id,
            "vendor": a.vendor or None,
            "package": a.package or None,
            "special_support": special,
            "planned_completion": a.planned_completion if special else None,
            "planned_go_live": a.planned_go_live,
            "uses_gov_cloud": a.uses_gov_cloud,
            "published_completion_rate": published,
            "delay_explanation": delays.get(sid),
        }
        if not codes:  # only the published rate: nothing that needs steps is claimed
            total += rate_only_rollup(done=published_done or 0, special_support=special)
            out_systems.append({**item, **RATE_ONLY_FIGURES, "completion_rate": published})
            continue
        own_codes = own_statuses(own_raw or "", own_numbers)
        rollup = _system_rollup(
            codes=codes,
            own_codes=own_codes,
            deadlines=deadlines,
            as_of=as_of,
            special_support=special,
            special_support_completion=a.planned_completion if special else None,
        )
        total += rollup
        if include_versions and isinstance(versions, str):  # raw SQL gives the JSON text on some backends
            versions = json.loads(versions)
        if steps_as_codes:
            steps = None
            item["step_codes"] = dict(zip(step_keys, codes + own_codes, strict=True))
        else:
            steps = _steps(codes, own_codes, own_keys, versions or {}, include_versions)
        out_systems.append(
            {
                **item,
                "basis": BASIS_STEPS,
                "counts": _counts(rollup.national),
                "own_counts": _counts(rollup.own),
                "completion_rate": _rate(rollup.completion_rate),
                "progress_rate": _rate(rollup.progress_rate),
                "on_schedule": bool(rollup.on_schedule_systems),
                "in_operation": bool(rollup.systems_in_operation),
                "steps": steps,
            }
        )
    with_steps = total.step_systems
    step_figure = (lambda v: v) if with_steps else (lambda v: None)
    summary = {
        "basis": total.basis,
        "systems": total.systems,
        "systems_with_steps": with_steps,
        "steps_total": step_figure(with_steps * NATIONAL_STEPS),
        "completed": step_figure(total.national.completed),
        "in_progress": step_figure(total.national.in_progress),
        "not_started": step_figure(total.national.not_started),
        "not_applicable": step_figure(total.national.not_applicable),
        "completion_rate": _rate(total.completion_rate),
        "progress_rate": _rate(total.progress_rate),
        "progress_rate_incl_own_steps": _rate(progress_rate(total.national + total.own)),
        "on_schedule_systems": step_figure(total.on_schedule_systems),
        "systems_in_operation": step_figure(total.systems_in_operation),
        "own_steps": len(own_steps),
        "own_steps_total": with_steps * len(own_steps),
        "own_completed": total.own.completed,
        "own_not_applicable": total.own.not_applicable,
    }
    month = month_info(as_of)
    return {
        "code": org.code,
        "name": org.display_name,
        "kind": org.kind,
        "as_of": as_of,
        "sample_data": bool(month and month.sample_data),
        "source": month_source(as_of, month=month),
        "summary": summary,
        "systems": out_systems,
    }


NO_ATTRIBUTES = Attributes()
RATE_ONLY_FIGURES = {
    "basis": BASIS_PUBLISHED_RATE,
    "counts": None,
    "own_counts": None,
    "progress_rate": None,
    "on_schedule": None,
    "in_operation": None,
    "steps": None,
}
# status code → (value, label): one lookup per cell instead of building a Status each time
_CELL = {code: (Status.from_code(code).value, Status.from_code(code).label) for code in "CPNX"}
_CELL_DEFAULT = _CELL["N"]


# Many systems share the same statuses in a month: their figures are computed once per process.
_system_rollup = lru_cache(maxsize=4096)(system_rollup)


def _steps(codes: str, own_codes: str, own_keys: list[str], versions: dict, include_versions: bool) -> list[dict]:
    keys = [*STEP_KEYS, *own_keys]
    out = []
    for key, code in zip(keys, codes + own_codes, strict=True):
        value, label = _CELL.get(code, _CELL_DEFAULT)
        step: dict[str, str | int] = {"step": key, "status": value, "status_label": label}
        if include_versions:
            step["version"] = int(versions.get(key, 0))
        out.append(step)
    return out


STEP_KEYS = tuple(str(i) for i in range(1, NATIONAL_STEPS + 1))


def _counts(c: Counts) -> dict:
    return {
        "completed": c.completed,
        "in_progress": c.in_progress,
        "not_started": c.not_started,
        "not_applicable": c.not_applicable,
    }


def organization_trend(*, code: str, until: date, published_only: bool = True) -> list:
    allowed = set(months(published_only=published_only))
    with connection.cursor() as cur:  # three columns of a month each, not the rollups' instances with their JSON
        cur.execute(TREND_SQL, [code, until])
        rows = cur.fetchall()
    return [(m, rounded(c), rounded(p)) for m, c, p in ((as_date(r[0]), r[1], r[2]) for r in rows) if m in allowed]


TREND_SQL = (
    "SELECT as_of, completion_rate, progress_rate FROM progress_organizationrollup"
    " WHERE organization_id = %s AND as_of <= %s ORDER BY as_of"
)


@dataclass(frozen=True)
class OrgRow:
    code: str
    name: str
    kana: str
    kind: str
    systems: int
    completion_rate: float | None
    progress_rate: float | None
    on_schedule_systems: int
    special_support_systems: int
    systems_in_operation: int


def organizations_in(*, pref: str, as_of: date) -> list[OrgRow]:
    """Every 市区町村 of a prefecture with its month's rollup (the prefecture itself is left out)."""
    rows = (
        OrganizationRollup.objects.filter(as_of=as_of, organization__prefecture_code=pref)
        .exclude(organization__kind=PREFECTURE)
        .values_list(
            "organization_id",
            "organization__name",
            "organization__kana",
            "organization__kind",
            "systems",
            "completion_rate",
            "progress_rate",
            "on_schedule_systems",
            "special_support_systems",
            "systems_in_operation",
        )
        .order_by("organization_id")
    )
    return [OrgRow(*row) for row in rows]
