"""Write a table as Parquet (pyarrow): typed columns under the Japanese headings, metadata in the schema."""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.parquet as pq

from .tables import Table
from .writers import NOTICE

ARROW_TYPES = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "date": pa.date32(), "bool": pa.bool_()}
BATCH_ROWS = 100_000


def schema_for(table: Table) -> pa.Schema:
    fields = [
        pa.field(c.heading, ARROW_TYPES[c.kind], metadata={"key": c.key, "meaning": c.meaning}) for c in table.columns
    ]
    meta = {
        "name": table.name,
        "title": table.title,
        "description": table.description,
        "as_of": table.as_of.isoformat() if table.as_of else "",
        "sample_data": json.dumps(table.sample_data),
    }
    if table.sample_data:
        meta["notice"] = NOTICE
    return pa.schema(fields, metadata={k: v.encode("utf-8") for k, v in meta.items()})


def write_parquet(table: Table, out: IO[bytes] | Path) -> int:
    """Returns the number of rows; writes in batches so the national progress table stays small in memory."""
    schema = schema_for(table)
    rows = iter(table.rows)
    n = 0
    with pq.ParquetWriter(out, schema, compression="zstd") as writer:
        while batch := list(islice(rows, BATCH_ROWS)):
            columns = zip(*batch, strict=True)
            arrays = [pa.array(col, type=f.type) for col, f in zip(columns, schema, strict=True)]
            writer.write_table(pa.Table.from_arrays(arrays, schema=schema))
            n += len(batch)
        if n == 0:
            writer.write_table(schema.empty_table())
    return n
