"""The records of the fictional sample: 団体, their systems with a month-by-month history, the whole sample."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = ["OrgSpec", "SampleData", "SystemSample"]


@dataclass
class OrgSpec:
    code: str
    prefecture_code: str
    kind: str


@dataclass
class SystemSample:
    org_code: str
    name: str
    business: int | None
    sort_order: int
    vendor: str
    package: str
    special_support: bool
    special_support_since: date | None
    planned_completion: date | None
    planned_go_live: date | None
    # month -> (codes, own_codes); only months where something changed (the first month always)
    history: list[tuple[date, str, str]] = field(default_factory=list)
    delay: dict | None = None
    # ガバメントクラウド and vendor history: see cloud_and_vendors
    uses_gov_cloud: bool = True
    cloud_provider: str | None = None
    previous_vendor: tuple[str, str] | None = None  # (vendor, package) before vendor_since
    vendor_since: date | None = None


@dataclass
class SampleData:
    months: list[date]
    systems: list[SystemSample]
    own_steps: dict[str, list[str]]
