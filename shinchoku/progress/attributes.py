"""System attributes by month: vendor, package, planned go-live, 特定移行支援, ガバメントクラウド use and provider.

A month without a row for a system shows the latest earlier row (carried forward), as statuses do, so a
change made while reporting month M appears from M on and earlier months keep what they showed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any, overload

from django.db import connection

from .models import CLOUD_PROVIDERS, System, SystemAttributes

__all__ = [
    "ATTRIBUTE_FIELDS",
    "Attributes",
    "attributes_at",
    "attributes_of",
    "latest_rows_sql",
    "write_attributes",
]

ATTRIBUTE_FIELDS = (
    "vendor",
    "package",
    "planned_go_live",
    "special_support",
    "planned_completion",
    "uses_gov_cloud",
    "cloud_provider",
)


@dataclass(frozen=True)
class Attributes:
    """What a system's attributes are at a month; the defaults are those of a system never described."""

    vendor: str = ""
    package: str = ""
    planned_go_live: date | None = None
    special_support: bool = False
    planned_completion: date | None = None
    uses_gov_cloud: bool | None = None
    cloud_provider: str | None = None  # a key of models.CLOUD_PROVIDERS, only on the ガバメントクラウド

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Attributes:
        """From the ATTRIBUTE_FIELDS columns of a row as a cursor gives them (SQLite: dates as text, 0/1 flags)."""
        vendor, package, go_live, special, planned, cloud, provider = row
        return cls(
            vendor=vendor or "",
            package=package or "",
            planned_go_live=as_date(go_live),
            special_support=bool(special),
            planned_completion=as_date(planned),
            uses_gov_cloud=None if cloud is None else bool(cloud),
            cloud_provider=provider or None,
        )

    def changed(self, **values: Any) -> Attributes:
        """A copy with `values` applied; the planned completion only stays with 特定移行支援, the cloud provider
        only with ガバメントクラウド use."""
        new = replace(self, **{k: v for k, v in values.items() if k in ATTRIBUTE_FIELDS})
        if not new.special_support and new.planned_completion is not None:
            new = replace(new, planned_completion=None)
        if new.uses_gov_cloud is not True and new.cloud_provider is not None:
            new = replace(new, cloud_provider=None)
        return new

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def provider_label(self) -> str:
        """「AWS」 for the stored key; "" when none is recorded."""
        return dict(CLOUD_PROVIDERS).get(self.cloud_provider or "", "")


def latest_rows_sql(table: str, *, where: str = "") -> str:
    """SQL selecting each system's latest row of `table` on or before the first parameter (a month end)."""
    return (
        f"SELECT t.* FROM {table} t JOIN (SELECT system_id, MAX(as_of) AS m FROM {table}"
        f" WHERE as_of <= %s{where} GROUP BY system_id) latest ON latest.system_id = t.system_id AND latest.m = t.as_of"
    )


@overload
def as_date(value: None) -> None: ...
@overload
def as_date(value: date | str) -> date: ...
def as_date(value: object) -> date | None:
    """A date column as a cursor returns it (a date, or ISO text on SQLite); None stays None."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def attributes_at(as_of: date, system_ids: Collection[int] | None = None) -> dict[int, Attributes]:
    """The attributes of every system (or of `system_ids`) at a month, in one query."""
    table = SystemAttributes._meta.db_table
    params: list[Any] = [as_of]
    where = ""
    if system_ids is not None:
        if not system_ids:
            return {}
        if len(system_ids) <= 500:  # a 団体's page asks for a few; the national rollup for all
            where = f" AND system_id IN ({', '.join(['%s'] * len(system_ids))})"
            params += sorted(system_ids)
    columns = ", ".join(f"t.{c}" for c in ATTRIBUTE_FIELDS)
    sql = f"SELECT t.system_id, {columns} FROM ({latest_rows_sql(table, where=where)}) t"
    wanted = None if system_ids is None else set(system_ids)
    out: dict[int, Attributes] = {}
    with connection.cursor() as cur:
        cur.execute(sql, params)
        for sid, *values in cur.fetchall():
            if wanted is None or sid in wanted:
                out[sid] = Attributes.from_row(values)
    return out


def attributes_of(system: System, as_of: date) -> Attributes:
    return attributes_at(as_of, [system.pk]).get(system.pk, Attributes())


def write_attributes(
    system_id: int, as_of: date, new: Attributes, *, actor: str, source: str, current: Attributes | None = None
) -> bool:
    """Store `new` as the system's attributes from month `as_of` on; False (nothing written) when unchanged."""
    if current is None:
        current = attributes_at(as_of, [system_id]).get(system_id, Attributes())
    if new == current:
        return False
    SystemAttributes.objects.update_or_create(
        system_id=system_id,
        as_of=as_of,
        defaults={**new.as_dict(), "updated_by": actor, "source": source},
    )
    return True


def describe(values: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Attribute values as JSON-ready plain values (dates as ISO text), for audit entries."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values}
