"""The operator's commands against real processes: backup → damage → restore gives the same API answers and
working logins (SQLite and PostgreSQL); `serve` refuses an unmigrated database unless --migrate; two servers
on one PostgreSQL database see each other's writes at once; the servers' stdout is JSON log lines."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from urllib.parse import quote

import pytest

from shinchoku.ops import serving
from tests.integration.live import Server, cli, cli_ok, get_json, log_in, on_postgres, request, scratch_env
from tests.integration.test_staff_helpers import PASSWORD, A

HEADER = "全国地方公共団体コード,対象システム,作業ステップ,状態,基準日\n"
API = [
    "/api/v1/summary",
    "/api/v1/months",
    f"/api/v1/organizations/{A}/progress",
    "/api/v1/organizations?prefecture=04",
    "/api/v1/prefectures",
]


def _csv(tmp: Path, name: str, rows: list[str]) -> str:
    path = tmp / name
    path.write_text(HEADER + "".join(f"{A},住民基本台帳,{row},2026-01-31\n" for row in rows), encoding="utf-8")
    return str(path)


def _api(base: str) -> dict[str, object]:
    return {url: get_json(base + url) for url in API}


def _seed(env: dict[str, str], tmp: Path) -> None:
    cli_ok(env, "init")
    cli_ok(env, "user", "add", "kaori", "--role", "municipality", "--org", A, "--password-stdin", input=PASSWORD)
    report = _csv(tmp, "first.csv", ["1,完了済み", "2,作業中", "3,対象外"])
    cli_ok(env, "import", report, "--allow-new-systems", "--publish")


def test_backup_damage_restore_gives_the_same_answers_and_logins(tmp_path: Path) -> None:
    with scratch_env(tmp_path) as env:
        _seed(env, tmp_path)
        backup = tmp_path / "shinchoku.backup"
        with Server(env, tmp_path / "server.log") as server:
            before = _api(server.url)
            assert before[f"/api/v1/organizations/{A}/progress"]["systems"]  # there is something to lose
            assert cli_ok(env, "backup", str(backup))  # online: the server keeps running
            assert stat.S_IMODE(backup.stat().st_mode) == 0o600
            # damage: new statuses, an intruder's account, the owner's account disabled
            cli_ok(env, "import", _csv(tmp_path, "second.csv", ["1,未着手", "4,完了済み"]), "--publish")
            cli_ok(env, "user", "add", "intruder", "--role", "operator", "--password-stdin", input=PASSWORD)
            cli_ok(env, "user", "disable", "kaori")
            assert _api(server.url) != before
            assert log_in(server.url, "kaori", PASSWORD)[0] == 200  # refused: the form again
            _check_json_logs(server)
        assert cli(env, "restore", str(backup)).returncode == 2  # not without --yes when nobody can answer
        restored = cli(env, "restore", str(backup), "--yes")
        assert restored.returncode == 0, restored.stderr
        with Server(env, tmp_path / "server-after.log") as server:
            assert _api(server.url) == before
            assert log_in(server.url, "kaori", PASSWORD)[0] == 302  # logged in: redirected to /staff/
            assert log_in(server.url, "intruder", PASSWORD)[0] == 200


def _check_json_logs(server: Server) -> None:
    status, headers, _body = request(f"{server.url}/api/v1/summary?api_key=secret-in-query")
    assert status == 200
    lines = [line for line in server.json_lines() if line.get("request_id") == headers["X-Request-ID"]]
    assert len(lines) == 1, server.output()[-2000:]
    assert lines[0]["path"] == "/api/v1/summary" and lines[0]["status"] == 200
    assert "secret-in-query" not in server.output()


def test_restore_refuses_a_file_that_is_no_backup(tmp_path: Path) -> None:
    with scratch_env(tmp_path) as env:
        cli_ok(env, "init")
        junk = tmp_path / "junk.backup"
        junk.write_bytes(b"not a backup at all")
        done = cli(env, "restore", str(junk), "--yes")
        assert done.returncode == 1 and "バックアップではありません" in done.stderr


def test_serve_refuses_an_unmigrated_database_unless_told_to_migrate(tmp_path: Path) -> None:
    with scratch_env(tmp_path) as env:
        done = cli(env, "serve", "--host", "127.0.0.1", "--port", "9", timeout=120)
        assert done.returncode == 2
        assert "移行が済んでいないため起動しません" in done.stderr and "--migrate" in done.stderr
        with Server(env, tmp_path / "migrate.log", extra=("--migrate",)) as server:
            health = get_json(f"{server.url}/healthz")
            assert health["status"] == "ok" and health["migrations"] == "ok"
            assert get_json(f"{server.url}/api/v1/organizations?prefecture=04&limit=1")  # reference data loaded


def test_serve_warns_loudly_beyond_loopback(settings, capsys) -> None:
    settings.DEBUG, settings.SECURE_COOKIES = True, False
    assert serving.security_warnings("127.0.0.1") == [] and serving.security_warnings("localhost") == []
    warnings = serving.security_warnings("0.0.0.0")
    assert len(warnings) == 2
    assert "SHINCHOKU_DEBUG" in warnings[0] and "SHINCHOKU_SECURE_COOKIES" in warnings[1]
    settings.DEBUG, settings.SECURE_COOKIES = False, True
    assert serving.security_warnings("192.0.2.10") == []
    assert serving.worker_timeout() > settings.SHINCHOKU_WEB_IMPORT_SECONDS


@pytest.mark.skipif(not on_postgres(), reason="two servers share one database only on PostgreSQL")
def test_two_servers_on_one_postgresql_database_see_each_other_s_writes_at_once(tmp_path: Path) -> None:
    with scratch_env(tmp_path) as env:
        _seed(env, tmp_path)
        token = cli_ok(env, "user", "token", "kaori").strip().splitlines()[-1]
        with Server(env, tmp_path / "one.log") as one, Server(env, tmp_path / "two.log") as two:
            url = f"/api/v1/organizations/{A}/progress"
            assert get_json(one.url + url) == get_json(two.url + url)  # both caches warm
            system = get_json(two.url + url)["systems"][0]
            step = next(s for s in system["steps"] if s["step"] == "5")
            assert step["status"] == "not_started"
            body = json.dumps({"status": "completed", "as_of": "2026-01-31", "version": step["version"]}).encode()
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            cell = f"{one.url}/api/v1/organizations/{A}/systems/{quote(system['name'])}/steps/5"
            put = request(cell, method="PUT", body=body, headers=headers)
            assert put[0] == 200, put[2][:500]
            seen = next(s for s in get_json(two.url + url)["systems"][0]["steps"] if s["step"] == "5")
            assert seen["status"] == "completed" and seen["version"] == step["version"] + 1
            cli_ok(env, "import", _csv(tmp_path, "third.csv", ["6,作業中"]))  # a CLI write: seen by both too
            for server in (one, two):
                steps = get_json(server.url + url)["systems"][0]["steps"]
                assert next(s for s in steps if s["step"] == "6")["status"] == "in_progress"
