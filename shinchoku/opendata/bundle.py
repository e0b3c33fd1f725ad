"""One SQLite file of every table (opens in Datasette or DB Browser for SQLite).

Tables keep the Japanese headings as column names; `_metadata`, `_tables` and `_columns` describe the data
(and carry the sample-data notice), and the code columns are indexed so per-団体 and per-prefecture queries
do not scan.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from shinchoku import SAMPLE_LABEL, __version__

from .columns import ColumnEncoder, batches, transpose
from .tables import Table
from .writers import NOTICE

SQL_TYPES = {"str": "TEXT", "int": "INTEGER", "float": "REAL", "date": "TEXT", "bool": "INTEGER"}
INDEXED = ("全国地方公共団体コード", "都道府県コード")
BATCH_ROWS = 50_000


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_value(value: object) -> object:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_sqlite(tables: Sequence[Table], path: Path, *, as_of: date | None, sample: bool) -> int:
    """Write a new SQLite file at `path` (replaced if present); returns the number of data rows."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    n = 0
    try:
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        _metadata(db, tables, as_of=as_of, sample=sample)
        for table in tables:
            n += _table(db, table)
        db.commit()
        db.execute("ANALYZE")
        db.commit()
    finally:
        db.close()
    return n


def _table(db: sqlite3.Connection, table: Table) -> int:
    name = _q(table.sql_name)
    columns = ", ".join(f"{_q(c.heading)} {SQL_TYPES[c.kind]}" for c in table.columns)
    db.execute(f"CREATE TABLE {name} ({columns})")
    insert = f"INSERT INTO {name} VALUES ({', '.join('?' for _ in table.columns)})"
    # only dates and booleans need converting: other columns go to sqlite3 as they are
    encoders = [ColumnEncoder(_sql_value) if c.kind in ("date", "bool") else None for c in table.columns]
    n = 0
    for batch in batches(table.rows, BATCH_ROWS):
        by_column = transpose(batch, len(encoders))
        converted = [enc(col) if enc else col for enc, col in zip(encoders, by_column, strict=True)]
        db.executemany(insert, zip(*converted, strict=True))
        n += len(batch)
    headings = set(table.headings)
    for column in INDEXED:
        if column in headings:
            db.execute(f"CREATE INDEX {_q(f'{table.sql_name}_{column}')} ON {name} ({_q(column)})")
    db.execute("UPDATE _tables SET rows = ? WHERE table_name = ?", (n, table.sql_name))
    return n


def _metadata(db: sqlite3.Connection, tables: Sequence[Table], *, as_of: date | None, sample: bool) -> None:
    db.execute("CREATE TABLE _metadata (key TEXT PRIMARY KEY, value TEXT)")
    meta = {
        "title": "自治体DX 進捗ダッシュボード オープンデータ",
        "as_of": as_of.isoformat() if as_of else "",
        "data_label": SAMPLE_LABEL if sample else "公表データ",
        "sample_data": "true" if sample else "false",
        "generator": f"shinchoku {__version__}",
        "license": "出典（shinchoku と基準日）を示して自由に利用できます。個人情報は含みません。",
    }
    if sample:
        meta["notice"] = NOTICE
    db.executemany("INSERT INTO _metadata VALUES (?, ?)", list(meta.items()))
    db.execute("CREATE TABLE _tables (table_name TEXT PRIMARY KEY, title TEXT, description TEXT, rows INTEGER)")
    db.executemany("INSERT INTO _tables VALUES (?, ?, ?, NULL)", [(t.sql_name, t.title, t.description) for t in tables])
    db.execute(
        "CREATE TABLE _columns"
        " (table_name TEXT, column_name TEXT, json_key TEXT, meaning TEXT, type TEXT, example TEXT)"
    )
    db.executemany(
        "INSERT INTO _columns VALUES (?, ?, ?, ?, ?, ?)",
        [(t.sql_name, c.heading, c.key, c.meaning, c.type, c.example) for t in tables for c in t.columns],
    )
