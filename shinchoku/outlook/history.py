"""Each public system's raw history, read in chunks of systems (bounded memory on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import date

from django.db import connection

from .warning_rules import Designation, Reading

CHUNK = 4000  # systems per query


@dataclass(frozen=True)
class SystemInfo:
    system_id: int
    org: str
    pref: str
    kind: str
    business: int | None
    name: str


@dataclass(frozen=True)
class SystemHistory:
    info: SystemInfo
    readings: list[Reading]
    designations: list[Designation]
    explained_from: date | None


_dates: dict[object, date] = {}


def as_date(value: object) -> date:
    """A date from the database (SQLite may hand back text)."""
    if isinstance(value, date):
        return value
    found = _dates.get(value)
    if found is None:
        found = _dates[value] = date.fromisoformat(str(value))
    return found


def public_systems(only: Collection[int] | None = None) -> list[SystemInfo]:
    """Every public system (or only some), in id order."""
    where, ids = ("", []) if only is None else (f" AND s.id IN ({', '.join(['%s'] * len(only))})", sorted(only))
    if only is not None and not ids:
        return []
    with connection.cursor() as cur:
        cur.execute(
            "SELECT s.id, s.organization_id, o.prefecture_code, o.kind, s.business_id, s.name FROM progress_system s"
            " JOIN reference_organization o ON o.code = s.organization_id"
            f" WHERE NOT o.is_practice{where} ORDER BY s.id",
            ids,
        )
        return [SystemInfo(*row) for row in cur.fetchall()]


def _only(ids: Collection[int] | None) -> tuple[str, list[int]]:
    """An SQL condition on system_id for a few systems (nothing for all)."""
    if ids is None:
        return "", []
    return f" AND system_id IN ({', '.join(['%s'] * len(ids))})", sorted(ids)


def designations(until: date, only: Collection[int] | None = None) -> dict[int, list[Designation]]:
    """Every system's (or only some systems') 特定移行支援 attributes by month (up to `until`)."""
    out: dict[int, list[Designation]] = defaultdict(list)
    where, ids = _only(only)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT system_id, as_of, special_support, planned_completion FROM progress_systemattributes"
            f" WHERE as_of <= %s{where} ORDER BY system_id, as_of",
            [until, *ids],
        )
        for sid, as_of, special, planned in cur.fetchall():
            planned_date = as_date(planned) if special and planned else None
            out[sid].append(Designation(as_date(as_of), bool(special), planned_date))
    return out


def first_explanations(until: date, only: Collection[int] | None = None) -> dict[int, date]:
    where, ids = _only(only)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT system_id, MIN(as_of) FROM progress_delayexplanation WHERE as_of <= %s{where} GROUP BY system_id",
            [until, *ids],
        )
        return {sid: as_date(m) for sid, m in cur.fetchall()}


def histories(until: date, only: Collection[int] | None = None) -> Iterator[SystemHistory]:
    """Every public system (or only some) with its rows up to `until`, in system order."""
    systems = public_systems(only)
    if only is not None and not systems:
        return
    attrs = designations(until, only)
    explained = first_explanations(until, only)
    for start in range(0, len(systems), CHUNK):
        chunk = systems[start : start + CHUNK]
        readings: dict[int, list[Reading]] = defaultdict(list)
        where, ids = _only([s.system_id for s in chunk] if only is not None else None)
        with connection.cursor() as cur:
            cur.execute(
                "SELECT system_id, CAST(as_of AS TEXT), codes, published_done, own_codes FROM progress_statussnapshot"
                f" WHERE system_id >= %s AND system_id <= %s AND as_of <= %s{where} ORDER BY system_id, as_of",
                [chunk[0].system_id, chunk[-1].system_id, until, *ids],
            )
            known = _dates
            for sid, as_of, codes, done, own in cur.fetchall():
                when = known.get(as_of) or as_date(as_of)
                readings[sid].append(Reading(when, codes or "", done, own or ""))
        for info in chunk:
            sid = info.system_id
            yield SystemHistory(info, readings.get(sid, []), attrs.get(sid, []), explained.get(sid))
