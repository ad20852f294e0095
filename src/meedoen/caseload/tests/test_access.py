import pytest
from django.test import RequestFactory

from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.caseload.access import ClientNotVisible, client_get_for_actor, clients_visible_to

ORIGIN = Origin(channel="test")


@pytest.mark.django_db
def test_coach_sees_client_of_own_municipality_and_read_is_audited(coach, client_factory):
    client = client_factory()
    found = client_get_for_actor(
        actor=coach, client_id=client.pk, purpose="casework", origin=ORIGIN
    )
    assert found == client
    event = AuditEvent.objects.get()
    assert event.action == "clients.client.read"
    assert event.result == Result.ALLOWED
    assert event.actor_name == "coach"
    assert event.object_id == str(client.pk)


@pytest.mark.django_db
def test_other_municipality_is_404_and_denial_is_audited(other_municipality_coach, client_factory):
    client = client_factory()
    with pytest.raises(ClientNotVisible):
        client_get_for_actor(
            actor=other_municipality_coach, client_id=client.pk, purpose="casework", origin=ORIGIN
        )
    assert AuditEvent.objects.get().result == Result.DENIED
    assert not clients_visible_to(actor=other_municipality_coach).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["analyst", "privacy_officer", "functional_admin"])
def test_non_casework_roles_see_no_client(persona, request, client_factory):
    client_factory()
    actor = request.getfixturevalue(persona)
    assert not clients_visible_to(actor=actor).exists()


@pytest.mark.django_db
def test_anonymous_and_garbage_ids_are_not_found(coach, client_factory):
    from django.contrib.auth.models import AnonymousUser

    client = client_factory()
    assert not clients_visible_to(actor=AnonymousUser()).exists()
    with pytest.raises(ClientNotVisible):
        client_get_for_actor(actor=coach, client_id="not-a-uuid", purpose="x", origin=ORIGIN)
    with pytest.raises(ClientNotVisible):
        client_get_for_actor(actor=AnonymousUser(), client_id=client.pk, purpose="x", origin=ORIGIN)


def test_origin_from_request_keeps_ip_and_agent():
    request = RequestFactory().get("/", HTTP_USER_AGENT="Firefox", REMOTE_ADDR="10.0.0.1")
    origin = Origin.from_request(request)
    assert origin.ip_address == "10.0.0.1"
    assert origin.user_agent == "Firefox"
