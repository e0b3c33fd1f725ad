"""A 特定移行支援 list sets the systems' flag from its date to the next list's, in a fixed number of statements."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shinchoku.progress.models import SpecialSupportList, SystemAttributes
from shinchoku.progress.special_support import ListEdition, store_list, system_keys
from shinchoku.reference.models import Organization

pytestmark = pytest.mark.django_db

JAN, FEB, MAR, APR, MAY = (date(2030, m, 28) for m in (1, 2, 3, 4, 5))  # after every sample month
ACTOR = "operator:test"


def _clear() -> None:
    SpecialSupportList.objects.all().delete()
    SystemAttributes.objects.all().delete()


def _rows(sid: int) -> list[tuple[date, bool, date | None, str]]:
    return list(
        SystemAttributes.objects.filter(system_id=sid)
        .order_by("as_of")
        .values_list("as_of", "special_support", "planned_completion", "updated_by")
    )


def _edition(as_of: date, entries: set[tuple[str, int | None]]) -> ListEdition:
    return ListEdition(
        as_of=as_of, title="架空の一覧", publisher="テスト", entries=frozenset(entries), sample_data=True
    )


def test_each_list_sets_the_flag_until_the_next_list_and_keeps_what_came_before() -> None:
    _clear()
    kept, dropped, added = ("042021", 1), ("042021", 2), ("041009", None)
    ids = system_keys({kept, dropped, added})
    # 団体 reports before and between the lists: a planned completion only stays with the flag
    SystemAttributes.objects.bulk_create(
        [
            SystemAttributes(system_id=ids[dropped], as_of=JAN, special_support=True, planned_completion=MAY),
            SystemAttributes(system_id=ids[dropped], as_of=MAR, special_support=True, planned_completion=MAY),
            SystemAttributes(system_id=ids[dropped], as_of=MAY, special_support=True, planned_completion=MAY),
            SystemAttributes(system_id=ids[kept], as_of=MAR, special_support=False, vendor="架空ベンダー"),
        ]
    )
    store_list(_edition(FEB, {kept, dropped}), actor=ACTOR)
    store_list(_edition(APR, {kept, added}), actor=ACTOR)

    assert _rows(ids[dropped]) == [
        (JAN, True, MAY, ""),  # before the first list: as the 団体 reported
        (MAR, True, MAY, ""),  # the February list keeps it: the carried row has the flag, nothing written
        (APR, False, None, ACTOR),  # the April list drops it: a row of its own, the planned completion gone
        (MAY, False, None, ACTOR),  # and the 団体's later row is corrected
    ]
    assert _rows(ids[kept]) == [(FEB, True, None, ACTOR), (MAR, True, None, ACTOR)]  # the 団体's row corrected
    assert SystemAttributes.objects.get(system_id=ids[kept], as_of=MAR).vendor == "架空ベンダー"
    assert _rows(ids[added]) == [(APR, True, None, ACTOR)]


def test_a_list_writes_its_systems_in_batches_not_one_statement_per_system() -> None:
    _clear()
    municipalities = list(
        Organization.objects.filter(prefecture_code="04").exclude(code="040002").values_list("code", flat=True)
    )

    def statements(orgs: list[str]) -> int:
        _clear()
        entries = {(org, b) for org in orgs for b in (1, 2, 3)}
        system_keys(entries)
        with CaptureQueriesContext(connection) as queries:
            store_list(_edition(FEB, entries), actor=ACTOR)
        assert SystemAttributes.objects.filter(as_of=FEB, special_support=True).count() == len(entries)
        return len(queries)

    assert len(municipalities) > 20
    assert statements(municipalities[:2]) == statements(municipalities[:20])
