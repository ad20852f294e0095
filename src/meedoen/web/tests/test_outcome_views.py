"""The outcome pages: the "Uitkomsten" section of the client page, recording, correcting and
removing an outcome; errors in Dutch beside the fields; conflicts; who may."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from meedoen.audit.services import Origin
from meedoen.clients.models import BenefitPeriod
from meedoen.instruments.tests.factories import enrolment_factory, instrument_factory
from meedoen.outcomes.models import OutcomeEvent
from meedoen.outcomes.services import outcome_record, outcome_update
from meedoen.outcomes.tests.factories import days_ago, job_input

ORIGIN = Origin(channel="test")


def _job_form(**overrides):
    data = {
        "kind": "job_started",
        "occurred_on": days_ago(10).isoformat(),
        "hours_per_week": "20",
        "contract_type": "permanent",
        "employer_name": "Bakkerij De Korf",
        "sector": "Horeca",
        "description": "",
        "ended_on": "",
        "enrolment": "",
        "note": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_coach_records_a_job_and_sees_it_on_the_client_page(client, coach, client_factory):
    person = client_factory()
    client.force_login(coach)
    url = reverse("web:outcome_create", args=[person.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, _job_form(**{"hours_per_week": "20,5"}))
    assert response.status_code == 303
    assert response["Location"].endswith(f"/clienten/{person.pk}/#uitkomsten")
    outcome = OutcomeEvent.objects.get()
    assert outcome.hours_per_week == Decimal("20.5")
    detail = client.get(response["Location"]).content.decode()
    assert "De uitkomst is vastgelegd." in detail
    assert "Betaald werk begonnen" in detail
    assert "20,5 uur per week, Vast contract, Bakkerij De Korf" in detail
    assert "16 uur of meer" in detail
    assert reverse("web:outcome_edit", args=[outcome.pk]) in detail


@pytest.mark.django_db
def test_errors_in_dutch_beside_the_field_and_in_the_summary(client, coach, client_factory):
    person = client_factory()
    client.force_login(coach)
    response = client.post(
        reverse("web:outcome_create", args=[person.pk]),
        _job_form(kind="education_started", hours_per_week="12", contract_type=""),
    )
    assert response.status_code == 400
    body = response.content.decode()
    message = "Uren per week: Uren per week horen alleen bij betaald werk; laat dit leeg."
    assert 'href="#id_hours_per_week"' in body
    assert body.count(message) == 2  # in the summary and beside the field
    assert re.search(r'<input[^>]*name="hours_per_week"[^>]*aria-invalid="true"', body)
    assert not OutcomeEvent.objects.exists()
    # Not a number: the form's own message, nothing saved.
    response = client.post(
        reverse("web:outcome_create", args=[person.pk]), _job_form(hours_per_week="twintig")
    )
    assert "Uren per week: vul een getal in, zoals 20 of 12,5." in response.content.decode()
    assert not OutcomeEvent.objects.exists()


@pytest.mark.django_db
def test_the_enrolment_select_lists_only_this_clients_enrolments(
    client, coach, client_factory, municipality
):
    person = client_factory()
    partner = client_factory(household=person.household)
    own = enrolment_factory(instrument_factory(municipality, name="Jobcoach Noord"), person)
    enrolment_factory(instrument_factory(municipality, name="Taalcursus Zuid"), partner)
    client.force_login(coach)
    body = client.get(reverse("web:outcome_create", args=[person.pk])).content.decode()
    assert "Jobcoach Noord" in body
    assert "Taalcursus Zuid" not in body
    response = client.post(
        reverse("web:outcome_create", args=[person.pk]), _job_form(enrolment=str(own.pk))
    )
    assert response.status_code == 303
    assert OutcomeEvent.objects.get().enrolment_id == own.pk


@pytest.mark.django_db
def test_edit_and_conflict(client, coach, team_lead, client_factory):
    person = client_factory()
    outcome = outcome_record(actor=coach, client=person, data=job_input(), origin=ORIGIN)
    client.force_login(coach)
    url = reverse("web:outcome_edit", args=[outcome.pk])
    page = client.get(url).content.decode()
    assert 'value="Bakkerij De Korf"' in page
    response = client.post(url, _job_form(version=1, hours_per_week="32"))
    assert response.status_code == 303
    outcome.refresh_from_db()
    assert (outcome.version, outcome.hours_per_week) == (2, Decimal("32.0"))
    # The team lead changes it meanwhile; the coach's stale form is a 409, nothing overwritten.
    outcome_update(
        actor=team_lead,
        outcome=outcome,
        expected_version=2,
        data=job_input(hours_per_week=Decimal("36")),
        origin=ORIGIN,
    )
    response = client.post(url, _job_form(version=2, hours_per_week="12"))
    assert response.status_code == 409
    body = response.content.decode()
    assert "Iemand anders heeft deze uitkomst gewijzigd" in body
    assert 'name="version" value="3"' in body
    outcome.refresh_from_db()
    assert outcome.hours_per_week == Decimal("36.0")


@pytest.mark.django_db
def test_delete_asks_first_and_removes(client, coach, client_factory):
    person = client_factory()
    outcome = outcome_record(actor=coach, client=person, data=job_input(), origin=ORIGIN)
    client.force_login(coach)
    url = reverse("web:outcome_delete", args=[outcome.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert OutcomeEvent.objects.exists()
    assert client.post(url, {"version": "7"}).status_code == 409
    assert OutcomeEvent.objects.exists()
    response = client.post(url, {"version": "1"})
    assert response.status_code == 303
    assert not OutcomeEvent.objects.exists()
    assert "De uitkomst is verwijderd." in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["other_team_coach", "analyst", "privacy_officer"])
def test_who_may_not_see_the_client_gets_404_and_nothing_changes(
    request, client, coach, client_factory, persona
):
    person = client_factory()
    outcome = outcome_record(actor=coach, client=person, data=job_input(), origin=ORIGIN)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("web:outcome_create", args=[person.pk])).status_code == 404
    assert (
        client.post(reverse("web:outcome_create", args=[person.pk]), _job_form()).status_code == 404
    )
    edit = reverse("web:outcome_edit", args=[outcome.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, _job_form(version=1, hours_per_week="40")).status_code == 404
    delete = reverse("web:outcome_delete", args=[outcome.pk])
    assert client.post(delete, {"version": "1"}).status_code == 404
    outcome.refresh_from_db()
    assert (OutcomeEvent.objects.count(), outcome.version) == (1, 1)


@pytest.mark.django_db
def test_client_page_query_count_does_not_grow_with_outcomes(
    client, coach, client_factory, django_assert_max_num_queries
):
    person = client_factory()
    outcome_record(actor=coach, client=person, data=job_input(), origin=ORIGIN)
    client.force_login(coach)
    url = reverse("web:client_detail", args=[person.pk])
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    for n in range(10):
        outcome_record(
            actor=coach,
            client=person,
            data=job_input(occurred_on=days_ago(40 + n), description=f"Baan {n}"),
            origin=ORIGIN,
        )
    BenefitPeriod.objects.filter(client=person).update(end_date=dt.date(2024, 1, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(url).content.decode()
    assert body.count('scope="row">Betaald werk begonnen') == 11
    assert "Uitkering beëindigd" in body
