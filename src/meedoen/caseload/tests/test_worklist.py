"""The work list: scope, last contact (corrections), appointments, signals, fixed query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meedoen.caseload.access import households_visible_to
from meedoen.caseload.constants import (
    AppointmentStatus,
    ContactKind,
    CoverReason,
    Intensity,
)
from meedoen.caseload.models import (
    Appointment,
    Assignment,
    CaseloadPolicy,
    ContactMoment,
    Cover,
)
from meedoen.caseload.tests.factories import assign
from meedoen.caseload.worklist import (
    Moment,
    Signal,
    Sort,
    upcoming_appointments,
    worklist_build,
    worklist_rows,
)

pytestmark = pytest.mark.django_db


def contact(household, *, days_ago, kind=ContactKind.HOME_VISIT, corrects=None, coach=None):
    return ContactMoment.objects.create(
        municipality_id=household.municipality_id,
        household=household,
        occurred_at=timezone.now() - dt.timedelta(days=days_ago),
        kind=kind,
        summary="Gesprek over de week.",
        coach=coach,
        coach_name="Test",
        corrects=corrects,
        correction_reason="Verkeerde datum" if corrects else "",
    )


def appointment(household, coach, *, days_ahead, status=AppointmentStatus.PLANNED):
    return Appointment.objects.create(
        municipality_id=household.municipality_id,
        household=household,
        coach=coach,
        starts_at=timezone.now() + dt.timedelta(days=days_ahead),
        kind=ContactKind.HOME_VISIT,
        status=status,
    )


def rows_by_household(actor, **kwargs):
    worklist = worklist_build(actor=actor)
    rows = worklist_rows(worklist.filtered(**kwargs), moment=worklist.moment)
    return {row.household_id: row for row in rows}


def households(actor, **kwargs):
    return [e.household_id for e in worklist_build(actor=actor, **kwargs).entries]


def test_scope_coach_cover_and_team_lead(
    client_factory, coach, colleague, other_team_coach, team_lead
):
    own = client_factory().household
    same_team = client_factory(coach=colleague).household
    other_team = client_factory(coach=other_team_coach).household
    client_factory(coach=None)  # the queue: never in a work list
    assert set(rows_by_household(coach)) == {own.pk}
    assert set(rows_by_household(team_lead)) == {own.pk, same_team.pk}
    assert set(rows_by_household(other_team_coach)) == {other_team.pk}
    Cover.objects.create(
        absent_coach=colleague,
        covering_coach=coach,
        start_date=timezone.localdate(),
        reason=CoverReason.LEAVE,
    )
    assert set(rows_by_household(coach)) == {own.pk, same_team.pk}
    # A team lead narrowing to one coach; a coach outside the scope gives nothing.
    assert households(team_lead, coach_id=colleague.pk) == [same_team.pk]
    assert households(team_lead, coach_id=other_team_coach.pk) == []


def test_work_list_never_reaches_past_the_door(
    client_factory, coach, colleague, other_team_coach, team_lead, other_municipality_coach
):
    """The work list takes its scope from the door's casework coaches; whatever the covers say,
    every household in it is one the door lets the actor see."""
    client_factory()
    client_factory(coach=colleague)
    client_factory(coach=other_team_coach)
    client_factory(coach=other_municipality_coach)
    client_factory(coach=None)
    # Covers across teams and even across municipalities (the door ignores the latter).
    for absent, covering in ((other_team_coach, coach), (other_municipality_coach, team_lead)):
        Cover.objects.create(
            absent_coach=absent,
            covering_coach=covering,
            start_date=timezone.localdate(),
            reason=CoverReason.LEAVE,
        )
    for actor in (coach, colleague, other_team_coach, team_lead, other_municipality_coach):
        visible = set(households_visible_to(actor=actor).values_list("pk", flat=True))
        listed = set(households(actor))
        assert listed <= visible, actor
    assert households(coach)


def test_no_work_list_outside_casework(client_factory, analyst, privacy_officer):
    client_factory()
    assert households(analyst) == []
    assert households(privacy_officer) == []
    assert upcoming_appointments(worklist=worklist_build(actor=analyst)) == []


def test_last_contact_two_way_and_newest_version(client_factory, coach):
    household = client_factory().household
    contact(household, days_ago=3, kind=ContactKind.LETTER)  # one-way: does not count
    old = contact(household, days_ago=10)
    row = rows_by_household(coach)[household.pk]
    assert row.last_contact == old.occurred_at
    # A correction moves the contact to 40 days ago: the corrected row no longer counts.
    corrected = contact(household, days_ago=40, corrects=old)
    row = rows_by_household(coach)[household.pk]
    assert row.last_contact == corrected.occurred_at
    assert Signal.NO_CONTACT in row.signal_codes
    assert row.weeks_since_contact == 5


def test_no_contact_signal_follows_intensity_and_policy(client_factory, coach, team):
    household = client_factory().household
    contact(household, days_ago=20)  # about 3 weeks
    assert Signal.NO_CONTACT not in rows_by_household(coach)[household.pk].signal_codes
    Assignment.objects.open().filter(household=household).update(intensity=Intensity.HIGH)
    assert Signal.NO_CONTACT in rows_by_household(coach)[household.pk].signal_codes
    CaseloadPolicy.objects.create(team=team, contact_weeks_high=6)
    assert Signal.NO_CONTACT not in rows_by_household(coach)[household.pk].signal_codes


def test_no_contact_since_assignment_start(client_factory, coach):
    household = client_factory().household  # assigned 2020-01-01, never spoken to
    row = rows_by_household(coach)[household.pk]
    assert row.last_contact is None
    assert row.signal_codes == [Signal.NO_CONTACT]
    assert "toewijzing" in row.signals[0].text


def test_new_assignment_signal(client_factory, coach, colleague):
    household = client_factory(coach=colleague).household
    contact(household, days_ago=20)  # with the previous coach
    assign(household=household, coach=coach, start_date=timezone.localdate() - dt.timedelta(days=3))
    row = rows_by_household(coach)[household.pk]
    assert Signal.NEW in row.signal_codes
    assert Signal.NO_CONTACT not in row.signal_codes
    contact(household, days_ago=1)
    assert Signal.NEW not in rows_by_household(coach)[household.pk].signal_codes


def test_appointment_signal_and_next(client_factory, coach):
    today = client_factory().household
    overdue = client_factory().household
    later = client_factory().household
    for household in (today, overdue, later):
        contact(household, days_ago=1)
    moment = Moment.current()
    # Later today, still planned: due today.
    Appointment.objects.create(
        municipality_id=today.municipality_id,
        household=today,
        coach=coach,
        starts_at=moment.start_of_tomorrow - dt.timedelta(minutes=1),
        kind=ContactKind.PHONE,
    )
    appointment(overdue, coach, days_ahead=-3)
    appointment(overdue, coach, days_ahead=-5, status=AppointmentStatus.DONE)
    nxt = appointment(later, coach, days_ahead=5)
    appointment(later, coach, days_ahead=9)
    rows = rows_by_household(coach)
    assert [b.text for b in rows[today.pk].signals] == ["Afspraak vandaag"]
    assert [b.text for b in rows[overdue.pk].signals] == ["Afspraak verlopen"]
    assert rows[later.pk].signals == []
    assert rows[later.pk].next_appointment == nxt.starts_at
    assert rows[overdue.pk].next_appointment is None
    upcoming = upcoming_appointments(worklist=worklist_build(actor=coach))
    assert [a.household_id for a in upcoming] == [today.pk, later.pk]


def test_counts_filter_and_sort(client_factory, coach):
    recent = client_factory().household
    contact(recent, days_ago=2)
    stale = client_factory().household
    contact(stale, days_ago=60)
    never = client_factory().household
    worklist = worklist_build(actor=coach)
    assert worklist.counts() == {
        "total": 3,
        Signal.NO_CONTACT: 2,
        Signal.APPOINTMENT: 0,
        Signal.NEW: 0,
    }
    assert [e.household_id for e in worklist.filtered()] == [never.pk, stale.pk, recent.pk]
    newest = [e.household_id for e in worklist.filtered(sort=Sort.NEWEST_CONTACT)]
    assert newest == [recent.pk, stale.pk, never.pk]
    only = worklist.filtered(signal=Signal.NO_CONTACT)
    assert {e.household_id for e in only} == {stale.pk, never.pk}


def _queries(actor):
    with CaptureQueriesContext(connection) as ctx:
        worklist = worklist_build(actor=actor)
        worklist.counts()
        rows = worklist_rows(worklist.filtered()[:50], moment=worklist.moment)
        upcoming_appointments(worklist=worklist)
    return len(ctx.captured_queries), len(rows)


@pytest.mark.parametrize("sizes", [(3, 0), (40, 30)])
def test_query_count_does_not_grow(client_factory, coach, sizes):
    households, contacts = sizes
    for _ in range(households):
        household = client_factory().household
        client_factory(household=household)
        for n in range(contacts):
            contact(household, days_ago=n * 7 + 1)
        appointment(household, coach, days_ahead=2)
    count, shown = _queries(coach)
    assert shown == households
    # Scope with the team policies, the work list; rows and members; appointments and their
    # members.
    assert count == 6
