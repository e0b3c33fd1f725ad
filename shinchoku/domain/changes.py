"""Change over time: a figure now, a month earlier and twelve months earlier, from monthly series.

Months are the published 基準日 (month ends). "A month earlier" is the latest published month before the one
shown; "twelve months earlier" is the same month a year before, when it was published (else nothing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

__all__ = ["Change", "Field", "changes", "earlier_months"]


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    percent: bool  # a rate (fraction) whose difference is in points, or a count


@dataclass(frozen=True)
class Change:
    field: Field
    now: float | int | None
    previous: float | int | None
    year_ago: float | int | None

    @staticmethod
    def _delta(now: float | int | None, then: float | int | None) -> float | int | None:
        if now is None or then is None:
            return None
        diff = now - then
        return round(diff, 6) if isinstance(diff, float) else diff

    @property
    def since_previous(self) -> float | int | None:
        return self._delta(self.now, self.previous)

    @property
    def since_year_ago(self) -> float | int | None:
        return self._delta(self.now, self.year_ago)


def earlier_months(months: Sequence[date], as_of: date) -> tuple[date | None, date | None]:
    """The published month before `as_of` and the one twelve months before it (None when not published)."""
    before = [m for m in months if m < as_of]
    previous = max(before) if before else None
    year_ago = next((m for m in before if (m.year, m.month) == (as_of.year - 1, as_of.month)), None)
    return previous, year_ago


def changes(
    series: Mapping[date, Mapping[str, float | int | None]], as_of: date, fields: Sequence[Field]
) -> tuple[date | None, date | None, list[Change]]:
    """Each field now, a month earlier and a year earlier, from {month: {key: value}}."""
    previous, year_ago = earlier_months(sorted(series), as_of)
    now = series.get(as_of, {})
    prev = series.get(previous, {}) if previous else {}
    year = series.get(year_ago, {}) if year_ago else {}
    rows = [Change(f, now.get(f.key), prev.get(f.key), year.get(f.key)) for f in fields]
    return previous, year_ago, rows
