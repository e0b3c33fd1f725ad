"""The primitives that write progress data: one cell, a month's sources. Not guarded: the guarded services
(services.py) check the rule table, then call these; imports call them through the import pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from shinchoku.domain.calendar import to_month_end
from shinchoku.domain.progress import NATIONAL_STEPS
from shinchoku.domain.status import Status
from shinchoku.publication.months import ensure_month

from . import rollups
from .models import Month, OwnStep, StatusChange, StatusSnapshot, System


class StaleVersion(Exception):
    """The cell changed since the caller read it (optimistic concurrency)."""

    def __init__(self, *, current_version: int, current_status: Status, changed_by: str, changed_at: object) -> None:
        self.current_version = current_version
        self.current_status = current_status
        self.changed_by = changed_by
        self.changed_at = changed_at
        super().__init__(
            f"ほかの人（{changed_by or '不明'}）がこのセルを先に「{current_status.label}」に変更しました。"
            "画面を更新してから、もう一度変更してください。"
        )


class UnknownStep(ValueError):
    """A step key that is neither 1–40 nor one of the 団体's own steps."""


@dataclass(frozen=True)
class CellResult:
    status: Status
    version: int
    changed: bool  # the cell's status changed
    previous: Status | None = None  # the status before the write (for the audit trail)
    # A row was written: the status changed, or the system's first row in the month (which keeps the status it
    # carried but now counts in that month): the rollups follow and the write is audited.
    wrote: bool = False


def parse_step_key(key: str) -> tuple[bool, int]:
    """'12' → (False, 12); '独自3' → (True, 3)."""
    text = key.strip()
    own = text.startswith("独自")
    number = text[2:] if own else text
    if not number.isdigit():
        raise UnknownStep(f"作業ステップ「{key}」は 1〜{NATIONAL_STEPS} または 独自N で指定してください")
    n = int(number)
    if n < 1 or (not own and n > NATIONAL_STEPS):
        raise UnknownStep(f"作業ステップ「{key}」は 1〜{NATIONAL_STEPS} または 独自N で指定してください")
    return own, n


def snapshot_for_write(system: System, as_of: date) -> StatusSnapshot:
    """The row for (system, as_of), created from the carried-forward statuses when missing.

    A month known only by a published 完了率 gets statuses for the first time from 未着手: the rate is never
    turned into statuses (the page then shows the published rate beside the reported statuses).
    """
    snap = StatusSnapshot.objects.select_for_update().filter(system=system, as_of=as_of).first()
    if snap is not None:
        if not snap.codes:
            snap.codes = "N" * NATIONAL_STEPS
        return snap
    prev = StatusSnapshot.objects.filter(system=system, as_of__lt=as_of).order_by("-as_of").first()
    return StatusSnapshot(
        system=system,
        as_of=as_of,
        codes=(prev.codes if prev else "") or "N" * NATIONAL_STEPS,
        own_codes=prev.own_codes if prev else "",
        versions=dict(prev.versions) if prev else {},
    )


def add_month_source(as_of: date, source: dict[str, str]) -> None:
    """Name an official source of the month's figures (once)."""
    month = Month.objects.select_for_update().get(as_of=as_of)
    if source not in month.sources:
        month.sources = [*month.sources, dict(source)]
        month.save(update_fields=["sources"])


def write_cell(
    *,
    system: System,
    as_of: date,
    step: str,
    status: Status,
    expected_version: int | None,
    actor: str,
    source: str,
    refresh: bool = True,
) -> CellResult:
    """Set one cell, inside the caller's transaction: a service that holds one already (progress.services)
    calls this; a savepoint per cell was two more statements per edit. A stale version or an unknown step
    raises, and the caller's block rolls back. `expected_version` None skips the concurrency check."""
    as_of = to_month_end(as_of)
    own, n = parse_step_key(step)
    if own and not OwnStep.objects.filter(organization_id=system.organization_id, number=n).exists():
        raise UnknownStep(f"独自{n} はこの団体の独自ステップとして登録されていません")
    key = f"独自{n}" if own else str(n)
    snap = snapshot_for_write(system, as_of)
    codes = list(snap.own_codes if own else snap.codes)
    if own and len(codes) < n:
        codes += ["N"] * (n - len(codes))
    old = codes[n - 1]
    version = int(snap.versions.get(key, 0))
    if expected_version is not None and expected_version != version:
        last = StatusChange.objects.filter(system=system, as_of__lte=as_of, step=key).order_by("-id").first()
        raise StaleVersion(
            current_version=version,
            current_status=Status.from_code(old if old in "CPNX" else "N"),
            changed_by=last.actor if last else "",
            changed_at=last.changed_at if last else None,
        )
    previous = Status.from_code(old if old in "CPNX" else "N")
    if old == status.code and snap.pk is not None:
        return CellResult(status=status, version=version, changed=False, previous=previous)
    codes[n - 1] = status.code
    if own:
        snap.own_codes = "".join(codes)
    else:
        snap.codes = "".join(codes)
    changed = old != status.code
    # A system's first row in a month changes what the month shows even when the cell keeps its status: a new
    # system now has statuses there (it counts in the rollups).
    first_row = snap.pk is None
    if changed:
        version += 1
        snap.versions = {**snap.versions, key: version}
    snap.updated_by = actor
    snap.source = source
    snap.save()
    if changed:
        StatusChange.objects.create(
            system=system, as_of=as_of, step=key, old=old, new=status.code, version=version, actor=actor, source=source
        )
    ensure_month(Month, as_of)
    if refresh and (changed or first_row):
        rollups.refresh_months(rollups.months_affected_from(as_of, [system.pk]), systems=[system.pk], attributes=())
    return CellResult(status=status, version=version, changed=changed, previous=previous, wrote=changed or first_row)


# The same write in a transaction of its own (a savepoint inside the caller's), for callers that go on after a
# StaleVersion or UnknownStep: the failed cell is rolled back and the caller's transaction stays usable.
set_status = transaction.atomic(write_cell)
