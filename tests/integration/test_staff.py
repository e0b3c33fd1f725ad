"""Staff pages: login, the grid editor (cell, whole form, bulk), uploads, system attributes, delay explanations,
publishing, practice mode and the audit trail."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from shinchoku.accounts.models import AuditEntry
from shinchoku.domain.status import Status
from shinchoku.progress.attributes import attributes_of
from shinchoku.progress.models import DelayExplanation, Month, StatusChange
from shinchoku.progress.practice import PRACTICE_CODE
from shinchoku.progress.selectors import effective_snapshots
from tests.integration.test_staff_helpers import LATEST, PASSWORD, A, cell_post, long_csv, make_user, system_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def muni(client):
    user = make_user("ishinomaki", "municipality", A)
    client.force_login(user)
    return user


def status_of(system, step: str = "1") -> tuple[str, int]:
    snap = effective_snapshots([system], LATEST)[system.pk]
    return snap.codes[int(step) - 1], int(snap.versions.get(step, 0))


def test_login_page_and_login_with_password(client):
    make_user("ishinomaki", "municipality", A)
    assert client.get("/staff/").status_code == 302
    page = client.get("/staff/login/")
    assert page.status_code == 200 and "ログイン" in page.content.decode()
    r = client.post("/staff/login/", {"username": "ishinomaki", "password": PASSWORD})
    assert r.status_code == 302 and r.headers["Location"] == "/staff/"
    body = client.get("/staff/").content.decode()
    assert "石巻市" in body and "体験モード" in body


@pytest.mark.real_password_hashing
def test_passwords_are_hashed_with_argon2():
    user = make_user("x", "viewer", A)
    assert user.password.startswith("argon2")


def test_grid_shows_every_system_and_step_with_versions(client, muni):
    r = client.get(f"/staff/orgs/{A}/")  # the month being reported, editable
    body = r.content.decode()
    system = system_of(A)
    assert r.status_code == 200
    assert f'name="s-{system.pk}-40"' in body and f'name="v-{system.pk}-1"' in body
    assert 'id="grid"' in body and "staff/grid.js" in body


def test_cell_post_saves_and_returns_the_cell(client, muni):
    system = system_of(A)
    code, version = status_of(system)
    new = "in_progress" if code != "P" else "completed"
    r = client.post(
        f"/staff/orgs/{A}/cell/?as_of=2026-10&correct=1",
        cell_post(system, "1", new, version, Status.from_code(code).value),
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200, r.content
    assert "保存しました" in r.content.decode() and "hx-swap-oob" in r.content.decode()
    assert status_of(system) == (Status(new).code, version + 1)
    entry = AuditEntry.objects.filter(action="set_status", organization_code=A).first()
    assert entry is not None and entry.actor == "ishinomaki" and entry.source == "ui"


def test_stale_cell_gets_409_naming_who_changed_it(client, muni):
    system = system_of(A)
    code, version = status_of(system)
    other = make_user("colleague", "municipality", A)
    from shinchoku.accounts.actor import Actor
    from shinchoku.progress.services import status_set

    first = Status.NOT_APPLICABLE if code != "X" else Status.COMPLETED
    status_set(actor=Actor.of(other, "ui"), system=system, as_of=LATEST, step="1", status=first, version=version)
    r = client.post(
        f"/staff/orgs/{A}/cell/?as_of=2026-10&correct=1",
        cell_post(system, "1", "in_progress", version, Status.from_code(code).value),
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 409
    body = r.content.decode()
    assert "colleague" in body and first.label in body
    assert status_of(system) == (first.code, version + 1)


def test_whole_form_without_javascript(client, muni):
    system = system_of(A)
    code, version = status_of(system, "2")
    new = "not_applicable" if code != "X" else "completed"
    data = {"as_of": "2026-10", "correct": "1", **cell_post(system, "2", new, version, Status.from_code(code).value)}
    r = client.post(f"/staff/orgs/{A}/grid/", data)
    assert r.status_code == 302
    assert status_of(system, "2")[0] == Status(new).code


def test_bulk_sets_one_step_for_all_systems(client, muni):
    r = client.post(f"/staff/orgs/{A}/bulk/?as_of=2026-10&correct=1", {"step": "40", "status": "completed"})
    assert r.status_code == 302
    from shinchoku.progress.models import System

    systems = list(System.objects.filter(organization_id=A))
    snaps = effective_snapshots(systems, LATEST)
    assert all(snaps[s.pk].codes[39] == "C" for s in systems if s.pk in snaps)


def test_upload_preview_writes_nothing_then_confirm_applies(client, muni, settings, tmp_path):
    settings.SHINCHOKU_UPLOAD_DIR = tmp_path
    system = system_of(A)
    code, _ = status_of(system, "3")
    new = "対象外" if code != "X" else "完了済み"
    from django.core.files.uploadedfile import SimpleUploadedFile

    f = SimpleUploadedFile("report.csv", long_csv(A, system.name, "3", new), content_type="text/csv")
    before = StatusChange.objects.count()
    r = client.post(f"/staff/orgs/{A}/upload/", {"file": f, "format": "auto", "as_of": ""})
    assert r.status_code == 200, r.content.decode()[:2000]
    body = r.content.decode()
    assert "反映する" in body and "変わるセル" in body
    assert status_of(system, "3")[0] == code and StatusChange.objects.count() == before
    digest = r.context["digest"]
    r = client.post(f"/staff/orgs/{A}/upload/confirm/", {"digest": digest})
    assert r.status_code == 200 and "取り込みました" in r.content.decode()
    assert status_of(system, "3")[0] != code
    assert AuditEntry.objects.filter(action="import", organization_code=A).exists()
    # the same confirm again: the file is gone
    assert client.post(f"/staff/orgs/{A}/upload/confirm/", {"digest": digest}).status_code == 400


def test_upload_validation_report_is_a_table(client, muni, settings, tmp_path):
    settings.SHINCHOKU_UPLOAD_DIR = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    f = SimpleUploadedFile("bad.csv", long_csv(A, "住民基本台帳", "1", "たぶん完了"), content_type="text/csv")
    r = client.post(f"/staff/orgs/{A}/upload/", {"file": f, "format": "auto"})
    assert r.status_code == 422
    body = r.content.decode()
    assert "エラーがあるため取り込めません" in body and '<th scope="col">行</th>' in body
    assert "反映する" not in body
    assert list(tmp_path.iterdir()) == []


def test_confirm_of_an_unknown_digest_is_refused(client, muni):
    r = client.post(f"/staff/orgs/{A}/upload/confirm/", {"digest": "0" * 64})
    assert r.status_code == 400


def test_system_attributes_and_extra_systems(client, muni):
    system = system_of(A)
    r = client.post(
        f"/staff/orgs/{A}/systems/{system.pk}/",
        {
            "vendor": "架空システム株式会社",
            "package": "パッケージX",
            "planned_go_live": "2026-12-01",
            "special_support": "on",
            "planned_completion": "2027-03-31",
            "uses_gov_cloud": "yes",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    attrs = attributes_of(system, date(2026, 11, 30))  # the month being reported (all sample months are published)
    assert attrs.vendor == "架空システム株式会社" and attrs.special_support and attrs.uses_gov_cloud is True
    r = client.post(f"/staff/orgs/{A}/systems/", {"add_system": "1", "name": "独自の福祉システム"})
    assert r.status_code == 302
    r = client.post(f"/staff/orgs/{A}/systems/", {"add_own_step": "1", "name": "庁内説明会"})
    assert r.status_code == 302
    actions = set(AuditEntry.objects.filter(organization_code=A).values_list("action", flat=True))
    assert {"update_system", "add_system", "add_own_step"} <= actions


def test_special_support_needs_planned_completion(client, muni):
    system = system_of(A)
    r = client.post(f"/staff/orgs/{A}/systems/{system.pk}/", {"special_support": "on", "uses_gov_cloud": ""})
    assert r.status_code == 400 and "移行完了予定を入力" in r.content.decode()


def delay_data(**extra):
    data = {
        "department": "市民課",
        "expected_completion": "2027年3月",
        "reason": "事業者の開発が遅れているため",
        "impact": "yes",
        "impact_reason": "移行完了が半年遅れる見込み",
        "schedule-TOTAL_FORMS": "3",
        "schedule-INITIAL_FORMS": "0",
        "schedule-MIN_NUM_FORMS": "0",
        "schedule-MAX_NUM_FORMS": "20",
        "schedule-0-date": "2026-12",
        "schedule-0-task": "移行テスト",
        "schedule-0-role": "情報政策課",
        "roles-TOTAL_FORMS": "3",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "30",
        "roles-0-task": "移行テスト",
        "roles-0-role": "課長",
        "roles-0-mark": "◎",
    }
    data.update(extra)
    return data


def test_delay_explanation_is_saved_with_schedule_and_role_matrix(client, muni):
    system = system_of(A)
    r = client.post(f"/staff/orgs/{A}/systems/{system.pk}/delay/?as_of=2026-10", delay_data())
    assert r.status_code == 302, r.content.decode()[:3000]
    d = DelayExplanation.objects.get(system=system, as_of=LATEST)
    assert d.department == "市民課" and d.impact is True
    assert d.schedule == [{"date": "2026年12月", "task": "移行テスト", "role": "情報政策課"}]
    assert d.role_matrix == {"roles": ["課長"], "rows": [{"task": "移行テスト", "marks": {"課長": "◎"}}]}
    assert AuditEntry.objects.filter(action="save_delay", organization_code=A).exists()
    page = client.get(f"/staff/orgs/{A}/systems/{system.pk}/delay/?as_of=2026-10").content.decode()
    assert "市民課" in page and "移行テスト" in page


def test_delay_role_matrix_refuses_personal_names(client, muni):
    system = system_of(A)
    r = client.post(
        f"/staff/orgs/{A}/systems/{system.pk}/delay/?as_of=2026-10", delay_data(**{"roles-0-role": "山田さん"})
    )
    assert r.status_code == 400 and "役職名" in r.content.decode()


def test_operator_publishes_and_staff_see_unpublished_banner(client):
    month = Month.objects.order_by("-as_of").first()
    Month.objects.filter(pk=month.pk).update(published=False)
    client.force_login(make_user("ishinomaki", "municipality", A))
    assert "未公開" in client.get(f"/staff/orgs/{A}/?as_of={month.as_of:%Y-%m}").content.decode()
    client.force_login(make_user("op", "operator"))
    r = client.post("/staff/publish/", {"month": f"{month.as_of:%Y-%m}", "confirm": "yes"})
    assert r.status_code == 302
    assert Month.objects.get(pk=month.pk).published
    assert AuditEntry.objects.filter(action="publish", actor="op").exists()


def test_practice_org_is_editable_by_everyone_and_resets(client):
    client.force_login(make_user("viewer", "viewer", A))
    r = client.get(f"/staff/orgs/{PRACTICE_CODE}/")
    assert r.status_code == 200 and "体験モード" in r.content.decode()
    system = r.context["rows"][0][0]
    r = client.post(
        f"/staff/orgs/{PRACTICE_CODE}/cell/?as_of=2026-10&correct=1",
        cell_post(system, "1", "completed", 0),
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    assert StatusChange.objects.filter(system__organization_id=PRACTICE_CODE).count() == 1
    r = client.post("/staff/practice/reset/")  # without the confirmation: nothing is cleared
    assert r.status_code == 302
    assert StatusChange.objects.filter(system__organization_id=PRACTICE_CODE).count() == 1
    r = client.post("/staff/practice/reset/", {"confirm": "yes"})
    assert r.status_code == 302
    assert StatusChange.objects.filter(system__organization_id=PRACTICE_CODE).count() == 0


def test_audit_page_scoped_to_the_users_organizations(client):
    from shinchoku.accounts.audit import record

    record(actor="x", source="ui", action="set_status", organization_code=A, target="mine")
    record(actor="y", source="ui", action="set_status", organization_code="131016", target="theirs")
    client.force_login(make_user("ishinomaki", "municipality", A))
    body = client.get("/staff/audit/").content.decode()
    assert "mine" in body and "theirs" not in body
    client.force_login(make_user("op", "operator"))
    body = client.get("/staff/audit/").content.decode()
    assert "mine" in body and "theirs" in body


def test_admin_writes_are_audited(client):
    op = make_user("op", "operator")
    op.is_staff = op.is_superuser = True
    op.save()
    client.force_login(op)
    system = system_of(A)
    url = reverse("admin:reference_organization_change", args=[A])
    assert client.get(url).status_code in (200, 302, 403, 404)
    from django.contrib.admin.models import CHANGE, LogEntry

    # what ModelAdmin.log_change does for one object
    LogEntry.objects.log_actions(
        user_id=op.pk, queryset=[system], action_flag=CHANGE, change_message="changed vendor", single_object=True
    )
    assert AuditEntry.objects.filter(source="admin", actor="op").exists()


def test_uploads_work_for_the_practice_organization_and_after_it_exists(client, muni, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shinchoku.progress.models import StatusSnapshot, System
    from shinchoku.progress.practice import ensure_practice

    settings.SHINCHOKU_UPLOAD_DIR = tmp_path
    ensure_practice()
    practice_system = System.objects.filter(organization_id=PRACTICE_CODE).order_by("pk").first()
    for code, name in ((PRACTICE_CODE, practice_system.name), (A, system_of(A).name)):
        f = SimpleUploadedFile("r.csv", long_csv(code, name, "5", "作業中"), content_type="text/csv")
        r = client.post(f"/staff/orgs/{code}/upload/", {"file": f, "format": "auto", "as_of": ""})
        assert r.status_code == 200, r.content.decode()[:2000]
        r = client.post(f"/staff/orgs/{code}/upload/confirm/", {"digest": r.context["digest"], "reason": "テスト"})
        assert r.status_code == 200 and "取り込みました" in r.content.decode()
    snap = StatusSnapshot.objects.filter(system=practice_system).order_by("-as_of").first()
    assert snap.codes[4] == "P"
