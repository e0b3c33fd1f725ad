"""One import at a time: the lock an import takes before it plans, held until its transaction ends."""

from __future__ import annotations

from django.db import connection

# Any constant: PostgreSQL advisory locks are keyed by a number shared by every process on the database.
IMPORT_LOCK_KEY = 7_340_001


def take_import_lock() -> None:
    """Wait for other imports to commit or roll back. Call inside transaction.atomic().

    PostgreSQL: a transaction-scoped advisory lock. SQLite: every transaction begins IMMEDIATE (settings),
    which already holds the database's write lock, so a second import waits there (busy timeout).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
