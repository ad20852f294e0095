"""GET /api/v1/caseload/ and /api/v1/caseload/signals/: scope, filter, audit, fixed queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meedoen.audit.models import AuditEvent
from meedoen.caseload.constants import ContactKind
from meedoen.caseload.models import ContactMoment

pytestmark = pytest.mark.django_db
LIST = reverse("api:caseload")
SIGNALS = reverse("api:caseload-signals")


def contact(household, *, days_ago):
    ContactMoment.objects.create(
        municipality_id=household.municipality_id,
        household=household,
        occurred_at=timezone.now() - dt.timedelta(days=days_ago),
        kind=ContactKind.PHONE,
        summary="Gebeld.",
        coach_name="Test",
    )


def test_caseload_lists_my_households_with_signals(client, coach, colleague, client_factory):
    recent = client_factory(surname="Visser").household
    contact(recent, days_ago=2)
    stale = client_factory(surname="Bakker").household
    contact(stale, days_ago=90)
    client_factory(surname="Smit", coach=colleague)
    client.force_login(coach)
    body = client.get(LIST).json()
    by_id = {row["household"]: row for row in body["results"]}
    assert set(by_id) == {str(recent.pk), str(stale.pk)}
    assert [s["code"] for s in by_id[str(stale.pk)]["signals"]] == ["geen_contact"]
    assert by_id[str(recent.pk)]["signals"] == []
    assert by_id[str(stale.pk)]["weeks_since_contact"] == 12
    filtered = client.get(LIST, {"signal": "geen_contact"}).json()["results"]
    assert [row["household"] for row in filtered] == [str(stale.pk)]
    assert client.get(LIST, {"signal": "x"}).status_code == 400
    counts = client.get(SIGNALS).json()
    assert counts == {"total": 2, "geen_contact": 1, "afspraak": 0, "nieuw": 0}
    events = AuditEvent.objects.filter(action="caseload.worklist.read").order_by("id")
    assert [e.detail["view"] for e in events] == ["api", "api", "api_signals"]


def test_roles_without_casework_get_an_empty_list(client, analyst, client_factory):
    client_factory()
    client.force_login(analyst)
    assert client.get(LIST).json()["results"] == []
    assert client.get(SIGNALS).json()["total"] == 0


def test_query_count_does_not_grow(client, coach, client_factory):
    client.force_login(coach)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    client_factory()
    small = count()
    for _ in range(30):
        household = client_factory().household
        for n in range(20):
            contact(household, days_ago=n * 9 + 1)
    assert count() == small
