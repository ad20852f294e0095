"""Schemathesis against the published OpenAPI schema: 0 failures.

Every operation gets a handful of generated requests (valid and invalid input), sent in-process to
the WSGI application with basic auth, and the default checks run on each response: no server
error, a documented status code, the documented content type, a body that matches the schema.
Coach and functional admin each test the operations their role reaches.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client as HttpClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

PASSWORD = "correct-horse-battery-staple"  # the persona fixtures' password (conftest.py)
EXAMPLES = 8
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@contextlib.contextmanager
def keep_test_connection() -> Iterator[None]:
    """The WSGI handler closes "old" connections around each request; inside the test's
    transaction that would close the test's own connection on PostgreSQL. Django's test client
    switches this off the same way (and on again after each of its own requests)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _schema(user) -> schemathesis.schemas.BaseSchema:
    http = HttpClient()
    http.force_login(user)
    response = http.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = schemathesis.openapi.from_dict(response.json())
    schema.app = get_wsgi_application()
    return schema


def _run(user, *, paths: tuple[str, ...]) -> list[str]:
    schema = _schema(user)
    token = base64.b64encode(f"{user.username}:{PASSWORD}".encode()).decode()
    headers = {"Authorization": f"Basic {token}"}
    failures: list[str] = []
    tested = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith(paths):
            continue
        tested += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def check(case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            with keep_test_connection():
                check()
        except Exception as error:  # one report per operation, all operations still run
            failures.append(f"{operation.label}: {error}")
    assert tested, f"no operations under {paths}"
    return failures


@pytest.mark.django_db
def test_client_and_household_endpoints_conform_to_the_schema(coach, client_factory):
    for _ in range(3):
        client_factory()
    failures = _run(coach, paths=("/api/v1/clients", "/api/v1/households"))
    assert not failures, "\n\n".join(failures)


@pytest.mark.django_db
def test_import_endpoints_conform_to_the_schema(functional_admin):
    failures = _run(functional_admin, paths=("/api/v1/imports",))
    assert not failures, "\n\n".join(failures)


@pytest.mark.django_db
def test_conversation_endpoints_conform_to_the_schema(coach, client_factory):
    # The client-scoped conversation and profile routes run in the client test above.
    client_factory()
    failures = _run(coach, paths=("/api/v1/conversations",))
    assert not failures, "\n\n".join(failures)


@pytest.mark.django_db
def test_caseload_endpoints_conform_to_the_schema(team_lead, client_factory):
    # Issue 5, H2: the team lead's caseload, queue, suggestions and assignments.
    client_factory()
    client_factory(coach=None)
    failures = _run(team_lead, paths=("/api/v1/team", "/api/v1/households"))
    assert not failures, "\n\n".join(failures)


@pytest.mark.django_db
def test_plan_goal_and_step_endpoints_conform_to_the_schema(coach, client_factory):
    # Issue 6: the household plan's own routes; /households/{id}/plan/… run in the first test.
    client_factory()
    failures = _run(coach, paths=("/api/v1/goals", "/api/v1/steps"))
    assert not failures, "\n\n".join(failures)


@pytest.mark.django_db
def test_instrument_and_enrolment_endpoints_conform_to_the_schema(coach, client_factory):
    # Issue 6: the catalogue and one enrolment; /households/{id}/enrolments/ runs in the first test.
    from meedoen.instruments.tests.factories import enrolment_factory, instrument_factory

    instrument = instrument_factory(coach.municipality, capacity=2, target_groups=("over_50",))
    enrolment_factory(instrument, client_factory())
    failures = _run(coach, paths=("/api/v1/instruments", "/api/v1/enrolments"))
    assert not failures, "\n\n".join(failures)
