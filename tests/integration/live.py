"""Helpers for tests that run the real `shinchoku` command and server against a database of their own
(no tests here).

A scratch database is a fresh SQLite file, or on PostgreSQL a fresh database named after the test database
(test_<name>_scratch_<random>), dropped afterwards. Servers listen on free 127.0.0.1 ports only and are
stopped by the tests that start them.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

SHINCHOKU = str(Path(sys.executable).with_name("shinchoku"))
STARTUP_SECONDS = 60


def on_postgres() -> bool:
    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


@contextlib.contextmanager
def scratch_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment for `shinchoku` subprocesses on an empty database of their own (not yet initialised)."""
    env = {**os.environ, "SHINCHOKU_VAR": str(tmp_path / "var"), "SHINCHOKU_HOME": str(tmp_path)}
    if not on_postgres():
        yield {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'scratch.sqlite3'}"}
        return
    db = settings.DATABASES["default"]
    name = f"{db['NAME']}_scratch_{secrets.token_hex(3)}"[:63]
    with admin_connection() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = f"{urllib.parse.quote(db['USER'])}:{urllib.parse.quote(db['PASSWORD'])}"
        yield {**env, "DATABASE_URL": f"postgresql://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{name}"}
    finally:
        drop_database(admin_connection, name)


def admin_connection() -> Any:
    """An autocommit psycopg connection to the server's `postgres` database, as the test database's role (a
    context manager: closed when the `with` block ends)."""
    import psycopg

    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname="postgres",
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"],
        autocommit=True,
    )


def drop_database(connect: Any, name: str, *, seconds: float = 60) -> None:
    """Drop a scratch PostgreSQL database. FORCE ends our own lingering connections; it may not end an autovacuum
    worker (another role), which a plain DROP cancels by itself: so try both until the database is gone."""
    import psycopg

    deadline = time.monotonic() + seconds
    while True:
        try:
            with connect() as admin:
                try:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                except psycopg.errors.InsufficientPrivilege:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            return
        except psycopg.errors.ObjectInUse:  # a server's process still stopping
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def cli(env: dict[str, str], *args: str, input: str | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run the installed `shinchoku` command; its exit code, stdout and stderr (text)."""
    return subprocess.run(
        [SHINCHOKU, *args], env=env, input=input, capture_output=True, text=True, timeout=timeout, check=False
    )


def cli_ok(env: dict[str, str], *args: str, input: str | None = None) -> str:
    done = cli(env, *args, input=input)
    assert done.returncode == 0, f"shinchoku {' '.join(args)}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`shinchoku serve` on a free 127.0.0.1 port, up (GET /healthz 200) on entry, stopped on exit."""

    def __init__(self, env: dict[str, str], log: Path, *, workers: int = 1, extra: tuple[str, ...] = ()) -> None:
        self.env, self.log, self.workers, self.extra = env, log, workers, extra
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        args = ["serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(self.workers)]
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen([SHINCHOKU, *args, *self.extra], env=self.env, stdout=out, stderr=out)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"shinchoku serve exited ({self.proc.returncode}):\n{self.output()[-3000:]}")
            with contextlib.suppress(OSError):
                if request(f"{self.url}/healthz")[0] == 200:
                    return self
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"shinchoku serve did not answer within {STARTUP_SECONDS} s:\n{self.output()[-3000:]}")

    def __exit__(self, *exc: object) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def json_lines(self) -> list[dict[str, Any]]:
        """The JSON log lines the server wrote so far."""
        found = []
        for line in self.output().splitlines():
            with contextlib.suppress(ValueError):
                value = json.loads(line)
                if isinstance(value, dict):
                    found.append(value)
        return found

    def worker_pids(self) -> set[int]:
        """The gunicorn workers: the master's children (`shinchoku serve` execs gunicorn in its own process),
        less the helpers the master starts beside them (the open data builder and the page warmer, both told
        their `--parent`: shinchoku/opendata/gunicorn_hooks.py)."""
        assert self.proc is not None
        return {pid for pid in children_of(self.proc.pid) if b"\x00--parent\x00" not in cmdline(pid)}

    def wait_for_workers(self, count: int, seconds: float = 30) -> set[int]:
        """The workers once `count` of them run (the master forks them one by one after the first answers)."""
        deadline = time.monotonic() + seconds
        while len(pids := self.worker_pids()) != count and time.monotonic() < deadline:
            time.sleep(0.2)
        return pids


def children_of(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()  # after "(command name)": state, ppid, …
            if int(fields[1]) == pid:
                found.add(int(stat.parent.name))
    return found


def cmdline(pid: int) -> bytes:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    return b""


def request(
    url: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    opener: urllib.request.OpenerDirector | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of one HTTP request; HTTP errors are answers too."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with (opener or urllib.request.build_opener()).open(req, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def get_json(url: str) -> Any:
    status, _headers, body = request(url)
    assert status == 200, (url, status, body[:300])
    return json.loads(body)


def multipart(fields: dict[str, str], file_name: str, content: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body with the fields and one file (field "file"); (body, content type)."""
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()
    ]
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    )
    body = b"".join(parts) + head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def log_in(base: str, username: str, password: str) -> tuple[int, urllib.request.OpenerDirector]:
    """POST the staff login form as a browser would (CSRF cookie and token); (status, opener with the session)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    request(f"{base}/staff/login/", opener=opener)
    token = next(c.value for c in jar if c.name == "csrftoken")
    form = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"{base}/staff/login/"}
    status, _h, _b = request(f"{base}/staff/login/", method="POST", body=form.encode(), headers=headers, opener=opener)
    return status, opener
