"""The plan services (plans/services.py): happy paths, Dutch validation per field, the door,
stale versions, nothing half-written, review effects and the version history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.caseload.access import ClientNotVisible
from meedoen.clients.constants import HouseholdRole
from meedoen.core.concurrency import ConflictError
from meedoen.partners.constants import OrganisationKind
from meedoen.partners.models import Organisation
from meedoen.plans.constants import AuthorKind, GoalStatus, PlanChange, StepStatus
from meedoen.plans.inputs import GoalInput, GoalUpdate, OutcomeInput, ReviewInput, StepInput
from meedoen.plans.models import Goal, Plan, PlanVersion, Review, ReviewOutcome, Step
from meedoen.plans.services import (
    goal_add,
    goal_update,
    months_after,
    plan_open,
    plan_review_interval_set,
    review_record,
    step_add,
    step_update_status,
)
from meedoen.plans.tests.factories import in_days

ORIGIN = Origin(channel="test")
pytestmark = pytest.mark.django_db


@pytest.fixture
def family(client_factory):
    main = client_factory(first_names="Fatima", surname="Berg")
    partner = client_factory(
        household=main.household, first_names="Karim", surname="Berg", role=HouseholdRole.PARTNER
    )
    return main, partner


@pytest.fixture
def plan(coach, family):
    return plan_open(actor=coach, household=family[0].household, origin=ORIGIN)


def goal_input(member, **overrides) -> GoalInput:
    values = {
        "member_id": member.pk,
        "domain": "werk_opleiding",
        "what": "Een baan van 16 uur per week in de zorg",
        "due_on": in_days(120),
    }
    values.update(overrides)
    return GoalInput(**values)


def step_input(**overrides) -> StepInput:
    values = {"description": "Cv maken met de klantregisseur", "owner_kind": "client"}
    values["due_on"] = in_days(14)
    values.update(overrides)
    return StepInput(**values)


def add_goal(coach, plan, member, **overrides) -> Goal:
    return goal_add(actor=coach, plan=plan, data=goal_input(member, **overrides), origin=ORIGIN)


def fresh(plan: Plan) -> Plan:
    return Plan.objects.get(pk=plan.pk)


def update_of(goal: Goal, **overrides) -> GoalUpdate:
    values = {
        "domain": goal.domain,
        "what": goal.what,
        "due_on": goal.due_on,
        "status": goal.status,
        "obstacle": goal.obstacle,
        "ambition": goal.ambition,
    }
    values.update(overrides)
    return GoalUpdate(**values)


def snapshot():
    return (
        Plan.objects.count(),
        Goal.objects.count(),
        Step.objects.count(),
        Review.objects.count(),
        ReviewOutcome.objects.count(),
        PlanVersion.objects.count(),
        list(Plan.objects.values_list("version", "next_review_on")),
        list(Goal.objects.order_by("pk").values_list("status", "achieved_on", "what")),
    )


# Opening the plan ------------------------------------------------------------------------------


def test_months_after_keeps_the_day_or_takes_the_last_of_a_short_month():
    assert months_after(dt.date(2026, 1, 15), 3) == dt.date(2026, 4, 15)
    assert months_after(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert months_after(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)


def test_plan_open_makes_one_plan_with_version_one_and_returns_it_again(coach, family):
    household = family[0].household
    plan = plan_open(actor=coach, household=household, origin=ORIGIN)
    assert plan.version == 1
    assert plan.review_interval_months == 3
    assert plan.next_review_on == months_after(timezone.localdate(), 3)
    assert plan.created_by == coach
    (version,) = PlanVersion.objects.filter(plan=plan)
    assert (version.number, version.change, version.actor_name) == (1, PlanChange.CREATE, "coach")
    again = plan_open(actor=coach, household=household, origin=ORIGIN)
    assert again.pk == plan.pk
    assert PlanVersion.objects.count() == 1
    assert AuditEvent.objects.filter(action="plans.plan.create").count() == 1


@pytest.mark.parametrize("persona", ["other_team_coach", "analyst", "other_municipality_coach"])
def test_plan_open_is_refused_outside_the_door_and_audited(request, persona, family):
    actor = request.getfixturevalue(persona)
    with pytest.raises(ClientNotVisible):
        plan_open(actor=actor, household=family[0].household, origin=ORIGIN)
    assert not Plan.objects.exists()
    event = AuditEvent.objects.get(action="plans.plan.create")
    assert event.result == Result.DENIED


def test_team_lead_and_covering_colleague_may_work_on_the_plan(team_lead, colleague, coach, plan):
    from meedoen.caseload.models import Cover

    add_goal(team_lead, plan, plan.household.current_members.first())
    Cover.objects.create(
        absent_coach=coach, covering_coach=colleague, start_date=in_days(-1), reason="leave"
    )
    add_goal(colleague, fresh(plan), plan.household.current_members.first())
    assert Goal.objects.count() == 2


# Goals -----------------------------------------------------------------------------------------


def test_goal_add_for_two_members_orders_per_member_and_audits_without_text(coach, family, plan):
    main, partner = family
    first = add_goal(coach, plan, main)
    second = add_goal(coach, plan, main, domain="financien", what="Schulden in beeld")
    other = add_goal(coach, plan, partner, obstacle="taal", ambition="Nederlands op B1")
    assert [first.position, second.position, other.position] == [0, 1, 0]
    assert other.obstacle == "taal"
    assert other.ambition == "Nederlands op B1"
    assert other.author_kind == AuthorKind.COACH
    assert fresh(plan).version == 4
    assert list(PlanVersion.objects.filter(plan=plan).values_list("number", flat=True)) == [
        4,
        3,
        2,
        1,
    ]
    event = AuditEvent.objects.filter(action="plans.goal.create").latest("pk")
    assert event.detail["domain"] == "werk_opleiding"
    assert event.detail["version"] == 4
    assert "Nederlands" not in str(event.detail)
    assert event.subject_pseudonym


def test_goal_add_names_each_bad_field_in_dutch_and_writes_nothing(coach, family, plan):
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        goal_add(
            actor=coach,
            plan=plan,
            data=goal_input(
                family[0],
                member_id="niet-een-id",
                domain="sterrenkunde",
                what="  ",
                due_on=in_days(-1),
                obstacle="onbekend",
                ambition="x" * 1001,
                author_kind="buurman",
            ),
            origin=ORIGIN,
        )
    errors = excinfo.value.message_dict
    assert errors["member"] == ["Kies iemand die nu tot het huishouden hoort."]
    assert errors["domain"] == ["Kies uit de lijst."]
    assert errors["what"] == ["Vul dit in."]
    assert errors["due_on"] == ["Deze datum ligt in het verleden; kies een datum vanaf vandaag."]
    assert errors["obstacle"] == ["Kies uit de lijst."]
    assert errors["ambition"] == ["Gebruik hoogstens 1000 tekens."]
    assert errors["author_kind"] == ["Kies uit de lijst."]
    assert snapshot() == before


def test_goal_add_refuses_a_member_of_another_household(coach, client_factory, plan):
    outsider = client_factory()
    with pytest.raises(ValidationError) as excinfo:
        add_goal(coach, plan, outsider)
    assert "member" in excinfo.value.message_dict
    too_far = in_days(6 * 366)
    with pytest.raises(ValidationError) as excinfo:
        add_goal(coach, plan, plan.household.current_members.first(), due_on=too_far)
    assert excinfo.value.message_dict["due_on"] == [
        "Deze datum ligt meer dan vijf jaar vooruit; maak het doel kleiner."
    ]


def test_goal_add_with_a_stale_version_conflicts(coach, family, plan):
    add_goal(coach, plan, family[0])
    with pytest.raises(ConflictError):
        goal_add(
            actor=coach, plan=plan, data=goal_input(family[1]), origin=ORIGIN, expected_version=1
        )
    assert Goal.objects.count() == 1


def test_goal_update_changes_fields_sets_achieved_on_and_versions(coach, family, plan):
    goal = add_goal(coach, plan, family[0])
    version = fresh(plan).version
    fields = goal_update(
        actor=coach,
        goal=goal,
        data=update_of(goal, what="Een baan van 24 uur", status=GoalStatus.ACHIEVED),
        expected_version=version,
        origin=ORIGIN,
    )
    assert fields == ["achieved_on", "status", "what"]
    goal.refresh_from_db()
    assert goal.achieved_on == timezone.localdate()
    assert fresh(plan).version == version + 1
    event = AuditEvent.objects.get(action="plans.goal.update")
    assert event.detail["fields"] == ["achieved_on", "status", "what"]
    assert "24 uur" not in str(event.detail)
    # Back to running: the achievement date goes.
    goal_update(
        actor=coach,
        goal=goal,
        data=update_of(goal, status=GoalStatus.OPEN),
        expected_version=version + 1,
        origin=ORIGIN,
    )
    goal.refresh_from_db()
    assert goal.achieved_on is None


def test_goal_update_without_change_writes_nothing(coach, family, plan):
    goal = add_goal(coach, plan, family[0])
    version = fresh(plan).version
    assert (
        goal_update(
            actor=coach, goal=goal, data=update_of(goal), expected_version=version, origin=ORIGIN
        )
        == []
    )
    assert fresh(plan).version == version
    assert not AuditEvent.objects.filter(action="plans.goal.update").exists()


def test_goal_update_on_a_stale_version_conflicts_and_keeps_the_other_edit(
    coach, colleague, family, plan
):
    goal = add_goal(coach, plan, family[0])
    seen = fresh(plan).version
    goal_update(
        actor=coach,
        goal=goal,
        data=update_of(goal, what="Eerste"),
        expected_version=seen,
        origin=ORIGIN,
    )
    before = snapshot()
    with pytest.raises(ConflictError) as excinfo:
        goal_update(
            actor=coach,
            goal=goal,
            data=update_of(goal, what="Tweede"),
            expected_version=seen,
            origin=ORIGIN,
        )
    assert excinfo.value.current_version == seen + 1
    assert snapshot() == before
    assert Goal.objects.get().what == "Eerste"


def test_goal_update_refused_for_another_team(other_team_coach, coach, family, plan):
    goal = add_goal(coach, plan, family[0])
    with pytest.raises(ClientNotVisible):
        goal_update(
            actor=other_team_coach,
            goal=goal,
            data=update_of(goal, what="Iets anders"),
            expected_version=fresh(plan).version,
            origin=ORIGIN,
        )
    assert Goal.objects.get().what == goal.what
    assert AuditEvent.objects.get(action="plans.goal.update").result == Result.DENIED


def test_an_overdue_goal_may_be_edited_but_a_new_date_must_lie_ahead(coach, family, plan):
    goal = add_goal(coach, plan, family[0])
    Goal.objects.filter(pk=goal.pk).update(due_on=in_days(-10))
    goal.refresh_from_db()
    version = fresh(plan).version
    goal_update(
        actor=coach,
        goal=goal,
        data=update_of(goal, what="Nog steeds"),
        expected_version=version,
        origin=ORIGIN,
    )
    with pytest.raises(ValidationError) as excinfo:
        goal_update(
            actor=coach,
            goal=goal,
            data=update_of(goal, due_on=in_days(-5)),
            expected_version=version + 1,
            origin=ORIGIN,
        )
    assert "due_on" in excinfo.value.message_dict


# Steps -----------------------------------------------------------------------------------------


@pytest.fixture
def organisation(municipality):
    return Organisation.objects.create(
        municipality=municipality,
        name="Schuldhulp Den Haag",
        kind=OrganisationKind.DEBT_COUNSELLING,
    )


def test_step_add_for_client_coach_and_partner(coach, family, plan, organisation):
    goal = add_goal(coach, plan, family[0])
    first = step_add(actor=coach, goal=goal, data=step_input(), origin=ORIGIN)
    partner_step = step_add(
        actor=coach,
        goal=goal,
        data=step_input(
            description="Intake schuldhulp", owner_kind="partner", organisation_id=organisation.pk
        ),
        origin=ORIGIN,
    )
    own = step_add(
        actor=coach,
        goal=goal,
        data=step_input(description="Zelf bellen", author_kind="client"),
        origin=ORIGIN,
    )
    assert [first.position, partner_step.position, own.position] == [0, 1, 2]
    assert partner_step.organisation == organisation
    assert own.author_kind == AuthorKind.CLIENT
    event = AuditEvent.objects.filter(action="plans.step.create").latest("pk")
    assert event.detail["author_kind"] == "client"
    assert "bellen" not in str(event.detail)


def test_step_add_checks_owner_organisation_and_goal(
    coach, family, plan, organisation, other_municipality
):
    goal = add_goal(coach, plan, family[0])
    elsewhere = Organisation.objects.create(
        municipality=other_municipality, name="Elders", kind=OrganisationKind.OTHER
    )
    before = snapshot()
    cases = [
        (step_input(owner_kind="partner"), "organisation"),
        (step_input(owner_kind="partner", organisation_id=elsewhere.pk), "organisation"),
        (step_input(owner_kind="client", organisation_id=organisation.pk), "organisation"),
        (step_input(owner_kind="buurman"), "owner_kind"),
        (step_input(description=""), "description"),
        (step_input(due_on=in_days(-1)), "due_on"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as excinfo:
            step_add(actor=coach, goal=goal, data=data, origin=ORIGIN)
        assert field in excinfo.value.message_dict, field
    Goal.objects.filter(pk=goal.pk).update(status=GoalStatus.DROPPED)
    with pytest.raises(ValidationError) as excinfo:
        step_add(actor=coach, goal=goal, data=step_input(), origin=ORIGIN)
    assert excinfo.value.message_dict["goal"] == [
        "Dit doel is afgerond of vervallen; voeg er geen stappen aan toe."
    ]
    assert snapshot()[:6] == before[:6]


def test_step_status_done_reopen_cancel_follow_the_workflow(coach, family, plan):
    goal = add_goal(coach, plan, family[0])
    step = step_add(actor=coach, goal=goal, data=step_input(), origin=ORIGIN)
    version = fresh(plan).version
    step = step_update_status(
        actor=coach,
        step=step,
        status=StepStatus.DONE,
        completed_by_kind=AuthorKind.CLIENT,
        expected_version=version,
        origin=ORIGIN,
    )
    assert (step.status, step.done_on, step.completed_by_kind) == (
        "done",
        timezone.localdate(),
        "client",
    )
    with pytest.raises(ValidationError) as excinfo:
        step_update_status(
            actor=coach,
            step=step,
            status=StepStatus.CANCELLED,
            expected_version=version + 1,
            origin=ORIGIN,
        )
    assert excinfo.value.message_dict["status"] == [
        "Deze stap kan niet van deze status naar die status."
    ]
    step = step_update_status(
        actor=coach,
        step=step,
        status=StepStatus.OPEN,
        expected_version=version + 1,
        origin=ORIGIN,
    )
    assert (step.done_on, step.completed_by_kind) == (None, "")
    step = step_update_status(
        actor=coach,
        step=step,
        status=StepStatus.CANCELLED,
        expected_version=version + 2,
        origin=ORIGIN,
    )
    assert Step.objects.get().status == "cancelled"
    assert AuditEvent.objects.filter(action="plans.step.status").count() == 3


def test_step_status_rejects_future_date_stale_version_and_other_team(
    coach, other_team_coach, family, plan
):
    goal = add_goal(coach, plan, family[0])
    step = step_add(actor=coach, goal=goal, data=step_input(), origin=ORIGIN)
    version = fresh(plan).version
    with pytest.raises(ValidationError) as excinfo:
        step_update_status(
            actor=coach,
            step=step,
            status="done",
            done_on=in_days(1),
            expected_version=version,
            origin=ORIGIN,
        )
    assert excinfo.value.message_dict["done_on"] == ["Deze datum ligt in de toekomst."]
    with pytest.raises(ConflictError):
        step_update_status(
            actor=coach, step=step, status="done", expected_version=version - 1, origin=ORIGIN
        )
    with pytest.raises(ClientNotVisible):
        step_update_status(
            actor=other_team_coach,
            step=step,
            status="done",
            expected_version=version,
            origin=ORIGIN,
        )
    assert Step.objects.get().status == "open"
    assert fresh(plan).version == version


# Reviews ---------------------------------------------------------------------------------------


def test_review_sets_each_goal_and_moves_the_next_review(coach, family, plan):
    main, partner = family
    achieved = add_goal(coach, plan, main)
    partly = add_goal(coach, plan, main, what="Schulden op een rij")
    adjusted = add_goal(coach, plan, partner)
    dropped = add_goal(coach, plan, partner, what="Rijbewijs halen")
    Goal.objects.filter(pk=dropped.pk).update(status=GoalStatus.DROPPED)
    held_on = timezone.localdate()
    version = fresh(plan).version
    review = review_record(
        actor=coach,
        plan=plan,
        data=ReviewInput(
            held_on=held_on,
            note="Goed gesprek aan de keukentafel.",
            outcomes=[
                OutcomeInput(goal_id=achieved.pk, result="achieved", note="Contract getekend"),
                OutcomeInput(goal_id=partly.pk, result="partly"),
                OutcomeInput(goal_id=adjusted.pk, result="adjusted", note="Eerst taal"),
            ],
        ),
        expected_version=version,
        origin=ORIGIN,
    )
    assert review.recorded_by_name == "coach"
    statuses = dict(Goal.objects.values_list("pk", "status"))
    assert statuses == {
        achieved.pk: "achieved",
        partly.pk: "partly",
        adjusted.pk: "adjusted",
        dropped.pk: "dropped",
    }
    assert Goal.objects.get(pk=achieved.pk).achieved_on == held_on
    assert Goal.objects.get(pk=partly.pk).achieved_on is None
    current = fresh(plan)
    assert current.next_review_on == months_after(held_on, 3)
    assert current.version == version + 1
    assert PlanVersion.objects.filter(plan=plan).latest("number").change == PlanChange.REVIEW
    event = AuditEvent.objects.get(action="plans.review.create")
    assert event.detail["outcomes"] == 3
    assert event.detail["results"] == {"achieved": 1, "partly": 1, "adjusted": 1}
    assert "keukentafel" not in str(event.detail)


def test_review_needs_an_outcome_for_every_running_goal_and_writes_nothing(coach, family, plan):
    main, partner = family
    first = add_goal(coach, plan, main)
    add_goal(coach, plan, partner)
    before = snapshot()
    with pytest.raises(ValidationError) as excinfo:
        review_record(
            actor=coach,
            plan=plan,
            data=ReviewInput(
                held_on=timezone.localdate(),
                outcomes=[OutcomeInput(goal_id=first.pk, result="achieved")],
            ),
            expected_version=fresh(plan).version,
            origin=ORIGIN,
        )
    assert excinfo.value.message_dict["outcomes"] == [
        "Geef een uitkomst voor elk lopend doel; er ontbreken er 1."
    ]
    assert snapshot() == before


def test_review_validates_date_goals_and_results(coach, family, client_factory, plan):
    goal = add_goal(coach, plan, family[0])
    other_household = client_factory()
    other_plan = plan_open(actor=coach, household=other_household.household, origin=ORIGIN)
    foreign = add_goal(coach, other_plan, other_household)
    version = fresh(plan).version

    def errors(**data):
        with pytest.raises(ValidationError) as excinfo:
            review_record(
                actor=coach,
                plan=plan,
                data=ReviewInput(**data),
                expected_version=version,
                origin=ORIGIN,
            )
        return excinfo.value.message_dict

    ok = [OutcomeInput(goal_id=goal.pk, result="partly")]
    assert errors(held_on=in_days(1), outcomes=ok)["held_on"] == ["Deze datum ligt in de toekomst."]
    assert errors(held_on=in_days(-400), outcomes=ok)["held_on"] == [
        "Het plan bestond op deze datum nog niet."
    ]
    assert errors(
        held_on=timezone.localdate(),
        outcomes=[*ok, OutcomeInput(goal_id=foreign.pk, result="partly")],
    )["outcomes"] == ["Een uitkomst hoort bij een doel dat niet in dit plan staat."]
    assert errors(
        held_on=timezone.localdate(), outcomes=[OutcomeInput(goal_id=goal.pk, result="dropped")]
    )["outcomes"] == ["Kies als uitkomst behaald, deels behaald, niet behaald of bijgesteld."]
    assert errors(held_on=timezone.localdate(), outcomes=[*ok, *ok])["outcomes"] == [
        "Geef per doel één uitkomst."
    ]
    assert Goal.objects.get(pk=foreign.pk).status == "open"
    assert not Review.objects.exists()


def test_review_not_before_the_last_one_and_not_on_a_stale_version(coach, family, plan):
    goal = add_goal(coach, plan, family[0])
    Plan.objects.filter(pk=plan.pk).update(created_at=timezone.now() - dt.timedelta(days=200))
    version = fresh(plan).version
    outcome = [OutcomeInput(goal_id=goal.pk, result="partly")]
    review_record(
        actor=coach,
        plan=plan,
        data=ReviewInput(held_on=in_days(-30), outcomes=outcome),
        expected_version=version,
        origin=ORIGIN,
    )
    with pytest.raises(ValidationError) as excinfo:
        review_record(
            actor=coach,
            plan=plan,
            data=ReviewInput(held_on=in_days(-60), outcomes=outcome),
            expected_version=version + 1,
            origin=ORIGIN,
        )
    assert "held_on" in excinfo.value.message_dict
    with pytest.raises(ConflictError):
        review_record(
            actor=coach,
            plan=plan,
            data=ReviewInput(held_on=in_days(0), outcomes=outcome),
            expected_version=version,
            origin=ORIGIN,
        )
    assert Review.objects.count() == 1


def test_review_refused_for_another_team(other_team_coach, coach, family, plan):
    goal = add_goal(coach, plan, family[0])
    with pytest.raises(ClientNotVisible):
        review_record(
            actor=other_team_coach,
            plan=plan,
            data=ReviewInput(
                held_on=timezone.localdate(),
                outcomes=[OutcomeInput(goal_id=goal.pk, result="achieved")],
            ),
            expected_version=fresh(plan).version,
            origin=ORIGIN,
        )
    assert not Review.objects.exists()
    assert Goal.objects.get().status == "open"


# Review interval -------------------------------------------------------------------------------


def test_review_interval_moves_the_next_review_from_the_last_review(coach, family, plan):
    goal = add_goal(coach, plan, family[0])
    held_on = timezone.localdate()
    version = fresh(plan).version
    review_record(
        actor=coach,
        plan=plan,
        data=ReviewInput(
            held_on=held_on, outcomes=[OutcomeInput(goal_id=goal.pk, result="partly")]
        ),
        expected_version=version,
        origin=ORIGIN,
    )
    plan = plan_review_interval_set(
        actor=coach, plan=plan, months=6, expected_version=version + 1, origin=ORIGIN
    )
    assert (plan.review_interval_months, plan.next_review_on) == (6, months_after(held_on, 6))
    assert fresh(plan).version == version + 2
    with pytest.raises(ValidationError) as excinfo:
        plan_review_interval_set(
            actor=coach, plan=plan, months=13, expected_version=version + 2, origin=ORIGIN
        )
    assert excinfo.value.message_dict["review_interval_months"] == [
        "Kies een termijn van 1 tot en met 12 maanden."
    ]
    with pytest.raises(ConflictError):
        plan_review_interval_set(
            actor=coach, plan=plan, months=2, expected_version=version, origin=ORIGIN
        )
    assert fresh(plan).review_interval_months == 6
