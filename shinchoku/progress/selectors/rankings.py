"""Every 市区町村 of a month with the figures a ranking sorts by (read from OrganizationRollup only).

The share on schedule and the late systems count only systems with step statuses: 総務省's real figures are
rate-only, so for them both are None, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from shinchoku.domain.kinds import PREFECTURE

from ..models import OrganizationRollup
from .common import rounded

__all__ = ["RankRow", "municipality_rows"]


@dataclass(frozen=True)
class RankRow:
    code: str
    name: str
    prefecture_code: str
    prefecture_name: str
    kind: str
    systems: int
    rate_only_systems: int
    completion_rate: float | None
    progress_rate: float | None
    on_schedule_systems: int
    special_support_systems: int
    systems_in_operation: int

    @property
    def systems_with_steps(self) -> int:
        return self.systems - self.rate_only_systems

    @property
    def on_schedule_share(self) -> float | None:
        n = self.systems_with_steps
        return rounded(self.on_schedule_systems / n) if n else None  # type: ignore[return-value]

    @property
    def late_systems(self) -> int | None:
        n = self.systems_with_steps
        return n - self.on_schedule_systems if n else None

    @property
    def display_name(self) -> str:
        return f"{self.prefecture_name} {self.name}"


def municipality_rows(*, as_of: date, pref: str | None = None, kind: str | None = None) -> list[RankRow]:
    """The 市区町村 with a rollup in the month (prefectures themselves left out), in code order."""
    qs = OrganizationRollup.objects.filter(as_of=as_of, organization__is_practice=False).exclude(
        organization__kind=PREFECTURE
    )
    if pref:
        qs = qs.filter(organization__prefecture_code=pref)
    if kind:
        qs = qs.filter(organization__kind=kind)
    names = [f.name for f in fields(RankRow)]  # the rollup's columns by the same names, the 団体's through it
    columns = [FROM_ORGANIZATION.get(name, name) for name in names]
    out = []
    for row in qs.values_list(*columns).order_by("organization_id"):
        values = dict(zip(names, row, strict=True))
        values["completion_rate"] = rounded(values["completion_rate"])
        values["progress_rate"] = rounded(values["progress_rate"])
        out.append(RankRow(**values))
    return out


FROM_ORGANIZATION = {
    "code": "organization_id",
    **{f: f"organization__{f}" for f in ("name", "prefecture_code", "prefecture_name", "kind")},
}
