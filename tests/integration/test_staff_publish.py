"""Publishing shows what goes public (reports, changed cells, regressions, 説明なし) and needs a confirmation."""

from __future__ import annotations

from datetime import date

import pytest

from shinchoku.accounts.actor import Actor
from shinchoku.domain.status import Status
from shinchoku.progress import services
from shinchoku.progress.models import Month, StatusSnapshot, System
from shinchoku.progress.publish_facts import publish_facts
from shinchoku.progress.selectors import effective_snapshots
from tests.integration.test_staff_helpers import LATEST, A, make_user

pytestmark = pytest.mark.django_db

SEPTEMBER = date(2026, 9, 30)


def _regress_one_cell() -> tuple[str, str]:
    """Set a step of 石巻市 that was 完了済み in September back to 作業中 in October: (system, step number)."""
    systems = list(System.objects.filter(organization_id=A))
    effective = effective_snapshots(systems, SEPTEMBER)
    system = next(s for s in systems if s.pk in effective and "C" in effective[s.pk].codes)
    step = str(effective[system.pk].codes.index("C") + 1)
    services.status_set(
        actor=Actor.of(make_user("op-regress", "operator"), "ui"),
        system=system,
        as_of=LATEST,
        step=step,
        status=Status.IN_PROGRESS,
        version=None,
    )
    return system.name, step


def test_publish_asks_for_confirmation_with_the_facts_and_only_then_publishes(client):
    system, _step = _regress_one_cell()
    Month.objects.filter(as_of=LATEST).update(published=False)
    client.force_login(make_user("op", "operator"))
    listing = client.get("/staff/publish/").content.decode()
    assert "?month=2026-10" in listing and 'name="confirm"' not in listing  # no one-click publish
    page = client.get("/staff/publish/?month=2026-10")
    html = page.content.decode()
    facts = page.context["facts"]
    assert "2026年10月を公開しますか" in html and "報告した市区町村" in html and "説明なしの遅れ" in html
    assert facts.organizations_reported > 0 and facts.cells_changed >= 1
    assert any(r.system == system for r in facts.regressions) and "完了済み → 作業中" in html
    assert f"{facts.late_without_explanation} 件" in html
    r = client.post("/staff/publish/", {"month": "2026-10"})  # no confirmation: the facts again, nothing published
    assert r.status_code == 200 and not Month.objects.get(as_of=LATEST).published
    r = client.post("/staff/publish/", {"month": "2026-10", "confirm": "yes"})
    assert r.status_code == 302 and Month.objects.get(as_of=LATEST).published


def test_publish_facts_count_the_reporting_municipalities():
    facts = publish_facts(LATEST)
    reported = (
        StatusSnapshot.objects.filter(as_of=LATEST, system__organization__is_practice=False)
        .values("system__organization_id")
        .distinct()
        .count()
    )
    assert facts.organizations_reported == reported and facts.organizations_total >= reported


def test_a_published_month_is_not_offered_again(client):
    client.force_login(make_user("op", "operator"))
    r = client.get("/staff/publish/?month=2026-10")
    assert r.status_code == 302 and "facts" not in (r.context or {})
