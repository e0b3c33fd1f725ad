"""Open data downloads on a real server: parallel anonymous downloads on a fresh installation.

`shinchoku init` + `shinchoku demo` on a new SQLite file (a new PostgreSQL database on a PostgreSQL run),
then `shinchoku serve` (gunicorn, the open data builder and the page warmer) on a free 127.0.0.1 port: 24
parallel downloads (12 published months × progress.xlsx and progress.csv) while the API is asked every half
second. Files not built yet are answered 503 with Retry-After (or, while a worker sends its maximum of files at
once, a short one), which each download follows; every download ends with 200 and a whole file, no other status
is ever seen, and the API answers every probe. Latencies are printed, not asserted (bench/downloads.py measures
them). The server is stopped by the test.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from openpyxl import load_workbook

from bench import downloads
from bench.serving import free_port, serving
from tests.datasets import SMALL_PREFECTURES
from tests.integration.live import drop_database

ROOT = Path(__file__).resolve().parents[2]
SHINCHOKU = [sys.executable, "-m", "shinchoku.cli"]
HOST = "127.0.0.1"
MONTHS, MAX_SECONDS = 12, 900

pytestmark = pytest.mark.timeout(1800)


def get(port: int, path: str, *, gzip_ok: bool = False, timeout: float = 120) -> tuple[int, dict, bytes]:
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    req = urllib.request.Request(f"http://{HOST}:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


@contextlib.contextmanager
def fresh_database(tmp: Path) -> Iterator[str]:
    """A new empty database: a SQLite file, or on a PostgreSQL run a database of its own, dropped after."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp / 'db.sqlite3'}"
        return
    import psycopg

    parsed = urlsplit(url)
    name = f"{parsed.path.lstrip('/') or 'shinchoku'}_serve_{os.getpid()}"
    admin = urlunsplit(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        con.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parsed._replace(path=f"/{name}"))
    finally:
        drop_database(lambda: psycopg.connect(admin, autocommit=True), name)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fresh")
    with fresh_database(tmp) as url:
        yield from _serve(tmp, url)


def _serve(tmp: Path, url: str) -> Iterator[tuple[int, Path]]:
    # The page warmer runs beside the builder, as on any fresh installation, but keeps the latest month's wider
    # pages only: every month's (the default) cost this test 13 s more CPU per session, for pages no download
    # here reads (the warmer's months are tested in tests/integration/test_stored_pages.py).
    env = {**os.environ, "DATABASE_URL": url, "SHINCHOKU_VAR": str(tmp / "var"), "SHINCHOKU_STORED_MONTHS": "1"}
    for name in ("SHINCHOKU_DEBUG", "SHINCHOKU_OPENDATA_BUILDER", "SHINCHOKU_PAGE_WARMER", "SHINCHOKU_AUTO_PUBLISH"):
        env.pop(name, None)
    for step in (["init"], ["demo", "--prefectures", ",".join(SMALL_PREFECTURES)]):
        subprocess.run([*SHINCHOKU, *step], env=env, cwd=ROOT, check=True, capture_output=True, timeout=600)
    port = free_port()
    with serving(env, port, tmp / "serve.log"):  # the server, its workers and its builder: stopped together
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if get(port, "/api/v1/summary", timeout=5)[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("the server did not answer: " + (tmp / "serve.log").read_text())
        yield port, tmp


@dataclass
class Download:
    path: str
    statuses: list[int] = field(default_factory=list)
    body: bytes = b""
    headers: dict = field(default_factory=dict)


def download(port: int, path: str) -> Download:
    d = Download(path)
    deadline = time.monotonic() + MAX_SECONDS
    while time.monotonic() < deadline:
        status, headers, body = get(port, path)  # no Accept-Encoding: the CSV is decompressed while sent
        d.statuses.append(status)
        if status != 503:
            d.body, d.headers = body, headers
            return d
        text = body.decode("utf-8")  # not built yet, or too many files being sent by the worker at once
        assert headers["Retry-After"].isdigit() and ("作成中" in text or "混み合って" in text), (path, headers, text)
        time.sleep(min(int(headers["Retry-After"]), 10))
    return d


def test_24_parallel_downloads_on_a_fresh_installation_all_end_200_while_the_api_answers(server):
    port, tmp = server
    status, _, body = get(port, "/opendata/catalogue.json")
    months = [m["month"] for m in json.loads(body)["months"]]
    assert status == 200 and len(months) >= MONTHS
    picked = [months[round(i * (len(months) - 1) / (MONTHS - 1))] for i in range(MONTHS)]  # oldest to latest
    paths = [f"/opendata/{m}/progress.{ext}" for m in picked for ext in ("xlsx", "csv")]

    # the same load as `python -m bench.downloads`, keeping each body to check it
    ran = downloads.run(port, paths, fetch=download)
    results, probes, elapsed = ran["results"], ran["probes"], ran["seconds"]

    assert [r.statuses[-1] for r in results] == [200] * len(paths), [(r.path, r.statuses) for r in results]
    assert all(set(r.statuses[:-1]) <= {503} for r in results)
    for r, month in zip(results, [m for m in picked for _ in (0, 1)], strict=True):
        if r.path.endswith(".csv"):
            assert "Content-Encoding" not in r.headers and int(r.headers["Content-Length"]) == len(r.body)
            rows = csv.reader(io.StringIO(r.body[:4096].decode("utf-8-sig", errors="ignore")))
            header, first = next(rows), next(rows)
            assert header[:5] == ["全国地方公共団体コード", "対象システム", "作業ステップ", "状態", "基準日"]
            assert first[4].startswith(month) and first[8] == "架空のサンプルデータ"
            assert r.body.count(b"\r\n") > 100_000  # 40 steps of each of the small sample's ~3,000 systems
        else:
            book = load_workbook(io.BytesIO(r.body), read_only=True)
            assert book.sheetnames[0] == "説明" and len(book.sheetnames) == 2
    assert probes and all(status == 200 for _, status, _ in probes), probes
    slowest = max(seconds for _, _, seconds in probes)
    first_503 = sum(1 for r in results if r.statuses[0] == 503)
    print(
        f"\n24 downloads: all 200 after {elapsed:.0f} s ({first_503} first answered 503, "
        f"{sum(len(r.statuses) for r in results)} requests); API probes: {len(probes)}, "
        f"slowest {slowest:.2f} s, median {sorted(s for _, _, s in probes)[len(probes) // 2]:.3f} s"
    )
    assert "Traceback" not in (tmp / "serve.log").read_text()
