"""Write tables as CSV (UTF-8 with BOM, Excel-safe) or JSON (UTF-8, streamed).

Both go column by column (columns.py): each distinct value is encoded once by the csv module or json.dumps,
and rows are joined with map/zip, so the text is exactly what writing row by row gives, several times faster.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import IO

from shinchoku import SAMPLE_LABEL
from shinchoku.domain.cells import cell

from .columns import ColumnEncoder, batches, transpose
from .tables import Table

NOTICE = f"{SAMPLE_LABEL}です。動作確認用の架空の数値で、実在の団体の進捗ではありません。"


class _CsvField:
    """One value as the csv module writes it (quoted where needed), after cell()'s neutralisation."""

    def __init__(self) -> None:
        self.buf = io.StringIO(newline="")
        self.writer = csv.writer(self.buf, lineterminator="\r\n")

    def __call__(self, value: object) -> str:
        self.buf.seek(0)
        self.buf.truncate()
        self.writer.writerow([cell(value), ""])  # a second, empty field: never the lone-empty-field case
        return self.buf.getvalue()[:-3]


def write_csv(table: Table, out: IO[str]) -> int:
    """Returns the number of data rows written. The caller opens `out` with newline=''."""
    out.write("\ufeff")
    csv.writer(out, lineterminator="\r\n").writerow(table.headings)
    field = _CsvField()
    encoders = [ColumnEncoder(field) for _ in table.columns]
    n = 0
    for batch in batches(table.rows):
        columns = [enc(col) for enc, col in zip(encoders, transpose(batch, len(encoders)), strict=True)]
        out.write("\r\n".join(map(",".join, zip(*columns, strict=True))))
        out.write("\r\n")
        n += len(batch)
    return n


def csv_bytes(table: Table) -> bytes:
    buf = io.StringIO(newline="")
    write_csv(table, buf)
    return buf.getvalue().encode("utf-8")


def _json_default(value: object) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default, separators=(",", ":"))


def table_head(table: Table) -> dict:
    head: dict = {
        "name": table.name,
        "title": table.title,
        "description": table.description,
        "as_of": table.as_of,
        "sample_data": table.sample_data,
    }
    if table.sample_data:
        head["notice"] = NOTICE
    if table.source:
        head["source"] = table.source
    head["columns"] = [
        {"key": c.key, "heading": c.heading, "type": c.kind, "meaning": c.meaning} for c in table.columns
    ]
    return head


def _write_table_json(table: Table, out: IO[str]) -> int:
    """One table as a JSON object whose last member, "records", is written batch by batch."""
    out.write(_dumps(table_head(table))[:-1] + ',"records":[')
    # a record is {"key":value,...}: the keys are fixed, so each record is one %-format of encoded values
    template = "{" + ",".join(_dumps(c.key).replace("%", "%%") + ":%s" for c in table.columns) + "}"
    encoders = [ColumnEncoder(_dumps) for _ in table.columns]
    n = 0
    for batch in batches(table.rows):
        columns = [enc(col) for enc, col in zip(encoders, transpose(batch, len(encoders)), strict=True)]
        out.write(("," if n else "") + ",".join(map(template.__mod__, zip(*columns, strict=True))))
        n += len(batch)
    out.write("]}")
    return n


def write_json(table: Table, out: IO[str]) -> int:
    n = _write_table_json(table, out)
    out.write("\n")
    return n


def write_json_tables(tables: Sequence[Table], out: IO[str], *, as_of: date | None, sample: bool) -> int:
    """Every table in one document: {as_of, sample_data, notice?, tables: {name: table}}."""
    head: dict = {"as_of": as_of, "sample_data": sample}
    if sample:
        head["notice"] = NOTICE
    source = next((t.source for t in tables if t.source), None)
    if source:
        head["source"] = source
    out.write(_dumps(head)[:-1] + ',"tables":{')
    n = 0
    for i, table in enumerate(tables):
        out.write(("," if i else "") + _dumps(table.sql_name) + ":")
        n += _write_table_json(table, out)
    out.write("}}\n")
    return n
