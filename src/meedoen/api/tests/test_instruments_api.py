"""The instrument catalogue and enrolments in the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meedoen.audit.models import AuditEvent
from meedoen.instruments.constants import EnrolmentStatus as S
from meedoen.instruments.models import Enrolment
from meedoen.instruments.tests.factories import enrolment_factory, instrument_factory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/instruments/"


def _queries(api, url, **params) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url, params)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()


def test_catalogue_list_filters_constant_queries_and_scope(
    login, coach, analyst, other_municipality_coach, municipality, client_factory
):
    course = instrument_factory(
        municipality,
        name="Taalcursus B1",
        kind="language_course",
        capacity=3,
        cost_per_participant="950.00",
        target_groups=("refugees",),
    )
    instrument_factory(municipality, name="Jobcoach", kind="job_coach")
    instrument_factory(municipality, name="Oud", is_active=False)
    for status in (S.STARTED, S.REQUESTED, S.FINISHED):
        enrolment_factory(course, client_factory(), status=status)
    api = login(coach)
    few, body = _queries(api, BASE)
    assert [i["name"] for i in body] == ["Jobcoach", "Taalcursus B1"]
    taal = body[1]
    assert taal["usage"] == {
        "started": 1,
        "requested": 1,
        "waiting": 0,
        "finished": 1,
        "stopped_early": 0,
        "places_free": 1,
    }
    assert taal["cost_per_participant"] == "950.00"
    assert taal["target_groups"] == ["refugees"]
    for n in range(30):
        instrument_factory(municipality, name=f"Training {n}")
    many, _ = _queries(api, BASE)
    assert few == many
    _, body = _queries(api, BASE, kind="language_course")
    assert [i["name"] for i in body] == ["Taalcursus B1"]
    _, body = _queries(api, BASE, inactive="true", q="oud")
    assert [i["name"] for i in body] == ["Oud"]
    assert api.get(BASE, {"kind": "nope"}).status_code == 400
    assert api.post(BASE, {}, format="json").status_code == 405
    assert login(analyst).get(BASE).status_code == 404
    other = login(other_municipality_coach)
    assert other.get(BASE).json() == []
    assert other.get(f"{BASE}{course.pk}/").status_code == 404


def test_detail_waiting_list_names_only_visible_clients(
    login, coach, colleague, municipality, client_factory
):
    course = instrument_factory(municipality, name="Werkervaringsplaats", capacity=1)
    enrolment_factory(course, client_factory(), status=S.STARTED)
    theirs = enrolment_factory(course, client_factory(coach=colleague), status=S.WAITING)
    mine = enrolment_factory(
        course,
        client_factory(),
        status=S.WAITING,
        requested_at=timezone.now() + dt.timedelta(seconds=1),
    )
    api = login(coach)
    response = api.get(f"{BASE}{course.pk}/")
    assert response.status_code == 200
    assert response["ETag"]
    rows = response.json()["waiting_list"]
    assert [(r["position"], r["enrolment"], r["client"]) for r in rows] == [
        (1, None, None),
        (2, str(mine.pk), str(mine.client_id)),
    ]
    assert str(theirs.client_id) not in response.content.decode()
    assert AuditEvent.objects.filter(action="instruments.waiting_list.read").count() == 1


def test_household_enrolments_request_and_constant_queries(
    login, coach, municipality, client_factory
):
    person = client_factory()
    url = f"/api/v1/households/{person.household_id}/enrolments/"
    course = instrument_factory(municipality, name="Budgetcursus", capacity=1)
    api = login(coach)
    response = api.post(url, {"client": str(person.pk), "instrument": "nope"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"instrument"}
    response = api.post(
        url,
        {"client": str(person.pk), "instrument": str(course.pk), "note": "Graag"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "requested"
    assert response["ETag"]
    # A second member is refused a place that is taken: the waiting list.
    other = client_factory()
    response = api.post(
        url.replace(str(person.household_id), str(other.household_id)),
        {"client": str(other.pk), "instrument": str(course.pk)},
        format="json",
    )
    assert response.json()["status"] == "waiting"
    assert response.json()["waiting_position"] == 1
    # Someone outside the household: 400 on client.
    response = api.post(url, {"client": str(other.pk), "instrument": str(course.pk)}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"client"}

    few, body = _queries(api, url)
    assert [e["instrument_name"] for e in body["results"]] == ["Budgetcursus"]
    for n in range(9):
        enrolment_factory(instrument_factory(municipality, name=f"I{n}"), person)
    many, body = _queries(api, url)
    assert len(body["results"]) == 10
    assert few == many
    assert AuditEvent.objects.filter(action="instruments.enrolment.list").count() == 2


def test_patch_start_finish_with_if_match(login, coach, municipality, client_factory):
    person = client_factory()
    enrolment = enrolment_factory(instrument_factory(municipality, capacity=1), person)
    url = f"/api/v1/enrolments/{enrolment.pk}/"
    api = login(coach)
    response = api.get(url)
    etag = response["ETag"]
    today = timezone.localdate().isoformat()
    body = {"status": "started", "started_on": today}
    assert api.patch(url, body, format="json").status_code == 428
    assert api.patch(url, body, format="json", HTTP_IF_MATCH='"9-x"').status_code == 412
    response = api.patch(url, {"status": "nope"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    response = api.patch(url, body, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "started"
    new_etag = response["ETag"]
    assert new_etag != etag
    # Stale tag: 412, nothing written.
    finish = {"status": "finished", "ended_on": today, "result": "found_work"}
    assert api.patch(url, finish, format="json", HTTP_IF_MATCH=etag).status_code == 412
    response = api.patch(url, {"status": "finished"}, format="json", HTTP_IF_MATCH=new_etag)
    assert response.status_code == 400
    assert set(response.json()) == {"ended_on", "result"}
    response = api.patch(url, finish, format="json", HTTP_IF_MATCH=new_etag)
    assert response.status_code == 200
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.result) == (S.FINISHED, "found_work")


def test_full_capacity_is_a_clear_400(login, coach, municipality, client_factory):
    course = instrument_factory(municipality, name="Jobcoach", capacity=1)
    enrolment_factory(course, client_factory(), status=S.STARTED)
    waiting = enrolment_factory(course, client_factory(), status=S.WAITING)
    api = login(coach)
    url = f"/api/v1/enrolments/{waiting.pk}/"
    response = api.patch(
        url,
        {"status": "started", "started_on": timezone.localdate().isoformat()},
        format="json",
        HTTP_IF_MATCH=api.get(url)["ETag"],
    )
    assert response.status_code == 400
    assert "Alle 1 plaatsen van Jobcoach zijn bezet" in response.json()["instrument"][0]
    response = api.patch(
        url,
        {
            "status": "stopped_early",
            "ended_on": timezone.localdate().isoformat(),
            "reason": "health",
        },
        format="json",
        HTTP_IF_MATCH=api.get(url)["ETag"],
    )
    assert response.status_code == 200
    assert Enrolment.objects.get(pk=waiting.pk).stop_reason == "health"


def test_door_first_for_other_coach(login, other_team_coach, municipality, client_factory):
    person = client_factory()
    enrolment = enrolment_factory(instrument_factory(municipality), person)
    api = login(other_team_coach)
    assert api.get(f"/api/v1/households/{person.household_id}/enrolments/").status_code == 404
    url = f"/api/v1/enrolments/{enrolment.pk}/"
    assert api.get(url).status_code == 404
    # No If-Match: still 404, never a 428 that would give the enrolment away.
    assert api.patch(url, {"status": "started"}, format="json").status_code == 404
    denied = set(AuditEvent.objects.filter(result="denied").values_list("action", flat=True))
    assert denied == {
        "instruments.enrolment.list",
        "instruments.enrolment.read",
        "instruments.enrolment.start",
    }
