"""Additive rollups of systems into 団体, prefectures, the nation; and summaries over 団体."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from shinchoku.domain.progress import (
    NATIONAL_STEPS,
    Counts,
    completion_rate,
    is_in_operation,
    is_on_schedule,
    progress_rate,
)

__all__ = ["GroupSummary", "Rollup", "rollup_all", "summarize", "system_rollup"]


@dataclass(frozen=True)
class Rollup:
    """Sums over systems; a commutative monoid, so any grouping of systems gives the same totals."""

    systems: int = 0
    national: Counts = field(default_factory=Counts)
    own: Counts = field(default_factory=Counts)
    on_schedule_systems: int = 0
    special_support_systems: int = 0
    systems_in_operation: int = 0

    def __add__(self, other: Rollup) -> Rollup:
        if not isinstance(other, Rollup):
            return NotImplemented
        return Rollup(
            self.systems + other.systems,
            self.national + other.national,
            self.own + other.own,
            self.on_schedule_systems + other.on_schedule_systems,
            self.special_support_systems + other.special_support_systems,
            self.systems_in_operation + other.systems_in_operation,
        )

    @classmethod
    def zero(cls) -> Rollup:
        return cls()

    @property
    def completion_rate(self) -> float | None:
        """総務省方式 over the national steps: every system has 40, so this is the mean over systems."""
        return completion_rate(self.national, self.systems)

    @property
    def progress_rate(self) -> float | None:
        """石巻市方式, national steps only."""
        return progress_rate(self.national)

    @property
    def progress_rate_incl_own(self) -> float | None:
        """石巻市方式 including the 団体's own steps (本市独自の作業ステップ)."""
        return progress_rate(self.national + self.own)

    @property
    def on_schedule_share(self) -> float | None:
        return self.on_schedule_systems / self.systems if self.systems else None


def system_rollup(
    *,
    codes: str,
    own_codes: str = "",
    deadlines: Sequence[date],
    as_of: date,
    special_support: bool = False,
    special_support_completion: date | None = None,
) -> Rollup:
    """One system as a Rollup; the planned completion only counts for a 特定移行支援 system."""
    if len(codes) > NATIONAL_STEPS:
        raise ValueError(f"国の作業ステップは{NATIONAL_STEPS}までです（{len(codes)}個あります）")
    on_schedule = is_on_schedule(
        codes=codes,
        deadlines=deadlines,
        as_of=as_of,
        special_support_completion=special_support_completion if special_support else None,
    )
    return Rollup(
        systems=1,
        national=Counts.from_codes(codes),
        own=Counts.from_codes(own_codes),
        on_schedule_systems=int(on_schedule),
        special_support_systems=int(special_support),
        systems_in_operation=int(is_in_operation(codes)),
    )


def rollup_all(rollups: Iterable[Rollup]) -> Rollup:
    return sum(rollups, Rollup.zero())


@dataclass(frozen=True)
class GroupSummary:
    """A group of 団体 as 総務省 publishes it: means and medians are over 団体, not systems."""

    organizations: int
    systems: int
    completion_rate_mean: float | None
    completion_rate_median: float | None
    systems_in_operation: int
    on_schedule_systems: int
    on_schedule_share: float | None
    special_support_organizations: int
    special_support_systems: int
    progress_rate: float | None


def summarize(org_rollups: Iterable[Rollup]) -> GroupSummary:
    """Summary over 団体 (one Rollup each); 団体 without systems have no rate and are left out entirely."""
    orgs = [r for r in org_rollups if r.systems > 0]
    total = rollup_all(orgs)
    rates = [rate for r in orgs if (rate := r.completion_rate) is not None]
    return GroupSummary(
        organizations=len(orgs),
        systems=total.systems,
        completion_rate_mean=statistics.fmean(rates) if rates else None,
        completion_rate_median=statistics.median(rates) if rates else None,
        systems_in_operation=total.systems_in_operation,
        on_schedule_systems=total.on_schedule_systems,
        on_schedule_share=total.on_schedule_share,
        special_support_organizations=sum(1 for r in orgs if r.special_support_systems > 0),
        special_support_systems=total.special_support_systems,
        progress_rate=total.progress_rate,
    )
