"""What every request gets: a body-size limit (413 in JSON or HTML), a request id (X-Request-ID) and one
JSON access-log line without query strings; and GET /healthz for load balancers and monitors."""

from __future__ import annotations

import json
import logging
import os
import sys

import pytest
from django.db import connection
from django.test import Client

from shinchoku.accounts import tokens
from shinchoku.ops.jsonlog import JsonFormatter, request_id
from tests.integration.test_staff_helpers import A, make_user

pytestmark = pytest.mark.django_db


def test_an_upload_declared_over_the_limit_is_refused_before_it_is_read(client) -> None:
    token = tokens.issue(make_user("m", "municipality", A, password=False))[1]
    r = client.post(  # Content-Length says 60 MB; nothing of it is read
        "/api/v1/imports",
        b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH="60000000",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    assert "上限は 50 MB です。" in r.json()["error"]["message"]
    r = client.post(
        f"/staff/orgs/{A}/upload/", b"x", content_type="multipart/form-data; boundary=x", CONTENT_LENGTH="60000000"
    )
    assert r.status_code == 413 and "上限は 50 MB です。" in r.content.decode()


def test_every_other_body_is_limited_to_10_mb(client) -> None:
    r = client.post("/api/v1/summary", b"x", content_type="application/json", CONTENT_LENGTH="10000001")
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"
    assert "上限は 10 MB です。" in r.json()["error"]["message"]
    form = "application/x-www-form-urlencoded"
    r = client.post("/staff/login/", b"x", content_type=form, CONTENT_LENGTH="10000001")
    assert r.status_code == 413 and r["Content-Type"].startswith("text/html")
    assert "上限は 10 MB です。" in r.content.decode()
    assert client.post("/staff/login/", {"username": "a", "password": "b"}).status_code == 200  # small: as before


def _lines(caplog) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "shinchoku.access"]


def test_each_request_has_an_id_and_one_json_access_line(client, caplog) -> None:
    caplog.set_level(logging.INFO, logger="shinchoku.access")
    r = client.get("/api/v1/organizations?prefecture=04&token=secret-value")
    rid = r["X-Request-ID"]
    assert len(rid) == 32
    (line,) = _lines(caplog)
    assert line["request_id"] == rid and line["event"] == "request" and line["level"] == "info"
    assert line["method"] == "GET" and line["path"] == "/api/v1/organizations" and line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["pid"] == os.getpid() and "user" not in line
    assert "secret-value" not in json.dumps(line) and "prefecture" not in json.dumps(line)


def test_a_proxy_s_request_id_is_kept_and_a_malformed_one_replaced(client) -> None:
    assert (
        client.get("/healthz", HTTP_X_REQUEST_ID="nginx-0123456789abcdef")["X-Request-ID"] == "nginx-0123456789abcdef"
    )
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\r\nX-Evil: 1")["X-Request-ID"]
    assert replaced != "bad id\r\nX-Evil: 1" and len(replaced) == 32


def test_the_access_line_names_the_account_or_the_token(caplog) -> None:
    caplog.set_level(logging.INFO, logger="shinchoku.access")
    user = make_user("kaori", "municipality", A, password=False)
    staff = Client()
    staff.force_login(user)
    staff.get("/staff/")
    row, token = tokens.issue(user)
    Client().post("/api/v1/imports", {}, HTTP_AUTHORIZATION=f"Bearer {token}")
    session_line, token_line = _lines(caplog)
    assert session_line["user"] == "kaori" and "token_id" not in session_line
    assert token_line["token_id"] == row.pk and token_line["user"] == "kaori"
    assert token not in json.dumps(token_line)


def test_errors_are_json_lines_with_the_request_id() -> None:
    token = request_id.set("rid-for-this-test")  # as RequestLog sets it during a request
    try:
        try:
            raise ValueError("boom")
        except ValueError:
            exc_info = sys.exc_info()
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Server Error: %s", ("/x",), exc_info)
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["request_id"] == "rid-for-this-test" and line["level"] == "error"
    assert line["message"] == "Server Error: /x" and "ValueError: boom" in line["exc"]


def test_django_s_own_4xx_lines_carry_the_request_id(client, caplog) -> None:
    r = client.get("/api/v1/no-such-thing")
    (line,) = [json.loads(JsonFormatter().format(rec)) for rec in caplog.records if rec.name == "django.request"]
    assert line["request_id"] == r["X-Request-ID"] and line["level"] == "warning" and r.status_code == 404


def test_healthz_reports_database_migrations_and_data_version(client) -> None:
    from shinchoku.opendata import revision

    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok", "migrations": "ok", "data_version": revision.current()}
    assert "no-cache" in r["Cache-Control"] and "max-age=0" in r["Cache-Control"]


def test_healthz_is_503_while_a_migration_is_pending(client) -> None:
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute("DELETE FROM django_migrations WHERE app = 'axes'")
    r = client.get("/healthz")
    assert r.status_code == 503
    body = r.json()
    assert body["status"] == "error" and body["migrations"] == "pending"
    assert any(name.startswith("axes.") for name in body["pending_migrations"])
    assert "shinchoku serve --migrate" in body["message"]
