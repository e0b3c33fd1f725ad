"""Data versions: cheap tokens that change whenever public data may have changed.

The API's response cache and the open data files on disk are keyed by them, so a write, a rollup refresh or
a (re)publication is visible on the next request in every worker, without scanning any history.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from datetime import date

from django.conf import settings
from django.db import connection
from django.db.models import F

from shinchoku.progress.models import DelayExplanation, Month, OrganizationRollup, OwnStep, System
from shinchoku.reference.models import Organization

from .models import Revision

# Bump when a table's columns or a file's layout change, so files cached on disk are regenerated.
FORMAT_VERSION = 1


def bump(**_: object) -> None:
    """Signal receiver: a detail that rollups do not capture has changed."""
    if Revision.objects.filter(pk=1).update(counter=F("counter") + 1) == 0:
        Revision.objects.get_or_create(pk=1, defaults={"counter": 1})


WATCHED_MODELS = (System, DelayExplanation, OwnStep, Organization)


def _tables() -> dict[str, str]:
    return {
        "rollup": OrganizationRollup._meta.db_table,
        "month": Month._meta.db_table,
        "revision": Revision._meta.db_table,
    }


_local = threading.local()


def _sqlite_file() -> str | None:
    """The SQLite database file, when the default database is one (not an in-memory test database)."""
    db = settings.DATABASES["default"]
    name = str(db.get("NAME") or "")
    if db["ENGINE"] != "django.db.backends.sqlite3" or not name or name == ":memory:" or name.startswith("file:"):
        return None
    return name


def _version_row(sql: str) -> tuple:
    """Run the version query on a per-thread SQLite connection kept open.

    Django opens a new SQLite connection per request (CONN_MAX_AGE 0), about 1 ms with its PRAGMAs, which is
    most of the cost of a cached API response; a kept connection in autocommit mode still sees every commit.
    Inside a transaction (tests) or on PostgreSQL, Django's own connection is used.
    """
    path = _sqlite_file()
    if path is None or connection.in_atomic_block:
        with connection.cursor() as cur:
            cur.execute(sql)
            return tuple(cur.fetchone())
    con = getattr(_local, "con", None)
    if con is None or getattr(_local, "path", None) != path:
        con = _local.con = sqlite3.connect(path, timeout=5, isolation_level=None, check_same_thread=False)
        _local.path = path
    return tuple(con.execute(sql).fetchone())


def current() -> str:
    """The version of everything public (one indexed query): rollup ids only grow, months are few."""
    t = _tables()
    sql = (
        f"SELECT (SELECT MAX(id) FROM {t['rollup']}),"
        f" (SELECT COUNT(*) FROM {t['month']} WHERE published),"
        f" (SELECT MAX(published_at) FROM {t['month']}),"
        f" (SELECT COUNT(*) FROM {t['month']} WHERE sample_data),"
        f" (SELECT MAX(counter) FROM {t['revision']})"
    )
    return ".".join(str(v) for v in _version_row(sql))


def for_month(as_of: date) -> str:
    """A short, file-name-safe version of one month's public data."""
    t = _tables()
    sql = (
        f"SELECT (SELECT MAX(id) FROM {t['rollup']} WHERE as_of = %s),"
        f" (SELECT published_at FROM {t['month']} WHERE as_of = %s),"
        f" (SELECT sample_data FROM {t['month']} WHERE as_of = %s),"
        f" (SELECT MAX(counter) FROM {t['revision']})"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [as_of, as_of, as_of])
        row = cur.fetchone()
    text = f"{FORMAT_VERSION}|{as_of.isoformat()}|" + "|".join(str(v) for v in row)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
