"""The column-wise CSV and JSON writers give exactly the text of writing row by row (csv module, json.dumps)."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date

import pytest

from shinchoku.domain.cells import cell
from shinchoku.opendata import columns
from shinchoku.opendata.tables import Column, Table
from shinchoku.opendata.writers import write_csv, write_json

TEXT = [
    "普通",
    "=1+1",
    "+81",
    "-1",
    "@SUM(A1)",
    "a,b",
    'say "hi"',
    "two\nlines",
    "cr\rhere",
    "",
    " lead",
    "\ttab",
    None,
]
ROWS = [
    (
        TEXT[i % len(TEXT)],
        [0, 1, -3, None, 10**12][i % 5],
        [True, False, 1, 0, None][i % 5],  # booleans and integers that compare equal
        [0.5, -0.0, 0.0, 1e-07, None, 0.1 + 0.2, math.inf][i % 7],
        [date(2026, 1, 31), None][i % 2],
        [True, False, None][i % 3],
    )
    for i in range(400)
]
# key: (heading, type); the writers read no meaning or example
KINDS = {
    "text": ("文字", "str"),
    "count": ("数", "int"),
    "mixed": ("混在", "int"),
    "rate": ("率", "float"),
    "as_of": ("基準日", "date"),
    "flag": ("真偽", "bool"),
}
COLUMNS = [Column(key, heading, "", kind, "") for key, (heading, kind) in KINDS.items()]


def reference_csv(table: Table) -> str:
    out = io.StringIO(newline="")
    out.write("\ufeff")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(table.headings)
    for row in table.rows:
        w.writerow([cell(v) for v in row])
    return out.getvalue()


def reference_json_records(table: Table) -> list[str]:
    keys = [c.key for c in table.columns]
    return [
        json.dumps(
            dict(zip(keys, row, strict=True)),
            ensure_ascii=False,
            separators=(",", ":"),
            default=lambda v: v.isoformat(),
        )
        for row in table.rows
    ]


@pytest.mark.parametrize("batch", [7, 50_000])
def test_column_wise_output_equals_row_by_row_output(monkeypatch, batch):
    monkeypatch.setattr(columns, "BATCH_ROWS", batch)  # several batches: a type may first appear in a later one
    table = Table("t", "試験", COLUMNS, ROWS)
    out = io.StringIO(newline="")
    assert write_csv(table, out) == len(ROWS)
    assert out.getvalue() == reference_csv(table)
    doc = io.StringIO()
    write_json(table, doc)
    text = doc.getvalue()
    records = text[text.index('"records":[') + len('"records":[') : -len("]}\n")]
    assert records == ",".join(reference_json_records(table))


def test_an_empty_table_has_the_header_only():
    table = Table("t", "試験", COLUMNS, [])
    out = io.StringIO(newline="")
    assert write_csv(table, out) == 0
    assert out.getvalue() == reference_csv(table)
    doc = io.StringIO()
    write_json(table, doc)
    assert doc.getvalue().endswith('"records":[]}\n')
