"""What one staff edit costs the database, and the version counters it moves.

A cell edit of a published month is the write staff make most: it refreshes its 団体's rollups and the areas
above them by delta, its warnings and forecasts, and moves the data version — all in one transaction. These
tests keep the statement count bounded (no savepoints of nested services, no lookups made twice) and check that
the counters, now moved by one upsert each, count as before.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from shinchoku.accounts.actor import Actor
from shinchoku.domain.status import Status
from shinchoku.progress import services
from shinchoku.progress.models import Month, System
from shinchoku.publication.models import DataVersion, MonthVersion, OrganizationVersion
from shinchoku.publication.versions import EPOCH, EVERYTHING, data_changed, months_changed

pytestmark = pytest.mark.django_db

ORG = "042021"  # 石巻市
# Today a cell edit of the latest published month makes 53 statements on the small sample (about 60 before the
# counters became upserts and nested services stopped opening savepoints). The bound leaves room for a new
# read, not for a statement per 団体 or per month.
EDIT_STATEMENTS = 56


def _counter(model, key) -> int:
    return model.objects.filter(pk=key).values_list("counter", flat=True).first() or 0


def test_data_changed_moves_each_counter_by_one_and_starts_a_missing_one_at_one() -> None:
    everything, epoch = _counter(DataVersion, EVERYTHING), _counter(DataVersion, EPOCH)
    OrganizationVersion.objects.filter(code__in=[ORG, "041009"]).delete()
    OrganizationVersion.objects.create(code="041009", counter=7)
    data_changed([ORG, "041009", ORG])
    assert _counter(DataVersion, EVERYTHING) == everything + 1
    assert _counter(DataVersion, EPOCH) == epoch  # a write scoped to named 団体 leaves the epoch
    assert _counter(OrganizationVersion, ORG) == 1 and _counter(OrganizationVersion, "041009") == 8
    data_changed()
    assert _counter(DataVersion, EVERYTHING) == everything + 2 and _counter(DataVersion, EPOCH) == epoch + 1
    assert _counter(OrganizationVersion, ORG) == 1  # the epoch covers every 団体's pages


def test_months_changed_moves_each_month_once_and_starts_a_missing_one_at_one() -> None:
    a, b = date(2026, 9, 30), date(2026, 10, 31)
    MonthVersion.objects.filter(as_of__in=[a, b]).delete()
    MonthVersion.objects.create(as_of=a, counter=4)
    months_changed([b, a, b])
    assert _counter(MonthVersion, a) == 5 and _counter(MonthVersion, b) == 1


def _edit(system: System, month: date, status: Status) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        result = services.status_set(
            actor=Actor.shell("test"), system=system, as_of=month, step="7", status=status, version=None
        )
    assert result.wrote
    return [q["sql"] for q in captured.captured_queries]


def test_a_cell_edit_of_a_published_month_makes_a_bounded_number_of_statements_and_one_savepoint() -> None:
    month = Month.objects.filter(published=True).order_by("-as_of").values_list("as_of", flat=True).first()
    system = System.objects.select_related("organization").filter(organization_id=ORG).order_by("pk").first()
    assert month is not None and system is not None
    version_before = _counter(OrganizationVersion, ORG)
    with transaction.atomic():  # as the test's own transaction does: status_set's block becomes a savepoint
        _edit(system, month, Status.COMPLETED)  # may create the system's row of the month
        statements = _edit(system, month, Status.IN_PROGRESS)  # changes the cell: a full write
    assert len(statements) <= EDIT_STATEMENTS, len(statements)
    # status_set's own block is the only savepoint: the services below it open none (each was two statements)
    assert [s.split()[0] for s in statements if "SAVEPOINT" in s] == ["SAVEPOINT", "RELEASE"]
    assert any("INSERT INTO progress_arearollup" in s for s in statements)  # the areas, refreshed by delta
    assert _counter(OrganizationVersion, ORG) > version_before
