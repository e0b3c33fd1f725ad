from datetime import date

import pytest

from shinchoku.domain.status import Status
from shinchoku.progress import selectors
from shinchoku.progress import writes as services
from shinchoku.progress.models import OrganizationRollup, StatusChange, System

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
    result = services.set_status(
        system=system,
        as_of=LATEST,
        step=str(step),
        status=Status.COMPLETED,
        expected_version=0,
        actor="tester",
        source="test",
    )
    assert result.changed and result.version == 1
    after = OrganizationRollup.objects.get(organization=system.organization, as_of=LATEST)
    assert after.completed == before.completed + 1
    assert selectors.area("nation", LATEST)["completion_rate_mean"] > national_before["completion_rate_mean"]
    change = StatusChange.objects.get(system=system, step=str(step))
    assert (change.old, change.new, change.actor) == ("N", "C", "tester")


def test_a_stale_version_is_refused_and_changes_nothing():
    system, step = _system_with("村", "N")
    services.set_status(
        system=system,
        as_of=LATEST,
        step=str(step),
        status=Status.IN_PROGRESS,
        expected_version=0,
        actor="a",
        source="test",
    )
    with pytest.raises(services.StaleVersion) as info:
        services.set_status(
            system=system,
            as_of=LATEST,
            step=str(step),
            status=Status.COMPLETED,
            expected_version=0,
            actor="b",
            source="test",
        )
    assert info.value.changed_by == "a"
    snap = system.snapshots.get(as_of=LATEST)
    assert snap.codes[step - 1] == "P"


def test_a_write_in_a_past_month_does_not_change_later_reported_months():
    system, _ = _system_with("村", "N")
    past = date(2023, 6, 30)
    later_before = selectors.organization_progress(code=system.organization_id, as_of=LATEST)["summary"]
    services.set_status(
        system=system,
        as_of=past,
        step="1",
        status=Status.NOT_APPLICABLE,
        expected_version=None,
        actor="t",
        source="test",
    )
    assert selectors.organization_progress(code=system.organization_id, as_of=past)["systems"]
    later_after = selectors.organization_progress(code=system.organization_id, as_of=LATEST)["summary"]
    assert later_before == later_after
