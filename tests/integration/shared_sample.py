"""One build of the session's sample for both pytest-xdist workers (tests/shared_copy.py).

The first worker builds reference data and the sample into its test database and leaves a copy; the other
worker takes the copy instead of building. On SQLite the copy is a file (SQLite's backup API): measured on
three test files, the session's user CPU went from 62–69 s to 40–48 s. On PostgreSQL it is a database made
with CREATE DATABASE … TEMPLATE (the server copies files; no row goes through Python): the second worker's
test database is replaced by a copy of it. Copying the tables with COPY instead had saved Python's CPU but
none of the server's. Without xdist the sample is simply built.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from shinchoku.reference.loader import load_reference
from tests.integration.live import admin_connection, drop_database
from tests.shared_copy import backup, forget, once

__all__ = ["load_once"]

COPY_SECONDS = 60  # an autovacuum worker may hold the source database for a moment: retried until then


def load_once(
    tmp_path_factory: pytest.TempPathFactory,
    prefectures: Collection[str] | None,
    build: Callable[[], object],
    request: pytest.FixtureRequest,
) -> None:
    """Reference data and the sample in this worker's test database: built here, or copied from the worker
    that built it first in this session."""
    if not os.environ.get("PYTEST_XDIST_WORKER") or connection.vendor not in ("sqlite", "postgresql"):
        load_reference()
        build()
        return
    name = "sample-" + ("national" if prefectures is None else "-".join(sorted(prefectures)))
    shared = tmp_path_factory.getbasetemp().parent  # the session's folder, above each worker's own
    if connection.vendor == "sqlite":
        _sqlite(shared, name, build)
    else:
        _postgres(shared, name, build, request)


def _built(build: Callable[[], object]) -> None:
    load_reference()
    build()


def _sqlite(shared: Path, name: str, build: Callable[[], object]) -> None:
    connection.ensure_connection()

    def build_and_copy(path: Path) -> None:
        _built(build)
        backup(connection.connection, path)

    once(shared, f"{name}.sqlite3", build_and_copy, lambda path: backup(path, connection.connection))


def _postgres(shared: Path, name: str, build: Callable[[], object], request: pytest.FixtureRequest) -> None:
    own = connection.settings_dict["NAME"]  # test_<name>_gw0 …
    template = f"{own.rpartition('_gw')[0] or own}_{name.replace('-', '_')}"[:63]

    def build_and_copy(path: Path) -> None:
        _built(build)
        # The planner's statistics go with the copy; autovacuum would never gather them for the copy, whose
        # rows were not inserted one by one (its activity counters start at zero).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        connection.close()  # CREATE DATABASE … TEMPLATE needs the source without sessions
        with admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{template}"')
            _copy(admin, template, own)
        path.write_text(template, encoding="utf-8")
        # at this worker's end (the other has taken its copy, or will build for itself)
        request.addfinalizer(lambda: forget(shared, file, lambda _path: drop_database(admin_connection, template)))

    def restore(path: Path) -> None:
        connection.close()
        with admin_connection() as admin:
            admin.execute(f'DROP DATABASE "{own}" WITH (FORCE)')
            _copy(admin, own, template)

    file = f"{name}.postgresql"  # holds the template's name
    once(shared, file, build_and_copy, restore)


def _copy(admin: Any, target: str, source: str) -> None:
    import psycopg

    deadline = time.monotonic() + COPY_SECONDS
    while True:
        try:
            admin.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
            return
        except psycopg.errors.ObjectInUse:  # "source database is being accessed by other users"
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
