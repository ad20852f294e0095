"""The privacy officer's audit pages: only the FG, own municipality, filters, paging, audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin, audit_record, subject_pseudonym

LOG = reverse("web:audit_log")
SEARCH = reverse("web:audit_client_search")
ORIGIN = Origin(channel="web", ip_address="192.0.2.1", user_agent="Firefox")


def log_url(client_id):
    return reverse("web:audit_client_log", args=[client_id])


def read(actor, person, result=Result.ALLOWED, action="clients.client.read"):
    return audit_record(
        actor=actor,
        action=action,
        origin=ORIGIN,
        subject_id=person.pk,
        purpose="casework",
        result=result,
    )


@pytest.mark.parametrize(
    "persona",
    [
        "coach",
        "team_lead",
        "analyst",
        "functional_admin",
        "other_municipality_coach",
    ],
)
def test_only_the_privacy_officer_reaches_the_pages(client, request, persona, client_factory):
    person = client_factory()
    client.force_login(request.getfixturevalue(persona))
    before = set(AuditEvent.objects.values_list("action", flat=True))
    assert client.get(LOG).status_code == 404
    assert client.get(SEARCH).status_code == 404
    assert client.post(SEARCH, {"klantnummer": person.client_number}).status_code == 404
    assert client.get(log_url(person.pk)).status_code == 404
    # Nothing was looked up or read on their behalf.
    after = set(AuditEvent.objects.values_list("action", flat=True))
    assert not {a for a in after - before if a.startswith(("audit.", "clients.client.lookup"))}


def test_anonymous_is_sent_to_login(client):
    response = client.get(LOG)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_superuser_without_role_gets_404(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x" * 16)
    client.force_login(admin)
    assert client.get(LOG).status_code == 404


def test_log_shows_own_municipality_with_role_and_result(
    client, privacy_officer, coach, other_municipality_coach, client_factory
):
    person = client_factory()
    read(coach, person)
    read(other_municipality_coach, person, result=Result.DENIED)
    client.force_login(privacy_officer)
    response = client.get(LOG)
    assert response.status_code == 200
    body = response.content.decode()
    assert "coach" in body
    assert "Klantregisseur" in body
    assert "Dossier geopend" in body
    assert "coach-rotterdam" not in body
    assert "utrecht-table" in body
    event = AuditEvent.objects.get(action="audit.log.read")
    assert (event.actor_name, event.purpose, event.municipality_code) == (
        "fg",
        "privacy_supervision",
        "0518",
    )


def test_filters_narrow_the_log(client, privacy_officer, coach, colleague, client_factory):
    first, second = client_factory(), client_factory()
    read(coach, first)
    read(colleague, second, result=Result.DENIED)
    audit_record(actor=coach, action="clients.client.list", origin=ORIGIN)
    client.force_login(privacy_officer)

    def shown(**params):
        response = client.get(LOG, params)
        assert response.status_code == 200
        return [row["event"].action for row in response.context["rows"]]

    assert shown(resultaat="denied") == ["clients.client.read"]
    assert shown(medewerker="collega") == ["clients.client.read"]
    assert shown(actie="clients.client.l") == ["clients.client.list"]
    assert len(shown(client=subject_pseudonym(first.pk))) == 1
    assert shown(van="2999-01-01") == []
    assert "clients.client.list" in shown(tot="2999-01-01")
    # The filters used are audited by name, not value.
    last = AuditEvent.objects.filter(action="audit.log.read").order_by("-id").first()
    assert last.detail["filters"] == ["tot"]


def test_invalid_filters_say_what_and_where(client, privacy_officer):
    client.force_login(privacy_officer)
    response = client.get(LOG, {"van": "31-13-2025", "actie": "DROP TABLE", "client": "xyz"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "jjjj-mm-dd" in form.errors["van"][0]
    assert "kleine letters" in form.errors["actie"][0]
    assert "pseudoniem" in form.errors["client"][0]
    response = client.get(LOG, {"van": "2025-02-01", "tot": "2025-01-01"})
    assert "vóór de begindatum" in response.context["form"].errors["tot"][0]


def test_log_is_keyset_paged_with_a_fixed_number_of_queries(
    client, privacy_officer, coach, client_factory, django_assert_max_num_queries, settings
):
    from meedoen.web import views_audit

    person = client_factory()
    for _ in range(views_audit.PAGE_SIZE + 5):
        read(coach, person)
    client.force_login(privacy_officer)
    # session, user, municipality, page of events, audit (upsert + insert), session save (3).
    with django_assert_max_num_queries(9):
        response = client.get(LOG, {"actie": "clients."})
    rows = response.context["rows"]
    assert len(rows) == views_audit.PAGE_SIZE
    next_url = response.context["next_url"]
    assert "voor=" in next_url
    assert "actie=clients." in next_url
    with django_assert_max_num_queries(9):
        response = client.get(LOG + next_url)
    assert len(response.context["rows"]) == 5
    assert response.context["next_url"] == ""
    assert response.context["first_url"] == "?actie=clients."


def test_who_looked_at_this_file(
    client, privacy_officer, coach, colleague, client_factory, django_assert_max_num_queries
):
    person, other = client_factory(), client_factory()
    read(coach, person)
    read(colleague, person, result=Result.DENIED)
    read(coach, other)
    client.force_login(privacy_officer)
    response = client.post(SEARCH, {"klantnummer": f" {person.client_number} "})
    assert response.status_code == 303
    assert response["Location"] == log_url(person.pk)
    assert person.client_number not in response["Location"]
    with django_assert_max_num_queries(10):
        response = client.get(log_url(person.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert person.client_number in body
    assert person.surname in body
    # Identity only: no BSN, address or date of birth.
    assert person.household.address.postcode_display not in body
    actors = [row["event"].actor_name for row in response.context["rows"]]
    assert actors == ["fg", "collega", "coach"]  # the lookup, then the reads, newest first
    lookup, read_log = AuditEvent.objects.filter(
        action__in=["clients.client.lookup", "audit.access_log.read"]
    ).order_by("id")
    assert lookup.action == "clients.client.lookup"
    assert read_log.action == "audit.access_log.read"
    assert read_log.subject_pseudonym == subject_pseudonym(person.pk)


def test_unknown_client_number_is_a_dutch_error_and_audited(
    client, privacy_officer, client_factory
):
    client.force_login(privacy_officer)
    response = client.post(SEARCH, {"klantnummer": "K9999999"})
    assert response.status_code == 200
    assert "geen cliënt met dit klantnummer" in response.context["form"].errors["klantnummer"][0]
    event = AuditEvent.objects.get(action="clients.client.lookup")
    assert event.result == Result.DENIED
    assert "K9999999" not in str(event.detail)
    response = client.post(SEARCH, {"klantnummer": ""})
    assert response.context["form"].errors["klantnummer"] == ["Vul een klantnummer in."]


def test_client_of_another_municipality_is_404_and_logged(
    client, privacy_officer, other_municipality, django_user_model
):
    from meedoen.clients.tests.factories import ClientFactory

    theirs = ClientFactory(other_municipality)()
    client.force_login(privacy_officer)
    assert client.post(SEARCH, {"klantnummer": theirs.client_number}).status_code == 200
    assert client.get(log_url(theirs.pk)).status_code == 404
    assert not AuditEvent.objects.filter(action="audit.access_log.read").exists()
    assert AuditEvent.objects.filter(action="clients.client.lookup", result="denied").count() == 2


def test_navigation_shows_the_audit_log_to_the_privacy_officer_only(client, privacy_officer, coach):
    client.force_login(privacy_officer)
    assert LOG in client.get(reverse("web:home")).content.decode()
    client.force_login(coach)
    assert LOG not in client.get(reverse("web:home")).content.decode()
