"""Hostile workbooks through every door: the CLI (a real subprocess), the API (in process and against a real
server whose workers must all survive) and the browser upload; authorization before any parsing; no file
left behind from a failed upload."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shinchoku.accounts import tokens
from shinchoku.imports.models import ImportRecord
from shinchoku.progress.practice import PRACTICE_CODE, ensure_practice
from tests.crafted_workbooks import FAR_SHEETS, ODS_FAR, unnumbered_cells, xlsx
from tests.integration.live import Server, cli, cli_ok, multipart, request, scratch_env
from tests.integration.test_staff_helpers import PASSWORD, A, B, long_csv, make_user, state, system_of

TOO_FAR = "シートの範囲が大きすぎる"
CRAFTED = {
    **{f"{name}.xlsx": xlsx(sheet) for name, sheet in FAR_SHEETS.items()},
    "unnumbered cells.xlsx": xlsx(unnumbered_cells(1_048_576, 16_384)),
    "repeated cells.ods": ODS_FAR,
}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory):
    """A database of its own with the reference data, a municipality account (042021) and its API token."""
    tmp = tmp_path_factory.mktemp("hostile")
    with scratch_env(tmp) as env:
        cli_ok(env, "init")
        cli_ok(
            env, "user", "add", "ishinomaki", "--role", "municipality", "--org", A, "--password-stdin", input=PASSWORD
        )
        token = cli_ok(env, "user", "token", "ishinomaki").strip().splitlines()[-1]
        yield env, tmp, token


def test_the_cli_refuses_every_crafted_workbook_with_exit_code_1(scratch) -> None:
    env, tmp, _token = scratch
    for name, data in CRAFTED.items():
        path = tmp / name
        path.write_bytes(data)
        done = cli(env, "import", str(path), "--org", A, "--as-of", "2026-01-31")
        assert done.returncode == 1, (name, done.returncode, done.stderr[-2000:])
        assert TOO_FAR in done.stderr, name


def test_a_real_server_answers_4xx_to_every_crafted_workbook_and_keeps_its_workers(scratch) -> None:
    env, tmp, token = scratch
    with Server(env, tmp / "hostile-server.log", workers=2) as server:
        workers = server.wait_for_workers(2)
        assert len(workers) == 2
        for name, data in CRAFTED.items():
            body, content_type = multipart({"org": A, "as_of": "2026-01-31"}, name, data)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}
            status, _h, answer = request(f"{server.url}/api/v1/imports", method="POST", body=body, headers=headers)
            assert status == 422, (name, status, answer[:500])
            problems = json.loads(answer)["problems"]
            assert TOO_FAR in problems[0]["message"], name
        assert server.worker_pids() == workers  # not one worker died (gunicorn would have replaced it)
        assert request(f"{server.url}/healthz")[0] == 200


@pytest.mark.django_db
def test_the_api_refuses_crafted_workbooks_in_process() -> None:
    token = tokens.issue(make_user("m", "municipality", A, password=False))[1]
    for name, data in CRAFTED.items():
        r = Client().post(
            "/api/v1/imports",
            {"file": SimpleUploadedFile(name, data), "org": A, "as_of": "2026-01-31"},
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert r.status_code == 422, (name, r.content[:300])
        assert TOO_FAR in r.json()["problems"][0]["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "municipality-elsewhere"])
def test_an_account_that_may_not_import_is_refused_before_the_file_is_read(role: str) -> None:
    user = make_user("v", "viewer", A, password=False) if role == "viewer" else make_user("m", "municipality", B)
    token = tokens.issue(user)[1]
    records = ImportRecord.objects.count()
    before = state()
    data = CRAFTED["single quotes.xlsx"]  # parsed, it would have been refused with a record of the attempt
    fields = {"file": SimpleUploadedFile("r.xlsx", data)} | ({"org": A} if role != "viewer" else {})
    r = Client().post("/api/v1/imports", fields, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 403, r.content
    assert r.json()["error"]["code"] == "forbidden"
    assert ImportRecord.objects.count() == records and state() == before


@pytest.mark.django_db
def test_the_api_never_imports_into_the_practice_organization() -> None:
    ensure_practice()
    token = tokens.issue(make_user("v", "viewer", A, password=False))[1]
    data = long_csv(PRACTICE_CODE, "住民基本台帳", "3", "完了済み")
    r = Client().post(
        "/api/v1/imports", {"file": SimpleUploadedFile("p.csv", data)}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert r.status_code == 403


def _upload(client: Client, code: str, name: str, data: bytes):
    return client.post(f"/staff/orgs/{code}/upload/", {"file": SimpleUploadedFile(name, data), "format": "auto"})


@pytest.fixture
def practice_viewer(settings, tmp_path: Path) -> Client:
    """A viewer of 石巻市 logged in, who may use the practice 団体's upload; previews would wait in tmp_path."""
    settings.SHINCHOKU_UPLOAD_DIR = tmp_path
    client = Client()
    client.force_login(make_user("v", "viewer", A, password=False))
    ensure_practice()
    return client


@pytest.mark.django_db
def test_a_crafted_workbook_in_the_practice_upload_is_refused_and_not_kept(practice_viewer, tmp_path: Path) -> None:
    r = _upload(practice_viewer, PRACTICE_CODE, "report.xlsx", CRAFTED["tab before r.xlsx"])
    assert r.status_code == 422 and TOO_FAR in r.content.decode()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_an_upload_refused_for_another_organizations_rows_leaves_no_file(practice_viewer, tmp_path: Path) -> None:
    before = state()
    r = _upload(practice_viewer, PRACTICE_CODE, "a.csv", long_csv(A, system_of(A).name, "4", "対象外"))
    assert r.status_code == 403
    assert list(tmp_path.iterdir()) == [] and state() == before


@pytest.mark.django_db
def test_an_upload_page_of_a_foreign_organization_is_refused_unread(settings, tmp_path: Path) -> None:
    settings.SHINCHOKU_UPLOAD_DIR = tmp_path
    client = Client()
    client.force_login(make_user("m", "municipality", B, password=False))
    records = ImportRecord.objects.count()
    r = _upload(client, A, "report.xlsx", CRAFTED["single quotes.xlsx"])
    assert r.status_code == 403
    assert ImportRecord.objects.count() == records and list(tmp_path.iterdir()) == []
