"""Integration tests share one database with the reference data and the fictional national sample.

The sample is generated once per test session (about half a minute); each test runs in a transaction
that is rolled back, so tests may write freely.
"""

from __future__ import annotations

import pytest

from shinchoku.reference.loader import load_reference
from shinchoku.sample.loader import load_sample

SEED = 0


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_reference()
        load_sample(seed=SEED)


@pytest.fixture
def client_json(client):
    def get(url: str, **kw):
        response = client.get(url, **kw)
        return response, (
            response.json() if response.headers.get("Content-Type", "").startswith("application/json") else None
        )

    return get
