"""A 団体's systems with every month of their attributes, read once for its page.

The 団体 page shows a system's attributes at the month (the progress table), its ガバメントクラウド use and
vendor changes up to the month (costs), and its 特定移行支援 designations up to the month (outlook). All three
come from the same few rows: a 団体 has some twenty systems and a row only for the months their attributes
changed. One query reads them all, for every month, and is kept for the data version: the page's three
sections, and the 団体's page of any other month, answer from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection

from shinchoku.publication.memo import per_version

from ..attributes import ATTRIBUTE_FIELDS, Attributes, as_date
from ..models import System, SystemAttributes

__all__ = ["SystemHistory", "system_histories"]


@dataclass(frozen=True)
class SystemHistory:
    """One system and its attribute rows by month (each row holds from its month until the next row)."""

    id: int
    name: str
    rows: tuple[tuple[date, Attributes], ...]

    def until(self, as_of: date) -> tuple[tuple[date, Attributes], ...]:
        """The rows of the months on or before `as_of`."""
        return tuple(row for row in self.rows if row[0] <= as_of)

    def at(self, as_of: date) -> Attributes | None:
        """The attributes in force at `as_of` (None before the system's first row)."""
        current = None
        for month, attributes in self.rows:
            if month > as_of:
                break
            current = attributes
        return current


def _sql() -> str:
    columns = ", ".join(f"a.{c}" for c in ATTRIBUTE_FIELDS)
    return (
        f"SELECT s.id, s.name, a.as_of, {columns} FROM {System._meta.db_table} s"
        f" LEFT JOIN {SystemAttributes._meta.db_table} a ON a.system_id = s.id"
        " WHERE s.organization_id = %s ORDER BY s.sort_order, s.name, s.id, a.as_of"
    )


@per_version
def system_histories(code: str) -> tuple[SystemHistory, ...]:
    """Every system of a 団体 in its order (sort order, name), with all its attribute rows: one query."""
    systems: dict[int, tuple[str, list[tuple[date, Attributes]]]] = {}
    with connection.cursor() as cur:
        cur.execute(_sql(), [code])
        for sid, name, month, *values in cur.fetchall():
            rows = systems.setdefault(sid, (name, []))[1]
            if month is not None:
                rows.append((as_date(month), Attributes.from_row(values)))
    return tuple(SystemHistory(sid, name, tuple(rows)) for sid, (name, rows) in systems.items())
