"""The start page "Mijn werk" and the caseload list: content, filters, audit, fixed query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meedoen.audit.models import AuditEvent
from meedoen.caseload.constants import AppointmentStatus, ContactKind
from meedoen.caseload.models import Appointment, ContactMoment
from meedoen.plans.tests.factories import in_days, make_plan

pytestmark = pytest.mark.django_db
CASELOAD = reverse("web:my_caseload")
HOME = reverse("web:home")


def contact(household, *, days_ago):
    return ContactMoment.objects.create(
        municipality_id=household.municipality_id,
        household=household,
        occurred_at=timezone.now() - dt.timedelta(days=days_ago),
        kind=ContactKind.PHONE,
        summary="Gebeld.",
        coach_name="Test",
    )


def appointment(household, coach, *, days_ahead):
    return Appointment.objects.create(
        municipality_id=household.municipality_id,
        household=household,
        coach=coach,
        starts_at=timezone.now() + dt.timedelta(days=days_ahead),
        kind=ContactKind.HOME_VISIT,
        status=AppointmentStatus.PLANNED,
    )


@pytest.fixture
def caseload(client_factory, coach, colleague):
    fine = client_factory(surname="Visser", first_names="Anna")
    contact(fine.household, days_ago=3)
    appointment(fine.household, coach, days_ahead=2)
    stale = client_factory(surname="Bakker", first_names="Mo")
    contact(stale.household, days_ago=70)
    colleagues = client_factory(surname="Smit", first_names="Lea", coach=colleague)
    return {"fine": fine, "stale": stale, "colleagues": colleagues}


def test_start_page_shows_my_work(client, coach, caseload):
    client.force_login(coach)
    body = client.get(HOME).content.decode()
    assert "Mijn werk" in body
    assert "Anna Visser" in body
    assert "Mo Bakker" in body
    assert "Lea Smit" not in body  # a colleague's household
    assert f"{CASELOAD}?signaal=geen_contact" in body
    assert "Geen contact sinds 10 weken" in body
    assert "Cliënten zoeken" in body  # the task links stay
    event = AuditEvent.objects.filter(action="caseload.worklist.read").get()
    assert event.detail["view"] == "home"
    assert event.detail["count"] == 2


def test_start_page_shows_the_review_schedule(client, coach, caseload):
    make_plan(caseload["stale"].household, next_review_on=in_days(-3))
    make_plan(caseload["fine"].household, next_review_on=in_days(10))
    make_plan(caseload["colleagues"].household, next_review_on=in_days(1))  # not my work
    client.force_login(coach)
    body = client.get(HOME).content.decode()
    section = body[
        body.index("Evaluaties van het plan") : body.index(
            "</ul>", body.index("Evaluaties van het plan")
        )
    ]
    plan_url = reverse("web:plan_detail", kwargs={"household_id": caseload["stale"].household_id})
    assert f'href="{plan_url}"' in section
    assert "Verlopen" in section
    assert "Mo Bakker" in section
    assert "Anna Visser" in section
    assert section.index("Mo Bakker") < section.index("Anna Visser")  # overdue first
    assert "Lea Smit" not in section


def test_start_page_without_reviews_says_so(client, coach, caseload):
    make_plan(caseload["fine"].household, next_review_on=in_days(40))  # beyond the 14 days
    client.force_login(coach)
    assert "Geen evaluaties gepland." in client.get(HOME).content.decode()


def test_start_page_without_casework_has_no_work_list(client, analyst, caseload):
    client.force_login(analyst)
    body = client.get(HOME).content.decode()
    assert "Mijn werk" not in body
    assert "Visser" not in body
    assert not AuditEvent.objects.filter(action="caseload.worklist.read").exists()


def test_caseload_list_and_signal_filter(client, coach, caseload):
    client.force_login(coach)
    body = client.get(CASELOAD).content.decode()
    assert "Anna Visser" in body
    assert "Mo Bakker" in body
    assert "Smit" not in body
    assert body.index("Mo Bakker") < body.index("Anna Visser")  # longest without contact first
    body = client.get(CASELOAD, {"signaal": "geen_contact"}).content.decode()
    assert "Mo Bakker" in body
    assert "Anna Visser" not in body
    body = client.get(CASELOAD, {"sorteer": "-contact"}).content.decode()
    assert body.index("Anna Visser") < body.index("Mo Bakker")
    event = AuditEvent.objects.filter(action="caseload.worklist.read").order_by("-id")[1]
    assert {k: event.detail[k] for k in ("view", "count", "filters")} == {
        "view": "caseload",
        "count": 1,
        "filters": ["signaal"],
    }


def test_caseload_list_bad_filter_is_an_error_on_the_page(client, coach, caseload):
    client.force_login(coach)
    response = client.get(CASELOAD, {"signaal": "onzin"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_signaal"' in body
    assert "Anna Visser" in body  # the unfiltered list


def test_team_lead_sees_the_team_and_can_pick_a_coach(client, team_lead, colleague, caseload):
    client.force_login(team_lead)
    body = client.get(CASELOAD).content.decode()
    assert "Anna Visser" in body
    assert "Lea Smit" in body
    assert 'name="klantregisseur"' in body
    assert "Contactpersoon" in body
    body = client.get(CASELOAD, {"klantregisseur": colleague.pk}).content.decode()
    assert "Lea Smit" in body
    assert "Anna Visser" not in body


def test_caseload_list_is_not_for_other_roles(client, analyst, privacy_officer, functional_admin):
    for user in (analyst, privacy_officer, functional_admin):
        client.force_login(user)
        assert client.get(CASELOAD).status_code == 404


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [HOME, CASELOAD])
def test_query_count_does_not_grow_with_caseload_or_history(client, client_factory, coach, url):
    client.force_login(coach)

    def grow(households, contacts):
        for _ in range(households):
            household = client_factory().household
            client_factory(household=household)
            for n in range(contacts):
                contact(household, days_ago=7 * n + 1)
            appointment(household, coach, days_ahead=1)
            make_plan(household, next_review_on=in_days(2))

    grow(3, 0)
    small = _count_queries(client, url)
    grow(37, 30)
    assert _count_queries(client, url) == small
