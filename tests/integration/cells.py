"""Setting one status cell from a test, through the write primitive the guarded services use (no tests here)."""

from __future__ import annotations

from datetime import date

from shinchoku.domain.status import Status
from shinchoku.progress import writes
from shinchoku.progress.models import System


def set_cell(
    system: System, as_of: date, step: int | str, status: Status, *, version: int | None = None, actor: str = "test"
) -> writes.CellResult:
    """Step `step` of `system` in the month of `as_of` set to `status` by `actor` (source "test"); `version` is the
    version the writer saw (None skips the concurrency check)."""
    return writes.set_status(
        system=system,
        as_of=as_of,
        step=str(step),
        status=status,
        expected_version=version,
        actor=actor,
        source="test",
    )
