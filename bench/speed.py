"""Speed where users are: cold walks over every 団体, a random `?as_of` mix, staff edits, publishing.

For each database (SQLite, and PostgreSQL when reachable): a fresh database with `shinchoku init` +
`shinchoku demo` (the fictional national sample, 1,741 団体 + 47 prefectures), served by `shinchoku serve`
(gunicorn, its default workers; without its open data builder unless `--opendata-builder`), and the same data
as the open data SQLite bundle served by Datasette. One asyncio load generator on 127.0.0.1 (bench.serving's),
in one run:

- cold walk, 16 clients: every 団体's `/api/v1/organizations/{code}/progress` in turn (each URL once, so the
  per-worker response cache misses) against Datasette's rows of the same 団体; then the HTML pages
  `/organizations/{code}`. These are the pages rendered ahead of readers (`shinchoku pages warm`, run after
  the demo and timed; `shinchoku serve` keeps them current). The same walks with `?as_of=` the latest month
  are rendered on request: the cold path itself;
- a mix of six public pages with a random `?as_of` (HTML), 32 clients: five of the six kinds are pages of wider
  areas, stored for every published month by the same `pages warm`; a 団体's page of a past month is rendered
  on request. Then each kind of the mix alone (16 clients, half the seconds: what each costs, where the mix's
  p99 comes from), and the national page `/` alone (the page every reader of an article opens), 32 clients;
- staff edits of the latest published month through the guarded service (the server time of the write,
  timed around the call in a separate process on the same database), each checked at once on the public
  API of the running server (the address without `?as_of=`, whose page is stored); then publishing the latest
  month again (its full recompute).

    python -m bench.speed [--seconds 8] [--databases sqlite,postgres] [--opendata-builder] [--no-docs]
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.docs import arguments, publish  # noqa: E402
from bench.serving import (  # noqa: E402
    HOST,
    SHINCHOKU,
    Result,
    free_port,
    measure,
    start_datasette,
    stop,
    wait_for,
)

PG_BASE = os.environ.get("PG_URL", "postgresql://shinchoku:shinchoku@127.0.0.1:5432/shinchoku")
PG_DB = "shinchoku_speed_bench"
EDITS = 15
MIX_PAGES = ("/", "/prefectures/{pref}", "/organizations/{code}", "/businesses/{business}", "/steps", "/vendors")

EDIT_SCRIPT = r"""
import json, os, random, statistics, sys, time, urllib.request
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shinchoku.settings")
django.setup()
import logging; logging.disable(logging.CRITICAL)
from shinchoku.accounts.actor import Actor
from shinchoku.domain.status import Status
from shinchoku.progress import services
from shinchoku.progress.models import Month, StatusSnapshot, System

port, edits = int(sys.argv[1]), int(sys.argv[2])
actor = Actor.shell("bench")
rnd = random.Random(12)
month = Month.objects.filter(published=True).order_by("-as_of").values_list("as_of", flat=True).first()
systems = list(System.objects.filter(organization__is_practice=False).order_by("id").values_list("id", flat=True))
times, cpu, seen = [], [], 0
for _ in range(edits):
    system = System.objects.select_related("organization").get(pk=rnd.choice(systems))
    snap = StatusSnapshot.objects.filter(system=system, as_of__lte=month).order_by("-as_of").first()
    step = rnd.randint(1, 40)
    old = (snap.codes or "N" * 40)[step - 1] if snap else "N"
    new = Status.COMPLETED if old != "C" else Status.IN_PROGRESS
    started, started_cpu = time.perf_counter(), time.process_time()
    services.status_set(actor=actor, system=system, as_of=month, step=str(step), status=new, version=None)
    times.append(time.perf_counter() - started)
    cpu.append(time.process_time() - started_cpu)
    url = f"http://127.0.0.1:{port}/api/v1/organizations/{system.organization_id}/progress"  # latest: stored
    data = json.load(urllib.request.urlopen(url, timeout=30))
    cell = next(s for s in data["systems"] if s["name"] == system.name)["steps"][step - 1]["status"]
    seen += cell == new.value
Month.objects.filter(as_of=month).update(published=False)
started = time.perf_counter()
services.month_publish(actor=actor, as_of=month)  # after the edits: the country's forecast and backtest
publish = time.perf_counter() - started
Month.objects.filter(as_of=month).update(published=False, refresh_needed="full")  # as after unpublished edits
started = time.perf_counter()
services.month_publish(actor=actor, as_of=month)
full = time.perf_counter() - started
print(json.dumps({
    "edits": [round(t * 1000, 1) for t in times], "cpu": [round(t * 1000, 1) for t in cpu], "seen": seen,
    "publish_s": round(publish, 2),
    "publish_full_s": round(full, 2),
}))
"""


def _pg_url(name: str) -> str:
    return PG_BASE.rsplit("/", 1)[0] + "/" + name


def _recreate_pg() -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    try:
        with psycopg.connect(_pg_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{PG_DB}"')
    except psycopg.Error as e:
        print(f"PostgreSQL を使えません: {e}", flush=True)
        return False
    return True


def prepare(tmp: Path, database: str) -> tuple[dict[str, str], Path, float, float]:
    url = f"sqlite:///{tmp / 'bench.sqlite3'}" if database == "sqlite" else _pg_url(PG_DB)
    env = {**os.environ, "DATABASE_URL": url, "SHINCHOKU_VAR": str(tmp / "var")}
    env.pop("SHINCHOKU_DEBUG", None)
    quiet = {"env": env, "check": True, "stdout": subprocess.DEVNULL, "cwd": ROOT}
    started = time.perf_counter()
    subprocess.run([*SHINCHOKU, "init"], **quiet)  # type: ignore[call-overload]
    subprocess.run([*SHINCHOKU, "demo"], **quiet)  # type: ignore[call-overload]
    demo = time.perf_counter() - started
    bundle = tmp / "shinchoku.sqlite"
    subprocess.run([*SHINCHOKU, "export", "all", "--format", "sqlite", "-o", str(bundle)], **quiet)  # type: ignore[call-overload]
    started = time.perf_counter()
    subprocess.run([*SHINCHOKU, "pages", "warm"], **quiet)  # type: ignore[call-overload]
    return env, bundle, demo, time.perf_counter() - started


def _mix_url(rnd: random.Random, kind: str, codes: list[str], months: list[str]) -> str:
    """One page of the mix: a kind of MIX_PAGES for a random prefecture, 団体 or business, at a random month."""
    page = kind.format(pref=f"{rnd.randint(1, 47):02d}", code=rnd.choice(codes), business=rnd.randint(1, 20))
    return f"{page}?as_of={rnd.choice(months)}"


def _get_json(port: int, path: str) -> object:
    with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=60) as r:
        return json.load(r)


def run_database(database: str, *, seconds: float, builder: bool = False) -> dict:
    with tempfile.TemporaryDirectory(prefix="shinchoku-speed-") as name:
        tmp = Path(name)
        env, bundle, demo, warm = prepare(tmp, database)
        ours_port, datasette_port = free_port(), free_port()
        log = (tmp / "servers.log").open("w")
        # The open data builder is left out unless asked for: on a fresh database it would build the files of all
        # 44 months beside the load (tens of minutes of CPU), which a running site does once, after publishing a
        # month. Its own benchmark is bench/downloads.py.
        served = env if builder else {**env, "SHINCHOKU_OPENDATA_BUILDER": "0"}
        ours = subprocess.Popen(
            [*SHINCHOKU, "serve", "--host", HOST, "--port", str(ours_port)],
            env=served,
            cwd=ROOT,
            stdout=log,
            stderr=log,
        )
        datasette = start_datasette(bundle, datasette_port, env=env, cwd=tmp, log=log)
        try:
            wait_for(f"http://{HOST}:{ours_port}/api/v1/summary")
            wait_for(f"http://{HOST}:{datasette_port}/-/versions.json")
            orgs = _get_json(ours_port, "/api/v1/organizations?limit=2000")
            codes = [o["code"] for o in orgs]  # type: ignore[union-attr, index]
            random.Random(1).shuffle(codes)
            months = [m["as_of"][:7] for m in _get_json(ours_port, "/api/v1/months")]  # type: ignore[union-attr, index]
            table = "_shape=array&_size=max&_nocount=1&_nofacet=1"
            code_col = quote("全国地方公共団体コード")
            results: list[Result] = []
            walks = (
                ("cold walk JSON", "shinchoku", ours_port, [f"/api/v1/organizations/{c}/progress" for c in codes]),
                (
                    "cold walk JSON",
                    "Datasette",
                    datasette_port,
                    [f"/shinchoku/progress.json?{code_col}={c}&{table}" for c in codes],
                ),
                ("cold walk HTML", "shinchoku", ours_port, [f"/organizations/{c}" for c in reversed(codes)]),
                (
                    "cold walk JSON, rendered on request",
                    "shinchoku",
                    ours_port,
                    [f"/api/v1/organizations/{c}/progress?as_of={months[-1]}" for c in codes[::-1]],
                ),
                (
                    "cold walk HTML, rendered on request",
                    "shinchoku",
                    ours_port,
                    [f"/organizations/{c}?as_of={months[-1]}" for c in codes],
                ),
            )
            for question, server, port, paths in walks:
                r = measure(server, question, port, paths, clients=16, seconds=seconds)
                results.append(r)
                print(f"  [{database}] {server:<10} {question}: {r.rps:,.0f} req/s, p99 {r.p99_ms:.0f} ms", flush=True)
            rnd = random.Random(2)
            mix = [_mix_url(rnd, rnd.choice(MIX_PAGES), codes, months) for _ in range(5000)]
            r = measure("shinchoku", "random ?as_of mix", ours_port, mix, clients=32, seconds=seconds)
            results.append(r)
            print(f"  [{database}] mix: {r.rps:,.0f} req/s, p99 {r.p99_ms:.0f} ms", flush=True)
            for kind in MIX_PAGES:  # what each kind of the mix costs alone: where its p99 comes from
                paths = [_mix_url(rnd, kind, codes, months) for _ in range(3000)]
                r = measure("shinchoku", f"mix: {kind} alone", ours_port, paths, clients=16, seconds=seconds / 2)
                results.append(r)
                print(f"  [{database}] {r.question}: {r.rps:,.0f} req/s, p99 {r.p99_ms:.0f} ms", flush=True)
            r = measure("shinchoku", "national page, one URL", ours_port, "/", clients=32, seconds=seconds)
            results.append(r)
            print(f"  [{database}] national page: {r.rps:,.0f} req/s, p99 {r.p99_ms:.0f} ms", flush=True)
            edit = subprocess.run(
                [sys.executable, "-c", EDIT_SCRIPT, str(ours_port), str(EDITS)],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            )
            edits = json.loads(edit.stdout.strip().splitlines()[-1])
            print(f"  [{database}] edits: {edits}", flush=True)
        finally:
            stop(ours, datasette)
            log.close()
    return {"database": database, "results": results, "edits": edits, "demo_s": demo, "warm_s": warm}


def report(runs: list[dict], load: str) -> str:
    rows = [
        "| database | question | server | clients | requests/s | p50 | p99 | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    notes = []
    for run in runs:
        db = "SQLite" if run["database"] == "sqlite" else "PostgreSQL"
        res: list[Result] = run["results"]
        for r in res:
            clients = 32 if r.question.startswith(("random", "national")) else 16
            rows.append(
                f"| {db} | {r.question} | {r.server} | {clients} | {r.rps:,.0f} | {r.p50_ms:.0f} ms |"
                f" {r.p99_ms:.0f} ms | {r.errors} |"
            )
        by = {(r.question, r.server): r for r in res}
        ours, theirs = by["cold walk JSON", "shinchoku"], by["cold walk JSON", "Datasette"]
        html, mix = by["cold walk HTML", "shinchoku"], by["random ?as_of mix", "shinchoku"]
        live_json = by["cold walk JSON, rendered on request", "shinchoku"]
        live_html = by["cold walk HTML, rendered on request", "shinchoku"]
        edits = run["edits"]
        notes.append(
            f"- {db}: cold walk JSON **{ours.rps / theirs.rps:.1f}×** Datasette (goal ≥ 3×;"
            f" {live_json.rps / theirs.rps:.1f}× rendered on request); HTML p99 **{html.p99_ms:.0f} ms** (goal ≤"
            f" 250 ms; {live_html.p99_ms:.0f} ms rendered on request); mix p99 **{mix.p99_ms:.0f} ms** (goal ≤"
            f" 300 ms); staff edit median **{statistics.median(edits['edits']):.0f} ms** over {len(edits['edits'])}"
            f" edits (max {max(edits['edits']):.0f} ms; goal ≤ 100 ms; the editing process's own CPU median"
            f" {statistics.median(edits['cpu']):.0f} ms; the rest is waiting, for the database or a CPU), shown at"
            f" once by the public API in {edits['seen']}/{len(edits['edits'])}; publishing the latest national month"
            f" again after those edits"
            f" **{edits['publish_s']:.1f} s** (goal ≤ 2 s), and when it needs a full recompute (edits made while"
            f" it was unpublished) {edits['publish_full_s']:.1f} s; init + demo {run['demo_s']:.0f} s; rendering"
            f" every stored page ahead (`shinchoku pages warm`: each 団体's page and API, and the wider areas' pages"
            f" of every month) {run['warm_s']:.0f} s"
        )
    return "\n".join([*rows, "", *notes, "", f"Load average when the run started: {load}."])


def main(argv: list[str] | None = None) -> int:
    p = arguments(__doc__)
    p.add_argument("--seconds", type=float, default=8.0, help="measured seconds per question")
    p.add_argument("--databases", default="sqlite,postgres")
    p.add_argument("--opendata-builder", action="store_true", help="serve with the open data builder running")
    args = p.parse_args(argv)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    runs = []
    for database in args.databases.split(","):
        if database == "postgres" and not _recreate_pg():
            continue
        print(f"=== {database}", flush=True)
        runs.append(run_database(database, seconds=args.seconds, builder=args.opendata_builder))
    builder = "running" if args.opendata_builder else "off (SHINCHOKU_OPENDATA_BUILDER=0)"
    text = report(runs, load) + f"\nThe server's open data builder: {builder}."
    publish("speed-run", text, write=not args.no_docs and bool(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
