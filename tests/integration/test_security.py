"""Security: CSRF, anonymous writes, lockout, escaping of free text, hostile uploads, concurrent edits,
practice data kept out of everything public, audit of every write path, and the response headers."""

from __future__ import annotations

import io
import json
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shinchoku.accounts import tokens
from shinchoku.accounts.actor import Actor
from shinchoku.accounts.models import AuditEntry
from shinchoku.domain.status import Status
from shinchoku.progress import services
from shinchoku.progress.models import DelayExplanation, Month, System
from shinchoku.progress.practice import PRACTICE_CODE, ensure_practice
from shinchoku.progress.selectors import effective_snapshots
from tests.integration.test_staff_helpers import LATEST, PASSWORD, A, cell_post, long_csv, make_user, state, system_of

pytestmark = pytest.mark.django_db
XSS = "<script>alert(1)</script>"


def current(system, step="1"):
    snap = effective_snapshots([system], LATEST)[system.pk]
    return Status.from_code(snap.codes[int(step) - 1]), int(snap.versions.get(step, 0))


# --- CSRF and anonymous -----------------------------------------------------------------------------------


def test_form_post_without_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("m", "municipality", A, password=False))
    s = system_of(A)
    status, version = current(s)
    before = state()
    data = cell_post(s, "1", "not_applicable", version, status.value)
    r = client.post(f"/staff/orgs/{A}/cell/?as_of=2026-10&correct=1", data)
    assert r.status_code == 403 and state() == before


def test_session_api_call_without_csrf_is_refused_and_with_it_allowed():
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("m", "municipality", A, password=False))
    s = system_of(A)
    status, version = current(s)
    new = "in_progress" if status != Status.IN_PROGRESS else "completed"
    body = json.dumps({"status": new, "as_of": "2026-10-31", "version": version})
    url = f"/api/v1/organizations/{A}/systems/{s.name}/steps/1"
    before = state()
    assert client.put(url, body, content_type="application/json").status_code == 403
    assert state() == before
    client.get("/staff/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    r = client.put(url, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 200, r.content
    assert r.json()["version"] == version + 1


@pytest.mark.parametrize(
    "url",
    [
        f"/staff/orgs/{A}/cell/",
        f"/staff/orgs/{A}/grid/",
        f"/staff/orgs/{A}/bulk/",
        f"/staff/orgs/{A}/upload/",
        f"/staff/orgs/{A}/upload/confirm/",
        f"/staff/orgs/{A}/systems/",
        "/staff/publish/",
        "/staff/practice/reset/",
    ],
)
def test_anonymous_writes_are_refused(client, url):
    before = state()
    r = client.post(url, {"step": "1", "status": "completed"})
    assert r.status_code in (401, 302) and state() == before


def test_anonymous_api_writes_get_401(client):
    s = system_of(A)
    r = client.put(
        f"/api/v1/organizations/{A}/systems/{s.name}/steps/1",
        json.dumps({"status": "completed", "as_of": "2026-10-31", "version": 0}),
        content_type="application/json",
    )
    assert r.status_code == 401 and r.json()["error"]["message"]
    assert client.post("/api/v1/imports", {"file": SimpleUploadedFile("a.csv", b"x")}).status_code == 401
    r = client.put(
        f"/api/v1/organizations/{A}/systems/{s.name}/steps/1",
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer shk_not-a-real-token",
    )
    assert r.status_code == 401


def test_staff_pages_redirect_anonymous_to_login(client):
    r = client.get(f"/staff/orgs/{A}/")
    assert r.status_code == 302 and r.headers["Location"].startswith("/staff/login/")


# --- Login lockout and session ----------------------------------------------------------------------------


def test_locked_out_account_cannot_log_in(client, settings):
    make_user("target", "municipality", A)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/staff/login/", {"username": "target", "password": "wrong-password"})
    r = client.post("/staff/login/", {"username": "target", "password": PASSWORD})
    assert r.status_code in (403, 429)
    assert "一時的に" in r.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.real_password_hashing
def test_session_and_csrf_cookie_settings(settings, client):
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.SESSION_COOKIE_AGE <= 60 * 60 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    r = client.get("/staff/login/")
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert r.headers["X-Frame-Options"] == "DENY"


# --- Escaping of free text ---------------------------------------------------------------------------------


def test_script_payloads_are_stored_and_rendered_escaped_everywhere(client):
    user = make_user("m", "municipality", A, password=False)
    client.force_login(user)
    s = system_of(A)
    services.system_update(actor=Actor.of(user, "ui"), system=s, as_of=LATEST, values={"vendor": XSS, "package": XSS})
    extra = services.system_add(actor=Actor.of(user, "ui"), org=s.organization, name=XSS)
    services.own_step_add(actor=Actor.of(user, "ui"), org=s.organization, name=XSS)
    values = {
        "department": XSS,
        "expected_completion": XSS,
        "reason": XSS,
        "impact": True,
        "impact_reason": XSS,
        "schedule": [{"date": XSS, "task": XSS, "role": XSS}],
        "role_matrix": {"roles": [XSS], "rows": [{"task": XSS, "marks": {XSS: "◎"}}]},
    }
    services.delay_save(actor=Actor.of(user, "ui"), system=s, as_of=LATEST, values=values)
    services.status_set(
        actor=Actor.of(user, "ui"), system=extra, as_of=LATEST, step="1", status=Status.COMPLETED, version=None
    )
    Month.objects.filter(as_of=LATEST).update(published=True)
    assert DelayExplanation.objects.get(system=s, as_of=LATEST).reason == XSS  # stored as typed
    pages = [
        f"/staff/orgs/{A}/?as_of=2026-10",
        f"/staff/orgs/{A}/systems/",
        f"/staff/orgs/{A}/systems/{s.pk}/",
        f"/staff/orgs/{A}/systems/{s.pk}/delay/?as_of=2026-10",
        "/staff/audit/",
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert XSS not in body, url
        assert "&lt;script&gt;" in body, url
    public = Client().get(f"/organizations/{A}")
    if public.status_code == 200:
        body = public.content.decode()
        assert XSS not in body and "&lt;script&gt;" in body


# --- Hostile uploads ---------------------------------------------------------------------------------------


def _post_upload(client, name: str, data: bytes, fmt: str = "auto"):
    return client.post(f"/staff/orgs/{A}/upload/", {"file": SimpleUploadedFile(name, data), "format": fmt})


def test_upload_over_the_size_limit_is_refused(client, settings, tmp_path):
    settings.SHINCHOKU_UPLOAD_DIR = tmp_path
    settings.SHINCHOKU_MAX_UPLOAD_BYTES = 1000
    client.force_login(make_user("m", "municipality", A, password=False))
    s = system_of(A)
    before = state()
    r = _post_upload(client, "big.csv", long_csv(A, s.name) + b"#" * 2000)
    assert r.status_code == 400 and "大きすぎます" in r.content.decode()
    assert state() == before and list(tmp_path.iterdir()) == []


def test_upload_of_the_wrong_type_is_refused(client, settings, tmp_path):
    settings.SHINCHOKU_UPLOAD_DIR = tmp_path
    client.force_login(make_user("m", "municipality", A, password=False))
    before = state()
    r = _post_upload(client, "photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    assert r.status_code == 400 and "この種類のファイルは取り込めません" in r.content.decode()
    r = _post_upload(client, "fake.xlsx", b"MZ\x90\x00 this is an executable")
    assert r.status_code == 422
    assert state() == before


def zip_bomb(size_mb: int = 300) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(size_mb):
                f.write(chunk)
    return buf.getvalue()


def test_zip_bomb_disguised_as_xlsx_is_refused_without_exhausting_memory(client, settings, tmp_path):
    settings.SHINCHOKU_UPLOAD_DIR = tmp_path
    client.force_login(make_user("m", "municipality", A, password=False))
    bomb = zip_bomb()
    assert len(bomb) < 2_000_000
    before = state()
    tracemalloc.start()
    r = _post_upload(client, "report.xlsx", bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert r.status_code == 422
    assert peak < 100 * 1024 * 1024, peak
    assert state() == before and list(tmp_path.iterdir()) == []


# --- Concurrency -------------------------------------------------------------------------------------------


def test_two_concurrent_edits_of_one_cell_one_wins_the_other_gets_409():
    s = system_of(A)
    status, version = current(s, "7")
    c1, c2 = Client(), Client()
    c1.force_login(make_user("m1", "municipality", A, password=False))
    c2.force_login(make_user("m2", "municipality", A, password=False))
    url = f"/staff/orgs/{A}/cell/?as_of=2026-10&correct=1"
    a = "completed" if status != Status.COMPLETED else "in_progress"
    b = "not_applicable" if status != Status.NOT_APPLICABLE else "not_started"
    r1 = c1.post(url, cell_post(s, "7", a, version, status.value), HTTP_HX_REQUEST="true")
    r2 = c2.post(url, cell_post(s, "7", b, version, status.value), HTTP_HX_REQUEST="true")
    assert (r1.status_code, r2.status_code) == (200, 409)
    assert "m1" in r2.content.decode()
    assert current(s, "7") == (Status(a), version + 1)  # no lost update


def test_api_stale_version_gets_409_with_details():
    s = system_of(A)
    status, version = current(s, "8")
    user = make_user("m", "municipality", A, password=False)
    token = tokens.issue(user)[1]
    url = f"/api/v1/organizations/{A}/systems/{s.name}/steps/8"
    a = "completed" if status != Status.COMPLETED else "in_progress"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = json.dumps({"status": a, "as_of": "2026-10-31", "version": version})
    assert Client().put(url, body, content_type="application/json", **auth).status_code == 200
    r = Client().put(
        url,
        json.dumps({"status": "not_started", "as_of": "2026-10-31", "version": version}),
        content_type="application/json",
        **auth,
    )
    assert r.status_code == 409
    err = r.json()["error"]
    assert err["code"] == "stale_version" and err["details"]["changed_by"] == "m"
    assert err["details"]["current_version"] == version + 1


# --- Practice data never public; audit never exported ------------------------------------------------------


def test_practice_data_never_in_public_pages_api_rollups_or_exports(tmp_path):
    org = ensure_practice()
    user = make_user("m", "municipality", A, password=False)
    system = System.objects.filter(organization=org).first()
    services.status_set(
        actor=Actor.of(user, "ui"), system=system, as_of=LATEST, step="1", status=Status.COMPLETED, version=None
    )
    services.system_update(actor=Actor.of(user, "ui"), system=system, as_of=LATEST, values={"vendor": "体験用ベンダー"})
    public = Client()
    assert public.get(f"/organizations/{PRACTICE_CODE}").status_code == 404
    assert public.get(f"/api/v1/organizations/{PRACTICE_CODE}").status_code == 404
    assert public.get(f"/api/v1/organizations/{PRACTICE_CODE}/progress").status_code == 404
    listing = public.get("/api/v1/organizations?prefecture=99")
    assert PRACTICE_CODE.encode() not in listing.content
    from shinchoku.progress.models import OrganizationRollup

    assert not OrganizationRollup.objects.filter(organization=org).exists()
    from shinchoku.opendata.exporter import export

    for kind in ("organizations", "progress", "organization-summary"):
        out = export(kind=kind, fmt="csv", as_of=None, output=str(tmp_path / f"{kind}.csv"))
        text = out.read_text(encoding="utf-8-sig")
        assert PRACTICE_CODE not in text and "体験" not in text, kind


def test_audit_trail_never_in_exports(tmp_path):
    import sqlite3

    from shinchoku.opendata.exporter import export

    services.month_publish(actor=Actor.of(make_user("op", "operator", password=False), "ui"), as_of=LATEST)
    out = export(kind="all", fmt="sqlite", as_of=None, output=str(tmp_path / "all.sqlite"))
    names = {r[0] for r in sqlite3.connect(out).execute("select name from sqlite_master")}
    assert not any("audit" in n or "account" in n or "token" in n or "user" in n for n in names), names


def test_every_write_path_leaves_an_audit_entry(client, settings, tmp_path, capsys):
    settings.SHINCHOKU_UPLOAD_DIR = tmp_path
    user = make_user("m", "municipality", A, password=False)
    client.force_login(user)
    s = system_of(A)
    status, version = current(s)
    client.post(
        f"/staff/orgs/{A}/cell/?as_of=2026-10&correct=1",
        cell_post(s, "1", "not_applicable" if status != Status.NOT_APPLICABLE else "completed", version, status.value),
    )
    token = tokens.issue(user)[1]
    status, version = current(s, "9")
    Client().put(
        f"/api/v1/organizations/{A}/systems/{s.name}/steps/9",
        json.dumps(
            {
                "status": "completed" if status != Status.COMPLETED else "not_started",
                "as_of": "2026-10-31",
                "version": version,
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    Client().post(
        "/api/v1/imports",
        {"file": SimpleUploadedFile("r.csv", long_csv(A, s.name, "11", "対象外"))},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    sources = set(AuditEntry.objects.values_list("source", "action"))
    assert ("ui", "set_status") in sources and ("api", "set_status") in sources and ("api", "import") in sources
    for e in AuditEntry.objects.filter(action="set_status"):
        assert e.actor == "m" and e.after and e.at


def test_cli_user_add_and_token(capsys, monkeypatch):
    import sys

    from shinchoku.cli import main

    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["user", "add", "ishi", "--role", "municipality", "--org", A, "--password-stdin"]) == 0
    assert main(["user", "token", "ishi"]) == 0
    token = capsys.readouterr().out.strip().splitlines()[-1]
    from django.contrib.auth.models import User

    assert tokens.authenticate(token) == User.objects.get(username="ishi")
    assert AuditEntry.objects.filter(source="cli", action="add_user", target="ishi").exists()
    monkeypatch.setattr(sys, "stdin", io.StringIO("short\n"))
    assert main(["user", "add", "weak", "--role", "viewer", "--org", A, "--password-stdin"]) == 2
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["user", "add", "badpref", "--role", "prefecture", "--org", A, "--password-stdin"]) == 2
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["user", "add", "pref", "--role", "prefecture", "--org", "04", "--password-stdin"]) == 0


def test_unpublished_months_stay_out_of_public_pages_api_and_exports(tmp_path):
    from shinchoku.opendata.exporter import export

    Month.objects.filter(as_of=LATEST).update(published=False)
    public = Client()
    assert public.get("/api/v1/summary").json()["as_of"] != LATEST.isoformat()
    progress = public.get(f"/api/v1/organizations/{A}/progress?as_of={LATEST.isoformat()}").json()
    assert progress["as_of"] != LATEST.isoformat()
    page = public.get(f"/organizations/{A}?as_of=2026-10").content.decode()
    assert "2026年10月31日" not in page
    out = export(kind="progress", fmt="csv", as_of=None, output=str(tmp_path / "p.csv"))
    assert LATEST.isoformat() not in out.read_text(encoding="utf-8-sig")
