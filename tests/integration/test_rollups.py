from datetime import date

import pytest

from shinchoku.domain.status import Status
from shinchoku.progress import selectors
from shinchoku.progress.models import OrganizationRollup, StatusChange, System
from shinchoku.progress.writes import StaleVersion
from tests.integration.cells import set_cell

pytestmark = pytest.mark.django_db

LATEST = date(2026, 10, 31)


def _system_with(code: str, status: str) -> tuple[System, int]:
    for system in System.objects.filter(organization__kind="村").order_by("id"):
        snap = system.snapshots.order_by("-as_of").first()
        i = snap.codes.find(status)
        if i >= 0:
            return system, i + 1
    raise AssertionError("no such system in the sample")


def test_a_status_change_refreshes_the_rollups_at_once():
    system, step = _system_with("村", "N")
    before = OrganizationRollup.objects.get(organization=system.organization, as_of=LATEST)
    national_before = selectors.area("nation", LATEST)
    result = set_cell(system, LATEST, step, Status.COMPLETED, version=0, actor="tester")
    assert result.changed and result.version == 1
    after = OrganizationRollup.objects.get(organization=system.organization, as_of=LATEST)
    assert after.completed == before.completed + 1
    assert selectors.area("nation", LATEST)["completion_rate_mean"] > national_before["completion_rate_mean"]
    change = StatusChange.objects.get(system=system, step=str(step))
    assert (change.old, change.new, change.actor) == ("N", "C", "tester")


def test_a_stale_version_is_refused_and_changes_nothing():
    system, step = _system_with("村", "N")
    set_cell(system, LATEST, step, Status.IN_PROGRESS, version=0, actor="a")
    with pytest.raises(StaleVersion) as info:
        set_cell(system, LATEST, step, Status.COMPLETED, version=0, actor="b")
    assert info.value.changed_by == "a"
    snap = system.snapshots.get(as_of=LATEST)
    assert snap.codes[step - 1] == "P"


def test_a_write_in_a_past_month_does_not_change_later_reported_months():
    system, _ = _system_with("村", "N")
    past = date(2023, 6, 30)
    later_before = selectors.organization_progress(code=system.organization_id, as_of=LATEST)["summary"]
    set_cell(system, past, 1, Status.NOT_APPLICABLE, actor="t")
    assert selectors.organization_progress(code=system.organization_id, as_of=past)["systems"]
    later_after = selectors.organization_progress(code=system.organization_id, as_of=LATEST)["summary"]
    assert later_before == later_after
