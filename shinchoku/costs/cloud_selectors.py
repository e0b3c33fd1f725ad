"""Public reads of ガバメントクラウド use, providers, vendor shares and vendor changes: published months only,
from the month's cloud rollup (national, prefectures) or one bounded query (one 団体's systems)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shinchoku.progress import selectors as progress
from shinchoku.progress.models import CLOUD_PROVIDERS
from shinchoku.reference.models import Organization

from .figures import vendor_changes
from .models import CloudRollup

__all__ = [
    "CloudArea",
    "CloudSummary",
    "OrganizationCloud",
    "cloud_summary",
    "organization_cloud",
    "provider_label",
]

PROVIDER_LABELS = dict(CLOUD_PROVIDERS)
UNKNOWN_PROVIDER = "事業者の報告なし"


def provider_label(key: str | None) -> str:
    return PROVIDER_LABELS.get(key or "", UNKNOWN_PROVIDER)


@dataclass(frozen=True)
class ProviderShare:
    key: str  # "" when the provider was not reported
    label: str
    systems: int
    share: float | None  # of the systems on the ガバメントクラウド


@dataclass(frozen=True)
class CloudArea:
    code: str  # prefecture code, "" for the nation
    name: str
    systems: int
    reported: int  # systems whose ガバメントクラウド use is known
    on_cloud: int
    off_cloud: int
    on_cloud_share: float | None  # on_cloud ÷ reported
    providers: tuple[ProviderShare, ...]


@dataclass(frozen=True)
class VendorShare:
    name: str
    systems: int
    organizations: int
    share: float | None  # of the systems with a vendor


@dataclass(frozen=True)
class VendorFlow:
    before: str
    after: str
    systems: int
    organizations: int


@dataclass(frozen=True)
class VendorBalance:
    name: str
    joined_systems: int
    left_systems: int
    joined_organizations: int
    left_organizations: int
    net_systems: int


@dataclass(frozen=True)
class CloudSummary:
    as_of: date
    sample_data: bool
    nation: CloudArea
    by_prefecture: tuple[CloudArea, ...]
    vendor_systems: int
    vendors: tuple[VendorShare, ...]
    changed_systems: int
    changed_organizations: int
    flows: tuple[VendorFlow, ...]
    balances: tuple[VendorBalance, ...]

    @property
    def has_figures(self) -> bool:
        return bool(self.nation.reported or self.vendor_systems)


def _providers(counts: dict[str, int], on_cloud: int) -> tuple[ProviderShare, ...]:
    keys = [k for k, _label in CLOUD_PROVIDERS if k in counts] + ([""] if "" in counts else [])
    return tuple(
        ProviderShare(k, provider_label(k), counts[k], round(counts[k] / on_cloud, 6) if on_cloud else None)
        for k in keys
    )


def _area(code: str, name: str, data: dict) -> CloudArea:
    return CloudArea(
        code=code,
        name=name,
        systems=data.get("systems", 0),
        reported=data.get("reported", 0),
        on_cloud=data.get("on_cloud", 0),
        off_cloud=data.get("off_cloud", 0),
        on_cloud_share=data.get("on_cloud_share"),
        providers=_providers(data.get("providers", {}), data.get("on_cloud", 0)),
    )


def cloud_summary(as_of: date) -> CloudSummary:
    row = CloudRollup.objects.filter(as_of__lte=as_of).order_by("-as_of").values_list("data", flat=True).first()
    data = row or {}
    names = dict(Organization.objects.filter(kind="都道府県").values_list("prefecture_code", "prefecture_name"))
    changes = data.get("vendor_changes", {})
    vendors = data.get("vendors", {})
    return CloudSummary(
        as_of=as_of,
        sample_data=progress.is_sample(as_of),
        nation=_area("", "全国", data),
        by_prefecture=tuple(_area(p, names.get(p, p), d) for p, d in data.get("by_prefecture", {}).items()),
        vendor_systems=vendors.get("systems", 0),
        vendors=tuple(
            VendorShare(v["name"], v["systems"], v["organizations"], v["share"]) for v in vendors.get("list", [])
        ),
        changed_systems=changes.get("systems", 0),
        changed_organizations=changes.get("organizations", 0),
        flows=tuple(VendorFlow(f["from"], f["to"], f["systems"], f["organizations"]) for f in changes.get("flows", [])),
        balances=tuple(
            VendorBalance(
                b["name"],
                b["joined_systems"],
                b["left_systems"],
                b["joined_organizations"],
                b["left_organizations"],
                b["net_systems"],
            )
            for b in changes.get("by_vendor", [])
        ),
    )


@dataclass(frozen=True)
class SystemCloud:
    name: str
    vendor: str
    uses_gov_cloud: bool | None
    provider: str  # label, "" when not on the ガバメントクラウド or not reported


@dataclass(frozen=True)
class OrgVendorChange:
    as_of: date
    system: str
    before: str
    after: str


@dataclass(frozen=True)
class OrganizationCloud:
    systems: tuple[SystemCloud, ...]
    changes: tuple[OrgVendorChange, ...]

    @property
    def on_cloud(self) -> int:
        return sum(1 for s in self.systems if s.uses_gov_cloud)

    @property
    def reported(self) -> bool:
        return any(s.uses_gov_cloud is not None or s.vendor for s in self.systems)


def organization_cloud(code: str, as_of: date) -> OrganizationCloud:
    """One 団体's systems with their ガバメントクラウド use and vendor at a month, and its vendor changes up to it."""
    systems = progress.system_histories(code)  # the rows its page's progress table has read
    attrs = {s.id: a for s in systems if (a := s.at(as_of)) is not None}
    history = {s.id: [(month, a.vendor) for month, a in s.until(as_of)] for s in systems}
    names = {s.id: s.name for s in systems}
    changes = vendor_changes(history, {s.id: (code, code[:2]) for s in systems})
    return OrganizationCloud(
        systems=tuple(
            SystemCloud(
                s.name,
                attrs[s.id].vendor if s.id in attrs else "",
                attrs[s.id].uses_gov_cloud if s.id in attrs else None,
                attrs[s.id].provider_label if s.id in attrs and attrs[s.id].uses_gov_cloud else "",
            )
            for s in systems
        ),
        changes=tuple(OrgVendorChange(c.as_of, names[c.system_id], c.before, c.after) for c in changes),
    )
