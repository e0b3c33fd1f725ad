"""Provenance per month: fictional and real data never share a database, and every month says what it holds."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.db import transaction

from shinchoku.accounts.actor import Actor
from shinchoku.cli import main
from shinchoku.domain.status import Status
from shinchoku.imports.models import ImportRecord
from shinchoku.imports.services import ImportOptions, import_file
from shinchoku.opendata import catalogue
from shinchoku.progress import services
from shinchoku.progress.models import Month, StatusSnapshot
from shinchoku.publication.models import Dataset
from shinchoku.publication.provenance import REAL, SAMPLE, dataset_kind
from tests.integration.test_official_data import empty_progress_data
from tests.integration.test_staff_helpers import A, make_user, system_of
from tests.official_files import soumu_workbook

pytestmark = pytest.mark.django_db

NEXT = date(2026, 11, 30)


def test_the_sample_database_says_so() -> None:
    assert dataset_kind() == SAMPLE


def test_a_demo_month_with_one_real_edit_still_says_fictional_once_published(client, tmp_path) -> None:
    user = make_user("muni", "municipality", A, password=False)
    system = system_of(A)
    services.status_set(
        actor=Actor.of(user, "ui"), system=system, as_of=NEXT, step="1", status=Status.COMPLETED, version=None
    )
    services.month_publish(actor=Actor.shell("operator"), as_of=NEXT)
    assert Month.objects.get(as_of=NEXT).sample_data
    summary = client.get("/api/v1/summary?as_of=2026-11").json()
    assert summary["as_of"] == NEXT.isoformat() and summary["sample_data"] is True
    progress = client.get(f"/api/v1/organizations/{A}/progress?as_of=2026-11").json()
    assert progress["sample_data"] is True and progress["source"] is None
    page = client.get(f"/organizations/{A}?as_of=2026-11").content.decode()
    assert "架空のサンプルデータ" in page
    path = tmp_path / "summary.csv"
    catalogue.write_file(
        "organization-summary", "csv", as_of=NEXT, sample=Month.objects.get(as_of=NEXT).sample_data, path=path
    )
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    label = rows[0].index("データ区分")
    assert {r[label] for r in rows[1:]} == {"架空のサンプルデータ"}


def test_official_figures_are_refused_in_the_sample_database(capsys) -> None:
    snapshots, records = StatusSnapshot.objects.count(), ImportRecord.objects.count()
    assert main(["load", "official"]) == 1
    assert "架空のサンプルデータがあるため" in capsys.readouterr().err
    outcome = import_file(soumu_workbook(), ImportOptions(actor="op", file_name="進捗状況.xlsx"))
    assert outcome.status == "rejected"
    assert any("架空のサンプルデータがあるため" in p.message for p in outcome.errors)
    assert StatusSnapshot.objects.count() == snapshots and ImportRecord.objects.count() == records + 1


def test_demo_refuses_a_database_of_real_data(capsys) -> None:
    with transaction.atomic():
        empty_progress_data()
        Dataset.objects.create(pk=1, kind=REAL)
        assert main(["demo"]) == 1
        assert "実際のデータ" in capsys.readouterr().err
        assert not Month.objects.exists()
        transaction.set_rollback(True)
