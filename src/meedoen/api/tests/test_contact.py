"""GET/PATCH /api/v1/clients/{id}/contact/: ETag on reads, If-Match required on writes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.clients.models import Client
from meedoen.clients.services import client_contact_update

pytestmark = pytest.mark.django_db


def contact(client):
    return f"/api/v1/clients/{client.pk}/contact/"


def _patch(api, client, body, **headers):
    return api.patch(contact(client), body, format="json", headers=headers)


def _stored(client):
    return Client.objects.values_list("phone", "email", "languages", "version").get(pk=client.pk)


def test_url_is_where_the_docs_say(client_factory):
    person = client_factory()
    assert reverse("api:client-contact", kwargs={"id": person.pk}) == contact(person)


def test_get_returns_the_contact_details_with_an_etag(login, coach, client_factory):
    person = client_factory(phone="06 11111111", email="a@example.nl", languages=["nl", "ar"])
    response = login(coach).get(contact(person))
    assert response.status_code == 200
    assert response.json() == {
        "phone": "06 11111111",
        "email": "a@example.nl",
        "languages": ["nl", "ar"],
    }
    etag = response["ETag"]
    assert etag.startswith('"1-')
    assert etag.endswith('"')
    assert AuditEvent.objects.filter(action="clients.client.read", result="allowed").count() == 1


def test_etag_round_trip(login, coach, client_factory):
    person = client_factory(phone="06 11111111", languages=["nl"])
    api = login(coach)
    etag = api.get(contact(person))["ETag"]
    response = _patch(api, person, {"phone": "+31 70 123 4567"}, if_match=etag)
    assert response.status_code == 200
    assert response.json() == {"phone": "+31 70 123 4567", "email": "", "languages": ["nl"]}
    new_etag = response["ETag"]
    assert new_etag != etag
    assert new_etag.startswith('"2-')
    # The new tag is the one a fresh GET gives, and it works for the next change.
    assert api.get(contact(person))["ETag"] == new_etag
    second = _patch(api, person, {"languages": ["nl", "pap"]}, if_match=new_etag)
    assert second.status_code == 200
    assert _stored(person) == ("+31 70 123 4567", "", ["nl", "pap"], 3)
    rows = AuditEvent.objects.filter(action="clients.client.update").order_by("id")
    assert [r.detail["fields"] for r in rows] == [["phone"], ["languages"]]
    assert {r.detail["channel"] for r in rows} == {"api"}


def test_without_if_match_428_in_dutch_and_nothing_written(login, coach, client_factory):
    person = client_factory(phone="06 11111111")
    response = _patch(login(coach), person, {"phone": "06 22222222"})
    assert response.status_code == 428
    assert "If-Match ontbreekt" in response.json()["detail"]
    assert _stored(person)[0] == "06 11111111"
    assert not AuditEvent.objects.filter(action="clients.client.update").exists()


def test_a_stale_etag_is_412_and_nothing_is_written(login, coach, team_lead, client_factory):
    person = client_factory(phone="06 11111111")
    api = login(coach)
    etag = api.get(contact(person))["ETag"]
    client_contact_update(
        actor=team_lead,
        client=Client.objects.get(pk=person.pk),
        expected_version=1,
        origin=Origin(channel="test"),
        phone="06 22222222",
    )
    response = _patch(api, person, {"phone": "06 33333333"}, if_match=etag)
    assert response.status_code == 412
    assert "Iemand anders heeft deze gegevens gewijzigd" in response.json()["detail"]
    assert "ETag" not in response  # GET again and look before trying again
    assert _stored(person)[:1] == ("06 22222222",)
    assert [r.actor_name for r in AuditEvent.objects.filter(action="clients.client.update")] == [
        "teamleider"
    ]


@pytest.mark.parametrize(
    "if_match",
    [
        "W/{etag}",  # weak tags never match in If-Match
        '"1-000000000000"',  # the right version, another record's tag
        "{bare}",  # not quoted
        "garbage",
    ],
)
def test_tags_that_do_not_match_are_412(login, coach, client_factory, if_match):
    person = client_factory(phone="06 11111111")
    api = login(coach)
    etag = api.get(contact(person))["ETag"]
    header = if_match.format(etag=etag, bare=etag.strip('"'))
    assert _patch(api, person, {"phone": "06 22222222"}, if_match=header).status_code == 412
    assert _stored(person)[3] == 1


def test_a_list_with_the_current_tag_and_star_match(login, coach, client_factory):
    person = client_factory()
    api = login(coach)
    etag = api.get(contact(person))["ETag"]
    listed = _patch(api, person, {"phone": "06 22222222"}, if_match=f'"old", {etag}')
    assert listed.status_code == 200
    star = _patch(api, person, {"phone": "06 33333333"}, if_match="*")
    assert star.status_code == 200
    assert _stored(person)[0] == "06 33333333"


def test_an_import_after_the_get_makes_the_etag_stale(login, coach, client_factory):
    person = client_factory()
    api = login(coach)
    etag = api.get(contact(person))["ETag"]
    Client.objects.filter(pk=person.pk).update(surname="Gewijzigd", version=2)
    assert _patch(api, person, {"phone": "06 22222222"}, if_match=etag).status_code == 412


def test_bad_input_is_400_per_field_in_dutch(login, coach, client_factory):
    person = client_factory(phone="06 11111111")
    api = login(coach)
    etag = api.get(contact(person))["ETag"]
    response = _patch(
        api,
        person,
        {"phone": "12345", "email": "geen-adres", "languages": ["nl", "xx"]},
        if_match=etag,
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["phone"][0].startswith("Vul een geldig telefoonnummer in")
    assert errors["email"] == ["Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."]
    assert errors["languages"][0].startswith("Onbekende taalcode: xx.")
    shape = _patch(api, person, {"languages": "nl"}, if_match=etag)
    assert shape.status_code == 400
    assert _stored(person) == ("06 11111111", "", [], 1)


def test_an_empty_patch_changes_nothing(login, coach, client_factory):
    person = client_factory()
    api = login(coach)
    etag = api.get(contact(person))["ETag"]
    response = _patch(api, person, {}, if_match=etag)
    assert response.status_code == 200
    assert response["ETag"] == etag
    assert not AuditEvent.objects.filter(action="clients.client.update").exists()


@pytest.mark.parametrize(
    ("persona", "sees_it"),
    [
        ("coach", True),
        ("team_lead", True),
        ("colleague", False),
        ("other_team_coach", False),
        ("analyst", False),
        ("privacy_officer", False),
        ("functional_admin", False),
        ("other_municipality_coach", False),
    ],
)
def test_who_may_read_and_change(login, request, client_factory, persona, sees_it):
    person = client_factory(phone="06 11111111")
    api = login(request.getfixturevalue(persona))
    read = api.get(contact(person))
    assert read.status_code == (200 if sees_it else 404)
    # A client one may not see is a 404 before If-Match is looked at: no 428 or 412 that would
    # give away that it exists.
    for headers in ({}, {"if_match": "*"}, {"if_match": '"1-000000000000"'}):
        response = _patch(api, person, {"phone": "06 22222222"}, **headers)
        if not sees_it:
            assert response.status_code == 404
            assert "06 11111111" not in response.content.decode()
    assert _stored(person)[0] == ("06 22222222" if sees_it else "06 11111111")


def test_anonymous_is_refused(api, client_factory):
    person = client_factory(phone="06 11111111")
    assert api.get(contact(person)).status_code in (401, 403)
    assert _patch(api, person, {"phone": "06 2"}, if_match="*").status_code in (401, 403)
    assert _stored(person)[0] == "06 11111111"


def test_only_json_is_accepted(login, coach, client_factory):
    person = client_factory()
    api = login(coach)
    response = api.patch(
        contact(person),
        "phone=06+22222222",
        content_type="application/x-www-form-urlencoded",
        headers={"if_match": "*"},
    )
    assert response.status_code == 415
    assert _stored(person)[0] == ""


def test_query_count_is_fixed(login, coach, client_factory, django_assert_max_num_queries):
    person = client_factory(languages=["nl", "ar", "tr"])
    api = login(coach)
    with django_assert_max_num_queries(9):
        etag = api.get(contact(person))["ETag"]
    with django_assert_max_num_queries(16):
        assert _patch(api, person, {"phone": "06 22222222"}, if_match=etag).status_code == 200


def test_schema_documents_the_headers_and_statuses(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = schema["paths"]["/api/v1/clients/{id}/contact/"]
    patch = operations["patch"]
    if_match = next(p for p in patch["parameters"] if p["name"] == "If-Match")
    assert if_match["in"] == "header"
    assert if_match["required"] is True
    assert {"200", "400", "404", "412", "428"} <= set(patch["responses"])
    assert "ETag" in patch["responses"]["200"]["headers"]
    assert "ETag" in operations["get"]["responses"]["200"]["headers"]
    assert list(patch["requestBody"]["content"]) == ["application/json"]
