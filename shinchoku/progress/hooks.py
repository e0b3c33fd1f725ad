"""Where other apps join progress writes without progress depending on them (they register in ready()).

- MONTH_HOOKS: called with the months whose rollups were just refreshed, the systems that changed (None:
  unknown, perhaps all) and the attribute fields the write changed (empty: step statuses only; None: unknown,
  or a system was added) — costs' cloud figures, outlook's warnings and forecasts — inside the same transaction.
- NATION_HOOKS: called with months whose 団体 rollups are current but whose country-wide figures that other
  apps compute from every 団体's history (outlook's national forecast and backtest) were left behind by
  incremental writes — at publishing, inside its transaction.
- DELAY_HOOKS: called with (system id, month) when a delay explanation was saved (outlook's 「説明なし」).
- RESET_HOOKS: called with the practice 団体 when it is reset (costs' reports).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from shinchoku.reference.models import Organization

__all__ = ["DELAY_HOOKS", "MONTH_HOOKS", "NATION_HOOKS", "RESET_HOOKS", "join"]

MONTH_HOOKS: list[Callable[[list[date], frozenset[int] | None, frozenset[str] | None], object]] = []
NATION_HOOKS: list[Callable[[list[date]], object]] = []
DELAY_HOOKS: list[Callable[[int, date], object]] = []
RESET_HOOKS: list[Callable[[Organization], object]] = []


def join(hooks: list, hook: Callable) -> None:
    """Register once (ready() may run more than once in tests)."""
    if hook not in hooks:
        hooks.append(hook)
