"""Import benchmark: `shinchoku import` of a national 総務省 workbook against the floor, in one run.

Floor = reading the workbook with python-calamine (the fastest reader here) + inserting its 1.4 M cells
with one executemany into a plain table in one transaction (sqlite3; PostgreSQL: COPY).
Ours = the real command in a subprocess on a fresh database holding the reference data: first import
(creates 34,914 systems) and a re-import of the unchanged file.
"""

from __future__ import annotations

import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.docs import publish

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
SHINCHOKU = [sys.executable, "-m", "shinchoku.cli"]
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql://shinchoku:shinchoku@127.0.0.1:5432/shinchoku_bench")


def workbook() -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "national-r8-01.xlsx"
    if not path.exists():
        sys.path.insert(0, str(ROOT))
        from bench.make_soumu_workbook import write_national_workbook

        write_national_workbook(path, as_of_label="令和8年1月", seed=1)
    return path


def _cells(path: Path) -> list[tuple[str, str, str, int, str]]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    rows = wb.get_sheet_by_name("業務別ステップ別進捗一覧").to_python()
    header = next(i for i, r in enumerate(rows) if r and r[0] == "都道府県名")
    return [(r[0], r[1], r[2], step, r[2 + step]) for r in rows[header + 1 :] for step in range(1, 41)]


def floor_sqlite(path: Path) -> float:
    started = time.perf_counter()
    cells = _cells(path)
    with tempfile.TemporaryDirectory() as tmp:
        con = sqlite3.connect(Path(tmp) / "floor.sqlite3")
        con.execute("CREATE TABLE cell (pref TEXT, name TEXT, business TEXT, step INTEGER, status TEXT)")
        with con:
            con.executemany("INSERT INTO cell VALUES (?, ?, ?, ?, ?)", cells)
        con.close()
    return time.perf_counter() - started


def floor_postgres(path: Path) -> float | None:
    try:
        import psycopg
    except ImportError:
        return None
    started = time.perf_counter()
    cells = _cells(path)
    try:
        with psycopg.connect(PG_URL.replace("postgresql://", "postgres://")) as con, con.cursor() as cur:
            cur.execute("CREATE TEMP TABLE cell (pref TEXT, name TEXT, business TEXT, step INTEGER, status TEXT)")
            with cur.copy("COPY cell FROM STDIN") as copy:
                for row in cells:
                    copy.write_row(row)
            con.commit()
    except psycopg.OperationalError:
        return None
    return time.perf_counter() - started


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def ours(path: Path, database_url: str) -> dict[str, float]:
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run([*SHINCHOKU, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    first, rss = _run([*SHINCHOKU, "import", str(path), "--actor", "bench"], env)
    again, rss_again = _run([*SHINCHOKU, "import", str(path), "--actor", "bench"], env)
    return {"first": first, "again": again, "rss_mib": max(rss, rss_again)}


def _reset_pg_database() -> bool:
    try:
        import psycopg

        admin = PG_URL.rsplit("/", 1)[0] + "/shinchoku"
        with psycopg.connect(admin, autocommit=True) as con:
            con.execute("DROP DATABASE IF EXISTS shinchoku_bench")
            con.execute("CREATE DATABASE shinchoku_bench")
        return True
    except Exception:
        return False


def run() -> list[dict]:
    path = workbook()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        floor = floor_sqlite(path)
        mine = ours(path, f"sqlite:///{tmp}/bench.sqlite3")
        results.append({"db": "SQLite", "floor": floor, **mine})
    if _reset_pg_database():
        floor_pg = floor_postgres(path)
        if floor_pg is not None:
            mine = ours(path, PG_URL)
            results.append({"db": "PostgreSQL", "floor": floor_pg, **mine})
    return results


def report(results: list[dict]) -> str:
    lines = [
        "| database | floor (calamine + bulk insert) | shinchoku import (first) | ratio | re-import unchanged | ratio |"
        " peak RSS |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['db']} | {r['floor']:.2f} s | {r['first']:.2f} s | {r['first'] / r['floor']:.2f}× |"
            f" {r['again']:.2f} s | {r['again'] / r['floor']:.2f}× | {r['rss_mib']:.0f} MiB |"
        )
    return "\n".join(lines)


def main() -> int:
    results = run()
    print("Import benchmark (34,914 systems × 40 steps = 1,396,560 cells)")
    publish("import", report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
