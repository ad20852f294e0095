"""The contact log (caseload/contacts.py, caseload/selectors.py): validation, append-only,
corrections, appointments, relapse, access and the household page's query count."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.caseload.access import ClientNotVisible
from meedoen.caseload.constants import AppointmentStatus, ContactKind, ContactPurpose
from meedoen.caseload.contacts import (
    appointment_close,
    appointment_plan,
    appointment_update,
    contact_moment_correct,
    contact_moment_record,
    relapse_record,
)
from meedoen.caseload.inputs import AppointmentInput, AppointmentOutcome, ContactInput, RelapseInput
from meedoen.caseload.models import Appointment, Assignment, ContactMoment, Relapse
from meedoen.caseload.selectors import (
    contact_get_for_actor,
    contact_versions,
    household_page,
    last_contact_at,
)
from meedoen.clients.constants import HouseholdRole
from meedoen.core.concurrency import ConflictError

ORIGIN = Origin(channel="test")
pytestmark = pytest.mark.django_db


def ago(**kwargs) -> dt.datetime:
    return timezone.now() - dt.timedelta(**kwargs)


def contact_input(client, **overrides) -> ContactInput:
    values = {
        "occurred_at": ago(hours=2),
        "kind": ContactKind.HOME_VISIT,
        "summary": "Samen de post doorgenomen.",
        "duration_minutes": 45,
        "participant_ids": [client.pk],
        "practical_help": ["paperwork"],
        "agreements": "Volgende week bellen.",
    }
    values.update(overrides)
    return ContactInput(**values)


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


def test_record_writes_the_contact_with_participants_and_audits_without_text(coach, client_factory):
    client = client_factory()
    contact = contact_moment_record(
        actor=coach, household=client.household, data=contact_input(client), origin=ORIGIN
    )
    assert contact.coach == coach
    assert contact.coach_name == "coach"
    assert list(contact.participants.values_list("client_id", flat=True)) == [client.pk]
    event = AuditEvent.objects.get(action="caseload.contact.create")
    assert event.object_id == str(contact.pk)
    assert event.detail["kind"] == "home_visit"
    assert event.detail["purpose"] == "regular"
    assert "Samen de post" not in str(event.detail)
    assert "Volgende week" not in str(event.detail)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"occurred_at": timezone.now() + dt.timedelta(hours=1)}, "occurred_at", "toekomst"),
        ({"occurred_at": timezone.now() - dt.timedelta(days=800)}, "occurred_at", "twee jaar"),
        ({"kind": "fax"}, "kind", "Kies de soort contact uit de lijst."),
        ({"purpose": "gezellig"}, "purpose", "Kies de aanleiding uit de lijst."),
        ({"duration_minutes": 0}, "duration_minutes", "van 1 tot en met 600 minuten"),
        ({"duration_minutes": 601}, "duration_minutes", "van 1 tot en met 600 minuten"),
        ({"duration_minutes": None}, "duration_minutes", "Vul de duur in minuten in."),
        ({"summary": "  "}, "summary", "Vul dit in."),
        ({"practical_help": ["magie"]}, "practical_help", "Kies alleen uit de lijst."),
        ({"other_participants": ["buurman"]}, "other_participants", "Kies alleen uit de lijst."),
        ({"participant_ids": []}, "participants", "Kies wie van het huishouden erbij was."),
        ({"participant_ids": [uuid.uuid4()]}, "participants", "nu tot het huishouden horen"),
    ],
)
def test_record_refuses_wrong_input_in_dutch_and_writes_nothing(
    coach, client_factory, overrides, field, message
):
    client = client_factory()
    with pytest.raises(ValidationError) as excinfo:
        contact_moment_record(
            actor=coach,
            household=client.household,
            data=contact_input(client, **overrides),
            origin=ORIGIN,
        )
    assert any(message in m for m in errors_of(excinfo)[field])
    assert not ContactMoment.objects.exists()
    assert not AuditEvent.objects.filter(action="caseload.contact.create").exists()


def test_a_letter_needs_no_duration_or_participant(coach, client_factory):
    client = client_factory()
    contact = contact_moment_record(
        actor=coach,
        household=client.household,
        data=contact_input(
            client, kind=ContactKind.LETTER, duration_minutes=None, participant_ids=[]
        ),
        origin=ORIGIN,
    )
    assert contact.duration_minutes is None


def test_a_former_member_cannot_be_a_participant(coach, client_factory):
    client = client_factory()
    former = client_factory(household=client.household, role=HouseholdRole.CHILD)
    former.memberships.update(end_date=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError) as excinfo:
        contact_moment_record(
            actor=coach,
            household=client.household,
            data=contact_input(client, participant_ids=[client.pk, former.pk]),
            origin=ORIGIN,
        )
    assert "participants" in errors_of(excinfo)


def test_a_household_the_actor_may_not_see_is_a_404_and_audited(
    coach, other_team_coach, analyst, client_factory
):
    client = client_factory(coach=other_team_coach)
    for actor in (coach, analyst):
        with pytest.raises(ClientNotVisible):
            contact_moment_record(
                actor=actor, household=client.household, data=contact_input(client), origin=ORIGIN
            )
    assert not ContactMoment.objects.exists()
    denied = AuditEvent.objects.filter(action="caseload.contact.create", result="denied")
    assert denied.count() == 2


def test_second_coach_must_be_a_caseworker_of_the_municipality(
    coach, colleague, analyst, other_municipality_coach, client_factory
):
    client = client_factory()
    for wrong in (analyst, other_municipality_coach, coach):
        with pytest.raises(ValidationError) as excinfo:
            contact_moment_record(
                actor=coach,
                household=client.household,
                data=contact_input(client, second_coach_id=wrong.pk),
                origin=ORIGIN,
            )
        assert "second_coach" in errors_of(excinfo)
    contact = contact_moment_record(
        actor=coach,
        household=client.household,
        data=contact_input(client, second_coach_id=colleague.pk),
        origin=ORIGIN,
    )
    assert contact.second_coach_name == "collega"


# Append-only ---------------------------------------------------------------------------------


def test_a_correction_is_a_new_row_and_the_original_stays(coach, team_lead, client_factory):
    client = client_factory()
    original = contact_moment_record(
        actor=coach, household=client.household, data=contact_input(client), origin=ORIGIN
    )
    fixed = contact_moment_correct(
        actor=team_lead,
        original=original,
        data=contact_input(client, summary="Samen de post en de toeslagen doorgenomen."),
        reason="Toeslagen vergeten",
        origin=ORIGIN,
    )
    original.refresh_from_db()
    assert original.summary == "Samen de post doorgenomen."
    assert fixed.corrects == original
    assert fixed.correction_reason == "Toeslagen vergeten"
    # The contact was the coach's; the team lead's correction is in the audit trail.
    assert fixed.coach == coach
    event = AuditEvent.objects.get(action="caseload.contact.correct")
    assert event.actor_name == "teamleider"
    assert event.detail["corrects"] == str(original.pk)
    assert [c.pk for c in contact_versions(original)] == [fixed.pk, original.pk]
    assert [c.pk for c in contact_versions(fixed)] == [fixed.pk, original.pk]


def test_only_the_newest_version_can_be_corrected(coach, client_factory):
    client = client_factory()
    original = contact_moment_record(
        actor=coach, household=client.household, data=contact_input(client), origin=ORIGIN
    )
    newer = contact_moment_correct(
        actor=coach, original=original, data=contact_input(client), reason="Typfout", origin=ORIGIN
    )
    with pytest.raises(ValidationError) as excinfo:
        contact_moment_correct(
            actor=coach,
            original=original,
            data=contact_input(client),
            reason="Nog een",
            origin=ORIGIN,
        )
    error = excinfo.value.error_dict["corrects"][0]
    assert "al gecorrigeerd" in error.message % (error.params or {})
    assert error.params["newer"] == str(newer.pk)
    assert ContactMoment.objects.count() == 2


def test_a_correction_needs_a_reason(coach, client_factory):
    client = client_factory()
    original = contact_moment_record(
        actor=coach, household=client.household, data=contact_input(client), origin=ORIGIN
    )
    with pytest.raises(ValidationError) as excinfo:
        contact_moment_correct(
            actor=coach, original=original, data=contact_input(client), reason=" ", origin=ORIGIN
        )
    assert "correction_reason" in errors_of(excinfo)
    assert ContactMoment.objects.count() == 1


def test_the_contacts_module_has_no_update_or_delete_path():
    from meedoen.caseload import contacts

    names = [n for n in dir(contacts) if n.startswith("contact_moment_")]
    assert sorted(names) == [
        "contact_moment_correct",
        "contact_moment_for_conversation",
        "contact_moment_record",
    ]
    with open(contacts.__file__) as file:
        source = file.read()
    assert "ContactMoment.objects.filter(" not in source.replace(
        "ContactMoment.objects.filter(corrects_id=", ""
    )  # no bulk update or delete of the log


# Appointments --------------------------------------------------------------------------------


def plan(coach, client, **overrides) -> Appointment:
    values = {"starts_at": timezone.now() + dt.timedelta(days=3), "kind": ContactKind.OFFICE}
    values.update(overrides)
    return appointment_plan(
        actor=coach, household=client.household, data=AppointmentInput(**values), origin=ORIGIN
    )


def test_plan_update_and_conflict(coach, client_factory):
    client = client_factory()
    appointment = plan(coach, client, location="Werkplein")
    assert appointment.status == AppointmentStatus.PLANNED
    data = AppointmentInput(
        starts_at=appointment.starts_at, kind=ContactKind.PHONE, location="", note="Bellen"
    )
    fields = appointment_update(
        actor=coach, appointment=appointment, expected_version=1, data=data, origin=ORIGIN
    )
    assert fields == ["kind", "location", "note"]
    assert appointment.version == 2
    with pytest.raises(ConflictError):
        appointment_update(
            actor=coach, appointment=appointment, expected_version=1, data=data, origin=ORIGIN
        )
    event = AuditEvent.objects.get(action="caseload.appointment.update")
    assert "Bellen" not in str(event.detail)


def test_plan_refuses_a_past_date(coach, client_factory):
    client = client_factory()
    with pytest.raises(ValidationError) as excinfo:
        plan(coach, client, starts_at=timezone.now() - dt.timedelta(days=2))
    assert "starts_at" in errors_of(excinfo)


def test_close_done_logs_the_contact_and_links_it(coach, client_factory):
    client = client_factory()
    appointment = plan(coach, client)
    Appointment.objects.filter(pk=appointment.pk).update(starts_at=ago(hours=1))
    appointment.refresh_from_db()
    outcome = AppointmentOutcome(
        status=AppointmentStatus.DONE,
        summary="Gesprek gehad.",
        duration_minutes=30,
        participant_ids=[client.pk],
    )
    appointment_close(
        actor=coach, appointment=appointment, expected_version=1, outcome=outcome, origin=ORIGIN
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.DONE
    contact = appointment.contact
    assert contact.occurred_at == appointment.starts_at
    assert contact.kind == ContactKind.OFFICE
    assert contact.summary == "Gesprek gehad."
    with pytest.raises(ValidationError):
        appointment_close(
            actor=coach,
            appointment=appointment,
            expected_version=appointment.version,
            outcome=outcome,
            origin=ORIGIN,
        )


def test_close_done_in_the_future_and_without_summary_is_refused(coach, client_factory):
    client = client_factory()
    appointment = plan(coach, client)
    with pytest.raises(ValidationError) as excinfo:
        appointment_close(
            actor=coach,
            appointment=appointment,
            expected_version=1,
            outcome=AppointmentOutcome(status=AppointmentStatus.DONE, summary="x"),
            origin=ORIGIN,
        )
    assert "status" in errors_of(excinfo)
    Appointment.objects.filter(pk=appointment.pk).update(starts_at=ago(hours=1))
    appointment.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        appointment_close(
            actor=coach,
            appointment=appointment,
            expected_version=1,
            outcome=AppointmentOutcome(status=AppointmentStatus.DONE, duration_minutes=20),
            origin=ORIGIN,
        )
    assert "summary" in errors_of(excinfo)
    assert not ContactMoment.objects.exists()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.PLANNED


def test_close_cancelled_logs_no_contact(coach, client_factory):
    client = client_factory()
    appointment = plan(coach, client)
    appointment_close(
        actor=coach,
        appointment=appointment,
        expected_version=1,
        outcome=AppointmentOutcome(status=AppointmentStatus.CANCELLED),
        origin=ORIGIN,
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert appointment.contact is None
    assert not ContactMoment.objects.exists()


# Relapse --------------------------------------------------------------------------------------


def test_a_relapse_changes_nothing_else(coach, client_factory):
    client = client_factory()
    assignment = Assignment.objects.open().get(household=client.household)
    relapse = relapse_record(
        actor=coach,
        household=client.household,
        data=RelapseInput(date=timezone.localdate(), note="Weer schulden.", client_id=client.pk),
        origin=ORIGIN,
    )
    assert Relapse.objects.get() == relapse
    reloaded = Assignment.objects.get(pk=assignment.pk)
    assert reloaded.end_date is None
    assert reloaded.updated_at == assignment.updated_at
    event = AuditEvent.objects.get(action="caseload.relapse.create")
    assert "schulden" not in str(event.detail)


def test_a_relapse_needs_a_note_and_a_date_not_ahead(coach, client_factory):
    client = client_factory()
    with pytest.raises(ValidationError) as excinfo:
        relapse_record(
            actor=coach,
            household=client.household,
            data=RelapseInput(date=timezone.localdate() + dt.timedelta(days=1), note=""),
            origin=ORIGIN,
        )
    assert set(errors_of(excinfo)) == {"date", "note"}


# Reads --------------------------------------------------------------------------------------


def _log(coach, client, n: int) -> list[ContactMoment]:
    return [
        contact_moment_record(
            actor=coach,
            household=client.household,
            data=contact_input(client, occurred_at=ago(days=i + 1)),
            origin=ORIGIN,
        )
        for i in range(n)
    ]


def test_household_page_shows_newest_versions_and_marks_corrections(coach, client_factory):
    client = client_factory()
    first, second = _log(coach, client, 2)
    fixed = contact_moment_correct(
        actor=coach, original=second, data=contact_input(client, occurred_at=second.occurred_at),
        reason="Typfout", origin=ORIGIN,
    )  # fmt: skip
    page = household_page(client.household)
    assert [c.pk for c in page.contacts] == [first.pk, fixed.pk]
    assert page.contacts[1].corrects_id == second.pk
    assert page.contact_count == 2
    assert page.superseded_count == 1
    assert page.assignment.coach == coach
    assert [m.client for m in page.members] == [client]


def test_last_contact_counts_two_way_kinds_only(coach, client_factory):
    client = client_factory()
    assert last_contact_at(client.household_id) is None
    spoken = contact_moment_record(
        actor=coach,
        household=client.household,
        data=contact_input(client, occurred_at=ago(days=5)),
        origin=ORIGIN,
    )
    contact_moment_record(
        actor=coach,
        household=client.household,
        data=contact_input(
            client, kind=ContactKind.LETTER, occurred_at=ago(days=1), duration_minutes=None
        ),
        origin=ORIGIN,
    )
    assert last_contact_at(client.household_id) == spoken.occurred_at


def _page_queries(household) -> int:
    with CaptureQueriesContext(connection) as queries:
        page = household_page(household)
        for contact in page.contacts:
            [p.client.full_name for p in contact.participants.all()]
    return len(queries)


def test_household_page_query_count_does_not_grow_with_the_log(coach, client_factory):
    small = client_factory()
    big = client_factory()
    client_factory(household=big.household, role=HouseholdRole.PARTNER)
    _log(coach, small, 2)
    _log(coach, big, 40)
    relapse_record(
        actor=coach,
        household=big.household,
        data=RelapseInput(date=timezone.localdate(), note="x"),
        origin=ORIGIN,
    )
    plan(coach, big)
    assert _page_queries(small.household) == _page_queries(big.household) == 8


def test_contact_of_another_team_is_a_404_and_audited(coach, other_team_coach, client_factory):
    client = client_factory(coach=other_team_coach)
    contact = contact_moment_record(
        actor=other_team_coach, household=client.household, data=contact_input(client),
        origin=ORIGIN,
    )  # fmt: skip
    with pytest.raises(ClientNotVisible):
        contact_get_for_actor(actor=coach, contact_id=contact.pk, origin=ORIGIN)
    assert AuditEvent.objects.filter(action="caseload.contact.read", result="denied").exists()
    assert contact_get_for_actor(actor=other_team_coach, contact_id=contact.pk, origin=ORIGIN)


def test_purpose_choices_are_validated(coach, client_factory):
    client = client_factory()
    contact = contact_moment_record(
        actor=coach,
        household=client.household,
        data=contact_input(client, purpose=ContactPurpose.AFTERCARE),
        origin=ORIGIN,
    )
    assert contact.purpose == "aftercare"


def test_the_log_goes_with_the_household_and_a_member_with_their_participation(
    coach, client_factory
):
    from meedoen.caseload.models import ContactParticipant
    from meedoen.clients.models import Client, Household

    client = client_factory()
    partner = client_factory(household=client.household, role=HouseholdRole.PARTNER)
    original = contact_moment_record(
        actor=coach,
        household=client.household,
        data=contact_input(client, participant_ids=[client.pk, partner.pk]),
        origin=ORIGIN,
    )
    contact_moment_correct(
        actor=coach,
        original=original,
        data=contact_input(client, participant_ids=[client.pk, partner.pk]),
        reason="Typfout",
        origin=ORIGIN,
    )
    # One member gone: their participation goes, the household's log stays.
    Client.objects.filter(pk=partner.pk).delete()
    assert ContactMoment.objects.count() == 2
    assert not ContactParticipant.objects.filter(client_id=partner.pk).exists()
    # The household gone: its whole log goes, the correction chain included.
    Household.objects.filter(pk=client.household_id).delete()
    assert not ContactMoment.objects.exists()


def test_the_access_export_holds_the_persons_log_not_another_members(coach, client_factory):
    from meedoen.caseload.subject_access_contacts import (
        appointments_section,
        contact_log_section,
        relapses_section,
    )

    client = client_factory()
    partner = client_factory(household=client.household, role=HouseholdRole.PARTNER)
    contact_moment_record(
        actor=coach, household=client.household, data=contact_input(client), origin=ORIGIN
    )
    contact_moment_record(
        actor=coach,
        household=client.household,
        data=contact_input(partner, summary="Alleen met de partner."),
        origin=ORIGIN,
    )
    plan(coach, client)
    relapse_record(
        actor=coach,
        household=client.household,
        data=RelapseInput(date=timezone.localdate(), note="Huishouden", client_id=None),
        origin=ORIGIN,
    )
    rows = contact_log_section(client=client).rows
    assert [r["summary"] for r in rows] == ["Samen de post doorgenomen."]
    assert rows[0]["practical_help"] == "Post en formulieren"
    assert len(appointments_section(client=client).rows) == 1
    assert [r["note"] for r in relapses_section(client=client).rows] == ["Huishouden"]
