"""Schemathesis against /api/schema/: generated requests for two personas, in-process (WSGI).

A bounded number of examples per operation keeps it in CI time; the checks are the two that matter
here: no server error (5xx) and every documented response matches its schema. The examples are
derandomised so CI is reproducible; explore further with a fresh random draw and more examples:

    SCHEMATHESIS_EXAMPLES=200 SCHEMATHESIS_RANDOM=1 .venv/bin/pytest tests/core/test_api_schemathesis.py
"""

import os

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

EXAMPLES_PER_OPERATION = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))
DERANDOMIZE = os.environ.get("SCHEMATHESIS_RANDOM", "") != "1"


@pytest.fixture
def keep_test_connection():
    """The real WSGI handler closes database connections around each request; inside a test that
    would close the test's transaction (PostgreSQL). Django's own test client disconnects the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["staff_a", "leader_a"])
def test_api_answers_match_the_schema_and_never_fail(persona, personas, capsys, keep_test_connection):
    cache.clear()
    user = getattr(personas, persona)
    _instance, token = AuthToken.objects.create(user=user)
    # Schemathesis's WSGI transport asks for gzip but does not decode it (an HTTP client would).
    headers = {"Authorization": f"Token {token}", "Accept-Encoding": "identity"}

    def headers_for(case):
        if case.method == "DELETE" and case.path.endswith("/auth/token/"):
            # Revoking a token: a spare one, so the rest of the run keeps its own.
            _spare, spare = AuthToken.objects.create(user=user)
            return {**headers, "Authorization": f"Token {spare}"}
        return headers

    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", get_wsgi_application(), headers=headers
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 3  # org units list and detail, the token endpoint
    examples = 0

    for operation in operations:

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=DERANDOMIZE,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def check(case):
            nonlocal examples
            examples += 1
            response = case.call(headers=headers_for(case))
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

        check()

    with capsys.disabled():
        print(f"\nschemathesis as {persona}: {len(operations)} operations, {examples} examples")
    assert examples >= len(operations)
