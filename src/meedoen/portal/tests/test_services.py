"""The portal's door and the client's writes (plans/services_client.py): a client reaches their
own goals and client-owned steps, and nothing of anyone else; everything is audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.caseload.access import (
    ClientNotVisible,
    actor_may_do_casework,
    clients_visible_to,
    households_visible_to,
)
from meedoen.core.concurrency import ConflictError
from meedoen.plans.constants import AuthorKind, OwnerKind, StepStatus
from meedoen.plans.models import Goal, Plan, PlanVersion, Step
from meedoen.plans.services_client import (
    ClientGoalInput,
    ClientStepInput,
    client_goal_add,
    client_step_add,
    client_step_done,
)
from meedoen.portal.access import (
    PortalNotAvailable,
    portal_client_get,
    portal_client_or_none,
    portal_goal_get,
)
from meedoen.portal.models import PortalAccount
from meedoen.portal.services import portal_account_create
from meedoen.portal.tests.conftest import ORIGIN, in_days, make_plan
from meedoen.portal.tests.factories import portal_user

pytestmark = pytest.mark.django_db


def _version(plan) -> int:
    return Plan.objects.values_list("version", flat=True).get(pk=plan.pk)


# The door ---------------------------------------------------------------------------------------


def test_door_gives_the_client_user_their_own_client_and_audits(client_user):
    client = portal_client_get(actor=client_user, origin=ORIGIN)
    assert client.pk == client_user.portal_account.client_id
    event = AuditEvent.objects.get(action="portal.plan.read")
    assert event.result == Result.ALLOWED
    assert event.subject_pseudonym
    assert event.actor_role == "client"


@pytest.mark.parametrize(
    "persona", ["coach", "team_lead", "analyst", "privacy_officer", "functional_admin"]
)
def test_door_refuses_staff(request, persona):
    actor = request.getfixturevalue(persona)
    assert portal_client_or_none(actor) is None
    with pytest.raises(PortalNotAvailable):
        portal_client_get(actor=actor, origin=ORIGIN)
    assert AuditEvent.objects.get(action="portal.plan.read").result == Result.DENIED


def test_door_refuses_inactive_user_and_inactive_account(client_user):
    PortalAccount.objects.filter(user=client_user).update(is_active=False)
    assert portal_client_or_none(client_user) is None
    PortalAccount.objects.filter(user=client_user).update(is_active=True)
    client_user.is_active = False
    client_user.save(update_fields=["is_active"])
    assert portal_client_or_none(client_user) is None


def test_client_user_gets_nothing_through_the_staff_door(client_user):
    assert not actor_may_do_casework(client_user)
    assert not clients_visible_to(actor=client_user).exists()
    assert not households_visible_to(actor=client_user).exists()


def test_goal_door_gives_own_goal_only(plan_world):
    _client, goal = portal_goal_get(
        actor=plan_world.user, goal_id=plan_world.own_goal.pk, origin=ORIGIN
    )
    assert goal.pk == plan_world.own_goal.pk
    # A fellow member's goal on the same plan is not theirs.
    with pytest.raises(PortalNotAvailable):
        portal_goal_get(actor=plan_world.user, goal_id=plan_world.partner_goal.pk, origin=ORIGIN)
    with pytest.raises(PortalNotAvailable):
        portal_goal_get(actor=plan_world.user, goal_id="geen-uuid", origin=ORIGIN)
    results = list(
        AuditEvent.objects.filter(action="portal.goal.read")
        .order_by("seq")
        .values_list("result", flat=True)
    )
    assert results == [Result.ALLOWED, Result.DENIED, Result.DENIED]


def test_client_never_reaches_another_households_plan(
    plan_world, coach, client_factory, municipality
):
    other = client_factory()
    other_world = make_plan(
        coach=coach, client=other, partner=client_factory(household=other.household), user=None
    )
    with pytest.raises(PortalNotAvailable):
        portal_goal_get(actor=plan_world.user, goal_id=other_world.own_goal.pk, origin=ORIGIN)
    with pytest.raises(ClientNotVisible):
        client_step_add(
            actor=plan_world.user,
            goal=other_world.own_goal,
            data=ClientStepInput(description="Niet van mij", due_on=in_days(3)),
            origin=ORIGIN,
        )
    with pytest.raises(ClientNotVisible):
        client_step_done(
            actor=plan_world.user,
            step_id=other_world.own_step.pk,
            done=True,
            expected_version=_version(other_world.plan),
            origin=ORIGIN,
        )
    assert Step.objects.get(pk=other_world.own_step.pk).status == StepStatus.OPEN
    assert not Step.objects.filter(description="Niet van mij").exists()


# Ticking off steps ----------------------------------------------------------------------------


def test_client_ticks_off_and_reopens_own_step(plan_world):
    before = _version(plan_world.plan)
    step = client_step_done(
        actor=plan_world.user,
        step_id=plan_world.own_step.pk,
        done=True,
        expected_version=before,
        origin=ORIGIN,
    )
    assert step.status == StepStatus.DONE
    assert step.completed_by_kind == AuthorKind.CLIENT
    assert step.done_on is not None
    assert _version(plan_world.plan) == before + 1
    assert PlanVersion.objects.filter(plan=plan_world.plan, number=before + 1).exists()
    event = AuditEvent.objects.get(action="portal.step.status")
    assert event.detail["status"] == "done"
    assert "Eigen-stap" not in str(event.detail)

    step = client_step_done(
        actor=plan_world.user,
        step_id=plan_world.own_step.pk,
        done=False,
        expected_version=before + 1,
        origin=ORIGIN,
    )
    assert (step.status, step.done_on, step.completed_by_kind) == (StepStatus.OPEN, None, "")


def test_client_cannot_tick_a_coachs_step_or_a_members_step(plan_world):
    version = _version(plan_world.plan)
    for step in (plan_world.coach_step, plan_world.partner_step):
        with pytest.raises(ClientNotVisible):
            client_step_done(
                actor=plan_world.user,
                step_id=step.pk,
                done=True,
                expected_version=version,
                origin=ORIGIN,
            )
        assert Step.objects.get(pk=step.pk).status == StepStatus.OPEN
    assert _version(plan_world.plan) == version
    denied = AuditEvent.objects.filter(action="portal.step.status", result=Result.DENIED)
    assert denied.count() == 2


def test_staff_cannot_use_the_client_services(plan_world, coach):
    with pytest.raises(ClientNotVisible):
        client_step_done(
            actor=coach,
            step_id=plan_world.own_step.pk,
            done=True,
            expected_version=_version(plan_world.plan),
            origin=ORIGIN,
        )


def test_stale_version_is_a_conflict_and_writes_nothing(plan_world):
    with pytest.raises(ConflictError):
        client_step_done(
            actor=plan_world.user,
            step_id=plan_world.own_step.pk,
            done=True,
            expected_version=_version(plan_world.plan) - 1,
            origin=ORIGIN,
        )
    assert Step.objects.get(pk=plan_world.own_step.pk).status == StepStatus.OPEN


def test_ticking_a_done_step_again_is_refused_in_dutch(plan_world):
    version = _version(plan_world.plan)
    client_step_done(
        actor=plan_world.user,
        step_id=plan_world.own_step.pk,
        done=True,
        expected_version=version,
        origin=ORIGIN,
    )
    with pytest.raises(ValidationError) as error:
        client_step_done(
            actor=plan_world.user,
            step_id=plan_world.own_step.pk,
            done=True,
            expected_version=version + 1,
            origin=ORIGIN,
        )
    assert error.value.message_dict == {"status": ["Deze stap is al klaar."]}


# Adding goals and steps -----------------------------------------------------------------------


def test_client_adds_own_goal_and_step(plan_world):
    goal = client_goal_add(
        actor=plan_world.user,
        data=ClientGoalInput(domain="financien", what="  Mijn eigen doel  ", due_on=in_days(30)),
        origin=ORIGIN,
    )
    assert goal.member_id == plan_world.client.pk
    assert goal.author_kind == AuthorKind.CLIENT
    assert goal.what == "Mijn eigen doel"
    step = client_step_add(
        actor=plan_world.user,
        goal=goal,
        data=ClientStepInput(description="Bellen", due_on=in_days(2)),
        origin=ORIGIN,
    )
    assert (step.owner_kind, step.author_kind) == (OwnerKind.CLIENT, AuthorKind.CLIENT)
    codes = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"portal.goal.create", "portal.step.create"} <= codes


def test_client_cannot_add_a_step_to_a_members_goal(plan_world):
    with pytest.raises(ClientNotVisible):
        client_step_add(
            actor=plan_world.user,
            goal=plan_world.partner_goal,
            data=ClientStepInput(description="Voor mijn partner", due_on=in_days(2)),
            origin=ORIGIN,
        )
    assert not Step.objects.filter(description="Voor mijn partner").exists()


def test_bad_goal_input_names_the_fields_and_writes_nothing(plan_world):
    count = Goal.objects.count()
    version = _version(plan_world.plan)
    with pytest.raises(ValidationError) as error:
        client_goal_add(
            actor=plan_world.user,
            data=ClientGoalInput(domain="onbekend", what=" ", due_on=in_days(-1)),
            origin=ORIGIN,
        )
    assert set(error.value.message_dict) == {"domain", "what", "due_on"}
    assert Goal.objects.count() == count
    assert _version(plan_world.plan) == version


def test_no_plan_yet_means_no_goal(client_user):
    with pytest.raises(ValidationError) as error:
        client_goal_add(
            actor=client_user,
            data=ClientGoalInput(domain="financien", what="Doel", due_on=in_days(30)),
            origin=ORIGIN,
        )
    assert "plan" in error.value.message_dict
    assert not Goal.objects.exists()


# Accounts -------------------------------------------------------------------------------------


def test_account_create_refuses_a_second_account_and_a_taken_username(client_user, coach):
    client = client_user.portal_account.client
    with pytest.raises(ValidationError) as error:
        portal_account_create(
            actor=None, client=client, username="coach", password="x", origin=ORIGIN
        )
    assert {"username", "client", "password"} == set(error.value.message_dict)


def test_account_has_no_personal_data_on_the_user_row(client_factory):
    user = portal_user(client_factory())
    assert (user.first_name, user.last_name, user.email) == ("", "", "")
    assert user.role == "client"
    assert AuditEvent.objects.filter(action="portal.account.create").exists()
