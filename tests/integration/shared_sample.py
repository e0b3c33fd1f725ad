"""One build of the session's sample for both pytest-xdist workers on SQLite (tests/shared_copy.py).

On SQLite the first worker builds reference data and the sample into its test database and leaves a copy
(SQLite's backup API); the other worker restores that copy instead of building: measured on three test files,
the session's user CPU went from 62–69 s to 40–48 s. On PostgreSQL each worker still builds its own: copying
the tables with COPY saved about 10 s of Python CPU but none of the server's, and made the second worker wait
for the first. Without xdist the sample is simply built.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection
from pathlib import Path

import pytest
from django.db import connection

from shinchoku.reference.loader import load_reference
from tests.shared_copy import backup, once

__all__ = ["load_once"]


def load_once(
    tmp_path_factory: pytest.TempPathFactory, prefectures: Collection[str] | None, build: Callable[[], object]
) -> None:
    """Reference data and the sample in this worker's test database: built here, or copied from the worker
    that built it first in this session."""
    if not os.environ.get("PYTEST_XDIST_WORKER") or connection.vendor != "sqlite":
        load_reference()
        build()
        return
    connection.ensure_connection()

    def build_and_copy(path: Path) -> None:
        load_reference()
        build()
        backup(connection.connection, path)

    name = "sample-" + ("national" if prefectures is None else "-".join(sorted(prefectures))) + ".sqlite3"
    shared = tmp_path_factory.getbasetemp().parent  # the session's folder, above each worker's own
    once(shared, name, build_and_copy, lambda path: backup(path, connection.connection))
