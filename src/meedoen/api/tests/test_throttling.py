"""The limit on BSN searches (api/throttling.py): per user, 429 with a Dutch message and
Retry-After, audited as a denied search, no BSN anywhere; documented in the OpenAPI schema."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.db import connection
from rest_framework.test import APIClient

from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.clients.tests.factories import test_bsn as make_bsn
from meedoen.config.caches import cache_from_url

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/clients/search/"


@pytest.fixture(autouse=True)
def low_rate(settings):
    settings.API_BSN_SEARCH_RATE = "3/minute"
    cache.clear()  # counters of earlier tests (ids are reused on SQLite)
    yield
    cache.clear()


def search(api, bsn):
    return api.post(SEARCH, {"bsn": bsn}, format="json")


def test_over_the_limit_is_429_with_dutch_message_and_retry_after(
    login, coach, client_factory, caplog
):
    bsn = make_bsn(31)
    client_factory(bsn=bsn)
    api = login(coach)
    for _ in range(3):
        assert search(api, bsn).status_code == 200

    with caplog.at_level(logging.INFO):
        response = search(api, bsn)

    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 0 < wait <= 60
    detail = response.json()["detail"]
    assert detail.startswith("Te veel zoekopdrachten op BSN. Probeer het over ")
    assert str(wait) in detail
    assert bsn not in response.content.decode()

    denied = AuditEvent.objects.get(result=Result.DENIED)
    assert denied.action == "clients.client.search"
    assert denied.actor_name == coach.username
    assert denied.detail == {"channel": "api", "by": "bsn", "reason": "throttled"}
    assert denied.subject_pseudonym == ""
    assert "throttled" in caplog.text
    assert bsn not in caplog.text
    for row in AuditEvent.objects.all():
        assert bsn not in str(row.detail) + row.object_id + row.user_agent


def test_every_attempt_counts_also_a_bad_one(login, coach):
    api = login(coach)
    for _ in range(3):
        assert search(api, "123").status_code == 400
    assert search(api, make_bsn(32)).status_code == 429


def test_the_limit_is_per_user(login, coach, colleague):
    api = login(coach)
    for _ in range(4):
        search(api, make_bsn(33))
    assert search(api, make_bsn(33)).status_code == 429
    other = APIClient()
    other.force_login(colleague)
    assert search(other, make_bsn(33)).status_code == 200


def test_other_endpoints_are_not_limited(login, coach):
    api = login(coach)
    for _ in range(5):
        assert api.get("/api/v1/clients/").status_code == 200


def test_anonymous_is_refused_before_counting(api):
    for _ in range(5):
        assert search(api, make_bsn(34)).status_code == 403
    assert not AuditEvent.objects.filter(result=Result.DENIED).exists()


def test_shared_database_cache_counts_across_processes(settings, login, coach):
    """With MEEDOEN_CACHE_URL=db:// (the production default) the counters live in the table that
    core's migration creates, so every web process sees the same count."""
    settings.CACHES = {"default": cache_from_url("db://")}
    cache.clear()
    api = login(coach)
    for _ in range(3):
        assert search(api, make_bsn(35)).status_code == 200
    assert search(api, make_bsn(35)).status_code == 429
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM meedoen_cache")
        assert cursor.fetchone()[0] >= 1


def test_schema_documents_429(login, coach):
    schema = login(coach).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    responses = schema.json()["paths"][SEARCH]["post"]["responses"]
    assert "429" in responses
    assert "Retry-After" in responses["429"]["description"]


def test_the_web_search_shares_the_limit_and_says_so_in_dutch(client, coach, client_factory):
    from meedoen.accounts.testing import verified_login

    bsn = make_bsn(33)
    client_factory(bsn=bsn)
    verified_login(client, coach)
    api = APIClient()
    api.force_authenticate(coach)
    for _ in range(2):
        assert search(api, bsn).status_code == 200
    # One budget per user: the third BSN search, in the web UI, is the last one allowed.
    assert client.post("/clienten/", {"q": bsn}).status_code == 303
    response = client.post("/clienten/", {"q": bsn})
    assert response.status_code == 429
    body = response.content.decode()
    assert "Te veel zoekopdrachten op BSN" in body
    assert bsn not in body
    denied = AuditEvent.objects.get(result=Result.DENIED)
    assert denied.detail == {"channel": "web", "by": "bsn", "reason": "throttled"}
    # Names are not limited.
    assert client.post("/clienten/", {"q": "Jansen"}).status_code == 303
