"""One 団体's progress at a month (the API document, the disclosure page, the CLI) and its trend; the
団体 of a prefecture with their month's figures. A bounded per-団体 read; public lists read rollups."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Q

from shinchoku.domain.kinds import PREFECTURE
from shinchoku.domain.progress import NATIONAL_STEPS, Counts, progress_rate
from shinchoku.domain.rollup import Rollup, rate_only_rollup, system_rollup
from shinchoku.domain.status import Status
from shinchoku.publication.months import NotFound
from shinchoku.reference.models import NationalStep, Organization

from ..attributes import Attributes, attributes_at
from ..models import DelayExplanation, OrganizationRollup, OwnStep, StatusSnapshot, System
from ..provenance import month_source
from ..rollups import own_statuses
from .common import BASIS_PUBLISHED_RATE, BASIS_STEPS, rounded
from .months import month_info, months


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
    cols = [StepColumn(str(s.number), s.item_number, s.name, False) for s in NationalStep.objects.order_by("number")]
    for o in OwnStep.objects.filter(organization=org).order_by("number"):
        if as_of is None or o.shown_at(as_of):
            cols.append(StepColumn(o.key, o.key, o.name_at(as_of) if as_of else o.name, True))
    return cols


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


def organization_progress(*, code: str, as_of: date, include_versions: bool = True) -> dict:
    """A 団体's progress at a 基準日, in the shape of docs/formats.md (the API and the CLI print this).

    A system known only by its published 完了率 (basis "published_rate") has that rate and null for every
    figure that needs step statuses; a system with statuses (basis "steps") shows the published rate beside
    them when both exist for the month.
    """
    org = get_organization(code)
    systems = list(System.objects.filter(organization=org).select_related("business").order_by("sort_order", "name"))
    snaps = effective_snapshots(systems, as_of)
    attrs = attributes_at(as_of, [s.pk for s in systems])
    own_steps = [o for o in OwnStep.objects.filter(organization=org).order_by("number") if o.shown_at(as_of)]
    deadlines = list(NationalStep.objects.order_by("number").values_list("deadline", flat=True))
    # the latest explanation on or before the month, per system (later rows overwrite earlier ones)
    delays = {
        d.system_id: d for d in DelayExplanation.objects.filter(system__in=systems, as_of__lte=as_of).order_by("as_of")
    }
    out_systems = []
    total = Rollup.zero()
    for sys in systems:
        snap = snaps.get(sys.id)
        if snap is None:
            continue  # not yet reported at this 基準日
        a = attrs.get(sys.id, Attributes())
        special = a.special_support
        published = None if snap.published_done is None else _rate(snap.published_done / NATIONAL_STEPS)
        item: dict = {
            "name": sys.name,
            "business": sys.business.name if sys.business else None,
            "business_number": sys.business_id,
            "vendor": a.vendor or None,
            "package": a.package or None,
            "special_support": special,
            "planned_completion": a.planned_completion if special else None,
            "planned_go_live": a.planned_go_live,
            "uses_gov_cloud": a.uses_gov_cloud,
            "published_completion_rate": published,
            "delay_explanation": _delay(delays[sys.id]) if sys.id in delays else None,
        }
        if not snap.codes:  # only the published rate: nothing that needs steps is claimed
            total += rate_only_rollup(done=snap.published_done or 0, special_support=special)
            out_systems.append(
                {
                    **item,
                    "basis": BASIS_PUBLISHED_RATE,
                    "counts": None,
                    "own_counts": None,
                    "completion_rate": published,
                    "progress_rate": None,
                    "on_schedule": None,
                    "in_operation": None,
                    "steps": None,
                }
            )
            continue
        own_codes = own_statuses(snap.own_codes, [o.number for o in own_steps])
        rollup = system_rollup(
            codes=snap.codes,
            own_codes=own_codes,
            deadlines=deadlines,
            as_of=as_of,
            special_support=special,
            special_support_completion=a.planned_completion if special else None,
        )
        total += rollup
        versions = snap.versions or {}
        steps = [_step(str(i), c, versions) for i, c in enumerate(snap.codes, start=1)]
        steps += [_step(o.key, c, versions) for o, c in zip(own_steps, own_codes, strict=True)]
        if not include_versions:
            for step in steps:
                step.pop("version")
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
        "source": month_source(as_of),
        "summary": summary,
        "systems": out_systems,
    }


def _counts(c: Counts) -> dict:
    return {
        "completed": c.completed,
        "in_progress": c.in_progress,
        "not_started": c.not_started,
        "not_applicable": c.not_applicable,
    }


def _step(key: str, code: str, versions: dict) -> dict:
    status = Status.from_code(code if code in "CPNX" else "N")
    return {"step": key, "status": status.value, "status_label": status.label, "version": int(versions.get(key, 0))}


def _delay(d: DelayExplanation) -> dict:
    return {
        "as_of": d.as_of,
        "department": d.department,
        "expected_completion": d.expected_completion,
        "reason": d.reason,
        "schedule": d.schedule,
        "impact": d.impact,
        "impact_reason": d.impact_reason,
        "role_matrix": d.role_matrix,
    }


def organization_trend(*, code: str, until: date, published_only: bool = True) -> list:
    allowed = set(months(published_only=published_only))
    rows = OrganizationRollup.objects.filter(organization_id=code, as_of__lte=until).order_by("as_of")
    return [(r.as_of, rounded(r.completion_rate), rounded(r.progress_rate)) for r in rows if r.as_of in allowed]


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
