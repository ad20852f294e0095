"""The instrument pages: catalogue, instrument with its waiting list, categories, and the
enrolments of a household (request, start, finish, stop)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.instruments.constants import EnrolmentStatus as S
from meedoen.instruments.inputs import CategoryInput, InstrumentInput
from meedoen.instruments.models import Category, Enrolment, Instrument
from meedoen.instruments.services import category_create, instrument_create, instrument_update
from meedoen.instruments.tests.factories import enrolment_factory, instrument_factory

ORIGIN = Origin(channel="test")
pytestmark = pytest.mark.django_db


def _count(client, url, **params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_catalogue_filters_usage_and_constant_queries(client, coach, municipality, client_factory):
    course = instrument_factory(
        municipality,
        name="Taalcursus B1",
        kind="language_course",
        capacity=2,
        cost_per_participant="1250.00",
        usual_duration_weeks=12,
        target_groups=("refugees",),
    )
    instrument_factory(municipality, name="Jobcoach 50+", kind="job_coach")
    instrument_factory(municipality, name="Oude training", is_active=False)
    for status in (S.STARTED, S.REQUESTED, S.WAITING, S.FINISHED):
        enrolment_factory(course, client_factory(), status=status)
    client.force_login(coach)
    url = reverse("web:instrument_list")
    few, body = _count(client, url)
    assert "Taalcursus B1" in body
    assert "Jobcoach 50+" in body
    assert "Oude training" not in body
    assert "1 nu bezig, 1 afgerond" in body
    assert "Instrument toevoegen" not in body  # coaches read only
    for n in range(30):
        instrument_factory(municipality, name=f"Training {n:02d}")
    many, _ = _count(client, url)
    assert few == many
    _, body = _count(client, url, kind="language_course")
    assert "Taalcursus B1" in body
    assert "Jobcoach 50+" not in body
    _, body = _count(client, url, target_group="refugees", q="taal")
    assert "Taalcursus B1" in body
    assert "Training 01" not in body
    _, body = _count(client, url, inactive="on", q="oude")
    assert "Oude training" in body
    # The filters travel along in the page links.
    _, body = _count(client, url, q="training")
    assert "q=training&amp;pagina=2" in body


def test_category_filter(client, coach, functional_admin, municipality):
    category = category_create(
        actor=functional_admin, data=CategoryInput(name="Werkoffensief"), origin=ORIGIN
    )
    inside = instrument_factory(municipality, name="Werkfit traject")
    inside.categories.add(category)
    instrument_factory(municipality, name="Buiten de categorie")
    client.force_login(coach)
    _, body = _count(client, reverse("web:instrument_list"), category=str(category.pk))
    assert "Werkfit traject" in body
    assert "Buiten de categorie" not in body


def test_detail_names_only_visible_clients_on_the_waiting_list(
    client, coach, colleague, municipality, client_factory
):
    course = instrument_factory(municipality, name="Taalcursus", capacity=1)
    enrolment_factory(course, client_factory(surname="Eerst"), status=S.STARTED)
    mine = client_factory(surname="Mijnhuis")
    theirs = client_factory(coach=colleague, surname="Anderhuis")
    enrolment_factory(course, theirs, status=S.WAITING)
    enrolment_factory(
        course, mine, status=S.WAITING, requested_at=timezone.now() + dt.timedelta(seconds=1)
    )
    client.force_login(coach)
    url = reverse("web:instrument_detail", args=[course.pk])
    with CaptureQueriesContext(connection) as few:
        body = client.get(url).content.decode()
    assert "Mijnhuis" in body
    assert "Anderhuis" not in body
    assert "een cliënt van een collega" in body
    event = AuditEvent.objects.filter(action="instruments.waiting_list.read").get()
    assert event.detail["named"] == 1
    assert event.detail["waiting"] == 2
    for _ in range(10):
        enrolment_factory(course, client_factory(), status=S.WAITING)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(few.captured_queries) == len(many.captured_queries)


def test_other_roles_and_municipalities_get_404(
    client, municipality, analyst, other_municipality_coach, coach
):
    course = instrument_factory(municipality, name="Taalcursus")
    client.force_login(analyst)
    assert client.get(reverse("web:instrument_list")).status_code == 404
    client.force_login(other_municipality_coach)
    assert client.get(reverse("web:instrument_detail", args=[course.pk])).status_code == 404
    client.force_login(coach)
    assert client.get(reverse("web:instrument_create")).status_code == 404
    assert client.get(reverse("web:instrument_edit", args=[course.pk])).status_code == 404
    assert client.get(reverse("web:instrument_category_list")).status_code == 404


def test_create_with_errors_then_saved(client, team_lead, municipality):
    client.force_login(team_lead)
    url = reverse("web:instrument_create")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"name": "", "kind": "", "capacity": "0", "cost_per_participant": "x"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Vul de naam van het instrument in." in body
    assert "Vul de kosten in als bedrag, zoals 1250,00." in body
    assert not Instrument.objects.exists()
    response = client.post(
        url,
        {
            "name": "Sollicitatietraining",
            "kind": "job_application_training",
            "provider_name": "Werkplein (demo)",
            "target_groups": ["over_50", "long_term"],
            "capacity": "0",
        },
    )
    assert response.status_code == 400
    assert "Vul een aantal plaatsen in van 1" in response.content.decode()
    response = client.post(
        url,
        {
            "name": "Sollicitatietraining",
            "kind": "job_application_training",
            "provider_name": "Werkplein (demo)",
            "target_groups": ["over_50", "long_term"],
            "capacity": "12",
            "cost_per_participant": "1.250,50",
        },
    )
    assert response.status_code == 303
    instrument = Instrument.objects.get()
    assert str(instrument.cost_per_participant) == "1250.50"
    assert sorted(instrument.target_group_rows.values_list("code", flat=True)) == [
        "long_term",
        "over_50",
    ]
    assert response["Location"] == reverse("web:instrument_detail", args=[instrument.pk])


def test_edit_conflict_is_409_with_current_values(client, functional_admin, team_lead):
    instrument = instrument_create(
        actor=functional_admin,
        data=InstrumentInput(name="Jobcoach", kind="job_coach", provider_name="Werkfit (demo)"),
        origin=ORIGIN,
    )
    client.force_login(functional_admin)
    url = reverse("web:instrument_edit", args=[instrument.pk])
    assert client.get(url).status_code == 200
    instrument_update(
        actor=team_lead,
        instrument=instrument,
        expected_version=1,
        data=InstrumentInput(
            name="Jobcoach", kind="job_coach", provider_name="Werkfit", capacity=5
        ),
        origin=ORIGIN,
    )
    response = client.post(
        url,
        {
            "version": 1,
            "name": "Jobcoach",
            "kind": "job_coach",
            "provider_name": "Werkfit (demo)",
            "capacity": "8",
            "target_groups": ["over_50"],
            "is_active": "on",
        },
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Iemand anders heeft deze gegevens gewijzigd" in body
    assert "50-plussers" in body  # what was typed
    instrument.refresh_from_db()
    assert instrument.capacity == 5
    assert instrument.version == 2
    # Saved again with the current version: goes through.
    response = client.post(
        url,
        {
            "version": 2,
            "name": "Jobcoach",
            "kind": "job_coach",
            "provider_name": "Werkfit",
            "capacity": "8",
            "is_active": "on",
        },
    )
    assert response.status_code == 303
    instrument.refresh_from_db()
    assert instrument.capacity == 8


def test_categories_add_and_edit(client, team_lead, functional_admin):
    client.force_login(team_lead)
    url = reverse("web:instrument_category_list")
    assert client.post(url, {"name": ""}).status_code == 400
    assert client.post(url, {"name": "Taal en inburgering"}).status_code == 303
    category = Category.objects.get()
    assert client.post(url, {"name": "taal en inburgering"}).status_code == 400
    edit = reverse("web:instrument_category_edit", args=[category.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"version": 1, "name": "Taal"})  # unticked: made inactive
    assert response.status_code == 303
    category.refresh_from_db()
    assert (category.name, category.is_active, category.version) == ("Taal", False, 2)
    response = client.post(edit, {"version": 1, "name": "Taalcursussen", "is_active": "on"})
    assert response.status_code == 409
    assert "Taalcursussen" in response.content.decode()


# Enrolments --------------------------------------------------------------------------------------


def test_household_enrolments_request_start_finish(client, coach, municipality, client_factory):
    fatima = client_factory(first_names="Fatima", surname="Berg")
    household = fatima.household
    course = instrument_factory(municipality, name="Taalcursus B1", capacity=1)
    instrument_factory(municipality, name="Niet meer", is_active=False)
    client.force_login(coach)
    url = reverse("web:household_enrolments", args=[household.pk])
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Niemand in dit huishouden is aangemeld" in body
    assert "Niet meer" not in body  # inactive instruments cannot be chosen
    assert AuditEvent.objects.filter(action="instruments.enrolment.list").count() == 1
    # Nothing chosen: a form error, nothing written.
    response = client.post(url, {"client": "", "instrument": ""})
    assert response.status_code == 400
    assert "Kies wie u aanmeldt." in response.content.decode()
    response = client.post(
        url, {"client": str(fatima.pk), "instrument": str(course.pk), "note": "Wil B1 halen"}
    )
    assert response.status_code == 303
    enrolment = Enrolment.objects.get()
    assert enrolment.status == S.REQUESTED
    # Twice: the service's Dutch message beside the instrument.
    response = client.post(url, {"client": str(fatima.pk), "instrument": str(course.pk)})
    assert response.status_code == 400
    assert "is al aangemeld voor Taalcursus B1" in response.content.decode()

    detail = reverse("web:enrolment_detail", args=[enrolment.pk])
    response = client.get(detail)
    assert response.status_code == 200
    assert "Wil B1 halen" in response.content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(
        detail, {"action": "start", "start-version": 1, "start-started_on": today}
    )
    assert response.status_code == 303
    enrolment.refresh_from_db()
    assert enrolment.status == S.STARTED
    # Finish without a result: the form again with the message.
    response = client.post(
        detail, {"action": "finish", "afronden-version": 2, "afronden-ended_on": today}
    )
    assert response.status_code == 400
    assert "Kies het resultaat." in response.content.decode()
    response = client.post(
        detail,
        {
            "action": "finish",
            "afronden-version": 2,
            "afronden-ended_on": today,
            "afronden-result": "certificate",
        },
    )
    assert response.status_code == 303
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.result) == (S.FINISHED, "certificate")


def test_full_instrument_waiting_list_and_clear_messages(
    client, coach, municipality, client_factory
):
    course = instrument_factory(municipality, name="Werkervaringsplaats", capacity=1)
    first = client_factory(surname="Eerst")
    enrolment_factory(course, first, status=S.STARTED)
    second = client_factory(surname="Tweede")
    client.force_login(coach)
    url = reverse("web:household_enrolments", args=[second.household.pk])
    response = client.post(
        url, {"client": str(second.pk), "instrument": str(course.pk)}, follow=True
    )
    assert "staat op de wachtlijst, als nummer 1" in response.content.decode()
    waiting = Enrolment.objects.get(client=second)
    assert waiting.status == S.WAITING
    assert "nummer 1 op de wachtlijst" in client.get(url).content.decode()
    today = timezone.localdate().isoformat()
    detail = reverse("web:enrolment_detail", args=[waiting.pk])
    response = client.post(
        detail, {"action": "start", "start-version": 1, "start-started_on": today}
    )
    assert response.status_code == 400
    assert "Alle 1 plaatsen van Werkervaringsplaats zijn bezet" in response.content.decode()
    # Stop early with "other" and no note: the note is asked for.
    response = client.post(
        detail,
        {
            "action": "stop",
            "stoppen-version": 1,
            "stoppen-ended_on": today,
            "stoppen-reason": "other",
        },
    )
    assert response.status_code == 400
    assert "Schrijf kort op waarom" in response.content.decode()
    response = client.post(
        detail,
        {
            "action": "stop",
            "stoppen-version": 1,
            "stoppen-ended_on": today,
            "stoppen-reason": "withdrawn",
        },
    )
    assert response.status_code == 303
    waiting.refresh_from_db()
    assert (waiting.status, waiting.stop_reason) == (S.STOPPED_EARLY, "withdrawn")


def test_stale_version_on_enrolment_is_409(client, coach, municipality, client_factory):
    course = instrument_factory(municipality, name="Budgetcursus")
    enrolment = enrolment_factory(course, client_factory())
    Enrolment.objects.filter(pk=enrolment.pk).update(version=2)
    client.force_login(coach)
    response = client.post(
        reverse("web:enrolment_detail", args=[enrolment.pk]),
        {
            "action": "start",
            "start-version": 1,
            "start-started_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 409
    assert "Iemand anders heeft deze gegevens gewijzigd" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == S.REQUESTED


def test_household_enrolments_constant_queries(client, coach, municipality, client_factory):
    person = client_factory()
    client.force_login(coach)
    url = reverse("web:household_enrolments", args=[person.household.pk])
    instrument = instrument_factory(municipality, name="Start")
    enrolment_factory(instrument, person)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(9):
        enrolment_factory(
            instrument_factory(municipality, name=f"Instrument nr {n}", capacity=1),
            person,
            status=S.WAITING,
        )
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).content.decode()
    assert body.count("web:enrolment_detail") == 0
    assert body.count("/deelnames/") == 10
    assert len(few.captured_queries) == len(many.captured_queries)


def test_other_coach_cannot_reach_enrolments(
    client, coach, other_team_coach, municipality, client_factory
):
    person = client_factory(surname="Geheim")
    enrolment = enrolment_factory(instrument_factory(municipality), person)
    client.force_login(other_team_coach)
    assert (
        client.get(reverse("web:household_enrolments", args=[person.household.pk])).status_code
        == 404
    )
    response = client.post(
        reverse("web:enrolment_detail", args=[enrolment.pk]),
        {"action": "stop", "stoppen-version": 1, "stoppen-reason": "withdrawn"},
    )
    assert response.status_code == 404
    assert "Geheim" not in response.content.decode()
    denied = AuditEvent.objects.filter(result="denied").values_list("action", flat=True)
    assert set(denied) == {"instruments.enrolment.list", "instruments.enrolment.stop"}
    enrolment.refresh_from_db()
    assert enrolment.status == S.REQUESTED


def test_household_page_links_to_the_enrolments(client, coach, client_factory):
    person = client_factory()
    client.force_login(coach)
    body = client.get(reverse("web:household_detail", args=[person.household.pk])).content.decode()
    assert reverse("web:household_enrolments", args=[person.household.pk]) in body
    nav = client.get(reverse("web:home")).content.decode()
    assert reverse("web:instrument_list") in nav
