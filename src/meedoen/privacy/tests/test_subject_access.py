"""The data-subject access export: content, formats, who may produce it, and the audit."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from meedoen.audit.models import AuditEvent
from meedoen.audit.services import subject_pseudonym
from meedoen.clients.constants import HouseholdRole
from meedoen.clients.models import HouseholdMembership
from meedoen.clients.tests.factories import ClientFactory
from meedoen.clients.tests.factories import test_bsn as make_bsn
from meedoen.core.testing import pdf_inflated
from meedoen.privacy.models import Consent
from meedoen.privacy.subject_access import (
    ExtraSection,
    subject_access_export,
    subject_access_export_json,
    subject_access_export_pdf,
)

PDFTOTEXT = shutil.which("pdftotext")


def casework_url(person, file_format="json"):
    return reverse("web:client_subject_access", args=[person.pk, file_format])


def officer_url(person, file_format="json"):
    return reverse("web:audit_client_subject_access", args=[person.pk, file_format])


@pytest.fixture
def person(client_factory, coach):
    bsn = make_bsn(4242)
    main = client_factory(
        bsn=bsn,
        first_names="Fatima",
        name_prefix="van den",
        surname="Berg",
        languages=["nl", "ar"],
        country_of_birth="MA",
        email="fatima@example.org",
        phone="0612345678",
    )
    partner = client_factory(household=main.household, first_names="Karim", surname="Berg")
    HouseholdMembership.objects.filter(client=partner).update(
        role=HouseholdRole.PARTNER, start_date=dt.date(2019, 1, 1)
    )
    Consent.objects.create(
        client=main,
        purpose=Consent._meta.get_field("purpose").choices[0][0],
        data_categories=[],
        organisation_name="Schuldhulp Haaglanden",
        given_at=timezone.now(),
        given_channel=Consent._meta.get_field("given_channel").choices[0][0],
        recorded_by_name="coach",
    )
    main.bsn_plain = bsn  # for the assertions only
    main.partner = partner
    return main


@pytest.mark.django_db
def test_export_holds_every_section_and_the_access_log(
    client, person, coach, django_assert_max_num_queries
):
    # The coach opens the file: that read must show up in the person's access log.
    client.force_login(coach)
    assert client.get(reverse("web:client_detail", args=[person.pk])).status_code == 200
    extra = {
        "contact_persons": ExtraSection(
            title="Uw klantregisseurs",
            columns={"contact_person": "Naam"},
            rows=[{"contact_person": "Coach Eén"}],
        )
    }
    # A fixed number of queries, however long the history or the access log.
    with django_assert_max_num_queries(8):
        data = subject_access_export(client=person, extra_sections=extra)

    personal = data["personal_data"]
    assert personal["bsn"] == person.bsn_plain  # the person's own data: in full
    assert (personal["first_names"], personal["name_prefix"], personal["surname"]) == (
        "Fatima",
        "van den",
        "Berg",
    )
    assert personal["date_of_birth"] == person.date_of_birth.isoformat()
    assert personal["languages"] == ["nl", "ar"]
    assert personal["country_of_birth"] == "MA"
    assert personal["email"] == "fatima@example.org"

    (household,) = data["households"]
    assert household["reference"] == person.household.reference
    # The partner by name and role only: not their BSN, birth date or contact details.
    (other,) = household["other_members"]
    assert set(other) == {"name", "role", "role_label", "start_date", "end_date"}
    assert other["name"] == "Karim Berg"
    assert other["role"] == HouseholdRole.PARTNER

    assert data["addresses"][0]["street"] == "Hoefkade"
    assert data["benefit_periods"]
    assert data["consents"][0]["organisation"] == "Schuldhulp Haaglanden"
    assert data["contact_persons"] == [{"contact_person": "Coach Eén"}]
    (read,) = data["access_log"]
    assert (read["by"], read["action"], read["purpose"], read["result"]) == (
        "coach",
        "clients.client.read",
        "casework",
        "allowed",
    )
    # JSON-serialisable as it is: ISO dates, no objects.
    assert json.loads(json.dumps(data)) == data
    assert json.loads(subject_access_export_json(client=person))["format"] == "meedoen.inzage.v1"


@pytest.mark.django_db
def test_pdf_is_tagged_accessible_and_readable(person):
    pdf = subject_access_export_pdf(client=person)
    assert pdf.startswith(b"%PDF")
    # Tagged (structure tree) with a document language: PDF/UA-1. The catalogue may sit in a
    # compressed object stream, so look in the inflated streams too.
    objects = pdf_inflated(pdf)
    assert b"/StructTreeRoot" in objects
    assert b"/Lang (nl)" in objects or b"/Lang(nl)" in objects
    assert b"/MarkInfo" in objects
    # Fonts carry a ToUnicode map: text can be extracted and read aloud.
    assert b"/ToUnicode" in objects
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: text extraction not checked")
    text = subprocess.run(  # noqa: S603
        [PDFTOTEXT, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Uw gegevens bij de gemeente" in text
    assert person.bsn_plain in text
    assert "Wie heeft uw dossier bekeken?" in text


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["json", "pdf"])
def test_coach_downloads_the_export_and_it_is_audited(client, coach, person, file_format):
    client.force_login(coach)
    response = client.post(casework_url(person, file_format))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert "no-store" in response["Cache-Control"]
    if file_format == "json":
        assert json.loads(response.content)["personal_data"]["bsn"] == person.bsn_plain
        # The contact person comes from caseload, added by the web layer.
        assert json.loads(response.content)["contact_persons"][0]["contact_person"] == "coach"
    else:
        assert response.content.startswith(b"%PDF")
    export = AuditEvent.objects.get(action="privacy.subject_access.export")
    assert export.subject_pseudonym == subject_pseudonym(person.pk)
    assert export.purpose == "subject_access"
    assert export.detail["format"] == file_format
    assert person.bsn_plain not in json.dumps(export.detail)


@pytest.mark.django_db
def test_export_is_post_only(client, coach, person):
    client.force_login(coach)
    assert client.get(casework_url(person)).status_code == 405
    assert not AuditEvent.objects.filter(action="privacy.subject_access.export").exists()


@pytest.mark.django_db
def test_unknown_format_is_not_found(client, coach, person):
    client.force_login(coach)
    assert client.post(casework_url(person, "xml")).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["other_team_coach", "analyst", "functional_admin"])
def test_who_may_not_see_the_client_gets_404(request, client, person, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.post(casework_url(person)).status_code == 404
    assert client.post(officer_url(person)).status_code == 404
    assert not AuditEvent.objects.filter(action="privacy.subject_access.export").exists()
    denied = AuditEvent.objects.filter(action="clients.client.read", result="denied")
    assert denied.count() == 1  # the casework door audits the attempt


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["json", "pdf"])
def test_privacy_officer_exports_a_client_of_their_municipality(
    client, privacy_officer, person, file_format
):
    client.force_login(privacy_officer)
    # Not through the casework door: the officer sees no casework.
    assert client.post(casework_url(person, file_format)).status_code == 404
    response = client.post(officer_url(person, file_format))
    assert response.status_code == 200
    if file_format == "json":
        assert json.loads(response.content)["personal_data"]["bsn"] == person.bsn_plain
    read = AuditEvent.objects.get(action="clients.client.read", result="allowed")
    assert read.purpose == "subject_access"
    export = AuditEvent.objects.get(action="privacy.subject_access.export")
    assert export.actor_role == "privacy_officer"
    assert export.detail["format"] == file_format


@pytest.mark.django_db
def test_privacy_officer_cannot_export_another_municipality(
    client, privacy_officer, other_municipality
):
    stranger = ClientFactory(other_municipality)()
    client.force_login(privacy_officer)
    assert client.post(officer_url(stranger)).status_code == 404
    assert not AuditEvent.objects.filter(action="privacy.subject_access.export").exists()


@pytest.mark.django_db
def test_buttons_on_the_client_page_and_the_officers_log_page(
    client, coach, privacy_officer, person
):
    client.force_login(coach)
    page = client.get(reverse("web:client_detail", args=[person.pk])).content.decode()
    assert casework_url(person, "json") in page
    assert casework_url(person, "pdf") in page
    assert "Inzageverzoek: PDF" in page
    client.force_login(privacy_officer)
    page = client.get(reverse("web:audit_client_log", args=[person.pk])).content.decode()
    assert officer_url(person, "json") in page
    assert officer_url(person, "pdf") in page
