"""Writes counted by triggers, to prove that a refused request wrote nothing (no tests here).

`installed(models)` adds, for as long as it lasts, a one-row table whose number goes up by one with every row
that a statement inserts, updates or deletes in the tables of `models`; `count()` reads it. The triggers' own
update belongs to the statement that fired them, so a write that a savepoint (or the test's transaction) rolls
back takes its count back with it: the count moves only for writes that stay. It sees every written row of
those tables, also an `update()` that leaves `updated_at` alone, and costs one indexed read, where the
fingerprint of `state()` reads the test 団体's rows and every table's size (about 0.13 s a call on
PostgreSQL). Row triggers make each written row a little dearer: install them only around tests that write
little, for a module at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

COUNTER = "test_write_count"
EVENTS = ("INSERT", "UPDATE", "DELETE")


def _tables(models: list) -> list[str]:
    return [m._meta.db_table for m in models]


def _install(tables: list[str]) -> None:
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE {COUNTER} (n integer NOT NULL)")
        cur.execute(f"INSERT INTO {COUNTER} (n) VALUES (0)")
        if connection.vendor == "postgresql":
            cur.execute(
                f"CREATE FUNCTION {COUNTER}_bump() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN UPDATE {COUNTER} SET n = n + 1; RETURN NULL; END $$"
            )
            for table in tables:
                cur.execute(
                    f"CREATE TRIGGER {COUNTER}_{table} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {COUNTER}_bump()"
                )
        else:  # SQLite: a trigger per event, each row
            for table in tables:
                for event in EVENTS:
                    cur.execute(
                        f"CREATE TRIGGER {COUNTER}_{table}_{event.lower()} AFTER {event} ON {table} "
                        f"BEGIN UPDATE {COUNTER} SET n = n + 1; END"
                    )


def _remove(tables: list[str]) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"DROP FUNCTION IF EXISTS {COUNTER}_bump() CASCADE")  # with its triggers
        else:
            for table in tables:
                for event in EVENTS:
                    cur.execute(f"DROP TRIGGER IF EXISTS {COUNTER}_{table}_{event.lower()}")
        cur.execute(f"DROP TABLE IF EXISTS {COUNTER}")


@contextmanager
def installed(models: list) -> Iterator[None]:
    """The counter and its triggers, committed (outside any test's transaction), removed at the end."""
    tables = _tables(models)
    _remove(tables)  # left over by a run that was killed
    _install(tables)
    try:
        yield
    finally:
        _remove(tables)


def count() -> int:
    with connection.cursor() as cur:
        cur.execute(f"SELECT n FROM {COUNTER}")
        return cur.fetchone()[0]
