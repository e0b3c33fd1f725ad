"""Additive rollups of systems into 団体, prefectures, the nation; and summaries over 団体."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from shinchoku.domain.progress import (
    NATIONAL_STEPS,
    Additive,
    Counts,
    is_in_operation,
    is_on_schedule,
    progress_rate,
)

__all__ = [
    "GroupSummary",
    "Rollup",
    "completion_rate_of",
    "rate_only_rollup",
    "rollup_all",
    "summarize",
    "summary_of",
    "system_rollup",
]


@dataclass(frozen=True)
class Rollup(Additive):
    """Sums over systems; a commutative monoid, so any grouping of systems gives the same totals."""

    systems: int = 0
    national: Counts = field(default_factory=Counts)
    own: Counts = field(default_factory=Counts)
    on_schedule_systems: int = 0
    special_support_systems: int = 0
    systems_in_operation: int = 0
    # Systems known only by a published 完了率 (k/40, no step statuses) and the sum of their k.
    rate_only_systems: int = 0
    rate_only_done: int = 0

    @property
    def step_systems(self) -> int:
        """Systems with step statuses: the figures that need steps are computed over these only."""
        return self.systems - self.rate_only_systems

    @property
    def basis(self) -> str | None:
        """ "steps", "published_rate" (rate-only systems only) or "mixed"; None without systems."""
        if not self.systems:
            return None
        if not self.rate_only_systems:
            return "steps"
        return "published_rate" if not self.step_systems else "mixed"

    @property
    def completion_rate(self) -> float | None:
        """総務省方式 over the national steps: every system has 40, so this is the mean over systems.

        A rate-only system adds its published k of 40 done steps: (完了済み + 対象外 + Σk) ÷ (40 × systems).
        """
        return completion_rate_of(
            self.systems, self.national.completed + self.national.not_applicable + self.rate_only_done
        )

    @property
    def progress_rate(self) -> float | None:
        """石巻市方式, national steps only (systems with step statuses only)."""
        return progress_rate(self.national)

    @property
    def progress_rate_incl_own(self) -> float | None:
        """石巻市方式 including the 団体's own steps (本市独自の作業ステップ)."""
        return progress_rate(self.national + self.own)

    @property
    def on_schedule_share(self) -> float | None:
        """Share of the systems with step statuses that are on schedule (needs steps)."""
        return self.on_schedule_systems / self.step_systems if self.step_systems else None


def completion_rate_of(systems: int, done: int) -> float | None:
    """総務省方式: done steps (完了済み + 対象外 + published k) of 40 per system; None without systems."""
    if not systems:
        return None
    if done > NATIONAL_STEPS * systems:
        raise ValueError(f"完了・対象外のステップ数 {done} が {NATIONAL_STEPS}×{systems} を超えています")
    return done / (NATIONAL_STEPS * systems)


def rate_only_rollup(*, done: int, special_support: bool = False) -> Rollup:
    """A system known only by its published 完了率 = done ÷ 40: no step statuses are invented."""
    if not 0 <= done <= NATIONAL_STEPS:
        raise ValueError(f"完了・対象外のステップ数は0〜{NATIONAL_STEPS}です（{done}）")
    return Rollup(systems=1, special_support_systems=int(special_support), rate_only_systems=1, rate_only_done=done)


def system_rollup(
    *,
    codes: str,
    own_codes: str = "",
    deadlines: Sequence[date],
    as_of: date,
    special_support: bool = False,
    special_support_completion: date | None = None,
    published_done: int | None = None,
) -> Rollup:
    """One system as a Rollup; the planned completion only counts for a 特定移行支援 system.

    Step statuses win; with none (codes "") the published 完了率 (published_done of 40) stands alone.
    """
    if not codes and published_done is not None:
        return rate_only_rollup(done=published_done, special_support=special_support)
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
    """The sum of many rollups field by field: the same as adding them one by one, without an object each
    (summaries add up 1,741 団体 on every write)."""
    t = [0] * 14
    for r in rollups:
        n, o = r.national, r.own
        t[0] += r.systems
        t[1] += n.completed
        t[2] += n.in_progress
        t[3] += n.not_started
        t[4] += n.not_applicable
        t[5] += o.completed
        t[6] += o.in_progress
        t[7] += o.not_started
        t[8] += o.not_applicable
        t[9] += r.on_schedule_systems
        t[10] += r.special_support_systems
        t[11] += r.systems_in_operation
        t[12] += r.rate_only_systems
        t[13] += r.rate_only_done
    return Rollup(
        t[0],
        Counts(t[1], t[2], t[3], t[4]),
        Counts(t[5], t[6], t[7], t[8]),
        t[9],
        t[10],
        t[11],
        t[12],
        t[13],
    )


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
    systems_with_steps: int = 0
    rate_only_systems: int = 0


def summarize(org_rollups: Iterable[Rollup]) -> GroupSummary:
    """Summary over 団体 (one Rollup each); 団体 without systems have no rate and count only where they
    have 特定移行支援 systems (such as a 共通機能 listed before any report)."""
    every = list(org_rollups)
    orgs = [r for r in every if r.systems > 0]
    rates = [rate for r in orgs if (rate := r.completion_rate) is not None]
    return summary_of(rollup_all(orgs), len(orgs), rates, [r.special_support_systems for r in every])


def summary_of(total: Rollup, organizations: int, rates: list[float], special: list[int]) -> GroupSummary:
    """A group's summary from the sum of its 団体 with systems, their number and 完了率, and every 団体's
    特定移行支援 systems."""
    return GroupSummary(
        organizations=organizations,
        systems=total.systems,
        completion_rate_mean=statistics.fmean(rates) if rates else None,
        completion_rate_median=statistics.median(rates) if rates else None,
        systems_in_operation=total.systems_in_operation,
        on_schedule_systems=total.on_schedule_systems,
        on_schedule_share=total.on_schedule_share,
        special_support_organizations=sum(1 for n in special if n > 0),
        special_support_systems=sum(special),
        progress_rate=total.progress_rate,
        systems_with_steps=total.step_systems,
        rate_only_systems=total.rate_only_systems,
    )
