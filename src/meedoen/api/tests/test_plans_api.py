"""The household plan API (api/plans.py): open, read with an ETag, goals, steps and their status,
reviews, the interval, versions and as-of; If-Match (428/412), the door (404, audited), Dutch
errors per field, and query counts that do not grow with the plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.clients.constants import HouseholdRole
from meedoen.core.concurrency import etag_for
from meedoen.plans.constants import GoalStatus, StepStatus
from meedoen.plans.inputs import GoalInput, StepInput
from meedoen.plans.models import Goal, Plan, Review, Step
from meedoen.plans.services import goal_add, plan_open, step_add
from meedoen.plans.tests.factories import in_days

pytestmark = pytest.mark.django_db
ORIGIN = Origin(channel="test")


@pytest.fixture
def api(coach):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_authenticate(coach)
    return client


@pytest.fixture
def family(client_factory):
    main = client_factory(first_names="Fatima", surname="Berg")
    partner = client_factory(household=main.household, role=HouseholdRole.PARTNER)
    return main, partner


def plan_url(household_id, tail=""):
    return f"/api/v1/households/{household_id}/plan/{tail}"


def fresh(plan) -> Plan:
    return Plan.objects.get(pk=plan.pk)


def add_goal(coach, plan, member, what="Een baan in de zorg") -> Goal:
    return goal_add(
        actor=coach,
        plan=plan,
        data=GoalInput(member_id=member.pk, domain="werk_opleiding", what=what, due_on=in_days(90)),
        origin=ORIGIN,
    )


def add_step(coach, goal, description="Cv maken") -> Step:
    return step_add(
        actor=coach,
        goal=goal,
        data=StepInput(description=description, owner_kind="client", due_on=in_days(14)),
        origin=ORIGIN,
    )


def test_open_then_read_the_plan_with_its_etag(api, family):
    household_id = family[0].household_id
    assert api.get(plan_url(household_id)).status_code == 404  # no plan yet
    response = api.post(plan_url(household_id))
    assert response.status_code == 201
    plan = Plan.objects.get()
    assert response["ETag"] == etag_for(plan)
    assert response.json()["review_interval_months"] == 3
    assert api.post(plan_url(household_id)).status_code == 200  # one plan per household
    response = api.get(plan_url(household_id))
    assert response.status_code == 200
    assert response["ETag"] == etag_for(plan)
    assert response.json()["goals"] == []
    assert response.json()["ownership"] == {"steps": 0, "by_client": 0, "percent": None}


def test_add_goal_and_step_then_tick_the_step_off_with_if_match(api, coach, family):
    main = family[0]
    api.post(plan_url(main.household_id))
    response = api.post(
        plan_url(main.household_id, "goals/"),
        {
            "member": str(main.pk),
            "domain": "financien",
            "what": "Schulden op een rij",
            "due_on": in_days(30).isoformat(),
            "obstacle": "schulden",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    goal_id = response.json()["id"]
    etag = response["ETag"]
    response = api.post(
        f"/api/v1/goals/{goal_id}/steps/",
        {"description": "Post sorteren", "owner_kind": "client", "due_on": in_days(7).isoformat()},
        format="json",
        headers={"If-Match": etag},
    )
    assert response.status_code == 201, response.json()
    step_id = response.json()["id"]
    etag = response["ETag"]
    status_url = f"/api/v1/steps/{step_id}/status/"
    # Without If-Match: 428; with an old tag: 412; nothing changes.
    assert api.post(status_url, {"status": "done"}, format="json").status_code == 428
    stale = api.post(
        status_url, {"status": "done"}, format="json", headers={"If-Match": '"1-000000000000"'}
    )
    assert stale.status_code == 412
    assert Step.objects.get(pk=step_id).status == StepStatus.OPEN
    response = api.post(
        status_url,
        {"status": "done", "completed_by_kind": "client"},
        format="json",
        headers={"If-Match": etag},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "done"
    plan = api.get(plan_url(main.household_id)).json()
    assert plan["ownership"] == {"steps": 1, "by_client": 1, "percent": 100}
    assert plan["goals"][0]["steps"][0]["done_on"] == timezone.localdate().isoformat()


def test_goal_errors_are_dutch_per_field_and_write_nothing(api, coach, family):
    main = family[0]
    api.post(plan_url(main.household_id))
    url = plan_url(main.household_id, "goals/")
    body = {"member": str(main.pk), "domain": "financien", "what": "   ", "due_on": "morgen"}
    response = api.post(url, body, format="json")
    assert response.status_code == 400
    assert response.json()["what"] == ["Dit veld mag niet leeg zijn."]
    assert "YYYY-MM-DD" in response.json()["due_on"][0]
    # The form is well-formed; the service refuses the meaning, per field.
    other = "00000000-0000-0000-0000-000000000000"
    body.update(what="Schulden op een rij", due_on=in_days(-1).isoformat(), member=other)
    response = api.post(url, body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["member"] == ["Kies iemand die nu tot het huishouden hoort."]
    assert "verleden" in errors["due_on"][0]
    assert not Goal.objects.exists()


def test_patch_a_goal_needs_the_current_etag(api, coach, family):
    main = family[0]
    plan = plan_open(actor=coach, household=main.household, origin=ORIGIN)
    goal = add_goal(coach, plan, main)
    url = f"/api/v1/goals/{goal.pk}/"
    response = api.get(url)
    assert response.status_code == 200
    etag = response["ETag"]
    assert etag == etag_for(fresh(plan))
    assert api.patch(url, {"status": "dropped"}, format="json").status_code == 428
    add_step(coach, goal)  # the plan moves on
    response = api.patch(url, {"status": "dropped"}, format="json", headers={"If-Match": etag})
    assert response.status_code == 412
    assert Goal.objects.get(pk=goal.pk).status == GoalStatus.OPEN
    etag = api.get(url)["ETag"]
    response = api.patch(url, {"status": "dropped"}, format="json", headers={"If-Match": etag})
    assert response.status_code == 200
    assert response.json()["status"] == "dropped"
    assert response["ETag"] == etag_for(fresh(plan))


def test_review_and_interval(api, coach, family):
    main, partner = family
    plan = plan_open(actor=coach, household=main.household, origin=ORIGIN)
    first = add_goal(coach, plan, main)
    second = add_goal(coach, plan, partner, "Taalcursus")
    etag = etag_for(fresh(plan))
    url = plan_url(main.household_id, "reviews/")
    body: dict[str, Any] = {
        "held_on": timezone.localdate().isoformat(),
        "note": "Goed gesprek",
        "outcomes": [{"goal": str(first.pk), "result": "achieved"}],
    }
    response = api.post(url, body, format="json", headers={"If-Match": etag})
    assert response.status_code == 400
    assert "er ontbreken er 1" in response.json()["outcomes"][0]
    body["outcomes"].append({"goal": str(second.pk), "result": "partly", "note": "Twee gemist"})
    response = api.post(url, body, format="json", headers={"If-Match": etag})
    assert response.status_code == 201, response.json()
    assert len(response.json()["outcomes"]) == 2
    assert Review.objects.count() == 1
    assert Goal.objects.get(pk=first.pk).achieved_on == timezone.localdate()
    response = api.patch(
        plan_url(main.household_id),
        {"review_interval_months": 6},
        format="json",
        headers={"If-Match": response["ETag"]},
    )
    assert response.status_code == 200
    assert response.json()["review_interval_months"] == 6
    assert response.json()["latest_review"]["note"] == "Goed gesprek"


def test_versions_and_as_of(api, coach, family):
    main = family[0]
    plan = plan_open(actor=coach, household=main.household, origin=ORIGIN)
    add_step(coach, add_goal(coach, plan, main))
    response = api.get(plan_url(main.household_id, "versions/"))
    assert response.status_code == 200
    assert [v["change"] for v in response.json()["results"]] == ["step_add", "goal_add", "create"]
    response = api.get(plan_url(main.household_id, "as-of/"))
    assert response.status_code == 200
    assert response.json()["number"] == 3
    assert response.json()["goals"][0]["steps"][0]["description"] == "Cv maken"
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert api.get(plan_url(main.household_id, "as-of/"), {"date": yesterday}).status_code == 404
    response = api.get(plan_url(main.household_id, "as-of/"), {"date": "2999-01-01"})
    assert response.status_code == 400
    assert response.json()["date"] == ["Kies vandaag of een dag in het verleden."]


def test_another_teams_plan_is_a_404_everywhere_and_audited(
    api, coach, other_team_coach, client_factory
):
    person = client_factory(coach=other_team_coach)
    plan = plan_open(actor=other_team_coach, household=person.household, origin=ORIGIN)
    goal = add_goal(other_team_coach, plan, person)
    step = add_step(other_team_coach, goal)
    tag = {"If-Match": etag_for(fresh(plan))}
    hid = person.household_id
    requests = [
        api.get(plan_url(hid)),
        api.post(plan_url(hid)),
        api.patch(plan_url(hid), {"review_interval_months": 6}, format="json", headers=tag),
        api.post(plan_url(hid, "goals/"), {}, format="json"),
        api.post(plan_url(hid, "reviews/"), {}, format="json", headers=tag),
        api.get(plan_url(hid, "versions/")),
        api.get(plan_url(hid, "as-of/")),
        api.get(f"/api/v1/goals/{goal.pk}/"),
        api.patch(f"/api/v1/goals/{goal.pk}/", {"status": "dropped"}, format="json", headers=tag),
        api.post(f"/api/v1/goals/{goal.pk}/steps/", {}, format="json"),
        api.post(
            f"/api/v1/steps/{step.pk}/status/", {"status": "done"}, format="json", headers=tag
        ),
    ]
    assert [r.status_code for r in requests] == [404] * len(requests)
    assert fresh(plan).version == plan.version + 2  # only the two service calls above
    assert AuditEvent.objects.filter(result="denied").count() == len(requests)


def _plan_queries(api, household_id) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(plan_url(household_id)).status_code == 200
    return len(queries)


def test_plan_queries_do_not_grow_with_goals_and_steps(api, coach, client_factory):
    small, big = client_factory(), client_factory()
    add_step(
        coach,
        add_goal(coach, plan_open(actor=coach, household=small.household, origin=ORIGIN), small),
    )
    big_plan = plan_open(actor=coach, household=big.household, origin=ORIGIN)
    for n in range(15):
        goal = add_goal(coach, big_plan, big, f"Doel {n}")
        if n < 3:
            for m in range(5):
                add_step(coach, goal, f"Stap {m}")
    _plan_queries(api, small.household_id)
    assert _plan_queries(api, small.household_id) == _plan_queries(api, big.household_id)
