"""デジタル庁's 特定移行支援 lists: storing an edition, and the systems' flags that follow from the lists.

A list is in force from its date until the next list's date. For each system, the 特定移行支援 flag in its
monthly attributes (SystemAttributes) follows the list in force: set where the list marks it, cleared where
it does not. Months before the first list keep whatever the 団体 reported.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from django.db import connection

from .attributes import ATTRIBUTE_FIELDS, Attributes, as_date
from .models import SpecialSupportEntry, SpecialSupportList, System, SystemAttributes

__all__ = ["COMMON_SYSTEM_NAME", "ListEdition", "materialize", "store_list", "system_keys"]

COMMON_SYSTEM_NAME = "共通機能"
COMMON_SORT_ORDER = 99  # after the 20 businesses, before a 団体's extra systems (100)


@dataclass(frozen=True)
class ListEdition:
    as_of: date
    title: str
    publisher: str
    entries: frozenset[tuple[str, int | None]]  # (団体, business or None for 共通機能)
    sample_data: bool = False
    file_name: str = ""


def system_keys(entries: Iterable[tuple[str, int | None]]) -> dict[tuple[str, int | None], int]:
    """(団体, business or None) → system id, creating the systems a list names that do not exist yet."""
    wanted = set(entries)
    orgs = {org for org, _b in wanted}
    found: dict[tuple[str, int | None], int] = {}
    for pk, org, name, business in System.objects.filter(organization_id__in=orgs).values_list(
        "id", "organization_id", "name", "business_id"
    ):
        if business is not None:
            found[(org, business)] = pk
        elif name == COMMON_SYSTEM_NAME:
            found[(org, None)] = pk
    missing = sorted(wanted - set(found), key=lambda k: (k[0], k[1] or 0))
    if missing:
        from shinchoku.reference.models import Business

        names = dict(Business.objects.values_list("number", "name"))
        System.objects.bulk_create(
            [
                System(
                    organization_id=org,
                    name=names[b] if b is not None else COMMON_SYSTEM_NAME,
                    business_id=b,
                    sort_order=b if b is not None else COMMON_SORT_ORDER,
                )
                for org, b in missing
            ],
            batch_size=2000,
        )
        return system_keys(wanted)
    return {k: v for k, v in found.items() if k in wanted}


def store_list(edition: ListEdition, *, actor: str) -> SpecialSupportList:
    """Store (or replace) the edition of that date and set every system's flag from all lists."""
    system_keys(edition.entries)
    lst, _ = SpecialSupportList.objects.update_or_create(
        as_of=edition.as_of,
        defaults={
            "title": edition.title,
            "publisher": edition.publisher,
            "sample_data": edition.sample_data,
            "organizations": len({org for org, _b in edition.entries}),
            "systems": len(edition.entries),
            "imported_by": actor,
            "file_name": edition.file_name[:255],
        },
    )
    lst.entries.all().delete()
    SpecialSupportEntry.objects.bulk_create(
        [
            SpecialSupportEntry(list=lst, organization_id=org, business_id=b)
            for org, b in sorted(edition.entries, key=str)
        ],
        batch_size=2000,
    )
    materialize(actor=actor)
    return lst


def _designated(lst: SpecialSupportList) -> set[int]:
    entries = set(lst.entries.values_list("organization_id", "business_id"))
    return set(system_keys(entries).values()) if entries else set()


def materialize(*, actor: str) -> int:
    """Make every system's monthly 特定移行支援 flag follow the lists; returns the attribute rows written.

    For each list L (date d, next list's date n): a system's flag at d becomes "in L"; its rows dated in
    [d, n) are corrected too. A system without a row at d gets one (copying what it carried forward).
    The changes are gathered first and written in batches: a list names some 9,000 systems.
    """
    lists = list(SpecialSupportList.objects.order_by("as_of"))
    if not lists:
        return 0
    history = _attribute_history()
    changes = _Changes()
    for index, lst in enumerate(lists):
        until = lists[index + 1].as_of if index + 1 < len(lists) else None
        designated = _designated(lst)
        touched = designated | {sid for sid, rows in history.items() if _flag_at(rows, lst.as_of)}
        for sid in sorted(touched):
            _set_from(history.setdefault(sid, []), sid, lst.as_of, until, sid in designated, changes)
    return changes.write(actor)


class _Changes:
    """The attribute rows materialize creates and the (flag, planned completion) it sets on existing rows.

    Each existing row lies in one list's period, so it is changed at most once; a created row lies at a list's
    date and already carries that list's flag, so no later step changes it."""

    def __init__(self) -> None:
        self.created: list[SystemAttributes] = []
        self.updated: dict[tuple[bool, date | None], list[int]] = defaultdict(list)

    def write(self, actor: str) -> int:
        for row in self.created:
            row.updated_by = actor
        SystemAttributes.objects.bulk_create(self.created, batch_size=500)
        for (flag, planned), pks in self.updated.items():
            for i in range(0, len(pks), 500):
                SystemAttributes.objects.filter(pk__in=pks[i : i + 500]).update(
                    special_support=flag, planned_completion=planned, updated_by=actor
                )
        return len(self.created) + sum(len(pks) for pks in self.updated.values())


# per system: [(as_of, Attributes, row id or None)], sorted by as_of
History = dict[int, list[tuple[date, Attributes, int | None]]]


def _attribute_history() -> History:
    history: History = defaultdict(list)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT id, system_id, as_of, {', '.join(ATTRIBUTE_FIELDS)}"
            f" FROM {SystemAttributes._meta.db_table} ORDER BY system_id, as_of"
        )
        for pk, sid, as_of, *values in cur.fetchall():
            history[sid].append((as_date(as_of), Attributes.from_row(values), pk))
    return history


def _flag_at(rows: list[tuple[date, Attributes, int | None]], as_of: date) -> bool:
    i = bisect.bisect_right([r[0] for r in rows], as_of) - 1
    return i >= 0 and rows[i][1].special_support


def _set_from(
    rows: list[tuple[date, Attributes, int | None]],
    sid: int,
    start: date,
    until: date | None,
    want: bool,
    changes: _Changes,
) -> None:
    dates = [r[0] for r in rows]
    i = bisect.bisect_right(dates, start) - 1
    if i < 0 or rows[i][0] != start:
        carried = rows[i][1] if i >= 0 else Attributes()
        if carried.special_support != want:
            attrs = carried.changed(special_support=want)
            changes.created.append(
                SystemAttributes(system_id=sid, as_of=start, source="special-support-list", **attrs.as_dict())
            )
            rows.insert(i + 1, (start, attrs, None))
    for k, (as_of, attrs, pk) in enumerate(rows):
        if as_of < start or (until is not None and as_of >= until) or attrs.special_support == want:
            continue
        assert pk is not None  # a created row carries its list's flag (see _Changes)
        new = attrs.changed(special_support=want)
        changes.updated[(want, new.planned_completion)].append(pk)
        rows[k] = (as_of, replace(new), pk)
