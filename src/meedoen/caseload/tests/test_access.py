"""Every branch of the need-to-know rule in caseload/access.py (docs/privacy/roles.md)."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import timezone

from meedoen.accounts.constants import Role
from meedoen.accounts.models import Team, User
from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.caseload.access import (
    ClientNotVisible,
    client_bsn_reveal,
    client_get_for_actor,
    clients_visible_to,
    household_get_for_actor,
    households_visible_to,
)
from meedoen.caseload.constants import CoverReason
from meedoen.caseload.models import Cover
from meedoen.caseload.services import cover_end
from meedoen.caseload.tests.factories import AssignedClientFactory, assign
from meedoen.clients.bsn import bsn_decrypt

ORIGIN = Origin(channel="test")
pytestmark = pytest.mark.django_db


def sees(actor, client) -> bool:
    """Both doors agree: the list and the single-file door."""
    in_list = clients_visible_to(actor=actor).filter(pk=client.pk).exists()
    try:
        client_get_for_actor(actor=actor, client_id=client.pk, purpose="casework", origin=ORIGIN)
        by_id = True
    except ClientNotVisible:
        by_id = False
    assert in_list == by_id
    return by_id


def cover(absent, covering, *, start, end=None):
    return Cover.objects.create(
        absent_coach=absent,
        covering_coach=covering,
        start_date=start,
        end_date=end,
        reason=CoverReason.LEAVE,
    )


def today():
    return timezone.localdate()


# --- coach -------------------------------------------------------------------------------------


def test_coach_sees_own_caseload_and_read_is_audited(coach, client_factory):
    client = client_factory()
    found = client_get_for_actor(
        actor=coach, client_id=client.pk, purpose="casework", origin=ORIGIN
    )
    assert found == client
    event = AuditEvent.objects.get()
    assert event.action == "clients.client.read"
    assert event.result == Result.ALLOWED
    assert event.actor_name == "coach"
    assert event.object_id == str(client.pk)


def test_every_member_of_an_assigned_household_is_visible(coach, client_factory):
    applicant = client_factory()
    partner = client_factory(household=applicant.household)
    assert set(clients_visible_to(actor=coach)) == {applicant, partner}


def test_same_team_colleague_not_covering_gets_404_and_denial_is_audited(
    coach, colleague, client_factory
):
    client = client_factory()
    with pytest.raises(ClientNotVisible):
        client_get_for_actor(
            actor=colleague, client_id=client.pk, purpose="casework", origin=ORIGIN
        )
    event = AuditEvent.objects.get()
    assert event.result == Result.DENIED
    assert event.actor_name == "collega"
    assert event.object_id == ""  # existence is not revealed, not even in the log's object column
    assert event.subject_pseudonym  # but the privacy officer can still tie it to the person
    assert not clients_visible_to(actor=colleague).exists()


def test_coach_does_not_see_other_team_or_unassigned_households(
    coach, other_team_coach, client_factory
):
    theirs = client_factory(coach=other_team_coach)
    unassigned = client_factory(coach=None)
    assert not sees(coach, theirs)
    assert not sees(coach, unassigned)
    assert sees(other_team_coach, theirs)


def test_covering_colleague_sees_caseload_during_cover_only(coach, colleague, client_factory):
    client = client_factory()
    active = cover(coach, colleague, start=today() - dt.timedelta(days=3))
    assert sees(colleague, client)
    assert sees(coach, client)  # the absent coach keeps access to their own caseload

    cover_end(cover=active, actor=None, origin=ORIGIN)
    assert not sees(colleague, client)


@pytest.mark.parametrize(
    ("start", "end", "visible"),
    [
        (-10, -1, False),  # ended yesterday
        (-10, 0, False),  # ends today (the end date is not included)
        (-10, 1, True),  # ends tomorrow
        (0, None, True),  # starts today, open-ended
        (1, 5, False),  # planned, not started yet
    ],
)
def test_cover_date_range(coach, colleague, client_factory, start, end, visible):
    client = client_factory()
    cover(
        coach,
        colleague,
        start=today() + dt.timedelta(days=start),
        end=today() + dt.timedelta(days=end) if end is not None else None,
    )
    assert sees(colleague, client) is visible


def test_cover_is_not_transitive(coach, colleague, other_team_coach, client_factory):
    client = client_factory()
    cover(coach, colleague, start=today())
    cover(colleague, other_team_coach, start=today())
    assert sees(colleague, client)
    assert not sees(other_team_coach, client)


def test_handover_moves_access_to_the_new_coach(coach, colleague, client_factory):
    client = client_factory()
    assign(household=client.household, coach=colleague, start_date=dt.date(2024, 1, 1))
    assert not sees(coach, client)
    assert sees(colleague, client)


def test_access_follows_the_current_household(coach, colleague, client_factory):
    from meedoen.clients.models import Client

    client = client_factory()
    elsewhere = client_factory(coach=colleague)
    Client.objects.filter(pk=client.pk).update(household=elsewhere.household)
    assert not sees(coach, client)
    assert sees(colleague, client)

    Client.objects.filter(pk=client.pk).update(household=None)
    assert not sees(colleague, client)


# --- team lead ---------------------------------------------------------------------------------


def test_team_lead_sees_the_teams_caseloads(team_lead, coach, colleague, client_factory):
    mine = client_factory(coach=coach)
    colleagues = client_factory(coach=colleague)
    assert sees(team_lead, mine)
    assert sees(team_lead, colleagues)


def test_team_lead_does_not_see_other_teams_clients(team_lead, other_team_coach, client_factory):
    theirs = client_factory(coach=other_team_coach)
    assert not sees(team_lead, theirs)


def test_team_lead_sees_unassigned_households_to_assign_them(team_lead, coach, client_factory):
    unassigned = client_factory(coach=None)
    assert sees(team_lead, unassigned)
    assert households_visible_to(actor=team_lead).filter(pk=unassigned.household_id).exists()
    assert not sees(coach, unassigned)


def test_team_lead_without_team_sees_nothing(municipality, client_factory):
    lead = User.objects.create_user(
        username="leider-zonder-team", municipality=municipality, role=Role.TEAM_LEAD
    )
    assigned = client_factory()
    unassigned = client_factory(coach=None)
    assert not sees(lead, assigned)
    assert not sees(lead, unassigned)


def test_team_lead_sees_a_team_members_covered_caseload_only_through_the_team(
    team_lead, other_team_coach, coach, client_factory
):
    # The lead covers for a coach in another team: the cover rule applies to every casework role.
    theirs = client_factory(coach=other_team_coach)
    assert not sees(team_lead, theirs)
    cover(other_team_coach, team_lead, start=today())
    assert sees(team_lead, theirs)


# --- nobody else -------------------------------------------------------------------------------


def test_other_municipality_is_404_and_denial_is_audited(other_municipality_coach, client_factory):
    client = client_factory()
    with pytest.raises(ClientNotVisible):
        client_get_for_actor(
            actor=other_municipality_coach, client_id=client.pk, purpose="casework", origin=ORIGIN
        )
    assert AuditEvent.objects.get().result == Result.DENIED
    assert not clients_visible_to(actor=other_municipality_coach).exists()


def test_other_municipality_team_lead_sees_neither_assigned_nor_unassigned(
    other_municipality, client_factory
):
    team = Team.objects.create(municipality=other_municipality, name="Team Zuid")
    lead = User.objects.create_user(
        username="leider-rotterdam", municipality=other_municipality, role=Role.TEAM_LEAD, team=team
    )
    assert not sees(lead, client_factory())
    assert not sees(lead, client_factory(coach=None))


def test_an_assignment_to_another_municipalitys_coach_gives_no_access(
    other_municipality_coach, client_factory
):
    # The service refuses this; the door does not rely on it (defence in depth).
    client = client_factory(coach=other_municipality_coach)
    assert not sees(other_municipality_coach, client)


@pytest.mark.parametrize("persona", ["analyst", "privacy_officer", "functional_admin"])
def test_non_casework_roles_see_no_client_even_when_assigned(persona, request, client_factory):
    actor = request.getfixturevalue(persona)
    assigned_to_them = client_factory(coach=actor)
    client_factory(coach=None)
    assert not clients_visible_to(actor=actor).exists()
    assert not households_visible_to(actor=actor).exists()
    assert not sees(actor, assigned_to_them)


def test_superuser_without_role_sees_nothing(client_factory):
    root = User.objects.create_superuser(username="root", password="x" * 20)
    client_factory()
    assert not clients_visible_to(actor=root).exists()


def test_inactive_coach_sees_nothing(coach, client_factory):
    client = client_factory()
    coach.is_active = False
    coach.save(update_fields=["is_active"])
    assert not sees(coach, client)


def test_anonymous_and_garbage_ids_are_not_found(coach, client_factory):
    client = client_factory()
    assert not clients_visible_to(actor=AnonymousUser()).exists()
    assert not clients_visible_to(actor=None).exists()
    with pytest.raises(ClientNotVisible):
        client_get_for_actor(actor=coach, client_id="not-a-uuid", purpose="x", origin=ORIGIN)
    with pytest.raises(ClientNotVisible):
        client_get_for_actor(actor=AnonymousUser(), client_id=client.pk, purpose="x", origin=ORIGIN)


# --- households ----------------------------------------------------------------------------------


def test_household_door_follows_the_same_rule(coach, colleague, team_lead, client_factory):
    client = client_factory()
    household_id = client.household_id
    assert household_get_for_actor(
        actor=coach, household_id=household_id, purpose="casework", origin=ORIGIN
    )
    assert household_get_for_actor(
        actor=team_lead, household_id=household_id, purpose="casework", origin=ORIGIN
    )
    with pytest.raises(ClientNotVisible):
        household_get_for_actor(
            actor=colleague, household_id=household_id, purpose="casework", origin=ORIGIN
        )
    results = list(
        AuditEvent.objects.filter(action="clients.household.read").values_list("result", flat=True)
    )
    assert sorted(results) == sorted([Result.ALLOWED, Result.ALLOWED, Result.DENIED])


# --- queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["coach", "team_lead"])
def test_visible_list_is_one_query_whatever_the_caseload(
    persona, request, municipality, coach, colleague, django_assert_num_queries
):
    actor = request.getfixturevalue(persona)
    cover(colleague, coach, start=today())
    factory = AssignedClientFactory(municipality, coach=coach)
    for size in (2, 12):
        while clients_visible_to(actor=actor).count() < size:
            factory()
            factory(coach=colleague)
        with django_assert_num_queries(1):
            list(clients_visible_to(actor=actor).select_related("household__address")[:25])


# --- BSN reveal ----------------------------------------------------------------------------------


def test_bsn_reveal_returns_the_bsn_and_audits_without_it(coach, client_factory):
    client = client_factory()
    bsn = bsn_decrypt(client.bsn_encrypted)
    assert client_bsn_reveal(actor=coach, client=client, purpose="casework", origin=ORIGIN) == bsn
    event = AuditEvent.objects.get(action="clients.client.bsn_reveal")
    assert event.result == Result.ALLOWED
    assert event.object_id == str(client.pk)
    assert event.purpose == "casework"
    row = " ".join(str(v) for v in AuditEvent.objects.filter(pk=event.pk).values().get().values())
    assert bsn not in row


def test_bsn_reveal_is_refused_and_audited_for_a_client_outside_the_caseload(
    colleague, client_factory
):
    client = client_factory()
    with pytest.raises(ClientNotVisible):
        client_bsn_reveal(actor=colleague, client=client, purpose="casework", origin=ORIGIN)
    assert AuditEvent.objects.get(action="clients.client.bsn_reveal").result == Result.DENIED


def test_origin_from_request_keeps_ip_and_agent():
    request = RequestFactory().get("/", HTTP_USER_AGENT="Firefox", REMOTE_ADDR="10.0.0.1")
    origin = Origin.from_request(request)
    assert origin.ip_address == "10.0.0.1"
    assert origin.user_agent == "Firefox"
