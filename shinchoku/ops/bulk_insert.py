"""Many rows into one table at once: PostgreSQL's COPY, else one INSERT statement run for every row.

Loading the sample, a month's full recompute and an official workbook write tens of thousands of rows. An INSERT
per row (psycopg's executemany) made PostgreSQL parse, plan and acknowledge each row: on the small test sample,
the 130,000 status rows took 14.5 s and the 43 months' 団体 rollups 5.6 s, more than everything else in building
it. COPY streams the rows as text, which PostgreSQL reads with each column's own input function (the same
values: a JSON text becomes jsonb, a float's repr the same double). SQLite, in process, keeps executemany.

COPY is not one of Django's `execute` calls: Django's query log and `connection.execute_wrapper` do not see it.
Row triggers fire as for INSERT. Paths that write a few rows per request (a staff edit) keep their INSERT.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection

__all__ = ["insert_each", "insert_rows", "insert_sql"]


def insert_sql(table: str, columns: Sequence[str]) -> str:
    """The INSERT statement of one row of these columns (for executemany)."""
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"


def insert_each(table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> int:
    """Insert a few rows as one INSERT statement each (in Django's query log, as a staff edit's writes are)."""
    if rows:
        with connection.cursor() as cur:
            cur.executemany(insert_sql(table, columns), rows)
    return len(rows)


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Insert the rows (values in the order of `columns`) in the current transaction; returns how many."""
    rows = list(rows)
    if not rows or connection.vendor != "postgresql":
        return insert_each(table, columns, rows)
    with connection.cursor() as cur, cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    return len(rows)
