"""Serving benchmark: the JSON API under `shinchoku serve` against Datasette on the same data, in one run.

A fresh SQLite database gets `shinchoku init` + `shinchoku demo`; `shinchoku export all --format sqlite` writes
the open data bundle that Datasette serves (immutable). Both servers listen on 127.0.0.1 only and are driven
by the same asyncio load generator (32 keep-alive clients, bounded in time and count) with two questions:
a prefecture's summary and one 団体's progress. Also measured: the national page's transfer size (gzip, the
page and every CSS/JS asset it links) and the RSS of each gunicorn worker after the load.

    python -m bench.serving [--seconds 8] [--clients 32]
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from urllib.parse import quote

from bench.docs import arguments, publish

ROOT = Path(__file__).resolve().parents[1]
SHINCHOKU = [sys.executable, "-m", "shinchoku.cli"]
HOST = "127.0.0.1"
PREFECTURE, ORGANIZATION = "13", "042021"
NO_CACHE = "shinchoku (cache off)"
MAX_REQUESTS = 40_000  # per scenario, whatever the duration
WARMUP_SECONDS = 1.0


@dataclass
class Result:
    server: str
    question: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float
    bytes_per_response: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# --- load generator: raw HTTP/1.1 keep-alive over asyncio streams (cheap enough not to be the bottleneck) ---


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, int, bool]:
    """(status, body bytes, keep-alive) of one response."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    keep = headers.get("connection", "").lower() != "close"
    if "content-length" in headers:
        n = int(headers["content-length"])
        await reader.readexactly(n)
        return status, n, keep
    if headers.get("transfer-encoding", "").lower() == "chunked":
        total = 0
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            total += size
            if size == 0:
                return status, total, keep
    body = await reader.read()  # no length: the server closes the connection
    return status, len(body), False


async def _client(port: int, requests: Iterator[bytes], stop_at: float, record_from: float, state: dict) -> None:
    reader = writer = None
    while time.perf_counter() < stop_at and state["count"] < MAX_REQUESTS:
        if writer is None:
            reader, writer = await asyncio.open_connection(HOST, port)
        assert reader is not None
        request = next(requests)
        started = time.perf_counter()
        try:
            writer.write(request)
            status, size, keep = await _read_response(reader)
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
            reader = writer = None  # the server closed an idle keep-alive connection: reconnect
            continue
        ended = time.perf_counter()
        if started >= record_from:
            state["count"] += 1
            state["latencies"].append(ended - started)
            state["bytes"] += size
            state["errors"] += status != 200
        if not keep:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def drive(
    port: int, path: str | Sequence[str], *, clients: int, seconds: float
) -> tuple[int, int, float, list[float], int]:
    """Drive one path, or a list of paths that the clients walk through in turn (one shared cycle)."""
    paths = [path] if isinstance(path, str) else list(path)
    requests = itertools.cycle(
        [
            (
                f"GET {p} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: application/json\r\n"
                "Accept-Encoding: gzip\r\nConnection: keep-alive\r\n\r\n"
            ).encode()
            for p in paths
        ]
    )
    state: dict = {"count": 0, "errors": 0, "bytes": 0, "latencies": []}

    async def run() -> float:
        start = time.perf_counter()
        record_from = start + WARMUP_SECONDS
        stop_at = record_from + seconds
        await asyncio.gather(*(_client(port, requests, stop_at, record_from, state) for _ in range(clients)))
        return time.perf_counter() - record_from

    elapsed = asyncio.run(run())
    return state["count"], state["errors"], elapsed, state["latencies"], state["bytes"]


def measure(
    server: str, question: str, port: int, path: str | Sequence[str], *, clients: int, seconds: float
) -> Result:
    count, errors, elapsed, latencies, size = drive(port, path, clients=clients, seconds=seconds)
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    return Result(server, question, count, errors, elapsed, pct(0.50), pct(0.99), size / count if count else 0)


# --- servers ---


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def wait_for(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} が応答しません")


def worker_rss_mib(master: int) -> list[float]:
    children = Path(f"/proc/{master}/task/{master}/children")
    pids = children.read_text().split() if children.exists() else []
    sizes = []
    for pid in pids:
        status = Path(f"/proc/{pid}/status")
        command = Path(f"/proc/{pid}/cmdline")
        if not command.exists() or b"\x00--parent\x00" in command.read_bytes():
            continue  # gone, or the open data builder or the page warmer beside the workers
        if status.exists():
            match = re.search(r"VmRSS:\s+(\d+) kB", status.read_text())
            if match:
                sizes.append(int(match.group(1)) / 1024)
    return sizes


def page_weight(port: int) -> tuple[int, int, int]:
    """(gzip bytes on the wire, uncompressed bytes, number of files) of / and the CSS/JS it links."""

    def fetch(path: str) -> tuple[int, int]:
        req = urllib.request.Request(f"http://{HOST}:{port}{path}", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req, timeout=30) as r:
            body = r.read()
            raw = body
            if r.headers.get("Content-Encoding") == "gzip":
                import gzip

                raw = gzip.decompress(body)
            return len(body), len(raw)

    req = urllib.request.Request(f"http://{HOST}:{port}/", headers={"Accept-Encoding": "identity"})
    with urllib.request.urlopen(req, timeout=30) as r:
        html = r.read().decode("utf-8")
    assets = set(re.findall(r'<link[^>]+href="(/[^"]+)"', html)) | set(re.findall(r'<script[^>]+src="(/[^"]+)"', html))
    wire, raw = fetch("/")
    for asset in sorted(assets):
        w, u = fetch(asset)
        wire, raw = wire + w, raw + u
    return wire, raw, 1 + len(assets)


def prepare(tmp: Path) -> tuple[dict[str, str], Path]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}", "SHINCHOKU_VAR": str(tmp / "var")}
    env.pop("SHINCHOKU_DEBUG", None)
    quiet = {"env": env, "check": True, "stdout": subprocess.DEVNULL, "cwd": ROOT}
    started = time.perf_counter()
    subprocess.run([*SHINCHOKU, "init"], **quiet)  # type: ignore[call-overload]
    subprocess.run([*SHINCHOKU, "demo"], **quiet)  # type: ignore[call-overload]
    bundle = tmp / "shinchoku.sqlite"
    subprocess.run([*SHINCHOKU, "export", "all", "--format", "sqlite", "-o", str(bundle)], **quiet)  # type: ignore[call-overload]
    print(f"データの準備: {time.perf_counter() - started:.0f} 秒（init + demo + export）", flush=True)
    return env, bundle


def questions(db: str) -> dict[str, tuple[str, str]]:
    """question → (our path, Datasette's path) asking the same thing."""
    code_col, pref_col = quote("全国地方公共団体コード"), quote("都道府県コード")
    table = "_shape=array&_size=max&_nocount=1&_nofacet=1"
    return {
        f"prefecture {PREFECTURE} summary": (
            f"/api/v1/prefectures/{PREFECTURE}/summary",
            f"/{db}/organization_summary.json?{pref_col}={PREFECTURE}&{table}",
        ),
        f"団体 {ORGANIZATION} progress": (
            f"/api/v1/organizations/{ORGANIZATION}/progress",
            f"/{db}/progress.json?{code_col}={ORGANIZATION}&{table}",
        ),
    }


def start_datasette(bundle: Path, port: int, *, env: dict[str, str], cwd: Path, log: IO[str]) -> subprocess.Popen:
    """Datasette serving the open data bundle (immutable, indexed) on 127.0.0.1."""
    return subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", "-i", str(bundle), "-h", HOST, "-p", str(port)],
        env=env,
        cwd=cwd,
        stdout=log,
        stderr=log,
    )


@contextlib.contextmanager
def serving(env: dict[str, str], port: int, log_path: Path) -> Iterator[subprocess.Popen]:
    """`shinchoku serve` on 127.0.0.1:`port` in a session of its own (gunicorn, its workers and the open data
    builder), its output in `log_path`; all of them stopped together when the block ends."""
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [*SHINCHOKU, "serve", "--host", HOST, "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield server
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def stop(*procs: subprocess.Popen) -> None:
    """Terminate the servers and wait for them (killed after 20 s)."""
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def run(*, clients: int, seconds: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="shinchoku-bench-") as name:
        tmp = Path(name)
        env, bundle = prepare(tmp)
        ours_port, cold_port, datasette_port = free_port(), free_port(), free_port()
        log = (tmp / "servers.log").open("w")
        ours = subprocess.Popen(
            [*SHINCHOKU, "serve", "--host", HOST, "--port", str(ours_port)], env=env, cwd=ROOT, stdout=log, stderr=log
        )
        # the same server with the response cache off: what the first request for each URL costs
        cold = subprocess.Popen(
            [*SHINCHOKU, "serve", "--host", HOST, "--port", str(cold_port)],
            env={**env, "SHINCHOKU_API_CACHE": "0"},
            cwd=ROOT,
            stdout=log,
            stderr=log,
        )
        datasette = start_datasette(bundle, datasette_port, env=env, cwd=tmp, log=log)
        try:
            wait_for(f"http://{HOST}:{ours_port}/api/v1/summary")
            wait_for(f"http://{HOST}:{cold_port}/api/v1/summary")
            wait_for(f"http://{HOST}:{datasette_port}/-/versions.json")
            results = []
            for question, (our_path, their_path) in questions(bundle.stem).items():
                for server, port, path in (
                    ("shinchoku", ours_port, our_path),
                    ("Datasette", datasette_port, their_path),
                    (NO_CACHE, cold_port, our_path),
                ):
                    r = measure(server, question, port, path, clients=clients, seconds=seconds)
                    results.append(r)
                    print(f"  {server:<22} {question}: {r.rps:,.0f} req/s, p99 {r.p99_ms:.1f} ms", flush=True)
            wire, raw, files = page_weight(ours_port)
            rss = worker_rss_mib(ours.pid)
        finally:
            stop(ours, cold, datasette)
            log.close()
    return {"results": results, "page": (wire, raw, files), "rss": rss, "clients": clients, "seconds": seconds}


def report(data: dict) -> str:
    rows = [
        "| question | server | requests/s | p50 | p99 | errors | bytes/response |",
        "|---|---|---|---|---|---|---|",
    ]
    results: list[Result] = data["results"]
    ratios = []
    for ours, theirs, cold in zip(results[::3], results[1::3], results[2::3], strict=True):
        for r in (ours, theirs, cold):
            rows.append(
                f"| {r.question} | {r.server} | {r.rps:,.0f} | {r.p50_ms:.1f} ms | {r.p99_ms:.1f} ms |"
                f" {r.errors} | {r.bytes_per_response:,.0f} |"
            )
        if theirs.rps:
            ratios.append(
                f"{ours.question}: **{ours.rps / theirs.rps:.1f}×** Datasette's throughput"
                f" ({cold.rps / theirs.rps:.1f}× with the response cache off)"
            )
    wire, raw, files = data["page"]
    rss = data["rss"]
    lines = [
        *rows,
        "",
        f"- {data['clients']} keep-alive clients, {data['seconds']:.0f} s per server and question after"
        f" {WARMUP_SECONDS:.0f} s of warm-up",
        *(f"- {r}" for r in ratios if r),
        f"- National page `/`: **{wire / 1024:,.0f} KB** transferred with gzip ({raw / 1024:,.0f} KB uncompressed,"
        f" {files} files: the page and the CSS/JS it links)",
        "- gunicorn worker RSS after the load: "
        + (", ".join(f"{m:.0f} MiB" for m in rss) if rss else "not measured (no /proc children file)"),
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = arguments(__doc__)
    p.add_argument("--seconds", type=float, default=8.0, help="measured seconds per server and question")
    p.add_argument("--clients", type=int, default=32)
    args = p.parse_args(argv)
    print(f"Serving benchmark ({args.clients} clients, {args.seconds:.0f} s per server and question)", flush=True)
    data = run(clients=args.clients, seconds=args.seconds)
    publish("serving", report(data), write=not args.no_docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
