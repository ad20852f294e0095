"""Caseload management endpoints (api/caseload.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meedoen.accounts.constants import Role
from meedoen.accounts.models import User
from meedoen.audit.models import AuditEvent
from meedoen.caseload.models import Assignment, Handover

pytestmark = pytest.mark.django_db


def test_team_caseload_and_queue(login, team_lead, coach, client_factory):
    client_factory()
    unassigned = client_factory(coach=None).household
    api = login(team_lead)
    body = api.get("/api/v1/team/caseload/").json()
    row = next(c for c in body["coaches"] if c["coach"] == coach.pk)
    assert row["households"] == 1
    assert row["percent"] == 2
    queue = api.get("/api/v1/team/queue/").json()
    assert [item["id"] for item in queue["results"]] == [str(unassigned.pk)]
    assert queue["results"][0]["member_count"] == 1
    assert AuditEvent.objects.filter(action="caseload.queue.read").exists()


def test_team_endpoints_404_for_a_coach(login, coach, client_factory):
    household = client_factory().household
    api = login(coach)
    assert api.get("/api/v1/team/caseload/").status_code == 404
    assert api.get("/api/v1/team/queue/").status_code == 404
    assert api.get(f"/api/v1/households/{household.pk}/suggestions/").status_code == 404
    response = api.post(
        f"/api/v1/households/{household.pk}/assignments/",
        {"coach": coach.pk, "reason": "handover", "handover_note": "x"},
        format="json",
    )
    assert response.status_code == 404
    # The history is for whoever may see the household.
    assert api.get(f"/api/v1/households/{household.pk}/assignments/").status_code == 200


def test_suggest_assign_and_hand_over(login, team_lead, coach, colleague, client_factory):
    household = client_factory(coach=None).household
    api = login(team_lead)
    suggestions = api.get(f"/api/v1/households/{household.pk}/suggestions/").json()
    assert suggestions["results"][0]["reasons"]
    url = f"/api/v1/households/{household.pk}/assignments/"
    response = api.post(url, {"coach": coach.pk, "reason": "first"}, format="json")
    assert response.status_code == 201
    assert response.json()["coach"] == coach.pk
    response = api.post(url, {"coach": colleague.pk, "reason": "handover"}, format="json")
    assert response.status_code == 400
    assert "handover_note" in response.json()
    when = (timezone.now() + dt.timedelta(days=1)).isoformat()
    response = api.post(
        url,
        {
            "coach": colleague.pk,
            "reason": "handover",
            "handover_note": "Warme overdracht.",
            "introduction_at": when,
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["handover_from"] == coach.display_name
    assert Handover.objects.get().introduction is not None
    history = api.get(url).json()["results"]
    assert [row["coach"] for row in history] == [colleague.pk, coach.pk]
    assert Assignment.objects.filter(household=household).count() == 2


@pytest.mark.parametrize("size", [3, 12])
def test_suggestions_queries_constant(size, login, team_lead, municipality, team, client_factory):
    for n in range(size):
        user = User.objects.create_user(
            username=f"api{size}x{n}", municipality=municipality, role=Role.COACH, team=team
        )
        client_factory(coach=user)
    household = client_factory(coach=None).household
    api = login(team_lead)
    api.get(f"/api/v1/households/{household.pk}/suggestions/")  # session and caches warm
    with CaptureQueriesContext(connection) as queries:
        assert api.get(f"/api/v1/households/{household.pk}/suggestions/").status_code == 200
    test_suggestions_queries_constant.seen[size] = len(queries)  # type: ignore[attr-defined]
    if len(test_suggestions_queries_constant.seen) == 2:  # type: ignore[attr-defined]
        assert len(set(test_suggestions_queries_constant.seen.values())) == 1  # type: ignore[attr-defined]


test_suggestions_queries_constant.seen = {}  # type: ignore[attr-defined]
