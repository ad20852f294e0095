"""The household page and its contact log, appointments and relapses (web.views_household)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.caseload.constants import AppointmentStatus, ContactKind
from meedoen.caseload.contacts import appointment_plan, contact_moment_record
from meedoen.caseload.inputs import AppointmentInput, ContactInput
from meedoen.caseload.models import Appointment, ContactMoment, Relapse
from meedoen.clients.constants import HouseholdRole

pytestmark = pytest.mark.django_db
ORIGIN = Origin(channel="test")


def log(coach, person, n=1, **overrides):
    values = {
        "kind": ContactKind.PHONE,
        "summary": "Telefonisch gesproken over de post.",
        "duration_minutes": 15,
        "participant_ids": [person.pk],
    }
    values.update(overrides)
    return [
        contact_moment_record(
            actor=coach,
            household=person.household,
            data=ContactInput(occurred_at=timezone.now() - dt.timedelta(days=i + 1), **values),
            origin=ORIGIN,
        )
        for i in range(n)
    ]


def contact_post(person, **overrides):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    data = {
        "date": yesterday.strftime("%d-%m-%Y"),
        "time": "10:30",
        "kind": "home_visit",
        "purpose": "regular",
        "duration_minutes": "60",
        "participants": [str(person.pk)],
        "practical_help": ["debts", "benefits"],
        "summary": "Betalingsregeling besproken.",
        "agreements": "Over twee weken weer langs.",
    }
    data.update(overrides)
    return data


def test_household_page_shows_members_contact_person_and_log(client, coach, client_factory):
    person = client_factory()
    log(coach, person)
    client.force_login(coach)
    response = client.get(reverse("web:household_detail", args=[person.household_id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert person.full_name in page
    assert "Telefonisch gesproken over de post." in page
    assert "is de contactpersoon sinds 01-01-2020" in page
    assert AuditEvent.objects.filter(action="clients.household.read", result="allowed").exists()


def test_client_page_links_to_the_household_page(client, coach, client_factory):
    person = client_factory()
    client.force_login(coach)
    page = client.get(reverse("web:client_detail", args=[person.pk])).content.decode()
    assert reverse("web:household_detail", args=[person.household_id]) in page


def test_household_of_another_team_is_a_404_and_audited(
    client, coach, other_team_coach, client_factory
):
    person = client_factory(coach=other_team_coach)
    client.force_login(coach)
    for name in ("household_detail", "contact_create", "appointment_create", "relapse_create"):
        assert client.get(reverse(f"web:{name}", args=[person.household_id])).status_code == 404
    response = client.post(
        reverse("web:contact_create", args=[person.household_id]), contact_post(person)
    )
    assert response.status_code == 404
    assert not ContactMoment.objects.exists()
    assert AuditEvent.objects.filter(action="clients.household.read", result="denied").count() == 5


def _page_queries(client, household_id) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("web:household_detail", args=[household_id])).status_code == 200
    return len(queries)


def test_household_page_queries_do_not_grow_with_the_log(client, coach, client_factory):
    small, big = client_factory(), client_factory()
    client_factory(household=big.household, role=HouseholdRole.PARTNER)
    log(coach, small, 2)
    log(coach, big, 40)
    client.force_login(coach)
    _page_queries(client, small.household_id)  # warm the session and the translation caches
    assert _page_queries(client, small.household_id) == _page_queries(client, big.household_id)


def test_contact_create_with_errors_names_the_fields_in_dutch(client, coach, client_factory):
    person = client_factory()
    client.force_login(coach)
    url = reverse("web:contact_create", args=[person.household_id])
    assert client.get(url).status_code == 200
    response = client.post(url, contact_post(person, summary="", duration_minutes="900", time="x"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Er is niets opgeslagen" in page
    assert "Tijd: vul een tijd in als 14:30." in page
    assert "Samenvatting: vul dit in." in page
    assert 'href="#id_time"' in page
    assert not ContactMoment.objects.exists()
    # The service's checks come back beside their field, with the field's label.
    response = client.post(url, contact_post(person, duration_minutes="900"))
    assert response.status_code == 400
    assert (
        "Duur in minuten: Vul een duur in van 1 tot en met 600 minuten."
        in response.content.decode()
    )


def test_contact_create_then_correct(client, coach, client_factory):
    person = client_factory()
    client.force_login(coach)
    response = client.post(
        reverse("web:contact_create", args=[person.household_id]), contact_post(person)
    )
    assert response.status_code == 303
    assert response["Location"].endswith("#contactlog")
    contact = ContactMoment.objects.get()
    assert contact.practical_help == ["debts", "benefits"]
    correct_url = reverse("web:contact_correct", args=[contact.pk])
    form = client.get(correct_url).content.decode()
    assert "Betalingsregeling besproken." in form
    response = client.post(
        correct_url,
        contact_post(
            person,
            summary="Betalingsregeling en toeslagen besproken.",
            correction_reason="Aangevuld",
        ),
    )
    assert response.status_code == 303
    newest = ContactMoment.objects.get(corrects=contact)
    detail = client.get(response["Location"]).content.decode()
    assert "Alle versies, nieuwste eerst" in detail
    assert "Betalingsregeling besproken." in detail  # the old version stays visible
    # The household page marks the correction and links to the version it replaced.
    page = client.get(reverse("web:household_detail", args=[person.household_id])).content.decode()
    assert "gecorrigeerd" in page
    assert reverse("web:contact_detail", args=[contact.pk]) in page
    # Correcting the old version again: a Dutch message pointing to the newest.
    response = client.post(correct_url, contact_post(person, correction_reason="Nog eens"))
    assert response.status_code == 400
    assert reverse("web:contact_correct", args=[newest.pk]) in response.content.decode()
    assert ContactMoment.objects.count() == 2


def test_appointment_plan_edit_conflict_and_close(client, coach, client_factory):
    person = client_factory()
    client.force_login(coach)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("web:appointment_create", args=[person.household_id]),
        {"date": tomorrow.isoformat(), "time": "09:00", "kind": "office", "purpose": "regular"},
    )
    assert response.status_code == 303
    appointment = Appointment.objects.get()
    url = reverse("web:appointment_edit", args=[appointment.pk])
    assert client.get(url).status_code == 200
    edit = {
        "action": "save",
        "version": "1",
        "date": tomorrow.isoformat(),
        "time": "10:00",
        "kind": "office",
        "purpose": "regular",
        "location": "Werkplein Centrum",
    }
    assert client.post(url, edit).status_code == 303
    # The same form again, with the version it showed: someone else was first.
    response = client.post(url, {**edit, "location": "Wijkcentrum"})
    assert response.status_code == 409
    assert "Werkplein Centrum" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.location == "Werkplein Centrum"
    # Held appointments in the past become a contact moment.
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=2)
    )
    response = client.post(
        url,
        {
            "action": "close",
            "version": "2",
            "status": "done",
            "duration_minutes": "40",
            "participants": [str(person.pk)],
            "summary": "Afspraak gehouden.",
        },
    )
    assert response.status_code == 303
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.DONE
    assert appointment.contact.summary == "Afspraak gehouden."


def test_relapse_create(client, coach, client_factory):
    person = client_factory()
    client.force_login(coach)
    url = reverse("web:relapse_create", args=[person.household_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"date": "", "client": "", "note": ""})
    assert response.status_code == 400
    assert "Datum: vul een datum in." in response.content.decode()
    response = client.post(
        url,
        {
            "date": timezone.localdate().isoformat(),
            "client": str(person.pk),
            "note": "Huur niet betaald.",
        },
    )
    assert response.status_code == 303
    assert Relapse.objects.get().client == person
    page = client.get(reverse("web:household_detail", args=[person.household_id])).content.decode()
    assert "Huur niet betaald." in page


def test_planned_appointment_shows_on_the_household_page(client, coach, client_factory):
    person = client_factory()
    appointment_plan(
        actor=coach,
        household=person.household,
        data=AppointmentInput(
            starts_at=timezone.now() + dt.timedelta(days=2), kind="video", location="Teams"
        ),
        origin=ORIGIN,
    )
    client.force_login(coach)
    page = client.get(reverse("web:household_detail", args=[person.household_id])).content.decode()
    assert "Videobellen" in page
    assert "Teams" in page
