"""Partner organisations and involvements in the API."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meedoen.audit.services import Origin
from meedoen.partners.models import Involvement
from meedoen.partners.services import organisation_create

ORIGIN = Origin(channel="test")
pytestmark = pytest.mark.django_db
BASE = "/api/v1/partners/organisations/"


@pytest.fixture
def organisation(functional_admin):
    return organisation_create(
        actor=functional_admin,
        data={"name": "Schuldhulp Haaglanden (demo)", "kind": "debt_counselling"},
        origin=ORIGIN,
    )


def test_list_constant_queries_and_scoped(
    login, coach, functional_admin, other_municipality_coach, organisation
):
    api = login(coach)
    with CaptureQueriesContext(connection) as few:
        response = api.get(BASE)
    assert response.status_code == 200
    assert [o["name"] for o in response.json()["results"]] == ["Schuldhulp Haaglanden (demo)"]
    for n in range(30):
        organisation_create(
            actor=functional_admin, data={"name": f"Org {n}", "kind": "other"}, origin=ORIGIN
        )
    with CaptureQueriesContext(connection) as many:
        api.get(BASE)
    assert len(few.captured_queries) == len(many.captured_queries)
    other = login(other_municipality_coach)
    assert other.get(BASE).json()["results"] == []
    assert other.get(f"{BASE}{organisation.pk}/").status_code == 404


def test_create_and_patch_with_if_match(login, team_lead, coach, organisation):
    api = login(team_lead)
    response = api.post(BASE, {"name": "", "kind": "nope"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"name", "kind"}
    response = api.post(BASE, {"name": "UWV (demo)", "kind": "uwv"}, format="json")
    assert response.status_code == 201
    assert response["ETag"]
    url = f"{BASE}{organisation.pk}/"
    etag = api.get(url)["ETag"]
    assert api.patch(url, {"phone": "070 1"}, format="json").status_code == 428
    response = api.patch(url, {"phone": "070 1"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["phone"] == "070 1"
    assert api.patch(url, {"phone": "070 2"}, format="json", HTTP_IF_MATCH=etag).status_code == 412
    coach_api = login(coach)
    assert coach_api.patch(url, {"phone": "1"}, format="json", HTTP_IF_MATCH="*").status_code == 403


def test_household_involvements(login, coach, other_team_coach, organisation, client_factory):
    person = client_factory()
    url = f"/api/v1/households/{person.household_id}/involvements/"
    api = login(coach)
    response = api.post(
        url,
        {
            "organisation": str(organisation.pk),
            "topic": "debts",
            "client": str(person.pk),
            "start_date": "2025-01-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = api.get(url).json()
    assert body["results"][0]["organisation_name"] == "Schuldhulp Haaglanden (demo)"
    assert body["results"][0]["sharing"] == [{"client": str(person.pk), "data_categories": []}]
    response = api.post(
        url,
        {
            "organisation": str(organisation.pk),
            "topic": "debts",
            "client": str(client_factory().pk),
            "start_date": "2025-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "client" in response.json()
    assert Involvement.objects.count() == 1
    assert login(other_team_coach).get(url).status_code == 404
