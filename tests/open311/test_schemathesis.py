"""schemathesis over our OpenAPI document (issue 20's acceptance): no server error and no response that breaks the
documented schema, status codes or content types, for generated calls with and without a valid key.
Skipped where schemathesis is not installed (it is not yet a project dependency)."""

from __future__ import annotations

import pytest

# Imported through importorskip only, so that type checking passes where these packages are not installed.
schemathesis = pytest.importorskip("schemathesis")
hypothesis = pytest.importorskip("hypothesis")
checks = pytest.importorskip("schemathesis.checks")
openapi_checks = pytest.importorskip("schemathesis.specs.openapi.checks")

from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections  # noqa: E402

from tests.factories import build_city  # noqa: E402
from xinfang.open311.services import create_partner  # noqa: E402
from xinfang.wsgi import application  # noqa: E402

schema = schemathesis.openapi.from_wsgi("/open311/v2/openapi.json", application)
CHECKS = [
    checks.not_a_server_error,
    openapi_checks.response_schema_conformance,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
]
CALLS = {"n": 0}
STATUSES: dict[int, int] = {}


@pytest.fixture
def key(db):
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    city = build_city()
    yield create_partner(name="西地市12345热线", organ=city.bureau, hourly_limit=1_000_000)[1]
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@hypothesis.settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(hypothesis.HealthCheck)
)
def test_generated_calls_break_nothing(case, key):
    if CALLS["n"] % 2 and case.query is not None and "api_key" in case.query:
        case.query["api_key"] = key  # half the calls with a valid key, to reach the 200 answers
    if CALLS["n"] % 2 and isinstance(case.body, dict) and "api_key" in case.body:
        case.body["api_key"] = key
    CALLS["n"] += 1
    response = case.call()
    STATUSES[response.status_code] = STATUSES.get(response.status_code, 0) + 1
    case.validate_response(response, checks=CHECKS)
    print(f"schemathesis: {CALLS['n']} calls so far, by status {sorted(STATUSES.items())}")
