"""Property-based tests of the read API against its own OpenAPI document (schemathesis, in-process WSGI).

Every GET operation gets generated requests, valid and invalid; no answer may be a 5xx, and every answer must
match the documented status codes, content type and schema. Bounded: a few examples per operation.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from shinchoku.api.app import api

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1")).include(method="GET")
schema.app = get_wsgi_application()  # what from_wsgi binds; the document itself needs no request


@pytest.fixture
def same_connection():
    """Keep the test's transaction open: Django closes connections at request boundaries otherwise."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# One test per operation, named after it (`…[GET /api/v1/summary]`): schemathesis' own `schema.parametrize()`
# gives them all one node id, and pytest-xdist's file scheduler (`make test`) would run only the first.
OPERATIONS = [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_read_api_never_fails_and_matches_its_openapi(operation, same_connection):
    @given(case=operation.as_strategy())
    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    def answers_as_documented(case):
        # the in-process client does not decompress, so ask for the body as is
        case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})

    answers_as_documented()


def test_every_get_operation_is_checked():
    assert len(OPERATIONS) == len({operation.label for operation in OPERATIONS}) >= 15
