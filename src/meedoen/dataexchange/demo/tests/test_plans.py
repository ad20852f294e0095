"""Demo plans, reviews and enrolments: consistent, capacity respected, selection on
characteristics, the same JSON as the services write, deterministic with the seed."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from itertools import pairwise
from statistics import mean

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meedoen.audit.models import AuditEvent
from meedoen.clients.models import HouseholdMembership
from meedoen.dataexchange.demo.caseloads import demo_caseloads_assign
from meedoen.dataexchange.demo.conversations import demo_conversations_create
from meedoen.dataexchange.demo.instruments import demo_instruments_create
from meedoen.dataexchange.demo.partners import demo_partners_create
from meedoen.dataexchange.demo.plans import (
    STEP_HAS_ENROLMENT,
    _Enrolment,
    _Instrument,
    _Member,
    _members,
    _place,
    demo_plans_create,
)
from meedoen.dataexchange.demo.services import (
    demo_deliveries_load,
    demo_municipality_get_or_create,
    demo_world_generate,
)
from meedoen.instruments.constants import (
    CLOSED_STATUSES,
    PLACE_STATUSES,
    EnrolmentStatus,
    InstrumentKind,
)
from meedoen.instruments.models import Enrolment
from meedoen.partners.models import Involvement
from meedoen.plans.constants import ACTIVE_GOAL_STATUSES, GoalStatus, OwnerKind, StepStatus
from meedoen.plans.models import Goal, Plan, PlanVersion, PlanVersionMember, Review, Step
from meedoen.plans.selectors import goals_with_steps, plan_as_of
from meedoen.plans.services import _goal_json, months_after

TODAY = dt.date(2025, 6, 1)


def _build(*, clients: int, seed: int):
    municipality = demo_municipality_get_or_create(code="0518")
    deliveries, traits = demo_world_generate(
        clients=clients, seed=seed, today=TODAY, municipality_code="0518"
    )
    demo_deliveries_load(municipality=municipality, deliveries=deliveries)
    demo_caseloads_assign(municipality=municipality, today=TODAY)
    demo_conversations_create(municipality=municipality, traits=traits, seed=seed, today=TODAY)
    demo_partners_create(municipality=municipality, seed=seed, today=TODAY)
    demo_instruments_create(municipality=municipality)
    return municipality


def _fingerprint():
    goals = sorted(
        Goal.objects.values_list(
            "plan__household__reference",
            "member__client_number",
            "position",
            "domain",
            "status",
            "achieved_on",
            "due_on",
        )
    )
    steps = sorted(
        Step.objects.values_list(
            "goal__member__client_number", "goal__position", "position", "status", "done_on"
        )
    )
    enrolments = sorted(
        Enrolment.objects.values_list(
            "client__client_number", "instrument__name", "status", "started_on", "ended_on"
        )
    )
    reviews = sorted(Review.objects.values_list("plan__household__reference", "held_on"))
    return goals, steps, enrolments, reviews


@pytest.mark.django_db(transaction=True)
def test_demo_plans_are_consistent_and_follow_the_causal_model():
    municipality = _build(clients=700, seed=3)
    with CaptureQueriesContext(connection) as ctx:
        stats = demo_plans_create(municipality=municipality, seed=3, today=TODAY)
    # Set-based: a fixed number of queries (reads, one insert per table and chunk, audit).
    assert len(ctx.captured_queries) < 40
    assert AuditEvent.objects.filter(action="plans.demo.create").count() == 1

    plans = {p.pk: p for p in Plan.objects.filter(municipality=municipality)}
    assert stats.plans == len(plans) > 100
    assert stats.enrolments == Enrolment.objects.count() > 30

    # Every goal's member belongs to the plan's household now.
    current = set(
        HouseholdMembership.objects.filter(end_date__isnull=True).values_list(
            "household_id", "client_id"
        )
    )
    goals = list(Goal.objects.select_related("plan"))
    assert all((g.plan.household_id, g.member_id) in current for g in goals)
    assert {len([g for g in goals if g.plan_id == p]) >= 1 for p in plans} == {True}

    # Reviews: after the start, not ahead, an outcome for every goal still running.
    outcomes = defaultdict(dict)
    reviews = defaultdict(list)
    for review in Review.objects.prefetch_related("outcomes").order_by("held_on"):
        reviews[review.plan_id].append(review.held_on)
        assert review.outcomes.exists()
        for outcome in review.outcomes.all():
            outcomes[outcome.goal_id][review.held_on] = outcome.result
    for plan in plans.values():
        start = timezone.localdate(plan.created_at)
        held = reviews.get(plan.pk, [])
        assert all(start < day <= TODAY for day in held)
        assert plan.next_review_on == months_after(held[-1] if held else start, 3)
    for goal in goals:
        held = reviews.get(goal.plan_id, [])
        mine = outcomes.get(goal.pk, {})
        # achieved_on set iff achieved, on the day of the review that said so.
        assert (goal.achieved_on is not None) == (goal.status == GoalStatus.ACHIEVED)
        if goal.status == GoalStatus.ACHIEVED:
            assert mine[goal.achieved_on] == GoalStatus.ACHIEVED
            assert max(mine) == goal.achieved_on  # no outcome after it was closed
        if goal.status in ACTIVE_GOAL_STATUSES and held:
            assert held[-1] in mine  # the last review said something about it
            assert goal.status == mine[held[-1]]
        if not held:
            assert goal.status == GoalStatus.OPEN
    achieved_share = stats.members_achieved / stats.members
    assert 0.25 < achieved_share < 0.55  # about 40%: the Tilburg indicator

    # Steps: dates and statuses agree; partner steps name an organisation, often the involved one.
    steps = list(Step.objects.select_related("goal__plan"))
    assert {s.owner_kind for s in steps} == set(OwnerKind.values)
    for step in steps:
        assert (step.done_on is not None) == (step.status == StepStatus.DONE)
        assert step.done_on is None or step.done_on <= TODAY
        assert (step.organisation_id is not None) == (step.owner_kind == OwnerKind.PARTNER)
    involved = set(Involvement.objects.values_list("household_id", "organisation_id"))
    partner_steps = [s for s in steps if s.owner_kind == OwnerKind.PARTNER]
    named = [s for s in partner_steps if (s.goal.plan.household_id, s.organisation_id) in involved]
    assert named
    assert any(s.author_kind == "client" for s in steps)
    assert any(s.completed_by_kind == "client" for s in steps)

    # Enrolments: consistent statuses; never more started than places, on any day.
    enrolments = list(Enrolment.objects.select_related("instrument"))
    by_instrument = defaultdict(list)
    for e in enrolments:
        by_instrument[e.instrument_id].append(e)
        assert (e.status in CLOSED_STATUSES) == (e.ended_on is not None)
        assert (e.started_on is not None) == (
            e.status in (EnrolmentStatus.STARTED, EnrolmentStatus.FINISHED)
            or (e.status == EnrolmentStatus.STOPPED_EARLY and e.stop_reason != "withdrawn")
        )
        if e.status == EnrolmentStatus.FINISHED:
            assert e.result
        if e.status == EnrolmentStatus.STOPPED_EARLY:
            assert e.stop_reason
        assert timezone.localdate(e.requested_at) <= TODAY
    for rows in by_instrument.values():
        capacity = rows[0].instrument.capacity
        if capacity is None:
            continue
        assert sum(1 for e in rows if e.status in PLACE_STATUSES) <= capacity
        for day in {e.started_on for e in rows if e.started_on}:
            running = [
                e
                for e in rows
                if e.started_on and e.started_on <= day and (e.ended_on is None or e.ended_on > day)
            ]
            assert len(running) <= capacity
    if STEP_HAS_ENROLMENT:
        linked = Step.objects.filter(enrolment__isnull=False).select_related("goal", "enrolment")
        assert linked.exists()
        assert all(s.goal.member_id == s.enrolment.client_id for s in linked)

    # Selection depends on characteristics: fit (obstacles) and the coach's preference for the
    # young and those higher on the ladder (the bias issue 7 corrects for).
    members = {m.client_id: m for ms in _members(municipality).values() for m in ms}
    kinds = defaultdict(set)
    for e in enrolments:
        kinds[e.client_id].add(e.instrument.kind)
    for client_id, enrolled in kinds.items():
        member = members[client_id]
        if InstrumentKind.LANGUAGE_COURSE in enrolled:
            assert "taal" in member.obstacles
        if enrolled & {InstrumentKind.DEBT_COUNSELLING, InstrumentKind.BUDGET_COURSE}:
            assert "schulden" in member.obstacles
    planned = {g.member_id for g in goals}
    treated = [members[c] for c in planned if c in kinds]
    untreated = [members[c] for c in planned if c not in kinds]
    assert mean(m.ladder for m in treated) > mean(m.ladder for m in untreated) + 0.15
    assert mean(m.age(TODAY) for m in treated) < mean(m.age(TODAY) for m in untreated) - 2
    # Ground truth for issue 7: a true effect per instrument, none for the placebo.
    assert stats.truth
    assert all(cell["effect"] >= 0 for cell in stats.truth.values())
    sport = [c for name, c in stats.truth.items() if name.startswith("Sport en bewegen")]
    assert all(c["effect"] == 0 for c in sport)

    # Versions: 1 = as made, the last = as it stands, in the services' own JSON; plan_as_of works.
    for plan in list(plans.values())[:40]:
        versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
        assert [v.number for v in versions] == list(range(1, plan.version + 1))
        expected = defaultdict(list)
        for goal in goals_with_steps(plan.pk):
            expected[str(goal.member_id)].append(_goal_json(goal))
        parts = PlanVersionMember.objects.filter(version=versions[-1]).order_by("id")
        assert {str(p.member_id): p.goals for p in parts} == dict(expected)
        household = plan.household
        now = plan_as_of(household=household, day=TODAY)
        assert now is not None
        assert now.number == plan.version
        start = timezone.localdate(plan.created_at)
        first = plan_as_of(household=household, day=start)
        assert first is not None
        assert first.number == 1
        assert {g["status"] for g in first.goals} == {GoalStatus.OPEN}
        assert plan_as_of(household=household, day=start - dt.timedelta(days=1)) is None

    # A second run adds nothing.
    assert demo_plans_create(municipality=municipality, seed=3, today=TODAY).plans == 0


@pytest.mark.django_db(transaction=True)
def test_demo_plans_are_deterministic_with_the_seed():
    municipality = _build(clients=300, seed=4)
    demo_plans_create(municipality=municipality, seed=4, today=TODAY)
    first = _fingerprint()
    assert first[0]
    assert first[3]

    def clear():
        Step.objects.all().delete()
        Enrolment.objects.all().delete()
        Plan.objects.all().delete()

    clear()
    demo_plans_create(municipality=municipality, seed=4, today=TODAY)
    assert _fingerprint() == first
    clear()
    demo_plans_create(municipality=municipality, seed=5, today=TODAY)
    assert _fingerprint() != first


def test_waiting_list_first_come_first_served_within_capacity():
    """The placing of requests, on its own: one place, seven requests over a few weeks."""
    instrument = _Instrument(
        "i", "Cursus", InstrumentKind.EDUCATION, 1, 6, frozenset(), frozenset()
    )
    member = _Member("c", "1", dt.date(1980, 1, 1), TODAY, 3, 4, "werkfit", "B1", "mbo2")
    requests = [
        _Enrolment(
            f"e{n}", instrument, member, "h", 1, "x", TODAY - dt.timedelta(days=200 - 9 * n), 0
        )
        for n in range(7)
    ]
    _place(requests, TODAY, random.Random(1))
    placed = [e for e in requests if e.stop_reason != "withdrawn"]
    started = sorted((e.started_on, e.ended_on or dt.date.max) for e in placed if e.started_on)
    for (_, end), (begin, _) in pairwise(started):
        assert begin >= end  # one place: the next starts when the previous has ended
    waiting = [e for e in placed if e.status == EnrolmentStatus.WAITING]
    assert waiting  # 6 weeks each, a request every 9 days: a queue builds up
    with_place = [e for e in placed if e.started_on or e.status == EnrolmentStatus.REQUESTED]
    assert max(e.requested_on for e in with_place) <= min(e.requested_on for e in waiting)
