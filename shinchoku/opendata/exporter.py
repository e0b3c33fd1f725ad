"""`shinchoku export`: write open data tables to a file or standard output."""

from __future__ import annotations

import io
import sys
from pathlib import Path

from . import tables, writers


class ExportError(Exception):
    """An export that cannot be made (message in Japanese)."""


TABLES = {
    "organizations": lambda as_of: tables.organizations_table(),
}


def export(*, kind: str, fmt: str, as_of: str | None = None, output: str | None = None) -> Path | None:
    build = TABLES.get(kind)
    if build is None:
        raise ExportError(f"「{kind}」の書き出しはまだ用意されていません")
    table = build(as_of)
    if fmt not in ("csv", "json"):
        raise ExportError(f"形式「{fmt}」はまだ用意されていません")
    write = writers.write_csv if fmt == "csv" else writers.write_json
    if output in (None, "-"):
        buf = io.StringIO(newline="")
        write(table, buf)
        sys.stdout.buffer.write(buf.getvalue().encode("utf-8"))
        return None
    path = Path(output)
    with path.open("w", encoding="utf-8", newline="") as fh:
        write(table, fh)
    return path
