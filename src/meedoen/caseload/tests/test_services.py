import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meedoen.accounts.models import User
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.caseload.constants import AssignmentReason, CoverReason
from meedoen.caseload.models import Assignment, Cover
from meedoen.caseload.services import (
    assignment_create,
    assignments_bulk_create,
    caseload_transfer,
    cover_create,
    cover_end,
)

ORIGIN = Origin(channel="test")
pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 3, 1)


def today():
    return timezone.localdate()


def test_assignment_create_closes_the_previous_one_and_audits(
    team_lead, coach, colleague, client_factory
):
    household = client_factory().household  # assigned to coach since 2020-01-01
    new = assignment_create(
        household=household,
        coach=colleague,
        start_date=TODAY,
        reason=AssignmentReason.HANDOVER,
        actor=team_lead,
        origin=ORIGIN,
    )
    assert Assignment.objects.open().get(household=household) == new
    previous = Assignment.objects.get(household=household, coach=coach)
    assert previous.end_date == TODAY
    event = AuditEvent.objects.get(action="caseload.assignment.create")
    assert event.actor_name == "teamleider"
    assert event.object_id == str(new.pk)
    assert event.detail["previous_coach_id"] == coach.pk


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("analyst", "Kies een actieve klantregisseur of teamleider."),
        ("other_municipality_coach", "Deze medewerker werkt niet voor dezelfde gemeente."),
        ("coach", "Deze klantregisseur is al het contactpersoon van dit huishouden."),
    ],
)
def test_assignment_create_refuses_the_wrong_coach(
    request, team_lead, client_factory, who, message
):
    household = client_factory().household
    with pytest.raises(ValidationError) as error:
        assignment_create(
            household=household,
            coach=request.getfixturevalue(who),
            start_date=TODAY,
            reason=AssignmentReason.HANDOVER,
            actor=team_lead,
            origin=ORIGIN,
        )
    assert error.value.message_dict["coach"] == [message]
    assert Assignment.objects.count() == 1  # nothing half written: the old one is still open
    assert Assignment.objects.open().count() == 1
    assert not AuditEvent.objects.filter(action="caseload.assignment.create").exists()


def test_assignment_create_refuses_an_inactive_coach(team_lead, colleague, client_factory):
    colleague.is_active = False
    colleague.save(update_fields=["is_active"])
    with pytest.raises(ValidationError, match="actieve klantregisseur"):
        assignment_create(
            household=client_factory().household,
            coach=colleague,
            start_date=TODAY,
            reason=AssignmentReason.HANDOVER,
            actor=team_lead,
            origin=ORIGIN,
        )


@pytest.mark.parametrize("actor_name", ["coach", "colleague", "functional_admin"])
def test_only_a_team_lead_or_the_system_assigns(request, colleague, client_factory, actor_name):
    household = client_factory(coach=None).household
    with pytest.raises(ValidationError, match="Alleen een teamleider"):
        assignment_create(
            household=household,
            coach=colleague,
            start_date=TODAY,
            reason=AssignmentReason.FIRST,
            actor=request.getfixturevalue(actor_name),
            origin=ORIGIN,
        )
    assert (
        assignment_create(
            household=household,
            coach=colleague,
            start_date=TODAY,
            reason=AssignmentReason.FIRST,
            actor=None,
            origin=ORIGIN,
        ).created_by
        is None
    )


def test_assignment_dates_and_reason_are_checked(team_lead, colleague, client_factory):
    household = client_factory().household
    cases = [
        ({"start_date": today() + dt.timedelta(days=1)}, "start_date", "toekomst"),
        ({"start_date": dt.date(2019, 1, 1)}, "start_date", "voor het begin"),
        ({"reason": "zomaar"}, "reason", "Kies een reden"),
    ]
    for change, field, text in cases:
        arguments = {
            "household": household,
            "coach": colleague,
            "start_date": TODAY,
            "reason": AssignmentReason.HANDOVER,
            "actor": team_lead,
            "origin": ORIGIN,
        } | change
        with pytest.raises(ValidationError) as error:
            assignment_create(**arguments)
        assert text in error.value.message_dict[field][0]


def test_bulk_create_assigns_many_and_audits_once(municipality, coach, colleague, client_factory):
    households = [client_factory(coach=None).household for _ in range(5)]
    pairs = [(h, coach if i % 2 else colleague) for i, h in enumerate(households)]
    count = assignments_bulk_create(
        pairs=pairs, start_date=TODAY, reason=AssignmentReason.FIRST, actor=None, origin=ORIGIN
    )
    assert count == 5
    assert Assignment.objects.open().filter(coach=coach).count() == 2
    event = AuditEvent.objects.get(action="caseload.assignment.bulk_create")
    assert event.detail["count"] == 5


def test_bulk_create_refuses_the_whole_batch_when_one_is_assigned(coach, client_factory):
    free = client_factory(coach=None).household
    taken = client_factory().household
    with pytest.raises(ValidationError, match="1 huishoudens hebben al een klantregisseur"):
        assignments_bulk_create(
            pairs=[(free, coach), (taken, coach)],
            start_date=TODAY,
            reason=AssignmentReason.FIRST,
            actor=None,
            origin=ORIGIN,
        )
    assert not Assignment.objects.filter(household=free).exists()


def test_bulk_create_refuses_a_coach_of_another_municipality(
    other_municipality_coach, client_factory
):
    with pytest.raises(ValidationError, match="niet voor dezelfde gemeente"):
        assignments_bulk_create(
            pairs=[(client_factory(coach=None).household, other_municipality_coach)],
            start_date=TODAY,
            reason=AssignmentReason.FIRST,
            actor=None,
            origin=ORIGIN,
        )


def test_cover_create_and_end(team_lead, coach, colleague):
    cover = cover_create(
        absent_coach=coach,
        covering_coach=colleague,
        start_date=today(),
        end_date=None,
        reason=CoverReason.OTHER,
        actor=team_lead,
        origin=ORIGIN,
    )
    assert Cover.objects.active_on(today()).get() == cover
    cover_end(cover=cover, actor=team_lead, origin=ORIGIN)
    assert not Cover.objects.active_on(today()).exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"caseload.cover.create", "caseload.cover.end"} <= actions
    with pytest.raises(ValidationError, match="al afgelopen"):
        cover_end(cover=cover, actor=team_lead, origin=ORIGIN)


@pytest.mark.parametrize(
    ("covering", "field", "text"),
    [
        ("coach", "covering_coach", "niet zichzelf"),
        ("analyst", "covering_coach", "actieve klantregisseur"),
        ("other_municipality_coach", "covering_coach", "dezelfde gemeente"),
    ],
)
def test_cover_create_validation(request, team_lead, coach, covering, field, text):
    with pytest.raises(ValidationError) as error:
        cover_create(
            absent_coach=coach,
            covering_coach=request.getfixturevalue(covering),
            start_date=today(),
            end_date=None,
            reason=CoverReason.LEAVE,
            actor=team_lead,
            origin=ORIGIN,
        )
    assert text in error.value.message_dict[field][0]
    assert not Cover.objects.exists()


def test_cover_end_before_start_and_coach_as_actor_are_refused(team_lead, coach, colleague):
    with pytest.raises(ValidationError, match="einddatum ligt voor de begindatum"):
        cover_create(
            absent_coach=coach,
            covering_coach=colleague,
            start_date=TODAY,
            end_date=TODAY - dt.timedelta(days=1),
            reason=CoverReason.LEAVE,
            actor=team_lead,
            origin=ORIGIN,
        )
    with pytest.raises(ValidationError, match="Alleen een teamleider"):
        cover_create(
            absent_coach=coach,
            covering_coach=colleague,
            start_date=TODAY,
            end_date=None,
            reason=CoverReason.LEAVE,
            actor=colleague,
            origin=ORIGIN,
        )


def test_caseload_transfer_moves_every_open_assignment(
    municipality, coach, colleague, client_factory
):
    for _ in range(3):
        client_factory()
    moved = caseload_transfer(
        from_coach=coach,
        to_coach=colleague,
        start_date=TODAY,
        reason=AssignmentReason.STAFF_LEFT,
        actor=None,
        origin=ORIGIN,
    )
    assert moved == 3
    assert not Assignment.objects.open().filter(coach=coach).exists()
    assert Assignment.objects.open().filter(coach=colleague).count() == 3
    assert Assignment.objects.filter(coach=coach, end_date=TODAY).count() == 3
    assert AuditEvent.objects.get(action="caseload.assignment.transfer").detail["count"] == 3


def test_one_open_assignment_per_household_is_a_database_rule(coach, colleague, client_factory):
    from django.db import IntegrityError, transaction

    household = client_factory().household
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            household=household, coach=colleague, start_date=TODAY, reason=AssignmentReason.FIRST
        )


def test_a_user_without_role_cannot_be_assigned(municipality, client_factory):
    nobody = User.objects.create_user(username="zonder-rol", municipality=municipality, role="")
    with pytest.raises(ValidationError):
        assignment_create(
            household=client_factory(coach=None).household,
            coach=nobody,
            start_date=TODAY,
            reason=AssignmentReason.FIRST,
            actor=None,
            origin=ORIGIN,
        )
