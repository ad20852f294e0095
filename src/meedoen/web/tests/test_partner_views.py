"""The partner pages: registry, involvement with a household, sharing under consent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meedoen.audit.services import Origin
from meedoen.partners.models import InformationShare, Involvement, Organisation
from meedoen.partners.services import organisation_create, organisation_update
from meedoen.privacy.models import Consent

ORIGIN = Origin(channel="test")
pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(functional_admin):
    return organisation_create(
        actor=functional_admin,
        data={"name": "GGZ Kust (demo)", "kind": "mental_health", "code": "GGZK"},
        origin=ORIGIN,
    )


def test_registry_list_filter_and_constant_queries(client, coach, functional_admin, organisation):
    client.force_login(coach)
    url = reverse("web:partner_list")
    response = client.get(url)
    assert "GGZ Kust (demo)" in response.content.decode()
    assert "Organisatie toevoegen" not in response.content.decode()  # coaches read only
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(40):
        organisation_create(
            actor=functional_admin,
            data={"name": f"Wijkteam {n}", "kind": "district_team"},
            origin=ORIGIN,
        )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(few.captured_queries) == len(many.captured_queries)
    response = client.get(url, {"kind": "mental_health", "q": "kust"})
    body = response.content.decode()
    assert "GGZ Kust (demo)" in body
    assert "Wijkteam 1" not in body


def test_create_errors_then_saved(client, team_lead):
    client.force_login(team_lead)
    url = reverse("web:partner_create")
    response = client.post(url, {"name": "", "kind": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_name"' in body
    assert "Vul de naam in." in body
    response = client.post(
        url, {"name": "UWV Den Haag", "kind": "uwv", "website": "https://uwv.nl"}
    )
    assert response.status_code == 303
    assert Organisation.objects.get().name == "UWV Den Haag"


def test_edit_conflict_is_409_with_current_values(
    client, functional_admin, team_lead, organisation
):
    client.force_login(functional_admin)
    url = reverse("web:partner_edit", args=[organisation.pk])
    assert client.get(url).status_code == 200
    organisation_update(
        actor=team_lead,
        organisation=organisation,
        expected_version=1,
        data={"phone": "070 111 22 33"},
        origin=ORIGIN,
    )
    response = client.post(
        url,
        {
            "version": 1,
            "name": organisation.name,
            "kind": "mental_health",
            "phone": "06 1",
            "is_active": "on",
        },
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "070 111 22 33" in body
    assert "06 1" in body
    assert Organisation.objects.get().phone == "070 111 22 33"


def test_coach_gets_404_on_registry_edits_and_other_roles_on_everything(
    client, coach, analyst, organisation
):
    client.force_login(coach)
    assert client.get(reverse("web:partner_create")).status_code == 404
    assert client.get(reverse("web:partner_edit", args=[organisation.pk])).status_code == 404
    client.force_login(analyst)
    assert client.get(reverse("web:partner_list")).status_code == 404


def test_involve_share_refused_then_consent_then_shared(
    client, coach, organisation, client_factory
):
    person = client_factory(first_names="Fatima", surname="Berg")
    household = person.household
    client.force_login(coach)
    url = reverse("web:involvement_create", args=[household.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "organisation": str(organisation.pk),
            "topic": "mental_health",
            "client": str(person.pk),
            "start_date": "2025-02-01",
        },
    )
    assert response.status_code == 303
    involvement = Involvement.objects.get()
    share_url = reverse("web:information_share", args=[involvement.pk])
    data = {"client": str(person.pk), "data_categories": ["contact"], "summary": "Telefoonnummer"}
    response = client.post(share_url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "geen geldige toestemming" in body
    assert reverse("web:client_detail", args=[person.pk]) + "#toestemming-vastleggen" in body
    # The consent form offers the registry; choosing it copies name and code.
    page = client.get(reverse("web:client_detail", args=[person.pk])).content.decode()
    assert "GGZ Kust (demo)" in page
    response = client.post(
        reverse("web:consent_give", args=[person.pk]),
        {
            "purpose": "delen_partner",
            "data_categories": ["contact"],
            "registry_organisation": str(organisation.pk),
            "channel": "gesprek",
        },
    )
    assert response.status_code == 303
    consent = Consent.objects.get()
    assert (consent.organisation_id, consent.organisation_name, consent.organisation_code) == (
        organisation.pk,
        "GGZ Kust (demo)",
        "GGZK",
    )
    assert client.post(share_url, data).status_code == 303
    assert InformationShare.objects.get().client == person


def test_end_involvement(client, coach, organisation, client_factory):
    person = client_factory()
    involvement = Involvement.objects.create(
        household=person.household,
        organisation=organisation,
        topic="debts",
        start_date=dt.date(2025, 1, 1),
    )
    client.force_login(coach)
    url = reverse("web:involvement_edit", args=[involvement.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"einde-version": 1, "einde-end_date": "2024-01-01"})
    assert response.status_code == 400
    assert "voor de begindatum" in response.content.decode()
    response = client.post(url, {"einde-version": 1, "einde-end_date": "2025-03-01"})
    assert response.status_code == 303
    assert Involvement.objects.get().end_date == dt.date(2025, 3, 1)


def test_other_coach_cannot_reach_involvement(
    client, other_team_coach, organisation, client_factory
):
    person = client_factory()
    involvement = Involvement.objects.create(
        household=person.household,
        organisation=organisation,
        topic="debts",
        start_date=dt.date(2025, 1, 1),
    )
    client.force_login(other_team_coach)
    assert client.get(reverse("web:involvement_edit", args=[involvement.pk])).status_code == 404
    assert client.get(reverse("web:information_share", args=[involvement.pk])).status_code == 404
