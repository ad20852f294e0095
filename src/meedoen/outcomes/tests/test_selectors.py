"""The unified stream of outcome events (outcomes.selectors) and one client's list
(outcomes.selectors_client)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from meedoen.audit.services import Origin
from meedoen.clients.constants import BenefitType
from meedoen.clients.models import BenefitPeriod
from meedoen.outcomes.constants import OutcomeKind
from meedoen.outcomes.selectors import Event, outcome_events
from meedoen.outcomes.selectors_client import client_outcomes
from meedoen.outcomes.services import outcome_record
from meedoen.outcomes.tests.factories import job_input
from meedoen.plans.tests.factories import make_goal, make_plan
from meedoen.profiles.inputs import ProfileInput
from meedoen.profiles.services import conversation_record
from meedoen.profiles.tests.factories import conversation_input

ORIGIN = Origin(channel="test")
K = OutcomeKind


def _history(client, coach, *, start: dt.date = dt.date(2024, 1, 1)) -> None:
    """Benefit ended (work) and re-entry; ladder 2 -> 2 -> 4; a goal achieved; a job."""
    BenefitPeriod.objects.filter(client=client).update(
        end_date=start + dt.timedelta(days=30), end_reason="werk"
    )
    BenefitPeriod.objects.create(
        client=client, benefit_type=BenefitType.SINGLE, start_date=start + dt.timedelta(days=200)
    )
    for offset, rung in ((10, 2), (40, 2), (100, 4)):
        conversation_record(
            actor=coach,
            client=client,
            conversation=conversation_input(date=start + dt.timedelta(days=offset)),
            profile=ProfileInput(ladder_current=rung, ladder_potential=5),
            origin=ORIGIN,
        )
    plan = make_plan(client.household)
    make_goal(plan, client, achieved_on=start + dt.timedelta(days=150), status="achieved")
    outcome_record(
        actor=coach,
        client=client,
        data=job_input(occurred_on=start + dt.timedelta(days=20), hours_per_week=Decimal("24")),
        origin=ORIGIN,
    )


@pytest.mark.django_db
def test_every_kind_comes_from_its_source(coach, client_factory, municipality):
    client = client_factory()
    _history(client, coach)
    start = dt.date(2024, 1, 1)
    events = sorted(outcome_events(municipality_id=municipality.pk), key=lambda e: e.on)
    assert events == [
        Event(client.pk, K.JOB_STARTED, start + dt.timedelta(days=20), 24.0, None, "fixed_term"),
        Event(client.pk, K.BENEFIT_ENDED, start + dt.timedelta(days=30), reason="werk"),
        Event(client.pk, K.LADDER_CHANGED, start + dt.timedelta(days=100), 4.0, 2),
        Event(client.pk, K.GOAL_ACHIEVED, start + dt.timedelta(days=150)),
        Event(client.pk, K.BENEFIT_REENTRY, start + dt.timedelta(days=200)),
    ]
    assert events[0].is_substantial_job
    assert events[2].is_step_up


@pytest.mark.django_db
def test_since_until_kinds_and_client_ids_narrow_the_stream(coach, client_factory, municipality):
    first, second = client_factory(), client_factory()
    _history(first, coach)
    _history(second, coach, start=dt.date(2023, 1, 1))
    start = dt.date(2024, 1, 1)
    window = list(
        outcome_events(
            municipality_id=municipality.pk,
            since=start + dt.timedelta(days=30),
            until=start + dt.timedelta(days=150),
        )
    )
    assert sorted(e.kind for e in window) == [K.BENEFIT_ENDED, K.GOAL_ACHIEVED, K.LADDER_CHANGED]
    assert {e.client_id for e in window} == {first.pk}
    # The ladder change after `since` still knows the rung before it.
    (ladder,) = [e for e in window if e.kind == K.LADDER_CHANGED]
    assert ladder.previous == 2
    # A re-entry is found when only it falls in the window.
    only_reentry = list(
        outcome_events(municipality_id=municipality.pk, since=start + dt.timedelta(days=160))
    )
    assert [(e.kind, e.client_id) for e in only_reentry] == [(K.BENEFIT_REENTRY, first.pk)]
    mine = list(
        outcome_events(
            municipality_id=municipality.pk, client_ids=[second.pk], kinds=[K.JOB_STARTED]
        )
    )
    assert [(e.kind, e.client_id) for e in mine] == [(K.JOB_STARTED, second.pk)]
    from meedoen.clients.models import Client

    as_queryset = list(
        outcome_events(
            municipality_id=municipality.pk,
            client_ids=Client.objects.filter(pk=first.pk).values("pk"),
            kinds=[K.BENEFIT_REENTRY],
        )
    )
    assert [e.client_id for e in as_queryset] == [first.pk]


@pytest.mark.django_db
def test_other_municipality_is_not_in_the_stream(
    coach, other_municipality_coach, client_factory, municipality, other_municipality
):
    from meedoen.caseload.tests.factories import AssignedClientFactory

    theirs = AssignedClientFactory(other_municipality, coach=other_municipality_coach)()
    _history(theirs, other_municipality_coach)
    assert list(outcome_events(municipality_id=municipality.pk)) == []
    assert len(list(outcome_events(municipality_id=other_municipality.pk))) == 5


@pytest.mark.django_db
def test_stream_query_count_does_not_grow(
    coach, client_factory, municipality, django_assert_num_queries
):
    _history(client_factory(), coach)
    with django_assert_num_queries(4):
        assert len(list(outcome_events(municipality_id=municipality.pk))) == 5
    for n in range(5):
        _history(client_factory(), coach, start=dt.date(2022, 1, 1) + dt.timedelta(days=n))
    with django_assert_num_queries(4):
        assert len(list(outcome_events(municipality_id=municipality.pk))) == 30


@pytest.mark.django_db
def test_client_outcomes_newest_first_with_details(
    coach, client_factory, django_assert_num_queries
):
    client = client_factory()
    _history(client, coach)
    with django_assert_num_queries(4):
        rows = client_outcomes(client=client)
    assert [r.kind for r in rows] == [
        K.BENEFIT_REENTRY,
        K.GOAL_ACHIEVED,
        K.LADDER_CHANGED,
        K.BENEFIT_ENDED,
        K.JOB_STARTED,
    ]
    assert rows[2].detail == "van trede 2 naar trede 4"
    assert rows[3].detail == "reden: werk in loondienst"
    job = rows[4]
    assert job.record is not None
    assert job.detail.startswith("24 uur per week, Tijdelijk contract, Bakkerij De Korf")
    assert all(r.record is None for r in rows[:4])
