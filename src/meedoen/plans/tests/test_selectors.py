"""Reads of the plan (plans/selectors.py): the plan with goals, steps, latest review and
relapses in a fixed number of queries, the plan as of a date, reviews due, client ownership."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from meedoen.audit.services import Origin
from meedoen.caseload.models import Relapse
from meedoen.clients.constants import HouseholdRole
from meedoen.plans.constants import AuthorKind, StepStatus
from meedoen.plans.inputs import GoalInput, GoalUpdate, OutcomeInput, ReviewInput
from meedoen.plans.models import Plan, PlanVersion, Review, ReviewOutcome
from meedoen.plans.selectors import (
    plan_as_of,
    plan_client_ownership,
    plan_for_household,
    reviews_due,
)
from meedoen.plans.services import goal_add, goal_update, plan_open, review_record
from meedoen.plans.tests.factories import in_days, make_goal, make_plan, make_steps

ORIGIN = Origin(channel="test")
pytestmark = pytest.mark.django_db


def build(client_factory, *, goals: int, steps: int):
    main = client_factory()
    partner = client_factory(household=main.household, role=HouseholdRole.PARTNER)
    plan = make_plan(main.household)
    review = Review.objects.create(plan=plan, held_on=in_days(-1), recorded_by_name="coach")
    for n in range(goals):
        goal = make_goal(plan, main if n % 2 else partner)
        make_steps(goal, steps)
        ReviewOutcome.objects.create(review=review, goal=goal, result="partly")
    Relapse.objects.create(
        household=main.household, date=in_days(-3), note="Weer schulden", recorded_by_name="coach"
    )
    return main.household, plan


def read_all(household):
    view = plan_for_household(household=household)
    assert view is not None
    # Touch what a page shows, so a lazy relation would show up as an extra query.
    for goal in view.goals:
        str(goal.member.first_names)
        for step in goal.steps.all():
            str(step.organisation.name if step.organisation else "")
    if view.latest_review:
        list(view.latest_review.outcomes.all())
    for relapse in view.relapses:
        str(relapse.client)
    return view


def test_plan_for_household_costs_the_same_for_1_or_15_goals_with_5_steps(
    client_factory, django_assert_num_queries
):
    small, _ = build(client_factory, goals=1, steps=0)
    large, _ = build(client_factory, goals=15, steps=5)
    with django_assert_num_queries(6):
        view = read_all(small)
    assert len(view.goals) == 1
    with django_assert_num_queries(6):
        view = read_all(large)
    assert len(view.goals) == 15
    assert len(view.latest_review.outcomes.all()) == 15
    assert sum(len(goal.steps.all()) for goal in view.goals) == 75
    assert [r.note for r in view.relapses] == ["Weer schulden"]


def test_plan_for_household_orders_goals_by_member_and_position_and_has_the_latest_review(
    coach, client_factory
):
    main = client_factory()
    partner = client_factory(household=main.household, role=HouseholdRole.PARTNER)
    plan = plan_open(actor=coach, household=main.household, origin=ORIGIN)

    def add(member, what):
        return goal_add(
            actor=coach,
            plan=plan,
            data=GoalInput(member_id=member.pk, domain="financien", what=what, due_on=in_days(30)),
            origin=ORIGIN,
        )

    goals = [add(main, "A1"), add(partner, "B1"), add(main, "A2")]
    review_record(
        actor=coach,
        plan=plan,
        data=ReviewInput(
            held_on=timezone.localdate(),
            outcomes=[OutcomeInput(goal_id=g.pk, result="partly") for g in goals],
        ),
        expected_version=Plan.objects.get().version,
        origin=ORIGIN,
    )
    view = plan_for_household(household=main.household)
    by_member = [(g.member_id, g.what) for g in view.goals]
    assert [w for m, w in by_member if m == main.pk] == ["A1", "A2"]
    assert len(view.latest_review.outcomes.all()) == 3
    assert plan_for_household(household=client_factory().household) is None


def test_plan_as_of_a_date_reads_the_newest_version_by_then(
    coach, client_factory, django_assert_num_queries
):
    client = client_factory()
    plan = plan_open(actor=coach, household=client.household, origin=ORIGIN)
    goal = goal_add(
        actor=coach,
        plan=plan,
        data=GoalInput(member_id=client.pk, domain="financien", what="Oud", due_on=in_days(30)),
        origin=ORIGIN,
    )
    goal_update(
        actor=coach,
        goal=goal,
        data=GoalUpdate(domain="financien", what="Nieuw", due_on=in_days(30), status="open"),
        expected_version=2,
        origin=ORIGIN,
    )
    now = timezone.now()
    for number, days_ago in ((1, 10), (2, 5), (3, 0)):
        PlanVersion.objects.filter(plan=plan, number=number).update(
            at=now - dt.timedelta(days=days_ago)
        )
    today = timezone.localdate(now)
    assert plan_as_of(household=client.household, day=today - dt.timedelta(days=11)) is None
    first = plan_as_of(household=client.household, day=today - dt.timedelta(days=6))
    assert (first.number, first.goals, first.review_interval_months) == (1, [], 3)
    with django_assert_num_queries(2):
        second = plan_as_of(household=client.household, day=today - dt.timedelta(days=5))
    assert second.number == 2
    assert [(g["what"], g["member_id"]) for g in second.goals] == [("Oud", str(client.pk))]
    third = plan_as_of(household=client.household, day=today)
    assert [g["what"] for g in third.goals] == ["Nieuw"]
    assert third.actor_name == "coach"


def test_reviews_due_lists_the_actors_plans_due_soon_in_one_query(
    coach, other_team_coach, analyst, team_lead, client_factory, django_assert_num_queries
):
    due = make_plan(client_factory().household, next_review_on=in_days(10))
    overdue = make_plan(client_factory().household, next_review_on=in_days(-3))
    make_plan(client_factory().household, next_review_on=in_days(30))
    make_plan(client_factory(coach=other_team_coach).household, next_review_on=in_days(1))
    with django_assert_num_queries(1):
        plans = reviews_due(actor=coach)
        [p.household.reference for p in plans]
    assert plans == [overdue, due]
    for _ in range(10):
        make_plan(client_factory().household, next_review_on=in_days(5))
    with django_assert_num_queries(1):
        plans = reviews_due(actor=coach)
        [p.household.reference for p in plans]
    assert len(plans) == 12
    assert len(reviews_due(actor=coach, within_days=30)) == 13
    assert [p.household_id for p in reviews_due(actor=other_team_coach)] != []
    assert overdue not in reviews_due(actor=other_team_coach)
    with django_assert_num_queries(0):
        assert reviews_due(actor=analyst) == []
    # The team lead sees the team's caseloads (the door), not another team's.
    assert len(reviews_due(actor=team_lead)) == 12


def test_client_ownership_counts_steps_the_client_wrote_or_ticked_off(client_factory):
    client = client_factory()
    plan = make_plan(client.household)
    goal = make_goal(plan, client)
    make_steps(goal, 1, author_kind=AuthorKind.CLIENT)
    make_steps(
        goal,
        1,
        status=StepStatus.DONE,
        done_on=in_days(0),
        completed_by_kind=AuthorKind.CLIENT,
    )
    make_steps(goal, 1)
    make_steps(goal, 1, author_kind=AuthorKind.CLIENT, status=StepStatus.CANCELLED)
    ownership = plan_client_ownership(plan=plan)
    assert (ownership.steps, ownership.by_client, ownership.percent) == (3, 2, 67)
    empty = make_plan(client_factory().household)
    assert plan_client_ownership(plan=empty).percent is None
