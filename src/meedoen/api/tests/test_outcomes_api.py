"""A client's outcomes in the API: list (recorded and derived), create, update and delete with
If-Match, the door, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.clients.models import BenefitPeriod
from meedoen.outcomes.models import OutcomeEvent
from meedoen.outcomes.services import outcome_record
from meedoen.outcomes.tests.factories import days_ago, job_input

pytestmark = pytest.mark.django_db
ORIGIN = Origin(channel="test")


def _list_url(client_id) -> str:
    return f"/api/v1/clients/{client_id}/outcomes/"


def _detail_url(outcome_id) -> str:
    return f"/api/v1/outcomes/{outcome_id}/"


def test_list_has_recorded_and_derived_with_fixed_queries(login, coach, client_factory):
    person = client_factory()
    outcome_record(actor=coach, client=person, data=job_input(), origin=ORIGIN)
    BenefitPeriod.objects.filter(client=person).update(
        end_date=dt.date(2024, 3, 1), end_reason="werk"
    )
    api = login(coach)
    with CaptureQueriesContext(connection) as few:
        body = api.get(_list_url(person.pk)).json()
    assert [r["kind"] for r in body["results"]] == ["job_started"]
    job = body["results"][0]
    assert job["hours_per_week"] == "20.0"
    assert job["substantial_job"] is True
    assert body["derived"] == [
        {
            "kind": "benefit_ended",
            "on": "2024-03-01",
            "value": None,
            "previous": None,
            "reason": "werk",
        }
    ]
    for n in range(10):
        outcome_record(
            actor=coach, client=person, data=job_input(occurred_on=days_ago(40 + n)), origin=ORIGIN
        )
    with CaptureQueriesContext(connection) as many:
        body = api.get(_list_url(person.pk)).json()
    assert len(body["results"]) == 11
    assert len(many.captured_queries) == len(few.captured_queries)
    row = AuditEvent.objects.filter(action="outcomes.outcome.list").latest("seq")
    assert row.detail["count"] == 11


def test_create_validates_in_dutch_and_answers_with_an_etag(login, coach, client_factory):
    person = client_factory()
    api = login(coach)
    bad = api.post(
        _list_url(person.pk),
        {
            "kind": "volunteering_started",
            "occurred_on": days_ago(3).isoformat(),
            "hours_per_week": 8,
        },
        format="json",
    )
    assert bad.status_code == 400
    assert "alleen bij betaald werk" in bad.json()["hours_per_week"][0]
    assert not OutcomeEvent.objects.exists()
    made = api.post(
        _list_url(person.pk),
        {
            "kind": "job_started",
            "occurred_on": days_ago(3).isoformat(),
            "hours_per_week": "12.5",
            "contract_type": "on_call",
            "employer_name": "Supermarkt Plein",
        },
        format="json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["substantial_job"] is False
    outcome = OutcomeEvent.objects.get()
    assert made["ETag"].startswith('"1-')
    assert outcome.hours_per_week == Decimal("12.5")


def test_patch_and_delete_need_if_match(login, coach, client_factory):
    person = client_factory()
    outcome = outcome_record(actor=coach, client=person, data=job_input(), origin=ORIGIN)
    api = login(coach)
    url = _detail_url(outcome.pk)
    got = api.get(url)
    etag = got["ETag"]
    assert api.patch(url, {"hours_per_week": "30"}, format="json").status_code == 428
    assert (
        api.patch(url, {"hours_per_week": "30"}, format="json", HTTP_IF_MATCH='"9-x"').status_code
        == 412
    )
    changed = api.patch(url, {"hours_per_week": "30"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200, changed.content
    assert changed.json()["hours_per_week"] == "30.0"
    assert changed.json()["employer_name"] == "Bakkerij De Korf"  # not sent: kept
    assert changed["ETag"] != etag
    # The old tag is stale now: nothing is removed.
    assert api.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    assert api.delete(url).status_code == 428
    assert OutcomeEvent.objects.exists()
    assert api.delete(url, HTTP_IF_MATCH=changed["ETag"]).status_code == 204
    assert not OutcomeEvent.objects.exists()
    assert AuditEvent.objects.filter(action="outcomes.outcome.delete").count() == 1


@pytest.mark.parametrize("persona", ["other_team_coach", "analyst", "privacy_officer"])
def test_who_may_not_see_the_client_gets_404_before_any_precondition(
    request, login, coach, client_factory, persona
):
    person = client_factory()
    outcome = outcome_record(actor=coach, client=person, data=job_input(), origin=ORIGIN)
    api = login(request.getfixturevalue(persona))
    assert api.get(_list_url(person.pk)).status_code == 404
    body = {"kind": "job_started", "occurred_on": days_ago(1).isoformat()}
    assert api.post(_list_url(person.pk), body, format="json").status_code == 404
    assert api.get(_detail_url(outcome.pk)).status_code == 404
    assert api.patch(_detail_url(outcome.pk), {}, format="json").status_code == 404
    assert api.delete(_detail_url(outcome.pk)).status_code == 404
    assert OutcomeEvent.objects.count() == 1
    denied = AuditEvent.objects.filter(result=Result.DENIED, action__startswith="outcomes.")
    assert denied.count() == 5
