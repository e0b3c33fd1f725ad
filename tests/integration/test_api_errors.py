"""Errors of the API and the request limits: bad numbers are 422 not 500, a missing or bad token is 401 not a
CSRF error, every body has a size limit with one way of stating it, web imports have a time limit."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shinchoku.accounts import tokens
from shinchoku.imports.models import ImportRecord
from shinchoku.imports.services import too_large_problem
from tests.integration.dbstate import content_digest
from tests.integration.test_staff_helpers import A, long_csv, make_user, state, system_of

pytestmark = pytest.mark.django_db
README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("query", ["offset=9223372036854775808", "offset=-1", "limit=99999999999999999999"])
def test_out_of_range_paging_is_a_japanese_422(client, query: str) -> None:
    r = client.get(f"/api/v1/organizations?{query}")
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid_request" and error["message"] == "リクエストの値が正しくありません"
    assert error["details"]


def _put(client: Client, **headers: str):
    s = system_of(A)
    body = json.dumps({"status": "completed", "as_of": "2026-10-31", "version": 0})
    return client.put(
        f"/api/v1/organizations/{A}/systems/{s.name}/steps/1", body, content_type="application/json", **headers
    )


def test_missing_revoked_and_invalid_tokens_get_401_not_a_csrf_error() -> None:
    client = Client(enforce_csrf_checks=True)  # as a real client: the CSRF check is on
    user = make_user("m", "municipality", A, password=False)
    row, token = tokens.issue(user)
    tokens.revoke(row)
    before = state()
    cases = {
        "missing": {},
        "revoked": {"HTTP_AUTHORIZATION": f"Bearer {token}"},
        "invalid": {"HTTP_AUTHORIZATION": "Bearer shk_not-a-real-token"},
        "not bearer": {"HTTP_AUTHORIZATION": "Basic bTpt"},
    }
    for name, headers in cases.items():
        r = _put(client, **headers)
        assert r.status_code == 401, (name, r.content)
        assert r.json()["error"]["code"] == "unauthorized" and "API トークン" in r.json()["error"]["message"]
        assert r["WWW-Authenticate"].startswith("Bearer")
        upload = client.post("/api/v1/imports", {"file": SimpleUploadedFile("a.csv", b"x")}, **headers)
        assert upload.status_code == 401, name
    assert state() == before


def test_a_session_without_its_csrf_token_still_gets_a_japanese_403() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("m", "municipality", A, password=False))
    r = _put(client)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "csrf_failed" and "CSRF" in r.json()["error"]["message"]


def test_the_upload_limit_is_said_the_same_way_everywhere(client, settings) -> None:
    limit = settings.SHINCHOKU_MAX_UPLOAD_BYTES
    assert limit == 50_000_000
    row = next(line for line in README.splitlines() if line.startswith("| `SHINCHOKU_MAX_UPLOAD_BYTES` |"))
    assert row.endswith("| 50000000（50 MB） |")
    assert "上限は 50 MB です。" in too_large_problem(60_000_000, "a.csv").message  # the CLI
    client.force_login(make_user("staff", "municipality", A, password=False))
    page = client.get(f"/staff/orgs/{A}/upload/").content.decode()
    assert "ファイルの上限は 50 MB です。" in page
    assert not any(re.search(r"\b52\b", m) for m in [page, too_large_problem(1, "").message])


def test_the_api_s_own_size_check_uses_the_same_message(client, settings) -> None:
    settings.SHINCHOKU_MAX_UPLOAD_BYTES = 2_000_000
    token = tokens.issue(make_user("m", "municipality", A, password=False))[1]
    big = SimpleUploadedFile("big.csv", long_csv(A, system_of(A).name) + b"#" * 2_500_000)
    r = client.post("/api/v1/imports", {"file": big}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 413
    assert r.json()["error"]["message"] == too_large_problem(big.size, "big.csv").message


def _import(token: str, data: bytes):
    return Client().post(
        "/api/v1/imports", {"file": SimpleUploadedFile("r.csv", data)}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_a_web_import_past_its_time_limit_writes_nothing_and_is_recorded(settings) -> None:
    settings.SHINCHOKU_WEB_IMPORT_SECONDS = 0
    token = tokens.issue(make_user("m", "municipality", A, password=False))[1]
    records = ImportRecord.objects.count()
    before = content_digest()
    data = long_csv(A, system_of(A).name, "7", "対象外")
    r = Client().post(
        "/api/v1/imports", {"file": SimpleUploadedFile("r.csv", data)}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert r.status_code == 422
    assert "制限時間内に終わらなかった" in r.json()["problems"][0]["message"]
    assert ImportRecord.objects.count() == records + 1
    assert ImportRecord.objects.latest("pk").status == "rejected"
    assert content_digest() == before
    settings.SHINCHOKU_WEB_IMPORT_SECONDS = 60  # the same file, in time, goes through
    r = Client().post(
        "/api/v1/imports", {"file": SimpleUploadedFile("r.csv", data)}, HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert r.status_code == 200, r.content
