"""Write a Table as CSV (UTF-8 with BOM, Excel-safe) or JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import IO

from shinchoku import SAMPLE_LABEL

from .cells import cell
from .tables import Table


def write_csv(table: Table, out: IO[str]) -> int:
    """Returns the number of data rows written. The caller opens `out` with newline=''."""
    out.write("\ufeff")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(table.headings)
    n = 0
    for row in table.rows:
        w.writerow([cell(v) for v in row])
        n += 1
    return n


def csv_bytes(table: Table) -> bytes:
    buf = io.StringIO(newline="")
    write_csv(table, buf)
    return buf.getvalue().encode("utf-8")


def _json_default(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def write_json(table: Table, out: IO[str]) -> int:
    keys = [c.key for c in table.columns]
    records = [dict(zip(keys, row, strict=True)) for row in table.rows]
    doc = {
        "name": table.name,
        "title": table.title,
        "as_of": table.as_of,
        "sample_data": table.sample_data,
        "columns": [{"key": c.key, "heading": c.heading, "type": c.type} for c in table.columns],
        "records": records,
    }
    if table.sample_data:
        doc["notice"] = SAMPLE_LABEL
    json.dump(doc, out, ensure_ascii=False, default=_json_default)
    return len(records)
