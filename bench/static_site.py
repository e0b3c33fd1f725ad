"""Static site benchmark: `shinchoku export site` of the whole fictional national sample, then after one edit.

A fresh SQLite database (or `--database-url`, e.g. PostgreSQL) gets `shinchoku init` + `shinchoku demo`; then,
in this process: a full export into an empty folder (time, pages, files, size, pages per second), an export
again with nothing changed, one status edit of 石巻市 through the service (`services.status_set`, as the
operator), and the export once more (pages rewritten, time). No open data file is built (as after `shinchoku
demo`), so the export holds the pages, the JSON catalogue and the assets.

    python -m bench.static_site [--database-url URL] [--no-docs]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shinchoku.staticsite.export import Report

ROOT = Path(__file__).resolve().parents[1]
SHINCHOKU = [sys.executable, "-m", "shinchoku.cli"]
ORG = "042021"  # 石巻市


def _size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def _edit_one_cell() -> str:
    from shinchoku.accounts.actor import Actor
    from shinchoku.domain.status import Status
    from shinchoku.progress import selectors, services
    from shinchoku.progress.models import System

    as_of = selectors.resolve_as_of(None, published_only=True)
    system = System.objects.filter(organization_id=ORG, business__isnull=False).order_by("sort_order").first()
    assert system is not None
    actor = Actor.shell("bench")
    for status in (Status.COMPLETED, Status.NOT_STARTED):
        t = time.perf_counter()
        result = services.status_set(actor=actor, system=system, as_of=as_of, step="1", status=status, version=None)
        if result.changed:
            return f"{system.name} / ステップ 1 → {status.value}（{time.perf_counter() - t:.1f} 秒）"
    raise RuntimeError("the edit changed nothing")


def _row(label: str, r: Report, size: str) -> str:
    cells = [label, r.pages, r.files, len(r.written), r.unchanged, len(r.deleted), size]
    cells += [f"{r.seconds:.0f} s", f"{r.pages / r.seconds:.1f}"]
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _section(vendor: str, full: Report, again: Report, after: Report, size: int, edit: str) -> str:
    db = "PostgreSQL" if vendor == "postgresql" else "SQLite"
    option = " --database-url postgres://…" if vendor == "postgresql" else ""
    rewritten = ", ".join(after.written[:12]) + (" …" if len(after.written) > 12 else "")
    left_out = ", ".join(sorted({u.split("/")[1] for u, _ in full.skipped}))
    return f"""## 静的サイトの書き出し / Static site export ({db})

`python -m bench.static_site{option}`: a fresh {db} database with `shinchoku init` + `shinchoku demo` (the
fictional national sample, no open data file built), then `shinchoku export site DIR` three times in one
process: into an empty folder, again with nothing changed, and after one status edit of 石巻市 through the
service. Pages are rendered one after the other (no parallelism) on the 2-core machine shared with other
work, so the times are upper bounds. How to serve the folder: `docs/deployment.md`.

| run | pages | other files | written | unchanged | deleted | size | time | pages/s |
|---|---|---|---|---|---|---|---|---|
{_row("full export, empty folder", full, f"{size / 1e6:.0f} MB")}
{_row("again, nothing changed", again, "—")}
{_row("after one edit", after, "—")}

- the edit: {edit}
- rewritten after the edit: {rewritten}
- left out (not 200): {len(full.skipped)} ({left_out})
"""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--database-url", help="default: a fresh SQLite database in a temporary folder")
    p.add_argument("--no-docs", action="store_true", help="do not rewrite docs/performance.md")
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="shinchoku-bench-site-") as name:
        tmp = Path(name)
        database = args.database_url or f"sqlite:///{tmp / 'db.sqlite3'}"
        env = {**os.environ, "DATABASE_URL": database, "SHINCHOKU_VAR": str(tmp / "var")}
        for var in ("SHINCHOKU_DEBUG", "SHINCHOKU_OPENDATA_BUILDER", "SHINCHOKU_AUTO_PUBLISH"):
            env.pop(var, None)
        quiet = {"env": env, "cwd": ROOT, "check": True, "stdout": subprocess.DEVNULL}
        t = time.perf_counter()
        subprocess.run([*SHINCHOKU, "init"], **quiet)  # type: ignore[call-overload]
        subprocess.run([*SHINCHOKU, "demo", "--if-empty"], **quiet)  # type: ignore[call-overload]
        print(f"init + demo: {time.perf_counter() - t:.0f} s", flush=True)

        os.environ.update({k: env[k] for k in ("DATABASE_URL", "SHINCHOKU_VAR")})
        for var in ("SHINCHOKU_DEBUG", "SHINCHOKU_OPENDATA_BUILDER", "SHINCHOKU_AUTO_PUBLISH"):
            os.environ.pop(var, None)
        sys.path.insert(0, str(ROOT))
        from shinchoku.cli import _setup_django

        _setup_django()
        from django.db import connection

        from shinchoku.staticsite.export import export_site

        site = tmp / "site"
        say = lambda line: print(line, flush=True)  # noqa: E731
        full = export_site(site, say=say)
        print(full.summary(), flush=True)
        size = _size(site)
        again = export_site(site)
        print(again.summary(), flush=True)
        edit = _edit_one_cell()
        print(edit, flush=True)
        after = export_site(site)
        print(after.summary(), flush=True)
        vendor = connection.vendor

    if not args.no_docs:
        from bench.docs import write_section

        write_section(f"static_site_{vendor}", _section(vendor, full, again, after, size, edit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
