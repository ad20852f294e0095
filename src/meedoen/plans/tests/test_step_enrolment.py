"""A plan step linked to an enrolment in an instrument (docs/plans.md "Steps and enrolments"):
only an open enrolment of the goal's member, through the door; kept in the version history; shown
with its waiting position; and erasing the client removes both."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.caseload.access import ClientNotVisible
from meedoen.clients.constants import HouseholdRole
from meedoen.clients.models import Client
from meedoen.core.concurrency import ConflictError
from meedoen.instruments.constants import EnrolmentStatus
from meedoen.instruments.models import Enrolment
from meedoen.instruments.tests.factories import enrolment_factory, instrument_factory
from meedoen.plans.constants import PlanChange
from meedoen.plans.inputs import GoalInput, StepInput
from meedoen.plans.models import Plan, PlanVersion, PlanVersionMember, Step
from meedoen.plans.selectors import plan_for_household
from meedoen.plans.services import goal_add, plan_open, step_add, step_enrolment_link
from meedoen.plans.tests.factories import in_days

ORIGIN = Origin(channel="test")
pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(coach, municipality, client_factory):
    main = client_factory(first_names="Fatima")
    partner = client_factory(household=main.household, role=HouseholdRole.PARTNER)
    plan = plan_open(actor=coach, household=main.household, origin=ORIGIN)
    goal = goal_add(
        actor=coach,
        plan=plan,
        data=GoalInput(member_id=main.pk, domain="werk_opleiding", what="Werk", due_on=in_days(90)),
        origin=ORIGIN,
    )
    training = instrument_factory(municipality, name="Sollicitatietraining Noord", capacity=1)
    return main, partner, plan, goal, training


def version(plan) -> int:
    return Plan.objects.get(pk=plan.pk).version


def step_input(**kw) -> StepInput:
    return StepInput(description="Naar de training", owner_kind="client", due_on=in_days(7), **kw)


def test_a_step_for_an_enrolment_of_the_goals_member_is_linked_and_recorded(coach, setting):
    main, _partner, plan, goal, training = setting
    enrolment = enrolment_factory(training, main)
    step = step_add(
        actor=coach, goal=goal, data=step_input(enrolment_id=enrolment.pk), origin=ORIGIN
    )
    assert Step.objects.get(pk=step.pk).enrolment_id == enrolment.pk
    event = AuditEvent.objects.filter(action="plans.step.create").latest("seq")
    assert event.detail["enrolment"] == str(enrolment.pk)
    # The version keeps the link and the instrument's name.
    part = PlanVersionMember.objects.get(version__number=version(plan), member=main)
    (saved,) = part.goals[0]["steps"]
    assert saved["enrolment_id"] == str(enrolment.pk)
    assert saved["instrument"] == "Sollicitatietraining Noord"


@pytest.mark.parametrize("whose", ["partner", "closed", "unknown"])
def test_another_members_a_closed_or_an_unknown_enrolment_is_refused(coach, setting, whose):
    main, partner, plan, goal, training = setting
    enrolment_id = {
        "partner": lambda: enrolment_factory(training, partner).pk,
        "closed": lambda: enrolment_factory(training, main, status=EnrolmentStatus.FINISHED).pk,
        "unknown": lambda: plan.pk,
    }[whose]()
    before = version(plan)
    with pytest.raises(ValidationError) as error:
        step_add(actor=coach, goal=goal, data=step_input(enrolment_id=enrolment_id), origin=ORIGIN)
    assert "enrolment" in error.value.message_dict
    assert "deelname" in error.value.message_dict["enrolment"][0]
    assert not Step.objects.exists()
    assert version(plan) == before


def test_link_and_unlink_an_existing_step(coach, setting):
    main, _partner, plan, goal, training = setting
    step = step_add(actor=coach, goal=goal, data=step_input(), origin=ORIGIN)
    enrolment = enrolment_factory(training, main)
    step_enrolment_link(
        actor=coach, step=step, enrolment=enrolment, expected_version=version(plan), origin=ORIGIN
    )
    assert Step.objects.get(pk=step.pk).enrolment_id == enrolment.pk
    newest = PlanVersion.objects.filter(plan=plan).latest("number")
    assert newest.change == PlanChange.STEP_ENROLMENT
    # The same link again writes nothing.
    same = version(plan)
    step_enrolment_link(
        actor=coach, step=step, enrolment=enrolment, expected_version=same, origin=ORIGIN
    )
    assert version(plan) == same
    step_enrolment_link(
        actor=coach, step=step, enrolment=None, expected_version=same, origin=ORIGIN
    )
    assert Step.objects.get(pk=step.pk).enrolment_id is None
    assert AuditEvent.objects.filter(action="plans.step.enrolment").count() == 2


def test_a_stale_link_is_a_conflict_and_writes_nothing(coach, setting):
    main, _partner, plan, goal, training = setting
    step = step_add(actor=coach, goal=goal, data=step_input(), origin=ORIGIN)
    enrolment = enrolment_factory(training, main)
    with pytest.raises(ConflictError):
        step_enrolment_link(
            actor=coach,
            step=step,
            enrolment=enrolment,
            expected_version=version(plan) - 1,
            origin=ORIGIN,
        )
    assert Step.objects.get(pk=step.pk).enrolment_id is None


def test_someone_who_may_not_see_the_household_cannot_link(coach, other_team_coach, setting):
    main, _partner, plan, goal, training = setting
    step = step_add(actor=coach, goal=goal, data=step_input(), origin=ORIGIN)
    enrolment = enrolment_factory(training, main)
    with pytest.raises(ClientNotVisible):
        step_enrolment_link(
            actor=other_team_coach,
            step=step,
            enrolment=enrolment,
            expected_version=version(plan),
            origin=ORIGIN,
        )
    assert Step.objects.get(pk=step.pk).enrolment_id is None
    denied = AuditEvent.objects.get(action="plans.step.enrolment")
    assert denied.result == Result.DENIED


def test_the_plan_shows_instrument_status_and_waiting_position(coach, setting, client_factory):
    main, _partner, _plan, goal, training = setting
    someone_else = client_factory()
    enrolment_factory(training, someone_else, status=EnrolmentStatus.STARTED)
    waiting = enrolment_factory(training, main, status=EnrolmentStatus.WAITING)
    step_add(actor=coach, goal=goal, data=step_input(enrolment_id=waiting.pk), origin=ORIGIN)
    view = plan_for_household(household=main.household)
    (step,) = view.goals[0].steps.all()
    assert step.enrolment.instrument.name == "Sollicitatietraining Noord"
    assert step.enrolment.status == EnrolmentStatus.WAITING
    assert step.enrolment.waiting_position == 1


def test_erasing_the_client_removes_the_step_and_the_enrolment(coach, setting):
    from meedoen.privacy.services import _client_erase

    main, partner, _plan, goal, training = setting
    enrolment = enrolment_factory(training, main)
    step_add(actor=coach, goal=goal, data=step_input(enrolment_id=enrolment.pk), origin=ORIGIN)
    counts = _client_erase(client=Client.objects.get(pk=main.pk))
    assert counts["plans.step"] == 1
    assert counts["instruments.enrolment"] == 1
    assert not Step.objects.exists()
    assert not Enrolment.objects.exists()
    assert Client.objects.filter(pk=partner.pk).exists()
