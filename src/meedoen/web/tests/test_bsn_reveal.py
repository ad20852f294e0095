"""'BSN tonen': the full BSN only in the answer to a POST, audited, never in a URL or cache."""

import pytest
from django.urls import reverse

from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.clients.bsn import bsn_decrypt

pytestmark = pytest.mark.django_db


def reveal_url(client_obj):
    return reverse("web:client_bsn_reveal", args=[client_obj.pk])


def test_detail_shows_the_masked_bsn_and_a_reveal_button(client, coach, client_factory):
    person = client_factory()
    bsn = bsn_decrypt(person.bsn_encrypted)
    client.force_login(coach)
    page = client.get(reverse("web:client_detail", args=[person.pk])).content.decode()
    assert bsn not in page
    assert "BSN tonen" in page
    assert f'action="{reveal_url(person)}"' in page
    assert not AuditEvent.objects.filter(action="clients.client.bsn_reveal").exists()


def test_post_reveals_the_bsn_once_and_audits_it(client, coach, client_factory):
    person = client_factory()
    bsn = bsn_decrypt(person.bsn_encrypted)
    client.force_login(coach)
    response = client.post(reveal_url(person))
    assert response.status_code == 200
    page = response.content.decode()
    assert bsn in page
    assert "BSN tonen" not in page
    assert bsn not in response.request["PATH_INFO"]
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="clients.client.bsn_reveal")
    assert (event.result, event.actor_name, event.object_id) == (
        Result.ALLOWED,
        "coach",
        str(person.pk),
    )
    # The next ordinary visit shows the masked BSN again.
    assert bsn not in client.get(reverse("web:client_detail", args=[person.pk])).content.decode()


def test_get_on_the_reveal_url_is_refused(client, coach, client_factory):
    person = client_factory()
    client.force_login(coach)
    assert client.get(reveal_url(person)).status_code == 405
    assert not AuditEvent.objects.filter(action="clients.client.bsn_reveal").exists()


@pytest.mark.parametrize(
    "persona", ["colleague", "other_team_coach", "analyst", "other_municipality_coach"]
)
def test_reveal_outside_the_caseload_is_404_and_logged(request, client, persona, client_factory):
    person = client_factory()
    bsn = bsn_decrypt(person.bsn_encrypted)
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reveal_url(person))
    assert response.status_code == 404
    assert bsn not in response.content.decode()
    assert AuditEvent.objects.get(action="clients.client.read").result == Result.DENIED
    assert not AuditEvent.objects.filter(action="clients.client.bsn_reveal").exists()


def test_reveal_needs_csrf(coach, client_factory):
    from django.test import Client

    person = client_factory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(coach)
    assert browser.post(reveal_url(person)).status_code == 403
    assert not AuditEvent.objects.filter(action="clients.client.bsn_reveal").exists()
