"""Downloads benchmark: parallel open data downloads on a fresh installation, and the API meanwhile.

A fresh SQLite database gets `shinchoku init` + `shinchoku demo` (timed), then `shinchoku serve` (gunicorn and
the open data builder) on 127.0.0.1. Run 1, right after the start: 24 parallel downloads (12 published months
spread from the oldest to the latest × progress.xlsx and progress.csv, the CSV without gzip like a script),
each following 503 + Retry-After until it gets the file; meanwhile /api/v1/months and /api/v1/summary are
asked every half second. Run 2: the same downloads once the files are built. Then the server is stopped and
`shinchoku opendata build --month latest --all` times each file of the latest month.

    python -m bench.downloads [--months 12] [--no-docs]
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.docs import arguments, publish
from bench.serving import free_port, serving, wait_for

ROOT = Path(__file__).resolve().parents[1]
SHINCHOKU = [sys.executable, "-m", "shinchoku.cli"]
HOST = "127.0.0.1"
MAX_SECONDS = 1200  # per download, whatever happens


def get(port: int, path: str, timeout: float = 300) -> tuple[int, dict, int]:
    req = urllib.request.Request(f"http://{HOST}:{port}{path}")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            size = 0
            while chunk := r.read(1024 * 1024):
                size += len(chunk)
            return r.status, dict(r.headers), size
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), len(e.read())


def download(port: int, path: str) -> dict:
    started = time.perf_counter()
    statuses: list[int] = []
    size = 0
    while time.perf_counter() - started < MAX_SECONDS:
        status, headers, size = get(port, path)
        statuses.append(status)
        if status != 503:
            break
        time.sleep(min(int(headers.get("Retry-After", "10")), 10))
    return {"path": path, "statuses": statuses, "seconds": time.perf_counter() - started, "bytes": size}


def run(port: int, paths: list[str], fetch: Callable[[int, str], Any] | None = None) -> dict:
    """Every path downloaded at once (by `fetch`, `download` by default) while the API is asked every half second:
    the downloads' results, the probes (path, status, seconds) and the wall time."""
    fetch = fetch or download
    probes: list[tuple[str, int, float]] = []
    done = threading.Event()

    def probe() -> None:
        while not done.is_set():
            for path in ("/api/v1/months", "/api/v1/summary"):
                t = time.perf_counter()
                status = get(port, path, timeout=60)[0]
                probes.append((path, status, time.perf_counter() - t))
            done.wait(0.5)

    prober = threading.Thread(target=probe)
    prober.start()
    started = time.perf_counter()
    try:
        with ThreadPoolExecutor(len(paths)) as pool:
            results = list(pool.map(lambda p: fetch(port, p), paths))
    finally:
        done.set()
        prober.join()
    return {"results": results, "probes": probes, "seconds": time.perf_counter() - started}


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(p * len(values)))] if values else float("nan")


def summary(label: str, data: dict) -> str:
    results, probes = data["results"], data["probes"]
    finals = [r["statuses"][-1] for r in results]
    first_503 = sum(1 for r in results if r["statuses"][0] == 503)
    others = sorted({s for r in results for s in r["statuses"]} - {200, 503})
    lat = [s for _, _, s in probes]
    slow = sum(1 for s in lat if s >= 2.0)
    return (
        f"| {label} | {sum(1 for s in finals if s == 200)}/{len(finals)} | {first_503} | "
        f"{', '.join(map(str, others)) or 'none'} | {data['seconds']:.0f} s | "
        f"{len(probes)} ({sum(1 for _, s, _ in probes if s == 200)} × 200) | {_pct(lat, 0.5) * 1000:.0f} ms | "
        f"{_pct(lat, 0.95) * 1000:.0f} ms | {max(lat, default=float('nan')):.2f} s | {slow} |"
    )


def main(argv: list[str] | None = None) -> int:
    p = arguments(__doc__)
    p.add_argument("--months", type=int, default=12)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="shinchoku-bench-dl-") as name:
        tmp = Path(name)
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}", "SHINCHOKU_VAR": str(tmp / "var")}
        for var in ("SHINCHOKU_DEBUG", "SHINCHOKU_OPENDATA_BUILDER", "SHINCHOKU_AUTO_PUBLISH"):
            env.pop(var, None)
        quiet = {"env": env, "cwd": ROOT, "check": True, "stdout": subprocess.DEVNULL}
        t = time.perf_counter()
        subprocess.run([*SHINCHOKU, "init"], **quiet)  # type: ignore[call-overload]
        subprocess.run([*SHINCHOKU, "demo"], **quiet)  # type: ignore[call-overload]
        demo_seconds = time.perf_counter() - t
        print(f"init + demo: {demo_seconds:.0f} s", flush=True)
        port = free_port()
        with serving(env, port, tmp / "serve.log"):
            wait_for(f"http://{HOST}:{port}/api/v1/summary")
            with urllib.request.urlopen(f"http://{HOST}:{port}/opendata/catalogue.json") as r:
                months = [m["month"] for m in json.load(r)["months"]]
            n = min(args.months, len(months))
            picked = [months[round(i * (len(months) - 1) / max(1, n - 1))] for i in range(n)]
            paths = [f"/opendata/{m}/progress.{ext}" for m in picked for ext in ("xlsx", "csv")]
            print(f"run 1: {len(paths)} downloads right after the start", flush=True)
            fresh = run(port, paths)
            print(summary("fresh", fresh), flush=True)
            print(f"run 2: {len(paths)} downloads of built files", flush=True)
            built = run(port, paths)
            print(summary("built", built), flush=True)
        out = subprocess.run(
            [*SHINCHOKU, "opendata", "build", "--month", "latest", "--all"],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        times = dict(re.findall(r"^\S+ (\S+): ([\d.]+) 秒$", out, re.M))
    heavy = ["progress.csv", "progress.json", "progress.parquet", "progress.xlsx", "all.sqlite"]
    total = sum(float(v) for v in times.values())
    sizes = {r["path"].rsplit(".", 1)[1]: r["bytes"] for r in built["results"]}
    text = "\n".join(
        [
            "| run | 200 in the end | first answer 503 | other statuses | all done after | API probes |"
            " API p50 | API p95 | API max | API ≥ 2 s |",
            "|---|---|---|---|---|---|---|---|---|---|",
            summary("right after `shinchoku serve` (nothing built)", fresh),
            summary("again, files built", built),
            "",
            f"- {len(paths)} downloads: {n} published months from the oldest to the latest × progress.xlsx and"
            " progress.csv",
            f"- `shinchoku init` + `shinchoku demo`: {demo_seconds:.0f} s (the demo builds no files)",
            f"- bytes per download: progress.xlsx {sizes.get('xlsx', 0) / 1e6:.1f} MB, progress.csv"
            f" {sizes.get('csv', 0) / 1e6:.0f} MB (sent without gzip, decompressed while sending)",
            "- build of the latest month, every file (`shinchoku opendata build --month latest --all`): "
            + ", ".join(f"{k} {float(times[k]):.1f} s" for k in heavy if k in times)
            + f"; all {len(times)} files {total:.0f} s",
        ]
    )
    publish("downloads", text, write=not args.no_docs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
