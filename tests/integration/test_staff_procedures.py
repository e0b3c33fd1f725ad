"""Staff editing of the 26 procedures: the same roles, guarded service and audit as progress.

The page /staff/orgs/<code>/procedures/ is one form (works without JavaScript); a refusal changes nothing;
every applied edit leaves one audit entry with the values before and after; the public page
/procedures/<code> shows the edit once the month is published.
"""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from django.test import Client

from shinchoku.accounts.actor import Actor
from shinchoku.accounts.models import AuditEntry
from shinchoku.procedures import services
from shinchoku.procedures.models import ProcedureChange, ProcedureMonth, ProcedureStatus
from shinchoku.progress.models import Month
from shinchoku.progress.practice import PRACTICE_CODE
from shinchoku.reference.models import Organization, Procedure
from tests.integration.test_staff_helpers import LATEST, A, B, C, P, make_user

pytestmark = pytest.mark.django_db
NEXT = date(2026, 11, 30)  # the month after the sample's latest: the month picker offers it for a new report


def url(code: str, month: date = LATEST) -> str:
    return f"/staff/orgs/{code}/procedures/?as_of={month:%Y-%m}"


def codes_of(code: str, month: date = LATEST) -> str:
    row = ProcedureStatus.objects.filter(organization_id=code, as_of__lte=month).order_by("-as_of").first()
    return row.codes if row else ""


def procedures_state() -> str:
    """Every row a procedures edit may write (statuses, changes, months) plus the audit trail's size."""
    parts = [
        list(ProcedureStatus.objects.filter(organization_id__in=[A, B, C, P]).order_by("pk").values_list()),
        list(ProcedureChange.objects.order_by("pk").values_list()),
        list(ProcedureMonth.objects.order_by("pk").values_list()),
        list(Month.objects.order_by("pk").values_list()),
        AuditEntry.objects.count(),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def form_data(code: str, month: date = LATEST, flip: tuple[int, ...] = (1,)) -> dict[str, str]:
    """What the browser submits: every procedure's checkbox as rendered, with `flip` toggled."""
    current = codes_of(code, month)
    data = {"as_of": f"{month:%Y-%m}"}
    for n in Procedure.objects.values_list("number", flat=True):
        c = current[n - 1] if len(current) >= n else "-"
        data[f"o-{n}"] = c
        if (c == "1") != (n in flip):
            data[f"p-{n}"] = "1"
    return data


@pytest.fixture
def muni(client: Client) -> Client:
    client.force_login(make_user("ishinomaki", "municipality", A, password=False))
    return client


def test_page_lists_the_26_procedures_grouped_by_field_with_checkboxes(muni):
    r = muni.get(url(A))
    assert r.status_code == 200
    body = r.content.decode()
    assert body.count('type="checkbox"') == Procedure.objects.count() == 26
    assert "<legend>子育ての手続" in body and "<legend>介護の手続" in body
    assert 'name="csrfmiddlewaretoken"' in body and 'id="as_of"' in body  # CSRF and the month picker
    first = Procedure.objects.get(number=1)
    assert f'<label for="p-1">1. {first.name}</label>' in body
    # reachable from the grid's tabs and the dashboard
    assert f"/staff/orgs/{A}/procedures/" in muni.get(f"/staff/orgs/{A}/").content.decode()
    assert f"/staff/orgs/{A}/procedures/" in muni.get("/staff/").content.decode()


def test_own_organization_is_edited_and_audited(muni):
    before = codes_of(A)
    r = muni.post(url(A), form_data(A, flip=(1, 14)))
    assert r.status_code == 302 and r.headers["Location"] == url(A)
    after = codes_of(A)
    for n in (1, 14):
        assert after[n - 1] == ("0" if before[n - 1] == "1" else "1")
    assert after[1:13] == before[1:13] and after[14:] == before[14:]
    entries = AuditEntry.objects.filter(action="set_procedures", organization_code=A)
    assert entries.count() == 1
    e = entries.get()
    assert e.actor == "ishinomaki" and e.source == "ui"
    assert set(e.before) == set(e.after) == {"1", "14"}
    assert e.after["1"] == ("できる" if after[0] == "1" else "できない")
    page = muni.get(url(A))
    assert "2 件保存しました" in page.content.decode()


def test_unchanged_form_writes_nothing(muni):
    before = procedures_state()
    r = muni.post(url(A), form_data(A, flip=()))
    assert r.status_code == 302 and procedures_state() == before


def test_a_stale_form_only_sends_what_the_person_changed(muni):
    """Another person set procedure 2 after this form was rendered; submitting procedure 1 keeps theirs."""
    data = form_data(A, flip=(1,))
    other = make_user("colleague", "municipality", A, password=False)
    services.procedures_set(
        actor=Actor.of(other, "ui"),
        org=Organization.objects.get(code=A),
        as_of=LATEST,
        availability={2: codes_of(A)[1] != "1"},
    )
    theirs = codes_of(A)[1]
    assert muni.post(url(A), data).status_code == 302
    assert codes_of(A)[1] == theirs


@pytest.mark.parametrize(
    ("role", "home", "target"),
    [
        ("municipality", A, B),  # another 団体 of the same prefecture
        ("municipality", A, C),  # another prefecture's
        ("viewer", A, A),  # a viewer writes nothing, even its own
        ("prefecture", P, A),  # 都道府県担当 without the grant for its municipalities
    ],
)
def test_refused_edits_get_403_and_change_nothing(client, role, home, target):
    client.force_login(make_user("u", role, home, password=False))
    data = form_data(target)
    before = procedures_state()
    r = client.post(url(target), data)
    assert r.status_code == 403 and procedures_state() == before


def test_prefecture_with_the_grant_edits_its_municipalities(client):
    client.force_login(make_user("miyagi", "prefecture", P, munis=True, password=False))
    assert client.post(url(B), form_data(B)).status_code == 302
    assert AuditEntry.objects.filter(action="set_procedures", organization_code=B, actor="miyagi").exists()


def test_viewer_reads_the_page_without_a_form(client):
    client.force_login(make_user("v", "viewer", A, password=False))
    r = client.get(url(A))
    assert r.status_code == 200
    body = r.content.decode()
    assert "disabled" in body and '<button type="submit">保存</button>' not in body


def test_anonymous_is_redirected_to_login_and_cannot_write(client):
    r = client.get(url(A))
    assert r.status_code == 302 and r.headers["Location"].startswith("/staff/login/")
    before = procedures_state()
    r = client.post(url(A), {"as_of": "2026-10", "p-1": "1", "o-1": "0"})
    assert r.status_code in (401, 302) and procedures_state() == before


def test_prefectures_are_refused_with_a_clear_message(client):
    client.force_login(make_user("op", "operator", password=False))
    assert "市区町村ごとに入力します" in client.get(url(P)).content.decode()
    before = procedures_state()
    r = client.post(url(P), {"as_of": "2026-10", "p-1": "1", "o-1": "-"})
    assert r.status_code == 400 and "市区町村ごとに入力します" in r.content.decode()
    assert procedures_state() == before
    with pytest.raises(services.ProcedureEditError, match="都道府県"):
        services.procedures_set(
            actor=Actor.of(make_user("op2", "operator", password=False), "api"),
            org=Organization.objects.get(code=P),
            as_of=LATEST,
            availability={1: True},
        )


def test_csrf_is_required(muni):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("m2", "municipality", A, password=False))
    before = procedures_state()
    assert client.post(url(A), form_data(A)).status_code == 403
    assert procedures_state() == before


def test_practice_organization_is_editable_by_everyone_and_never_public(client):
    client.force_login(make_user("v", "viewer", A, password=False))
    r = client.post(url(PRACTICE_CODE, NEXT), form_data(PRACTICE_CODE, NEXT, flip=(3,)))
    assert r.status_code == 302
    assert codes_of(PRACTICE_CODE, NEXT)[2] == "1"
    assert client.get(f"/procedures/{PRACTICE_CODE}").status_code == 404


def test_public_page_shows_the_edit_once_the_month_is_published(client):
    """A new month's report is private until the operator publishes it, then /procedures/<code> shows it."""
    current = codes_of(A)
    n = next((i + 1 for i, c in enumerate(current) if c != "1"), 1)
    now_available = current[n - 1] != "1"
    client.force_login(make_user("ishinomaki", "municipality", A, password=False))
    r = client.post(url(A, NEXT), form_data(A, NEXT, flip=(n,)))
    assert r.status_code == 302
    assert codes_of(A, NEXT)[n - 1] == ("1" if now_available else "0")
    assert not ProcedureMonth.objects.get(as_of=NEXT).published  # private until published
    public = Client()
    data = public.get(f"/procedures/{A}").context["procedures"]
    assert data["as_of"] == LATEST and (n in [p["number"] for p in data["available"]]) != now_available

    client.force_login(make_user("op", "operator", password=False))
    r = client.post("/staff/publish/", {"month": f"{NEXT:%Y-%m}", "confirm": "yes"})
    assert r.status_code == 302
    assert ProcedureMonth.objects.get(as_of=NEXT).published and Month.objects.get(as_of=NEXT).published
    data = public.get(f"/procedures/{A}").context["procedures"]
    assert data["as_of"] == NEXT and (n in [p["number"] for p in data["available"]]) == now_available
    assert data["available_count"] == current.count("1") + (1 if now_available else -1)
    assert AuditEntry.objects.filter(action="publish", actor="op", after__procedures_published=True).exists()
