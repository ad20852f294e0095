"""The agreement API (api/plan_agreements.py) and a step's enrolment in the plan API: list,
make, download and record signed; the door (404, audited), Dutch errors, query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.instruments.tests.factories import enrolment_factory, instrument_factory
from meedoen.plans.constants import AgreementStatus
from meedoen.plans.inputs import GoalInput
from meedoen.plans.models import Agreement, Plan, Step
from meedoen.plans.services import goal_add, plan_open
from meedoen.plans.services_agreement import agreement_create
from meedoen.plans.tests.factories import in_days

pytestmark = pytest.mark.django_db
ORIGIN = Origin(channel="test")


@pytest.fixture
def api(coach):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_authenticate(coach)
    return client


@pytest.fixture
def goal(coach, client_factory):
    member = client_factory(first_names="Fatima")
    plan = plan_open(actor=coach, household=member.household, origin=ORIGIN)
    return goal_add(
        actor=coach,
        plan=plan,
        data=GoalInput(
            member_id=member.pk, domain="werk_opleiding", what="Werk", due_on=in_days(90)
        ),
        origin=ORIGIN,
    )


def agreements_url(goal) -> str:
    return f"/api/v1/households/{goal.plan.household_id}/plan/agreements/"


def test_a_step_with_an_enrolment_through_the_api(api, municipality, goal):
    enrolment = enrolment_factory(instrument_factory(municipality), goal.member)
    response = api.post(
        f"/api/v1/goals/{goal.pk}/steps/",
        {
            "description": "Naar de training",
            "owner_kind": "client",
            "due_on": in_days(7).isoformat(),
            "enrolment": str(enrolment.pk),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["enrolment"] == str(enrolment.pk)
    assert Step.objects.get().enrolment_id == enrolment.pk
    plan = api.get(f"/api/v1/households/{goal.plan.household_id}/plan/").json()
    assert plan["goals"][0]["steps"][0]["enrolment"] == str(enrolment.pk)


def test_someone_elses_enrolment_is_a_400_naming_the_field(api, municipality, goal, client_factory):
    enrolment = enrolment_factory(instrument_factory(municipality), client_factory())
    response = api.post(
        f"/api/v1/goals/{goal.pk}/steps/",
        {
            "description": "Naar de training",
            "owner_kind": "client",
            "due_on": in_days(7).isoformat(),
            "enrolment": str(enrolment.pk),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "enrolment" in response.json()
    assert not Step.objects.exists()


def test_make_list_download_and_sign(api, goal):
    made = api.post(agreements_url(goal), format="json")
    assert made.status_code == 201
    body = made.json()
    assert (body["number"], body["status"]) == (1, AgreementStatus.DRAFT)
    assert body["plan_version"] == Plan.objects.get().version
    assert api.post(agreements_url(goal), format="json").status_code == 200
    listed = api.get(agreements_url(goal)).json()
    assert [a["number"] for a in listed] == [1]
    pdf = api.get(f"/api/v1/agreements/{body['id']}/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith('attachment; filename="afspraken-')
    assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="plans.agreement.read", result="allowed").count() == 1
    future = api.post(
        f"/api/v1/agreements/{body['id']}/signed/",
        {"signed_on": in_days(2).isoformat()},
        format="json",
    )
    assert future.status_code == 400
    assert "signed_on" in future.json()
    signed = api.post(
        f"/api/v1/agreements/{body['id']}/signed/",
        {"signed_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert signed.status_code == 200
    assert signed.json()["status"] == AgreementStatus.SIGNED_ON_PAPER
    again = api.post(
        f"/api/v1/agreements/{body['id']}/signed/",
        {"signed_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert again.status_code == 400
    assert "status" in again.json()


def test_a_plan_without_goals_cannot_get_an_agreement(api, coach, client_factory):
    lone = client_factory()
    plan_open(actor=coach, household=lone.household, origin=ORIGIN)
    response = api.post(f"/api/v1/households/{lone.household_id}/plan/agreements/", format="json")
    assert response.status_code == 400
    assert "plan" in response.json()


def test_another_team_gets_404_everywhere(coach, other_team_coach, goal):
    agreement, _ = agreement_create(actor=coach, plan=goal.plan, origin=ORIGIN)
    other = APIClient(HTTP_ACCEPT_LANGUAGE="nl")
    other.force_authenticate(other_team_coach)
    assert other.get(agreements_url(goal)).status_code == 404
    assert other.post(agreements_url(goal), format="json").status_code == 404
    assert other.get(f"/api/v1/agreements/{agreement.pk}/pdf/").status_code == 404
    signed = other.post(
        f"/api/v1/agreements/{agreement.pk}/signed/",
        {"signed_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert signed.status_code == 404
    assert Agreement.objects.get().status == AgreementStatus.DRAFT
    assert Agreement.objects.count() == 1


def _list_queries(api, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(url).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_for_one_and_many_agreements(api, coach, goal, client_factory):
    agreement_create(actor=coach, plan=goal.plan, origin=ORIGIN)
    member = client_factory()
    plan = plan_open(actor=coach, household=member.household, origin=ORIGIN)
    for n in range(12):
        goal_add(
            actor=coach,
            plan=plan,
            data=GoalInput(
                member_id=member.pk, domain="financien", what=f"D{n}", due_on=in_days(9)
            ),
            origin=ORIGIN,
        )
        agreement_create(actor=coach, plan=Plan.objects.get(pk=plan.pk), origin=ORIGIN)
    many = f"/api/v1/households/{member.household_id}/plan/agreements/"
    _list_queries(api, agreements_url(goal))
    assert _list_queries(api, agreements_url(goal)) == _list_queries(api, many)
