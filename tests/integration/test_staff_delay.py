"""Delay explanations: months are real months (not free text), the schedule takes any number of rows, the last
explanation carries over to the next month (editable), and late systems without one read 「説明なし」."""

from __future__ import annotations

from datetime import date

import pytest

from shinchoku.accounts.actor import Actor
from shinchoku.progress import services
from shinchoku.progress.models import DelayExplanation
from tests.integration.test_staff import delay_data
from tests.integration.test_staff_followup import _late_system
from tests.integration.test_staff_helpers import LATEST, A, make_user, system_of

pytestmark = pytest.mark.django_db

SEPTEMBER = date(2026, 9, 30)


def _url(system, month: str = "2026-10") -> str:
    return f"/staff/orgs/{A}/systems/{system.pk}/delay/?as_of={month}"


def test_the_last_explanation_carries_over_and_can_be_edited(client):
    user = make_user("ishinomaki", "municipality", A)
    system = system_of(A)
    DelayExplanation.objects.filter(system=system).delete()
    services.delay_save(
        actor=Actor.of(user, "ui"),
        system=system,
        as_of=SEPTEMBER,
        values={"department": "住民課（9月）", "expected_completion": "2027年3月", "reason": "事業者の都合"},
    )
    client.force_login(user)
    page = client.get(_url(system))
    html = page.content.decode()
    assert page.status_code == 200 and "2026年9月の説明を引き継いで表示しています" in html
    assert page.context["form"].initial["department"] == "住民課（9月）"
    r = client.post(_url(system), delay_data(department="住民課（10月）"))
    assert r.status_code == 302
    assert DelayExplanation.objects.get(system=system, as_of=LATEST).department == "住民課（10月）"
    assert DelayExplanation.objects.get(system=system, as_of=SEPTEMBER).department == "住民課（9月）"


def test_months_are_months_not_free_text(client):
    client.force_login(make_user("ishinomaki", "municipality", A))
    system = system_of(A)
    r = client.post(_url(system), delay_data(expected_completion="来年の3月ごろ"))
    assert r.status_code == 400 and "年月で入力してください" in r.content.decode()
    r = client.post(_url(system), delay_data(**{"schedule-0-date": "春ごろ"}))
    assert r.status_code == 400
    r = client.post(_url(system), delay_data(expected_completion="令和9年3月"))
    assert r.status_code == 302
    assert DelayExplanation.objects.get(system=system, as_of=LATEST).expected_completion == "2027年3月"


def test_the_schedule_takes_more_rows_without_saving(client):
    client.force_login(make_user("ishinomaki", "municipality", A))
    system = system_of(A)
    DelayExplanation.objects.filter(system=system, as_of=LATEST).delete()
    r = client.post(_url(system), {**delay_data(), "add_row": "schedule"})
    assert r.status_code == 200 and len(r.context["schedule"].forms) == 4  # 3 posted + 1
    assert not DelayExplanation.objects.filter(system=system, as_of=LATEST).exists()
    data = delay_data(**{"schedule-TOTAL_FORMS": "8"})
    data.update({f"schedule-{i}-date": f"2027-0{i}" for i in range(1, 8)})
    data.update({f"schedule-{i}-task": f"作業{i}" for i in range(1, 8)})
    assert client.post(_url(system), data).status_code == 302
    assert len(DelayExplanation.objects.get(system=system, as_of=LATEST).schedule) == 8


def test_late_systems_without_explanation_read_setsumei_nashi_on_the_staff_page(client):
    system = _late_system(A, LATEST)
    DelayExplanation.objects.filter(system=system).delete()
    client.force_login(make_user("ishinomaki", "municipality", A))
    html = client.get(f"/staff/orgs/{A}/systems/?as_of=2026-10").content.decode()
    row = next(r for r in html.split("<tr>") if f">{system.name}" in r)
    assert "説明なし" in row
