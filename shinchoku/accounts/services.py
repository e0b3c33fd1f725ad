"""The guarded write layer: every write path (web, API, uploads, CLI) calls these.

Each function checks the rule table (rules.py) first, then calls the progress/import services, then
records an audit entry. A refusal raises PermissionDenied before anything is written.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from shinchoku.domain.calendar import to_month_end
from shinchoku.domain.status import Status
from shinchoku.imports.services import ImportOptions, ImportOutcome, import_file
from shinchoku.outlook.refresh import refresh_system_warnings
from shinchoku.procedures import rollups as procedure_rollups
from shinchoku.procedures import services as procedure_services
from shinchoku.procedures.models import AVAILABLE, UNAVAILABLE, ProcedureMonth, ProcedureStatus
from shinchoku.progress import rollups
from shinchoku.progress.attributes import attributes_of, describe, write_attributes
from shinchoku.progress.models import DelayExplanation, Month, OwnStep, System
from shinchoku.progress.services import CellResult, ensure_month, publish_month, set_status
from shinchoku.reference.models import Organization, Procedure

from . import practice
from .audit import entry as audit_entry
from .audit import record
from .models import AuditEntry
from .rules import Action, require

DELAY_FIELDS = ("department", "expected_completion", "reason", "schedule", "impact", "impact_reason", "role_matrix")


def actor_name(user: User) -> str:
    return user.get_username()


def _month(org: Organization, as_of: date, actor: str) -> None:
    auto = bool(settings.SHINCHOKU_AUTO_PUBLISH) and not org.is_practice
    ensure_month(as_of, auto_publish=auto, actor=actor)


def _refresh_public(org: Organization, as_of: date, system_ids: list[int]) -> None:
    """Recompute rollups now only when a published month shows this write (a national month takes seconds);
    unpublished months are recomputed when they are published (see `publish`). Practice data has none."""
    if org.is_practice or not system_ids:
        return
    affected = rollups.months_affected_from(as_of, system_ids)
    if Month.objects.filter(as_of__in=affected, published=True).exists():
        rollups.refresh_months(affected)


def set_cell(
    user: User, *, system: System, as_of: date, step: str, status: Status, version: int | None, source: str
) -> CellResult:
    """One cell of the grid (or the API's PUT). A stale `version` raises StaleVersion (→ 409)."""
    org = system.organization
    require(user, Action.EDIT_PROGRESS, org)
    as_of = to_month_end(as_of)
    actor = actor_name(user)
    with transaction.atomic():
        _month(org, as_of, actor)
        result = set_status(
            system=system,
            as_of=as_of,
            step=step,
            status=status,
            expected_version=version,
            actor=actor,
            source=source,
            refresh=False,
        )
        if result.changed:
            _refresh_public(org, as_of, [system.pk])
            record(
                actor=actor,
                source=source,
                action="set_status",
                organization_code=org.code,
                target=f"{system.name} / ステップ {step} / {as_of:%Y-%m}",
                after={"status": status.value, "version": result.version},
                before={"version": version},
            )
    return result


def bulk_set_step(user: User, *, org: Organization, as_of: date, step: str, status: Status, source: str) -> int:
    """Set one step for every system of a 団体 (no version check: an explicit bulk action). Changed count."""
    require(user, Action.EDIT_PROGRESS, org)
    as_of = to_month_end(as_of)
    actor = actor_name(user)
    changed: list[int] = []
    with transaction.atomic():
        _month(org, as_of, actor)
        for system in System.objects.filter(organization=org):
            r = set_status(
                system=system,
                as_of=as_of,
                step=step,
                status=status,
                expected_version=None,
                actor=actor,
                source=source,
                refresh=False,
            )
            if r.changed:
                changed.append(system.pk)
        if changed:
            _refresh_public(org, as_of, changed)
            record(
                actor=actor,
                source=source,
                action="bulk_set_status",
                organization_code=org.code,
                target=f"全システム / ステップ {step} / {as_of:%Y-%m}",
                after={"status": status.value, "systems": len(changed)},
            )
    return len(changed)


def import_upload(user: User, data: bytes, options: ImportOptions) -> ImportOutcome:
    """import_file, refused (PermissionDenied, nothing written) unless the account may edit every 団体 it touches."""
    if options.org:
        require(user, Action.EDIT_PROGRESS, Organization.objects.filter(code=options.org).first())

    def authorize(codes: set[str]) -> None:
        orgs = {o.code: o for o in Organization.objects.filter(code__in=codes)}
        for code in sorted(codes):
            require(user, Action.EDIT_PROGRESS, orgs.get(code))

    options.authorize = authorize
    options.include_practice = True  # staff may upload to the 体験モード 団体
    options.actor = actor_name(user)
    return operator_import(data, options)


def operator_import(data: bytes, options: ImportOptions) -> ImportOutcome:
    """import_file with its audit entries written in the import's own transaction (the CLI calls this)."""
    options.audit = lambda outcome: record_import(outcome, options)
    return import_file(data, options)


def record_import(outcome: ImportOutcome, options: ImportOptions) -> None:
    """One audit entry per 団体 an applied import wrote (the CLI and the browser alike), in one insert; called
    by the import pipeline inside its transaction, so an applied import never lacks its entries."""
    if outcome.status != "applied":
        return
    target = f"{options.file_name}（取り込み記録 {outcome.record_id}）"
    # a compact summary: the full counts of a national file list thousands of new systems
    summary = {k: outcome.counts[k] for k in ("cells_changed", "transitions", "months") if k in outcome.counts}
    # published rates and 特定移行支援 lists: their counts only when they changed something
    summary |= {
        k: outcome.counts[k] for k in ("rates_changed", "systems_added", "systems_removed") if outcome.counts.get(k)
    }
    AuditEntry.objects.bulk_create(
        [
            audit_entry(
                actor=options.actor,
                source=options.source,
                action="import",
                organization_code=code,
                target=target,
                after=summary,
            )
            for code in outcome.organizations
        ],
        batch_size=500,
    )


def update_system(user: User, system: System, as_of: date, values: dict[str, Any], *, source: str) -> bool:
    """A system's attributes from month `as_of` on (earlier months keep theirs); False when nothing changed.

    Like a status edit, the change shows publicly once the month is published (at once if it already is).
    """
    org = system.organization
    require(user, Action.EDIT_SYSTEMS, org)
    as_of = to_month_end(as_of)
    actor = actor_name(user)
    with transaction.atomic():
        current = attributes_of(system, as_of)
        new = current.changed(**values)
        if not write_attributes(system.pk, as_of, new, actor=actor, source=source, current=current):
            return False
        _month(org, as_of, actor)
        _refresh_public(org, as_of, [system.pk])
        before, after = current.as_dict(), new.as_dict()
        record(
            actor=actor,
            source=source,
            action="update_system",
            organization_code=org.code,
            target=f"{system.name} / {as_of:%Y-%m}",
            before=describe((k, v) for k, v in before.items() if before[k] != after[k]),
            after=describe((k, v) for k, v in after.items() if before[k] != after[k]),
        )
    return True


def add_system(user: User, org: Organization, name: str, *, source: str) -> System:
    """An extra (non-standard) system of a 団体."""
    require(user, Action.EDIT_SYSTEMS, org)
    with transaction.atomic():
        system = System.objects.create(organization=org, name=name.strip(), business=None, sort_order=100)
        record(
            actor=actor_name(user),
            source=source,
            action="add_system",
            organization_code=org.code,
            target=system.name,
            after={"name": system.name},
        )
    return system


def add_own_step(user: User, org: Organization, name: str, *, source: str, as_of: date | None = None) -> OwnStep:
    """A new own step 独自N, shown from month `as_of` on (earlier months, published ones too, stay as they were)."""
    require(user, Action.EDIT_SYSTEMS, org)
    since = to_month_end(as_of) if as_of else None
    with transaction.atomic():
        last = OwnStep.objects.filter(organization=org).order_by("-number").first()
        step = OwnStep.objects.create(
            organization=org, number=(last.number + 1) if last else 1, name=name.strip(), since=since
        )
        record(
            actor=actor_name(user),
            source=source,
            action="add_own_step",
            organization_code=org.code,
            target=step.key,
            after={"number": step.number, "name": step.name},
        )
    return step


def _delay_values(d: DelayExplanation | None) -> dict[str, Any] | None:
    return None if d is None else {f: getattr(d, f) for f in DELAY_FIELDS}


def save_delay(user: User, system: System, as_of: date, values: dict[str, Any], *, source: str) -> DelayExplanation:
    org = system.organization
    require(user, Action.EDIT_DELAY, org)
    as_of = to_month_end(as_of)
    with transaction.atomic():
        current = DelayExplanation.objects.select_for_update().filter(system=system, as_of=as_of).first()
        before = _delay_values(current)
        delay = current or DelayExplanation(system=system, as_of=as_of)
        for f in DELAY_FIELDS:
            setattr(delay, f, values.get(f, getattr(delay, f)))
        delay.updated_by = actor_name(user)
        delay.save()
        refresh_system_warnings([system.pk], as_of)  # 「遅延の説明なし」 follows the explanation (issue 15)
        record(
            actor=delay.updated_by,
            source=source,
            action="save_delay",
            organization_code=org.code,
            target=f"{system.name} / {as_of:%Y-%m}",
            before=before,
            after=_delay_values(delay),
        )
    return delay


PROCEDURE_LABELS = {AVAILABLE: "できる", UNAVAILABLE: "できない"}


class ProcedureEditError(ValueError):
    """A procedures edit that cannot be applied (a prefecture, an unknown 手続番号); nothing is written."""


def procedure_codes(org: Organization, as_of: date) -> str:
    """The 団体's procedures at a 基準日 as reported (carried forward from earlier months); "" when never reported."""
    row = ProcedureStatus.objects.filter(organization=org, as_of__lte=to_month_end(as_of)).order_by("-as_of").first()
    return row.codes if row else ""


def set_procedures(
    user: User, org: Organization, as_of: date, availability: dict[int, bool], *, source: str
) -> dict[int, bool]:
    """Which of the 26 procedures one 市区町村 offers online at a 基準日 (できる True / できない False).

    Guarded like progress (EDIT_PROGRESS on the 団体); prefectures are refused. Only procedures whose value
    differs from the current one (carried forward) are written, in one transaction with one audit entry
    holding the values before and after. Returns the changed procedures.
    """
    require(user, Action.EDIT_PROGRESS, org)
    if org.is_prefecture:
        raise ProcedureEditError(f"{org.display_name}は都道府県です。手続のオンライン化は市区町村ごとに入力します。")
    numbers = set(Procedure.objects.values_list("number", flat=True))
    unknown = sorted(n for n in availability if n not in numbers)
    if unknown:
        raise ProcedureEditError(f"手続番号 {', '.join(map(str, unknown))} はありません")
    as_of = to_month_end(as_of)
    actor = actor_name(user)
    with transaction.atomic():
        current = procedure_codes(org, as_of)
        changed = {
            n: value
            for n, value in sorted(availability.items())
            if (current[n - 1] if len(current) >= n else "") != (AVAILABLE if value else UNAVAILABLE)
        }
        if not changed:
            return {}
        _month(org, as_of, actor)  # the month is listed by the month picker and on the publish page
        # a new procedures month is public at once where the month already is (as a grid edit of it would be)
        public = not org.is_practice and (
            bool(settings.SHINCHOKU_AUTO_PUBLISH) or Month.objects.filter(as_of=as_of, published=True).exists()
        )
        procedure_services.ensure_month(as_of, auto_publish=public, actor=actor)
        for n, value in changed.items():
            procedure_services.set_available(
                code=org.code, as_of=as_of, number=n, available=value, actor=actor, source=source, refresh=False
            )
        if not org.is_practice:
            procedure_rollups.refresh_from(as_of)
        record(
            actor=actor,
            source=source,
            action="set_procedures",
            organization_code=org.code,
            target=f"手続のオンライン化 / {as_of:%Y-%m}",
            before={
                str(n): PROCEDURE_LABELS.get(current[n - 1] if len(current) >= n else "", "情報なし") for n in changed
            },
            after={str(n): "できる" if value else "できない" for n, value in changed.items()},
        )
    return changed


def publish(user: User | None, as_of: date, *, source: str, actor: str = "") -> Month:
    """Publish a month (operators; the CLI passes user None and its own actor name)."""
    if user is not None:
        require(user, Action.PUBLISH)
        actor = actor_name(user)
    with transaction.atomic():
        before = Month.objects.filter(as_of=to_month_end(as_of)).values_list("published", flat=True).first()
        if not Month.objects.filter(as_of=to_month_end(as_of)).exists():
            raise LookupError(f"{as_of:%Y年%m月} のデータはありません")
        # staff edits of unpublished months skipped the rollups (see _refresh_public): compute them now
        rollups.refresh_months(rollups.months_affected_from(to_month_end(as_of)))
        month = publish_month(as_of=as_of, actor=actor)
        # the month's procedures data (staff edits of the 26 procedures), where there is any, goes public with it
        procedures = ProcedureMonth.objects.filter(as_of=month.as_of).first()
        if procedures is not None and not procedures.published:
            procedure_services.publish_month(as_of=month.as_of, actor=actor)
        record(
            actor=actor,
            source=source,
            action="publish",
            target=month.as_of.isoformat(),
            before={"published": before, **({"procedures_published": procedures.published} if procedures else {})},
            after={"published": True, **({"procedures_published": True} if procedures else {})},
        )
    return month


def reset_practice(user: User, *, source: str) -> Organization:
    require(user, Action.RESET_PRACTICE, practice.ensure_practice())
    org = practice.reset_practice()
    record(
        actor=actor_name(user),
        source=source,
        action="reset_practice",
        organization_code=org.code,
        target=org.display_name,
    )
    return org


def outcome_summary(outcome: ImportOutcome) -> dict[str, Any]:
    return {"status": outcome.status, "counts": outcome.counts, "problems": [asdict(p) for p in outcome.problems]}
