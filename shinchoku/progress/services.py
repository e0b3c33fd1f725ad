"""Guarded writes to progress data: each checks the rule table through its Actor, writes, refreshes what a
published month shows and records the audit entry, all in one transaction. The web, the API and the CLI call
these and nothing below them."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction

from shinchoku.accounts.actor import Actor
from shinchoku.accounts.rules import Action
from shinchoku.domain.calendar import to_month_end
from shinchoku.domain.status import Status
from shinchoku.publication.months import ensure_month, publish_month
from shinchoku.publication.signals import month_published
from shinchoku.publication.versions import months_changed
from shinchoku.reference.models import Organization

from . import practice, rollups
from .attributes import attributes_of, describe, write_attributes
from .hooks import DELAY_HOOKS
from .models import DelayExplanation, Month, OwnStep, System
from .writes import CellResult, write_cell

__all__ = [
    "DELAY_FIELDS",
    "delay_save",
    "month_publish",
    "own_step_add",
    "practice_reset",
    "rollups_rebuild",
    "status_bulk_set",
    "status_set",
    "system_add",
    "system_update",
    "touch_month",
]

DELAY_FIELDS = ("department", "expected_completion", "reason", "schedule", "impact", "impact_reason", "role_matrix")


def touch_month(org: Organization, as_of: date, actor: Actor) -> Month:
    """The month a write lands in (listed by the month pickers and the publish page); published at once only
    with SHINCHOKU_AUTO_PUBLISH, never for the practice 団体."""
    auto = bool(settings.SHINCHOKU_AUTO_PUBLISH) and not org.is_practice
    return ensure_month(Month, as_of, auto_publish=auto, actor=actor.name)


def refresh_public(org: Organization, as_of: date, system_ids: list[int]) -> None:
    """After a write of step statuses (and nothing else): recompute rollups now only when a published month
    shows it (a national month takes seconds); unpublished months are recomputed when they are published.
    Practice data has none."""
    if org.is_practice or not system_ids:
        return
    affected = rollups.months_affected_from(as_of, system_ids)
    if Month.objects.filter(as_of__in=affected, published=True).exists():
        rollups.refresh_months(affected, systems=system_ids, attributes=())
    else:
        rollups.mark_skipped(affected)


def refresh_every_month_from(
    org: Organization, since: date | None, system_ids: list[int], *, attributes: Collection[str] | None = None
) -> None:
    """Like refresh_public, for a change that holds in every month from `since` on (all months when None),
    whatever later rows the systems have. `attributes`: the attribute fields it changed, when known."""
    if org.is_practice or not system_ids:
        return
    months = Month.objects.filter(as_of__gte=since) if since else Month.objects.all()
    every = list(months.values_list("as_of", flat=True))
    if months.filter(published=True).exists():
        rollups.refresh_months(every, systems=system_ids, attributes=attributes)
    else:
        rollups.mark_skipped(every)


def _set_cell(actor: Actor, system: System, as_of: date, step: str, status: Status, version: int | None) -> CellResult:
    """One cell written by the actor; the public rollups are refreshed by the caller, once per change."""
    return write_cell(
        system=system, as_of=as_of, step=step, status=status, expected_version=version, refresh=False, **actor.writer
    )


def status_set(
    *, actor: Actor, system: System, as_of: date, step: str, status: Status, version: int | None
) -> CellResult:
    """One cell of the grid (or the API's PUT). A stale `version` raises StaleVersion (→ 409)."""
    org = system.organization
    actor.require(Action.EDIT_PROGRESS, org)
    as_of = to_month_end(as_of)
    with transaction.atomic():
        touch_month(org, as_of, actor)
        result = _set_cell(actor, system, as_of, step, status, version)
        if result.wrote:
            refresh_public(org, as_of, [system.pk])
            actor.record(
                "set_status",
                organization_code=org.code,
                target=f"{system.name} / ステップ {step} / {as_of:%Y-%m}",
                after={"status": status.value, "version": result.version, "step": step},
                before={"status": result.previous.value if result.previous else None, "version": version},
            )
    return result


def status_bulk_set(*, actor: Actor, org: Organization, as_of: date, step: str, status: Status) -> int:
    """Set one step for every system of a 団体 (no version check: an explicit bulk action). Changed count."""
    actor.require(Action.EDIT_PROGRESS, org)
    as_of = to_month_end(as_of)
    changed = 0
    wrote: list[int] = []
    with transaction.atomic():
        touch_month(org, as_of, actor)
        for system in System.objects.filter(organization=org):
            result = _set_cell(actor, system, as_of, step, status, None)
            changed += result.changed
            if result.wrote:
                wrote.append(system.pk)
        if wrote:
            refresh_public(org, as_of, wrote)
            actor.record(
                "bulk_set_status",
                organization_code=org.code,
                target=f"全システム / ステップ {step} / {as_of:%Y-%m}",
                after={"status": status.value, "systems": changed, "step": step},
            )
    return changed


def system_update(*, actor: Actor, system: System, as_of: date, values: dict[str, Any]) -> bool:
    """A system's attributes from month `as_of` on (earlier months keep theirs); False when nothing changed.

    Like a status edit, the change shows publicly once the month is published (at once if it already is).
    """
    org = system.organization
    actor.require(Action.EDIT_SYSTEMS, org)
    as_of = to_month_end(as_of)
    with transaction.atomic():
        current = attributes_of(system, as_of)
        new = current.changed(**values)
        if not write_attributes(system.pk, as_of, new, current=current, **actor.writer):
            return False
        touch_month(org, as_of, actor)
        # attributes are carried forward until the system's next attribute row, whatever its status rows
        before, after = current.as_dict(), new.as_dict()
        changed = [field for field in before if before[field] != after[field]]
        refresh_every_month_from(org, as_of, [system.pk], attributes=changed)
        actor.record(
            "update_system",
            organization_code=org.code,
            target=f"{system.name} / {as_of:%Y-%m}",
            before=describe((k, before[k]) for k in changed),
            after=describe((k, after[k]) for k in changed),
        )
    return True


def system_add(*, actor: Actor, org: Organization, name: str) -> System:
    """An extra (non-standard) system of a 団体."""
    actor.require(Action.EDIT_SYSTEMS, org)
    with transaction.atomic():
        system = System.objects.create(organization=org, name=name.strip(), business=None, sort_order=100)
        refresh_every_month_from(org, None, [system.pk])  # one of the 団体's systems (vendors) in every month
        actor.record("add_system", organization_code=org.code, target=system.name, after={"name": system.name})
    return system


def own_step_add(*, actor: Actor, org: Organization, name: str, as_of: date | None = None) -> OwnStep:
    """A new own step 独自N, shown from month `as_of` on (earlier months, published ones too, stay as they were)."""
    actor.require(Action.EDIT_SYSTEMS, org)
    since = to_month_end(as_of) if as_of else None
    with transaction.atomic():
        last = OwnStep.objects.filter(organization=org).order_by("-number").first()
        step = OwnStep.objects.create(
            organization=org, number=(last.number + 1) if last else 1, name=name.strip(), since=since
        )
        # the 団体's own-step figures from that month on
        refresh_every_month_from(org, since, list(System.objects.filter(organization=org).values_list("pk", flat=True)))
        actor.record(
            "add_own_step",
            organization_code=org.code,
            target=step.key,
            after={"number": step.number, "name": step.name},
        )
    return step


def _delay_values(d: DelayExplanation | None) -> dict[str, Any] | None:
    return None if d is None else {f: getattr(d, f) for f in DELAY_FIELDS}


def delay_save(*, actor: Actor, system: System, as_of: date, values: dict[str, Any]) -> DelayExplanation:
    """Why a system is late, for a month (as 石巻市 publishes it)."""
    org = system.organization
    actor.require(Action.EDIT_DELAY, org)
    as_of = to_month_end(as_of)
    with transaction.atomic():
        current = DelayExplanation.objects.select_for_update().filter(system=system, as_of=as_of).first()
        before = _delay_values(current)
        delay = current or DelayExplanation(system=system, as_of=as_of)
        for f in DELAY_FIELDS:
            setattr(delay, f, values.get(f, getattr(delay, f)))
        delay.updated_by = actor.name
        delay.save()
        for hook in DELAY_HOOKS:  # 「遅延の説明なし」 follows the explanation
            hook(system.pk, as_of)
        months_changed(rollups.months_from(as_of))  # the warnings of wider areas count explanations
        actor.record(
            "save_delay",
            organization_code=org.code,
            target=f"{system.name} / {as_of:%Y-%m}",
            before=before,
            after=_delay_values(delay),
        )
    return delay


def month_publish(*, actor: Actor, as_of: date) -> Month:
    """Publish a month: its progress and every other dataset's data of that month (operators)."""
    actor.require(Action.PUBLISH)
    as_of = to_month_end(as_of)
    with transaction.atomic():
        before = Month.objects.filter(as_of=as_of).values_list("published", flat=True).first()
        if before is None:
            raise LookupError(f"{as_of:%Y年%m月} のデータはありません")
        # staff edits of unpublished months skipped the rollups (see refresh_public): computed now, as are the
        # country's forecast and backtest that incremental writes leave behind; nothing when all is current
        rollups.refresh_for_publishing(rollups.months_affected_from(as_of))
        month = publish_month(Month, as_of, actor=actor.name)
        others: dict[str, tuple[bool, bool]] = {}
        for _receiver, response in month_published.send(sender=Month, as_of=month.as_of, actor=actor.name):
            if response:
                others.update(response)
        actor.record(
            "publish",
            target=month.as_of.isoformat(),
            before={"published": before, **{f"{k}_published": b for k, (b, _a) in others.items()}},
            after={"published": True, **{f"{k}_published": a for k, (_b, a) in others.items()}},
        )
    return month


def rollups_rebuild(*, actor: Actor, since: date | None = None) -> int:
    """The repair: every month's rollups (from `since` on) recomputed from scratch, as the incremental refresh
    of each write should have left them (operators, `shinchoku rollups rebuild`). Returns the months rebuilt."""
    actor.require(Action.PUBLISH)
    with transaction.atomic():
        months = Month.objects.order_by("as_of").values_list("as_of", flat=True)
        if since is not None:
            months = months.filter(as_of__gte=to_month_end(since))
        done = rollups.refresh_months(list(months))
        actor.record("rebuild_rollups", target=f"{since:%Y-%m}〜" if since else "全期間", after={"months": done})
    return done


def practice_reset(*, actor: Actor) -> Organization:
    """The practice 団体 back to its fresh state (any signed-in account: the data is its own playground)."""
    actor.require(Action.RESET_PRACTICE, practice.ensure_practice())
    with transaction.atomic():
        org = practice.reset_practice()
        actor.record("reset_practice", organization_code=org.code, target=org.display_name)
    return org
