"""The two progress formulas (総務省方式 and 石巻市方式) and on-schedule status of one system."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Self

__all__ = [
    "FINAL_DEADLINE",
    "NATIONAL_STEPS",
    "Additive",
    "Counts",
    "RateTable",
    "completion_rate",
    "is_in_operation",
    "is_on_schedule",
    "progress_rate",
    "rate_table",
    "step_deadlines",
]

NATIONAL_STEPS = 40
# The original migration deadline (end of FY2025, R8.3月); 特定移行支援 systems get their own.
FINAL_DEADLINE = date(2026, 3, 31)
# Codes a step may have and still count as done for the schedule (対象外 needs no work).
_DONE = frozenset("CX")


class Additive:
    """A dataclass of counts that add up field by field (a monoid: zero() is the empty one)."""

    def __add__(self, other: Self) -> Self:
        if type(other) is not type(self):
            return NotImplemented
        return type(self)(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))  # type: ignore[arg-type]

    @classmethod
    def zero(cls) -> Self:
        return cls()


@dataclass(frozen=True)
class Counts(Additive):
    """How many steps are in each status; additive, so rollups are plain sums."""

    completed: int = 0
    in_progress: int = 0
    not_started: int = 0
    not_applicable: int = 0

    @property
    def total(self) -> int:
        return self.completed + self.in_progress + self.not_started + self.not_applicable

    @classmethod
    def from_codes(cls, codes: str) -> Counts:
        """Counts of a C/P/N/X string; anything else is 未着手, as an empty cell is."""
        completed, in_progress, not_applicable = codes.count("C"), codes.count("P"), codes.count("X")
        return cls(completed, in_progress, len(codes) - completed - in_progress - not_applicable, not_applicable)


def completion_rate(counts: Counts, systems: int = 1) -> float | None:
    """完了率（総務省方式）= (完了済み + 対象外) ÷ (40 × systems)."""
    if systems < 0:
        raise ValueError(f"システム数が負です: {systems}")
    if systems == 0:
        return None
    done = counts.completed + counts.not_applicable
    # More done steps than exist means the counts and the system count do not belong together.
    if done > NATIONAL_STEPS * systems:
        raise ValueError(f"完了・対象外のステップ数 {done} が {NATIONAL_STEPS}×{systems} を超えています")
    return done / (NATIONAL_STEPS * systems)


def progress_rate(counts: Counts) -> float | None:
    """進捗率（石巻市方式）= 完了済み ÷ (総作業ステップ − 実施しない)."""
    denominator = counts.total - counts.not_applicable
    if denominator <= 0:
        return None
    return counts.completed / denominator


@dataclass(frozen=True)
class RateTable:
    """The table 石巻市 publishes: ①〜⑥, where ⑥ = ④ ÷ (③ − ⑤)."""

    systems: int
    steps: int
    total_steps: int
    completed: int
    not_applicable: int
    rate: float | None

    @property
    def denominator(self) -> int:
        """③ − ⑤: the steps that actually have to be done."""
        return self.total_steps - self.not_applicable


def rate_table(*, systems: int, steps: int, counts: Counts) -> RateTable:
    """①〜⑥ from the number of systems, steps per system and the counted statuses."""
    if systems < 0 or steps < 0:
        raise ValueError(f"システム数とステップ数は0以上にしてください: {systems}, {steps}")
    total_steps = systems * steps
    denominator = total_steps - counts.not_applicable
    rate = counts.completed / denominator if denominator > 0 else None
    return RateTable(systems, steps, total_steps, counts.completed, counts.not_applicable, rate)


def step_deadlines(deadlines: Sequence[date], special_support_completion: date | None) -> list[date]:
    """Each step's effective deadline: 特定移行支援 moves the R8.3月 ones to the planned completion."""
    if special_support_completion is None:
        return list(deadlines)
    return [special_support_completion if d == FINAL_DEADLINE else d for d in deadlines]


def is_on_schedule(
    *, codes: str, deadlines: Sequence[date], as_of: date, special_support_completion: date | None = None
) -> bool:
    """True when every step due by as_of is 完了済み or 対象外 (missing steps count as 未着手)."""
    for index, deadline in enumerate(step_deadlines(deadlines, special_support_completion)):
        if deadline <= as_of and (index >= len(codes) or codes[index] not in _DONE):
            return False
    return True


def is_in_operation(codes: str) -> bool:
    """True once the last national step (40, 本番稼働) is 完了済み."""
    return len(codes) >= NATIONAL_STEPS and codes[NATIONAL_STEPS - 1] == "C"
