"""Caseload management services (caseload/handover.py): assigning from the queue, the warm
handover, intensity, redistributing a leaving coach's caseload, team policy and coach profile."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meedoen.accounts.constants import Role
from meedoen.accounts.models import User
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.caseload.constants import (
    AssignmentReason,
    ContactPurpose,
    Intensity,
)
from meedoen.caseload.handover import (
    assignment_intensity_set,
    caseload_policy_update,
    caseload_redistribute,
    coach_profile_update,
    household_assign,
)
from meedoen.caseload.models import Appointment, Assignment, CaseloadPolicy, CoachProfile, Handover

pytestmark = pytest.mark.django_db
ORIGIN = Origin(channel="test")


def _actions():
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


@pytest.fixture
def unassigned(client_factory):
    return client_factory(coach=None).household


@pytest.fixture
def assigned(client_factory, coach):
    return client_factory().household


def test_first_assignment_from_the_queue(unassigned, coach, team_lead):
    assignment = household_assign(
        household=unassigned,
        coach=coach,
        reason=AssignmentReason.FIRST,
        actor=team_lead,
        origin=ORIGIN,
    )
    assert assignment.coach == coach
    assert assignment.start_date == timezone.localdate()
    assert assignment.intensity == Intensity.NORMAL
    assert not Handover.objects.exists()
    assert "caseload.assignment.create" in _actions()


def test_first_assignment_needs_reason_first(unassigned, coach, team_lead):
    with pytest.raises(ValidationError) as error:
        household_assign(
            household=unassigned,
            coach=coach,
            reason=AssignmentReason.HANDOVER,
            actor=team_lead,
            origin=ORIGIN,
        )
    assert "reason" in error.value.message_dict
    assert not Assignment.objects.filter(household=unassigned).exists()


def test_a_coach_cannot_assign(unassigned, coach, colleague):
    with pytest.raises(ValidationError) as error:
        household_assign(
            household=unassigned,
            coach=colleague,
            reason=AssignmentReason.FIRST,
            actor=coach,
            origin=ORIGIN,
        )
    assert "coach" in error.value.message_dict
    assert not Assignment.objects.filter(household=unassigned).exists()


def test_warm_handover_keeps_history_and_intensity(assigned, coach, colleague, team_lead):
    Assignment.objects.open().filter(household=assigned).update(intensity=Intensity.HIGH)
    intro = timezone.now() + dt.timedelta(days=3)
    assignment = household_assign(
        household=assigned,
        coach=colleague,
        reason=AssignmentReason.HANDOVER,
        actor=team_lead,
        origin=ORIGIN,
        handover_note="Let op: afspraken met de schuldhulp lopen.",
        introduction_at=intro,
    )
    history = list(Assignment.objects.filter(household=assigned).order_by("start_date"))
    assert [a.coach for a in history] == [coach, colleague]
    assert history[0].end_date == timezone.localdate()
    assert Assignment.objects.open().get(household=assigned) == assignment
    assert assignment.intensity == Intensity.HIGH
    handover = Handover.objects.get(assignment=assignment)
    assert handover.from_coach == coach
    assert handover.note.startswith("Let op")
    appointment = handover.introduction
    assert appointment.coach == colleague
    assert appointment.second_coach == coach
    assert appointment.purpose == ContactPurpose.INTRODUCTION
    assert appointment.starts_at == intro
    assert _actions()[-2:] == ["caseload.assignment.create", "caseload.handover.create"]
    # The note text never goes into the audit trail.
    assert "schuldhulp" not in str(AuditEvent.objects.order_by("seq").last().detail)


def test_handover_requires_a_note(assigned, coach, colleague, team_lead):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        household_assign(
            household=assigned,
            coach=colleague,
            reason=AssignmentReason.HANDOVER,
            actor=team_lead,
            origin=ORIGIN,
            introduction_at=timezone.now() + dt.timedelta(days=1),
        )
    assert "handover_note" in error.value.message_dict
    assert Assignment.objects.open().get(household=assigned).coach == coach
    assert Assignment.objects.filter(household=assigned).count() == 1
    assert not Appointment.objects.exists()
    assert AuditEvent.objects.count() == before


def test_handover_introduction_in_the_past_is_refused(assigned, colleague, team_lead):
    with pytest.raises(ValidationError) as error:
        household_assign(
            household=assigned,
            coach=colleague,
            reason=AssignmentReason.HANDOVER,
            actor=team_lead,
            origin=ORIGIN,
            handover_note="notitie",
            introduction_at=timezone.now() - dt.timedelta(hours=1),
        )
    assert "introduction_at" in error.value.message_dict
    assert Assignment.objects.filter(household=assigned).count() == 1


def test_handover_to_the_same_coach_is_refused(assigned, coach, team_lead):
    with pytest.raises(ValidationError) as error:
        household_assign(
            household=assigned,
            coach=coach,
            reason=AssignmentReason.HANDOVER,
            actor=team_lead,
            origin=ORIGIN,
            handover_note="x",
        )
    assert "coach" in error.value.message_dict


def test_intensity_by_coach_and_team_lead(assigned, coach, colleague, team_lead):
    assignment_intensity_set(
        household=assigned, intensity=Intensity.HIGH, actor=coach, origin=ORIGIN
    )
    assert Assignment.objects.open().get(household=assigned).intensity == Intensity.HIGH
    assignment_intensity_set(
        household=assigned, intensity=Intensity.LOW, actor=team_lead, origin=ORIGIN
    )
    assert Assignment.objects.open().get(household=assigned).intensity == Intensity.LOW
    assert _actions().count("caseload.assignment.intensity") == 2
    # Unchanged: nothing written.
    assignment_intensity_set(
        household=assigned, intensity=Intensity.LOW, actor=team_lead, origin=ORIGIN
    )
    assert _actions().count("caseload.assignment.intensity") == 2
    with pytest.raises(ValidationError):
        assignment_intensity_set(
            household=assigned, intensity=Intensity.HIGH, actor=colleague, origin=ORIGIN
        )
    with pytest.raises(ValidationError):
        assignment_intensity_set(household=assigned, intensity="max", actor=coach, origin=ORIGIN)


def test_intensity_other_team_lead_refused(assigned, municipality, other_team):
    lead = User.objects.create_user(
        username="andere-teamleider",
        municipality=municipality,
        role=Role.TEAM_LEAD,
        team=other_team,
    )
    with pytest.raises(ValidationError):
        assignment_intensity_set(
            household=assigned, intensity=Intensity.HIGH, actor=lead, origin=ORIGIN
        )


def test_redistribute_all_or_nothing(client_factory, coach, colleague, team_lead, other_team_coach):
    households = [client_factory().household for _ in range(3)]
    Assignment.objects.open().filter(household=households[0]).update(intensity=Intensity.HIGH)
    someone_elses = client_factory(coach=colleague).household
    # One wrong pair (a household not in the coach's caseload) refuses the whole plan.
    with pytest.raises(ValidationError) as error:
        caseload_redistribute(
            from_coach=coach,
            plan=[(households[0], colleague), (someone_elses, colleague)],
            actor=team_lead,
            origin=ORIGIN,
        )
    assert "plan" in error.value.message_dict
    assert Assignment.objects.open().filter(coach=coach).count() == 3
    with pytest.raises(ValidationError):
        caseload_redistribute(
            from_coach=coach, plan=[(households[0], coach)], actor=team_lead, origin=ORIGIN
        )
    with pytest.raises(ValidationError):
        caseload_redistribute(
            from_coach=coach, plan=[(households[0], colleague)], actor=colleague, origin=ORIGIN
        )
    count = caseload_redistribute(
        from_coach=coach,
        plan=[(households[0], colleague), (households[1], other_team_coach)],
        actor=team_lead,
        origin=ORIGIN,
    )
    assert count == 2
    assert Assignment.objects.open().get(household=households[0]).coach == colleague
    assert Assignment.objects.open().get(household=households[0]).intensity == Intensity.HIGH
    assert Assignment.objects.open().get(household=households[1]).coach == other_team_coach
    assert Assignment.objects.open().get(household=households[2]).coach == coach
    assert Assignment.objects.filter(household=households[0]).count() == 2
    event = AuditEvent.objects.filter(action="caseload.assignment.redistribute").get()
    assert event.detail["count"] == 2


def test_policy_update(team, team_lead, coach, other_team):
    policy = caseload_policy_update(
        team=team,
        actor=team_lead,
        origin=ORIGIN,
        caseload_target=40,
        contact_weeks_low=8,
        contact_weeks_normal=4,
        contact_weeks_high=2,
    )
    assert CaseloadPolicy.objects.get(team=team).caseload_target == 40
    assert policy.pk
    with pytest.raises(ValidationError) as error:
        caseload_policy_update(
            team=team,
            actor=team_lead,
            origin=ORIGIN,
            caseload_target=0,
            contact_weeks_low=8,
            contact_weeks_normal=4,
            contact_weeks_high=2,
        )
    assert "caseload_target" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        caseload_policy_update(
            team=team,
            actor=team_lead,
            origin=ORIGIN,
            caseload_target=40,
            contact_weeks_low=2,
            contact_weeks_normal=4,
            contact_weeks_high=8,
        )
    assert "contact_weeks_high" in error.value.message_dict
    for actor, target_team in ((coach, team), (team_lead, other_team)):
        with pytest.raises(ValidationError):
            caseload_policy_update(
                team=target_team,
                actor=actor,
                origin=ORIGIN,
                caseload_target=30,
                contact_weeks_low=8,
                contact_weeks_normal=4,
                contact_weeks_high=2,
            )
    assert CaseloadPolicy.objects.get(team=team).caseload_target == 40
    assert _actions().count("caseload.policy.update") == 1


def test_coach_profile_update(coach, team_lead, functional_admin, colleague, other_team_coach):
    coach_profile_update(
        coach=coach,
        actor=team_lead,
        origin=ORIGIN,
        languages=["ar", "en"],
        hours_factor="0,8",
        accepts_new=True,
    )
    profile = CoachProfile.objects.get(coach=coach)
    assert profile.languages == ["ar", "en"]
    assert profile.hours_factor == Decimal("0.80")
    coach_profile_update(
        coach=coach,
        actor=functional_admin,
        origin=ORIGIN,
        languages=["ar"],
        hours_factor=Decimal("0.8"),
        accepts_new=False,
    )
    assert CoachProfile.objects.get(coach=coach).accepts_new is False
    with pytest.raises(ValidationError) as error:
        coach_profile_update(
            coach=coach,
            actor=team_lead,
            origin=ORIGIN,
            languages=["xx-nope"],
            hours_factor="1,5",
            accepts_new=True,
        )
    assert {"languages", "hours_factor"} <= set(error.value.message_dict)
    for actor, target in ((colleague, coach), (team_lead, other_team_coach)):
        with pytest.raises(ValidationError):
            coach_profile_update(
                coach=target,
                actor=actor,
                origin=ORIGIN,
                languages=[],
                hours_factor=1,
                accepts_new=True,
            )
    assert _actions().count("caseload.coach_profile.update") == 2
