"""Settings shared by every test."""

from __future__ import annotations

import pytest
from hypothesis import settings

# CI machines are shared and noisy: a per-example deadline would make property tests flaky, not stricter.
settings.register_profile("shinchoku", deadline=None, print_blob=True)
settings.load_profile("shinchoku")

# The longest test files (30–160 s of a session each, measured with --junitxml), run first. Under
# `--dist loadfile` a file stays on one worker, and a long file handed out last kept the other worker idle
# at the session's end. xdist keeps this order only with --no-loadscope-reorder (the Makefile's XDIST; by
# default it sorts files by their number of tests): with it, the PostgreSQL session alone took 231 s instead of
# 269 s. A file missing from the list only runs in its usual place.
LONG_FILES = (
    "test_permissions.py",
    "test_stored_pages.py",
    "test_opendata_serve.py",
    "test_official_data.py",
    "test_live_ops.py",
    "test_outlook_official.py",
    "test_import_fuzz.py",
    "test_rollups_incremental.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONG_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(LONG_FILES)))  # stable: each file keeps its order
