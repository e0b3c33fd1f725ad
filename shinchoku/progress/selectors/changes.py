"""What changed in a published month, 団体 by 団体: from the OrganizationRollup of that month and the one before.

Systems going into operation and late systems are counted only for 団体 with step statuses in both months;
rate-only figures (総務省's published 完了率) show only the change of 完了率.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .rankings import RankRow, municipality_rows

__all__ = ["OrgChange", "organization_changes"]


@dataclass(frozen=True)
class OrgChange:
    now: RankRow
    before: RankRow

    @property
    def code(self) -> str:
        return self.now.code

    @property
    def completion_change(self) -> float | None:
        if self.now.completion_rate is None or self.before.completion_rate is None:
            return None
        return round(self.now.completion_rate - self.before.completion_rate, 6)

    @property
    def went_into_operation(self) -> int | None:
        if not (self.now.systems_with_steps and self.before.systems_with_steps):
            return None
        return self.now.systems_in_operation - self.before.systems_in_operation

    @property
    def newly_late(self) -> int | None:
        if self.now.late_systems is None or self.before.late_systems is None:
            return None
        return self.now.late_systems - self.before.late_systems


def organization_changes(*, as_of: date, previous: date, pref: str | None = None) -> list[OrgChange]:
    """Every 市区町村 with a rollup in both months, in code order."""
    before = {r.code: r for r in municipality_rows(as_of=previous, pref=pref)}
    return [OrgChange(r, before[r.code]) for r in municipality_rows(as_of=as_of, pref=pref) if r.code in before]
