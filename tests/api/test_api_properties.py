"""Property-based: schemathesis generates requests from the OpenAPI document and checks every answer against it
(no 5xx, status codes, content types and bodies as documented)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings


def test_the_api_never_fails_and_always_answers_as_documented(app, db_session):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 7
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def answers_as_documented(case):
            case.call_and_validate()

        answers_as_documented()
