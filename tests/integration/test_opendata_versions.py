"""Stable open data files: a month's open data files change only when that month's public data changes.

A write to an unpublished month, a delay explanation (in no file) or a no-op import changes no published
month's version; a write in published month M changes M (and the later months that carry it forward), never
an earlier month; the builder then rebuilds only the files whose data changed.
"""

from __future__ import annotations

from datetime import date

import pytest

from shinchoku.accounts.actor import Actor
from shinchoku.domain.status import Status
from shinchoku.imports.services import ImportOptions, import_file
from shinchoku.opendata import build, revision, store
from shinchoku.opendata.writers import csv_bytes
from shinchoku.procedures import services as procedure_services
from shinchoku.procedures.models import ProcedureStatus
from shinchoku.procedures.opendata import procedures_table
from shinchoku.progress import selectors, services
from shinchoku.progress.models import DelayExplanation, Month, StatusSnapshot
from shinchoku.reference.models import Organization
from tests.integration.test_staff_helpers import A, make_user, system_of

pytestmark = pytest.mark.django_db
NEXT = date(2026, 11, 30)  # the month after the sample's latest, not published


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def user():
    return make_user("editor", "municipality", A)


def published() -> list[date]:
    return selectors.months(published_only=True)


def versions(months: list[date]) -> dict[date, str]:
    return {m: revision.for_month(m) for m in months}


def flip_procedure(user, as_of: date, number: int = 1) -> None:
    row = ProcedureStatus.objects.filter(organization_id=A, as_of__lte=as_of).order_by("-as_of").first()
    current = row.codes[number - 1] == "1" if row and len(row.codes) >= number else False
    assert procedure_services.procedures_set(
        actor=Actor.of(user, "test"),
        org=Organization.objects.get(code=A),
        as_of=as_of,
        availability={number: not current},
    )


def flip_step(user, as_of: date, step: str = "40") -> None:
    system = system_of(A)
    snap = StatusSnapshot.objects.filter(system=system, as_of__lte=as_of).order_by("-as_of").first()
    new = Status.NOT_APPLICABLE if snap.codes[int(step) - 1] != "X" else Status.IN_PROGRESS
    result = services.status_set(
        actor=Actor.of(user, "test"), system=system, as_of=as_of, step=step, status=new, version=None
    )
    assert result.changed


def test_edits_of_an_unpublished_month_change_no_published_months_version(user):
    months = published()
    watched = [months[0], *months[-3:]]
    before = versions(watched)
    flip_step(user, NEXT)
    flip_procedure(user, NEXT)
    delay = {"department": "情報政策課", "expected_completion": "2027年3月", "reason": "事業者の対応待ち"}
    services.delay_save(actor=Actor.of(user, "test"), system=system_of(A), as_of=NEXT, values=delay)
    assert Month.objects.filter(as_of=NEXT, published=False).exists()
    assert ProcedureStatus.objects.filter(organization_id=A, as_of=NEXT).exists()
    assert DelayExplanation.objects.filter(system=system_of(A), as_of=NEXT).exists()
    assert versions(watched) == before


def test_a_delay_explanation_of_a_published_month_is_in_no_file_and_changes_no_version(user):
    latest = published()[-1]
    before = versions([latest])
    services.delay_save(
        actor=Actor.of(user, "test"),
        system=system_of(A),
        as_of=latest,
        values={"department": "総務課", "reason": "調整中"},
    )
    assert versions([latest]) == before


def test_a_progress_edit_in_a_published_month_changes_it_and_not_an_earlier_month(user):
    months = published()
    earlier, month = months[-4], months[-3]
    before = versions([earlier, month])
    flip_step(user, month)
    after = versions([earlier, month])
    assert after[month] != before[month]
    assert after[earlier] == before[earlier]


def test_a_procedures_edit_changes_the_month_and_the_later_months_that_carry_it_not_others(user):
    months = published()
    month = months[-6]
    before = versions(months[-8:])
    flip_procedure(user, month)
    after = versions(months[-8:])
    # a later month shows the edit unless 石巻市 reported again in between (then its own row is shown)
    rows = sorted(ProcedureStatus.objects.filter(organization_id=A).values_list("as_of", flat=True))
    for m in months[-8:]:
        effective = max((r for r in rows if r <= m), default=None)
        assert (after[m] != before[m]) == (effective == month), m


def test_a_no_op_procedures_import_changes_nothing():
    months = published()
    latest = months[-1]
    watched = [months[-2], latest]
    before = versions(watched)
    data = csv_bytes(procedures_table(latest))
    for _ in range(2):  # the first writes rows equal to what is carried forward; the second writes nothing
        outcome = import_file(data, ImportOptions(actor="test", file_name="procedures.csv", format="procedures"))
        assert outcome.status == "applied", outcome.problems
        assert outcome.counts["cells_changed"] == 0
        assert versions(watched) == before


def test_the_builder_rebuilds_only_the_files_whose_data_changed(user):
    months = published()
    earlier, month = months[-3], months[-2]
    names = ["prefecture-summary.csv", "procedures-summary.csv", "organizations.csv"]
    for m in (earlier, month):
        build.build_month(m, names)
    kept = {m: store.entries(m) for m in (earlier, month)}
    flip_step(user, NEXT)  # unpublished: nothing to rebuild
    flip_procedure(user, NEXT)
    inputs = revision.month_inputs([earlier, month])
    for m in (earlier, month):
        assert build.stale(m, inputs[m])[1] == []
    flip_procedure(user, month, number=2)
    inputs = revision.month_inputs([earlier, month])
    assert build.stale(earlier, inputs[earlier])[1] == []
    assert build.stale(month, inputs[month])[1] == ["procedures-summary.csv"]
    build.build_month(month, ["procedures-summary.csv"], inputs=inputs[month])
    now = {m: store.entries(m) for m in (earlier, month)}
    assert now[earlier] == kept[earlier]
    assert now[month]["prefecture-summary.csv"] == kept[month]["prefecture-summary.csv"]
    assert now[month]["procedures-summary.csv"].sha != kept[month]["procedures-summary.csv"].sha
