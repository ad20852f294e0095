"""The contact log API (api/contacts.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.caseload.contacts import contact_moment_record
from meedoen.caseload.inputs import ContactInput
from meedoen.caseload.models import Appointment, ContactMoment, Relapse

pytestmark = pytest.mark.django_db
ORIGIN = Origin(channel="test")


@pytest.fixture
def api(coach):
    client = APIClient()
    client.force_authenticate(coach)
    return client


def body(person, **overrides):
    data = {
        "occurred_at": (timezone.now() - dt.timedelta(hours=3)).isoformat(),
        "kind": "phone",
        "duration_minutes": 20,
        "participants": [str(person.pk)],
        "summary": "Gebeld over de toeslagen.",
        "practical_help": ["benefits"],
    }
    data.update(overrides)
    return data


def log(coach, person, n):
    for i in range(n):
        contact_moment_record(
            actor=coach,
            household=person.household,
            data=ContactInput(
                occurred_at=timezone.now() - dt.timedelta(days=i + 1),
                kind="letter",
                summary=f"Brief {i}",
            ),
            origin=ORIGIN,
        )


def test_create_list_detail_and_correct(api, coach, client_factory):
    person = client_factory()
    url = f"/api/v1/households/{person.household_id}/contacts/"
    response = api.post(url, body(person), format="json")
    assert response.status_code == 201, response.content
    contact_id = response.json()["id"]
    listed = api.get(url).json()
    assert [c["id"] for c in listed["results"]] == [contact_id]
    response = api.post(
        f"/api/v1/contacts/{contact_id}/correction/",
        body(person, summary="Gebeld over toeslagen en huur.", reason="Huur vergeten"),
        format="json",
    )
    assert response.status_code == 201, response.content
    newer = response.json()
    assert newer["corrects"] == contact_id
    detail = api.get(f"/api/v1/contacts/{contact_id}/").json()
    assert detail["corrected_by"] == newer["id"]
    assert detail["summary"] == "Gebeld over de toeslagen."
    listed = api.get(url).json()
    assert [c["id"] for c in listed["results"]] == [newer["id"]]
    # The old version cannot be corrected again.
    response = api.post(
        f"/api/v1/contacts/{contact_id}/correction/",
        body(person, reason="Nog eens"),
        format="json",
    )
    assert response.status_code == 400
    assert "corrects" in response.json()


def test_errors_are_dutch_per_field_and_write_nothing(api, client_factory):
    person = client_factory()
    response = api.post(
        f"/api/v1/households/{person.household_id}/contacts/",
        body(person, duration_minutes=0, participants=[]),
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert "duration_minutes" in errors
    assert "participants" in errors
    assert not ContactMoment.objects.exists()


def test_other_team_is_404_and_audited(api, other_team_coach, client_factory):
    person = client_factory(coach=other_team_coach)
    for path in ("contacts", "appointments", "relapses"):
        url = f"/api/v1/households/{person.household_id}/{path}/"
        assert api.get(url).status_code == 404
        assert api.post(url, {}, format="json").status_code == 404
    denied = AuditEvent.objects.filter(result="denied", action__startswith="caseload.")
    assert denied.count() == 6


def _list_queries(api, household_id) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(f"/api/v1/households/{household_id}/contacts/").status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow(api, coach, client_factory):
    small, big = client_factory(), client_factory()
    log(coach, small, 2)
    log(coach, big, 40)
    _list_queries(api, small.household_id)
    assert _list_queries(api, small.household_id) == _list_queries(api, big.household_id)
    page = api.get(f"/api/v1/households/{big.household_id}/contacts/").json()
    assert len(page["results"]) == 20
    assert page["next"]


def test_appointment_etag_if_match_and_close(api, coach, client_factory):
    person = client_factory()
    url = f"/api/v1/households/{person.household_id}/appointments/"
    starts = (timezone.now() + dt.timedelta(days=1)).isoformat()
    response = api.post(url, {"starts_at": starts, "kind": "office"}, format="json")
    assert response.status_code == 201, response.content
    detail_url = f"/api/v1/appointments/{response.json()['id']}/"
    got = api.get(detail_url)
    etag = got["ETag"]
    assert api.patch(detail_url, {"note": "x"}, format="json").status_code == 428
    response = api.patch(
        detail_url, {"location": "Werkplein"}, format="json", headers={"If-Match": etag}
    )
    assert response.status_code == 200
    assert (
        api.patch(detail_url, {"note": "y"}, format="json", headers={"If-Match": etag}).status_code
        == 412
    )
    response = api.patch(
        detail_url, {"status": "no_show"}, format="json", headers={"If-Match": response["ETag"]}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "no_show"
    assert Appointment.objects.get().contact is None
    assert api.get(url).json()["results"][0]["status"] == "no_show"


def test_relapse_create_and_list(api, client_factory):
    person = client_factory()
    url = f"/api/v1/households/{person.household_id}/relapses/"
    response = api.post(
        url,
        {"date": timezone.localdate().isoformat(), "note": "Baan kwijt.", "client": str(person.pk)},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Relapse.objects.get().client == person
    assert api.get(url).json()["results"][0]["note"] == "Baan kwijt."
