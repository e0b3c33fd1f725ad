"""Property-based tests of the read API against its own OpenAPI document (schemathesis, in-process WSGI).

Every GET operation gets generated requests, valid and invalid; no answer may be a 5xx, and every answer must
match the documented status codes, content type and schema. Bounded: a few examples per operation.
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from shinchoku.api.app import api

pytestmark = pytest.mark.django_db

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

DOCUMENT = api.get_openapi_schema(path_prefix="/api/v1")
APP = get_wsgi_application()  # what from_wsgi binds; the document itself needs no request


def read_operations(path: str | None = None):
    """The document's GET operations (of one path): a schema of its own, as chained filters do not narrow."""
    schema = schemathesis.openapi.from_dict(DOCUMENT).include(method="GET", **({"path": path} if path else {}))
    schema.app = APP
    return schema


@pytest.fixture
def same_connection():
    """Keep the test's transaction open: Django closes connections at request boundaries otherwise."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _test_of(path: str):
    """schemathesis' own test of one operation: every phase and generation mode it runs by default (its examples,
    coverage and fuzzing phases, valid and invalid requests), as `schema.parametrize()` over all of them did."""

    def test(case, same_connection):
        # the in-process client does not decompress, so ask for the body as is
        case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})

    only = read_operations(path)
    checked = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    return only.parametrize()(checked(test))


# A test function per operation, named after its path (`test_read_api_api_v1_summary`): schemathesis'
# `schema.parametrize()` gives all the operations of one function a single node id, and pytest-xdist's file
# scheduler (`make test`) would then run only the first of them.
PATHS = [result.ok().path for result in read_operations().get_all_operations()]  # GET only: one operation per path
for _path in PATHS:
    globals()["test_read_api_" + re.sub(r"\W+", "_", _path).strip("_")] = _test_of(_path)


def test_every_get_operation_has_its_own_test():
    names = [name for name in globals() if name.startswith("test_read_api_")]
    assert len(PATHS) >= 15 and len(names) == len(set(PATHS)) == len(PATHS)
