"""The prefecture's follow-up view: every 市区町村 with its report and what needs a call, the same as the API,
exported as XLSX and CSV; a 市区町村担当 gets 403."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from shinchoku.accounts.actor import Actor
from shinchoku.domain.status import Status
from shinchoku.progress import services
from shinchoku.progress.followup import open_month
from shinchoku.progress.models import DelayExplanation, StatusSnapshot, System
from shinchoku.progress.selectors.organizations import organization_progress
from shinchoku.reference.models import NationalStep, Organization
from tests.integration.test_staff_helpers import LATEST, A, P, make_user

pytestmark = pytest.mark.django_db

URL = "/staff/prefectures/04/"
API = "/api/v1/staff/prefectures/04/followup"


def _municipalities(pref: str) -> set[str]:
    return set(
        Organization.objects.filter(prefecture_code=pref, is_practice=False)
        .exclude(kind="都道府県")
        .values_list("code", flat=True)
    )


def _late_system(code: str, as_of: date) -> System:
    """A system of the 団体 made late: its earliest-due step set back to 未着手 in that month."""
    system = System.objects.filter(organization_id=code, business__isnull=False).order_by("sort_order").first()
    step = NationalStep.objects.order_by("deadline", "number").first()
    assert system is not None and step is not None and step.deadline <= as_of
    services.status_set(
        actor=Actor.of(make_user("late-maker", "operator"), "ui"),
        system=system,
        as_of=as_of,
        step=str(step.number),
        status=Status.NOT_STARTED,
        version=None,
    )
    doc = organization_progress(code=code, as_of=as_of)
    assert next(s for s in doc["systems"] if s["name"] == system.name)["on_schedule"] is False
    return system


def test_prefecture_staff_see_every_municipality_and_the_api_agrees(client):
    client.force_login(make_user("miyagi", "prefecture", P))
    page = client.get(URL + "?as_of=2026-10")
    assert page.status_code == 200
    html = page.content.decode()
    assert "宮城県 フォローアップ一覧（2026年10月）" in html and "架空のサンプルデータ" in html
    api = client.get(API + "?as_of=2026-10").json()
    assert {o["code"] for o in api["organizations"]} == _municipalities("04")
    assert [r.code for r in page.context["rows"]] == [o["code"] for o in api["organizations"]]
    for row, doc in zip(page.context["rows"], api["organizations"], strict=True):
        assert row.reported == doc["reported"] and len(row.late) == len(doc["late_systems"])
        assert row.completion_rate == doc["completion_rate"]
    reported = set(
        StatusSnapshot.objects.filter(system__organization__prefecture_code="04", as_of=LATEST).values_list(
            "system__organization_id", flat=True
        )
    )
    assert {o["code"] for o in api["organizations"] if o["reported"]} == reported - {P}
    assert all(bool(o["last_report"]) == o["reported"] for o in api["organizations"])


def test_rates_and_late_systems_match_the_organization_document(client):
    client.force_login(make_user("miyagi", "prefecture", P))
    api = client.get(API + "?as_of=2026-10").json()
    row = next(o for o in api["organizations"] if o["code"] == A)
    doc = organization_progress(code=A, as_of=LATEST)
    assert row["completion_rate"] == pytest.approx(doc["summary"]["completion_rate"])
    assert row["progress_rate"] == pytest.approx(doc["summary"]["progress_rate"])
    assert sorted(row["late_systems"]) == sorted(s["name"] for s in doc["systems"] if s["on_schedule"] is False)
    special = sorted(s["name"] for s in doc["systems"] if s["special_support"])
    assert sorted(s["name"] for s in row["special_support_systems"]) == special


def test_the_open_month_shows_who_has_not_reported_yet(client):
    assert open_month() == date(2026, 11, 30)  # every sample month is published: the next one is open
    client.force_login(make_user("miyagi", "prefecture", P))
    api = client.get(API).json()
    assert api["as_of"] == "2026-11-30" and not any(o["reported"] for o in api["organizations"])
    system = System.objects.filter(organization_id=A).first()
    services.status_set(
        actor=Actor.of(make_user("ishinomaki", "municipality", A), "ui"),
        system=system,
        as_of=date(2026, 11, 30),
        step="1",
        status=Status.COMPLETED,
        version=None,
    )
    api = client.get(API).json()
    assert [o["code"] for o in api["organizations"] if o["reported"]] == [A]
    unreported = client.get(URL + "?show=unreported")
    assert A not in [r.code for r in unreported.context["rows"]]
    assert len(unreported.context["rows"]) == len(_municipalities("04")) - 1


def test_a_delay_explanation_takes_a_late_system_off_the_without_explanation_list(client):
    client.force_login(make_user("miyagi", "prefecture", P))
    system = _late_system(A, LATEST)
    DelayExplanation.objects.filter(system=system).delete()
    row = next(o for o in client.get(API + "?as_of=2026-10").json()["organizations"] if o["code"] == A)
    assert system.name in row["late_without_explanation"]
    html = client.get(f"/organizations/{A}?as_of=2026-10").content.decode()
    assert "説明なし" in html
    services.delay_save(
        actor=Actor.of(make_user("ishinomaki", "municipality", A), "ui"),
        system=system,
        as_of=date(2026, 9, 30),
        values={"department": "情報政策課", "expected_completion": "2027-03", "reason": "事業者の作業が遅れたため"},
    )
    row = next(o for o in client.get(API + "?as_of=2026-10").json()["organizations"] if o["code"] == A)
    assert system.name in row["late_systems"] and system.name not in row["late_without_explanation"]


def test_filter_and_sort_by_number_of_late_systems(client):
    client.force_login(make_user("miyagi", "prefecture", P))
    rows = client.get(URL + "?as_of=2026-10&show=late&sort=late&order=desc").context["rows"]
    counts = [len(r.late) for r in rows]
    assert counts and all(counts) and counts == sorted(counts, reverse=True)


def test_stalled_months_is_configurable(client):
    client.force_login(make_user("miyagi", "prefecture", P))
    short = client.get(API + "?as_of=2026-10&stalled=1").json()
    long = client.get(API + "?as_of=2026-10&stalled=12").json()
    assert short["stalled_months"] == 1 and long["stalled_months"] == 12
    n_short = sum(len(o["stalled_systems"]) for o in short["organizations"])
    n_long = sum(len(o["stalled_systems"]) for o in long["organizations"])
    assert n_short >= n_long  # unchanged for a year implies unchanged for a month


def test_xlsx_and_csv_have_one_row_per_municipality(client):
    client.force_login(make_user("miyagi", "prefecture", P))
    x = client.get(URL + "followup.xlsx?as_of=2026-10")
    assert x.status_code == 200 and x["Content-Disposition"].endswith('followup_04_2026-10.xlsx"')
    ws = load_workbook(io.BytesIO(x.content)).active
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert {r[0] for r in rows} == _municipalities("04")
    assert next(ws.iter_rows(min_row=2, max_row=2, values_only=True))[:3] == ("団体コード", "団体名", "報告")
    c = client.get(URL + "followup.csv?as_of=2026-10")
    table = list(csv.reader(io.StringIO(c.content.decode("utf-8-sig"))))
    assert table[0][0] == "団体コード" and {r[0] for r in table[1:]} == _municipalities("04")


def test_operators_read_any_prefecture(client):
    client.force_login(make_user("op", "operator"))
    assert client.get("/staff/prefectures/13/").status_code == 200
    api = client.get("/api/v1/staff/prefectures/13/followup?as_of=2026-10").json()
    assert {o["code"] for o in api["organizations"]} == _municipalities("13")


@pytest.mark.parametrize("url", [URL, URL + "followup.xlsx", URL + "followup.csv", API, "/staff/prefectures/all/"])
def test_municipality_staff_cannot_open_the_followup_view(client, url):
    client.force_login(make_user("ishinomaki", "municipality", A))
    assert client.get(url).status_code == 403


def test_prefecture_staff_cannot_open_another_prefecture_or_the_country(client):
    client.force_login(make_user("miyagi", "prefecture", P))
    assert client.get("/staff/prefectures/13/").status_code == 403
    assert client.get("/staff/prefectures/all/").status_code == 403
    assert client.get("/api/v1/staff/prefectures/13/followup").status_code == 403


def test_the_api_needs_a_staff_login(client):
    assert client.get(API).status_code == 401
