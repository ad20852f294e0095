"""The page "Contactgegevens wijzigen": form, save, errors, and the 409 conflict page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.clients.models import Client
from meedoen.clients.services import client_contact_update

pytestmark = pytest.mark.django_db


def url(client):
    return reverse("web:client_contact_edit", kwargs={"client_id": client.pk})


def _post(http, client, **data):
    body = {"version": 1, "phone": "", "email": "", "languages": "", **data}
    return http.post(url(client), body)


def _stored(client):
    return Client.objects.values_list("phone", "email", "languages", "version").get(pk=client.pk)


def test_the_client_page_links_to_the_form(client, coach, client_factory):
    person = client_factory()
    client.force_login(coach)
    page = client.get(reverse("web:client_detail", kwargs={"client_id": person.pk}))
    assert f'href="{url(person)}"' in page.content.decode()


def test_the_form_shows_the_current_values_and_version(
    client, coach, client_factory, django_assert_max_num_queries
):
    person = client_factory(phone="06 11111111", email="a@example.nl", languages=["nl", "rif"])
    client.force_login(coach)
    # Session (read and save), user, municipality, the door's read and its audit row (chain
    # head, insert, savepoints): a fixed number, nothing per language or field.
    with django_assert_max_num_queries(9):
        response = client.get(url(person))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="version" value="1"' in body
    assert 'value="06 11111111"' in body
    assert 'value="a@example.nl"' in body
    assert 'value="Nederlands, Tarifit"' in body
    assert AuditEvent.objects.filter(action="clients.client.read", result="allowed").count() == 1


def test_saving_redirects_to_the_client_page_with_a_message(client, coach, client_factory):
    person = client_factory(phone="06 11111111", languages=["nld"])
    client.force_login(coach)
    response = _post(
        client,
        person,
        phone="070 123 45 67",
        email="fatima@example.nl",
        # Names in Dutch, a code, a repeat; "Nederlands" reads back as the stored "nld".
        languages="Nederlands, Arabisch; rif, arabisch",
    )
    assert response.status_code == 303
    assert response["Location"].endswith(
        reverse("web:client_detail", kwargs={"client_id": person.pk}) + "#contact"
    )
    assert _stored(person) == ("070 123 45 67", "fatima@example.nl", ["nld", "ar", "rif"], 2)
    page = client.get(response["Location"]).content.decode()
    assert "De contactgegevens zijn opgeslagen." in page
    assert "070 123 45 67" in page
    (row,) = AuditEvent.objects.filter(action="clients.client.update")
    assert row.detail["fields"] == ["email", "languages", "phone"]
    assert row.detail["channel"] == "web"


def test_saving_without_changes_says_so(client, coach, client_factory):
    person = client_factory(phone="06 11111111", languages=["nl"])
    client.force_login(coach)
    response = _post(client, person, phone="06 11111111", languages="Nederlands")
    assert response.status_code == 303
    assert "Er was niets gewijzigd" in client.get(response["Location"]).content.decode()
    assert _stored(person)[3] == 1
    assert not AuditEvent.objects.filter(action="clients.client.update").exists()


def test_bad_input_shows_dutch_messages_and_writes_nothing(client, coach, client_factory):
    person = client_factory(phone="06 11111111")
    client.force_login(coach)
    response = _post(client, person, phone="12345", email="geen-adres", languages="Nederlands")
    body = response.content.decode()
    assert response.status_code == 400
    assert "Er is niets opgeslagen. Controleer de gemarkeerde velden." in body
    assert "Vul een geldig telefoonnummer in" in body
    assert "Vul een geldig e-mailadres in" in body
    assert 'aria-invalid="true"' in body
    assert 'value="12345"' in body  # what was typed stays in the form to correct it
    assert _stored(person) == ("06 11111111", "", [], 1)
    assert not AuditEvent.objects.filter(action="clients.client.update").exists()


def test_an_unknown_language_name_is_named_in_the_message(client, coach, client_factory):
    person = client_factory()
    client.force_login(coach)
    response = _post(client, person, languages="Nederlands, Klingonees")
    body = response.content.decode()
    assert response.status_code == 400
    assert "Deze taal kennen we niet: „Klingonees”" in body
    assert _stored(person)[3] == 1


@pytest.mark.parametrize("version", ["", "x", "0"])
def test_a_form_without_a_valid_version_is_refused(client, coach, client_factory, version):
    person = client_factory()
    client.force_login(coach)
    response = _post(client, person, version=version, phone="06 22222222")
    assert response.status_code == 400
    assert "Het formulier is onvolledig. Open de pagina opnieuw." in response.content.decode()
    assert _stored(person) == ("", "", [], 1)


def test_a_conflict_is_409_shows_both_and_overwrites_nothing(
    client, coach, team_lead, client_factory
):
    person = client_factory(phone="06 11111111", email="oud@example.nl")
    client.force_login(coach)
    form = client.get(url(person))
    assert 'name="version" value="1"' in form.content.decode()
    # Meanwhile the team lead saves a new number.
    client_contact_update(
        actor=team_lead,
        client=Client.objects.get(pk=person.pk),
        expected_version=1,
        origin=Origin(channel="test"),
        phone="06 22222222",
    )
    response = _post(
        client,
        person,
        phone="06 33333333",
        email="nieuw@example.nl",
        languages="Arabisch",
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "Iemand anders heeft deze gegevens gewijzigd terwijl u bezig was." in body
    assert "Uw wijziging is niet opgeslagen" in body
    # The current values and what the coach typed, side by side.
    for shown in ("Nu opgeslagen", "Uw invoer (niet opgeslagen)", "06 22222222", "06 33333333"):
        assert shown in body
    for typed in ("nieuw@example.nl", "Arabisch"):
        assert typed in body
    # The form is on the current values and version: saving again is a new decision.
    assert 'name="version" value="2"' in body
    assert 'id="id_phone" value="06 22222222"' in body
    assert _stored(person) == ("06 22222222", "oud@example.nl", [], 2)
    assert [r.actor_name for r in AuditEvent.objects.filter(action="clients.client.update")] == [
        "teamleider"
    ]
    # Redone on the current version, it saves.
    redone = _post(client, person, version=2, phone="06 33333333", email="oud@example.nl")
    assert redone.status_code == 303
    phone, _, _, version = _stored(person)
    assert (phone, version) == ("06 33333333", 3)


def test_an_import_after_the_form_was_opened_gives_a_conflict(client, coach, client_factory):
    """The import bumps the version in its bulk UPDATE (dataexchange/bulk.py)."""
    person = client_factory(phone="06 11111111")
    client.force_login(coach)
    client.get(url(person))
    Client.objects.filter(pk=person.pk).update(surname="Gewijzigd", version=2)
    response = _post(client, person, phone="06 33333333")
    assert response.status_code == 409
    assert _stored(person)[0] == "06 11111111"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coach", 200),
        ("team_lead", 200),
        ("colleague", 404),
        ("other_team_coach", 404),
        ("analyst", 404),
        ("privacy_officer", 404),
        ("functional_admin", 404),
        ("other_municipality_coach", 404),
    ],
)
def test_who_may_edit(client, request, client_factory, persona, status):
    person = client_factory(phone="06 11111111")
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(person)).status_code == status
    response = _post(client, person, phone="06 22222222")
    assert response.status_code == (303 if status == 200 else 404)
    assert _stored(person)[0] == ("06 22222222" if status == 200 else "06 11111111")
    if status == 404:
        assert "06 11111111" not in response.content.decode()
        assert AuditEvent.objects.filter(action="clients.client.read", result="denied").exists()


def test_anonymous_goes_to_the_login_page(client, client_factory):
    person = client_factory()
    response = client.get(url(person))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
