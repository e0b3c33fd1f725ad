"""Rows written at once (COPY on PostgreSQL, executemany on SQLite) are stored as one INSERT per row stores them.

The bulk paths (the sample, a month's full recompute, the outlook's full refresh, an official workbook) hand
these values to insert_rows: JSON as text, floats, dates, None and aware datetimes. Each test writes the same
rows both ways in its own transaction and compares what the database gives back.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from django.db import connection

from shinchoku.ops.bulk_insert import insert_rows, insert_sql
from shinchoku.outlook.models import Forecast
from shinchoku.outlook.store_forecasts import COLUMNS as FORECAST_COLUMNS
from shinchoku.progress.models import Month, StatusSnapshot, System

pytestmark = pytest.mark.django_db


def _forecast_rows(month: date, scope: str) -> list[tuple]:
    return [
        (month, scope, "042021", "forecast", 0.1 + 0.2, 1 / 3, 2.5e-7, None, 1e300, date(2030, 3, 31), None, None),
        (month, scope, "13", "no_pace", 0.0, 40.0, None, None, None, None, date(2027, 1, 31), date(2029, 12, 31)),
    ]


def _stored_forecasts(scope: str) -> list[tuple]:
    fields = FORECAST_COLUMNS[2:]  # key … latest
    return list(Forecast.objects.filter(scope=scope).order_by("key").values_list(*fields))


def test_floats_dates_and_nulls_come_back_as_an_insert_per_row_stores_them() -> None:
    month = Month.objects.order_by("as_of").values_list("as_of", flat=True).first()
    assert insert_rows(Forecast._meta.db_table, FORECAST_COLUMNS, _forecast_rows(month, "bulk")) == 2
    with connection.cursor() as cur:
        cur.executemany(insert_sql(Forecast._meta.db_table, FORECAST_COLUMNS), _forecast_rows(month, "each"))
    bulk, each = _stored_forecasts("bulk"), _stored_forecasts("each")
    assert bulk == each
    assert bulk[0][2] == 0.1 + 0.2 and bulk[0][3] == 1 / 3 and bulk[0][6] == 1e300  # every bit of the double
    assert bulk[1][4:7] == (None, None, None)


def test_json_text_and_aware_datetimes_come_back_as_values() -> None:
    system = System.objects.create(organization_id="042021", name="一括の書き込みの試験", sort_order=100)
    months = list(Month.objects.order_by("as_of").values_list("as_of", flat=True)[:2])
    now = datetime(2026, 12, 3, 4, 5, 6, 789000, tzinfo=UTC)
    versions = {"3": "2024-01", "名前": "値"}
    columns = ("system_id", "as_of", "codes", "own_codes", "versions", "updated_at", "updated_by", "source")
    rows = [
        (system.id, months[0], "C" * 40, "", json.dumps(versions, ensure_ascii=False), now, "試験", "sample"),
        (system.id, months[1], "N" * 39 + "X", "CP", "{}", now, "試験", "sample"),
    ]
    assert insert_rows(StatusSnapshot._meta.db_table, columns, rows) == 2
    stored = list(
        StatusSnapshot.objects.filter(system=system)
        .order_by("as_of")
        .values_list("codes", "own_codes", "versions", "updated_at", "updated_by")
    )
    assert stored == [("C" * 40, "", versions, now, "試験"), ("N" * 39 + "X", "CP", {}, now, "試験")]


def test_no_rows_write_nothing() -> None:
    before = Forecast.objects.count()
    assert insert_rows(Forecast._meta.db_table, FORECAST_COLUMNS, []) == 0
    assert Forecast.objects.count() == before
