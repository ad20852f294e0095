"""The partner services: registry, involvements, sharing under consent; the selectors; erasure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.clients.models import Client
from meedoen.core.concurrency import ConflictError
from meedoen.partners import selectors
from meedoen.partners.models import InformationShare, Involvement, Organisation
from meedoen.partners.services import (
    NotAllowed,
    information_share_record,
    involvement_add,
    involvement_end,
    involvement_update,
    organisation_create,
    organisation_update,
    person_create,
    person_update,
)
from meedoen.privacy.constants import ConsentChannel, ConsentPurpose, DataCategory
from meedoen.privacy.models import Consent
from meedoen.privacy.services import consent_give, consent_withdraw
from meedoen.privacy.subject_access import subject_access_export_json

ORIGIN = Origin(channel="test")
TODAY = timezone.localdate


def org_data(**overrides):
    data = {"name": "Schuldhulp Haaglanden", "kind": "debt_counselling", "code": "shh"}
    data.update(overrides)
    return data


@pytest.fixture
def organisation(functional_admin):
    return organisation_create(actor=functional_admin, data=org_data(), origin=ORIGIN)


@pytest.fixture
def person(functional_admin, organisation):
    return person_create(
        actor=functional_admin,
        organisation=organisation,
        data={"name": "Sanne de Wit", "job_title": "Schuldhulpverlener"},
        origin=ORIGIN,
    )


@pytest.fixture
def family(client_factory):
    main = client_factory(first_names="Fatima", surname="Berg")
    partner = client_factory(household=main.household, first_names="Karim", surname="Berg")
    return main, partner


def add(actor, household, organisation, **data):
    values = {"topic": "debts", "start_date": TODAY() - dt.timedelta(days=10)}
    values.update(data)
    return involvement_add(
        actor=actor, household=household, organisation=organisation, data=values, origin=ORIGIN
    )


def give(actor, client, registered=None, **overrides):
    kwargs = {
        "actor": actor,
        "client": client,
        "purpose": ConsentPurpose.PARTNER_SHARING,
        "data_categories": [DataCategory.CONTACT, DataCategory.DEBTS],
        "organisation": registered.name if registered else "Elders",
        "organisation_code": "",
        "channel": ConsentChannel.CONVERSATION,
        "valid_until": None,
        "origin": ORIGIN,
        "organisation_id": registered.pk if registered else None,
    }
    kwargs.update(overrides)
    return consent_give(**kwargs)


def share(actor, involvement, client, categories=("contact",)):
    return information_share_record(
        actor=actor,
        involvement=involvement,
        client=client,
        data_categories=list(categories),
        summary="Adres en telefoonnummer",
        origin=ORIGIN,
    )


# Registry ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_registry_managed_by_admin_and_team_lead_read_by_coaches(
    functional_admin, team_lead, coach, analyst, privacy_officer, other_municipality_coach
):
    org = organisation_create(actor=functional_admin, data=org_data(), origin=ORIGIN)
    assert org.code == "SHH"
    assert org.version == 1
    assert AuditEvent.objects.filter(action="partners.organisation.create").count() == 1
    organisation_create(
        actor=team_lead,
        data=org_data(name="GGZ Kust", kind="mental_health", code=""),
        origin=ORIGIN,
    )
    for actor in (coach, analyst, privacy_officer):
        with pytest.raises(NotAllowed):
            organisation_create(actor=actor, data=org_data(name="X"), origin=ORIGIN)
    assert set(selectors.organisations_visible_to(actor=coach).values_list("name", flat=True)) == {
        "Schuldhulp Haaglanden",
        "GGZ Kust",
    }
    assert not selectors.organisations_visible_to(actor=analyst).exists()
    assert not selectors.organisations_visible_to(actor=other_municipality_coach).exists()
    with pytest.raises(selectors.OrganisationNotVisible):
        selectors.organisation_get_for_actor(actor=other_municipality_coach, organisation_id=org.pk)


@pytest.mark.django_db
def test_registry_validation_in_dutch_per_field(functional_admin, organisation):
    with pytest.raises(ValidationError) as error:
        organisation_create(
            actor=functional_admin,
            data={
                "name": "schuldhulp haaglanden",
                "kind": "nope",
                "code": "SHH",
                "email": "x@",
                "website": "geen url",
            },
            origin=ORIGIN,
        )
    errors = error.value.message_dict
    assert set(errors) == {"name", "kind", "code", "email", "website"}
    assert "al een organisatie met deze naam" in errors["name"][0]
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
def test_organisation_update_versioned_and_audited(
    functional_admin, organisation, other_municipality_coach
):
    changed = organisation_update(
        actor=functional_admin,
        organisation=organisation,
        expected_version=1,
        data={"phone": "070 123 45 67", "is_active": False},
        origin=ORIGIN,
    )
    assert changed == ["is_active", "phone"]
    assert Organisation.objects.get().version == 2
    event = AuditEvent.objects.get(action="partners.organisation.update")
    assert event.detail["fields"] == ["is_active", "phone"]
    with pytest.raises(ConflictError):
        organisation_update(
            actor=functional_admin,
            organisation=Organisation.objects.get(),
            expected_version=1,
            data={"phone": "06"},
            origin=ORIGIN,
        )
    # Saving what is there writes nothing.
    fresh = Organisation.objects.get()
    assert (
        organisation_update(
            actor=functional_admin, organisation=fresh, expected_version=2, data={}, origin=ORIGIN
        )
        == []
    )
    with pytest.raises(NotAllowed):
        organisation_update(
            actor=other_municipality_coach,
            organisation=fresh,
            expected_version=2,
            data={"phone": "1"},
            origin=ORIGIN,
        )


@pytest.mark.django_db
def test_person_create_update(functional_admin, person):
    assert AuditEvent.objects.filter(action="partners.person.create").count() == 1
    with pytest.raises(ValidationError) as error:
        person_update(
            actor=functional_admin,
            person=person,
            expected_version=1,
            data={"name": " ", "email": "nee"},
            origin=ORIGIN,
        )
    assert set(error.value.message_dict) == {"name", "email"}
    assert person_update(
        actor=functional_admin,
        person=person,
        expected_version=1,
        data={"phone": "06 1234 5678"},
        origin=ORIGIN,
    ) == ["phone"]
    assert AuditEvent.objects.filter(action="partners.person.update").count() == 1


# Involvements -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_involvement_add_checks_member_person_organisation(
    coach, functional_admin, organisation, person, family, client_factory, other_municipality
):
    main, partner = family
    household = main.household
    stranger = client_factory()
    other_org = organisation_create(
        actor=functional_admin,
        data=org_data(name="GGZ Kust", kind="mental_health", code=""),
        origin=ORIGIN,
    )
    with pytest.raises(ValidationError) as error:
        add(
            coach,
            household,
            organisation,
            client=stranger,
            person=person_create(
                actor=functional_admin, organisation=other_org, data={"name": "Jan"}, origin=ORIGIN
            ),
            topic="x",
            start_date=TODAY() + dt.timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"client", "person", "topic", "start_date"}
    foreign = Organisation.objects.create(
        municipality=other_municipality, name="Elders", kind="other"
    )
    with pytest.raises(ValidationError) as error:
        add(coach, household, foreign)
    assert set(error.value.message_dict) == {"organisation"}
    assert not Involvement.objects.exists()

    involvement = add(coach, household, organisation, client=partner, person=person)
    assert involvement.recorded_by == coach
    event = AuditEvent.objects.get(action="partners.involvement.create")
    assert event.detail["organisation"] == str(organisation.pk)


@pytest.mark.django_db
def test_involvement_add_refuses_roles_outside_casework(functional_admin, organisation, family):
    with pytest.raises(NotAllowed):
        add(functional_admin, family[0].household, organisation)


@pytest.mark.django_db
def test_involvement_update_and_end(coach, organisation, family):
    involvement = add(coach, family[0].household, organisation)
    assert involvement_update(
        actor=coach,
        involvement=involvement,
        expected_version=1,
        data={"topic": "housing"},
        origin=ORIGIN,
    ) == ["topic"]
    with pytest.raises(ConflictError):
        involvement_end(
            actor=coach,
            involvement=Involvement.objects.get(),
            expected_version=1,
            end_date=TODAY(),
            origin=ORIGIN,
        )
    with pytest.raises(ValidationError) as error:
        involvement_end(
            actor=coach,
            involvement=Involvement.objects.get(),
            expected_version=2,
            end_date=TODAY() - dt.timedelta(days=30),
            origin=ORIGIN,
        )
    assert "voor de begindatum" in error.value.message_dict["end_date"][0]
    involvement_end(
        actor=coach,
        involvement=Involvement.objects.get(),
        expected_version=2,
        end_date=TODAY(),
        origin=ORIGIN,
    )
    assert Involvement.objects.get().end_date == TODAY()
    assert AuditEvent.objects.filter(action="partners.involvement.end").count() == 1
    assert selectors.household_involvements(family[0].household) == []


# Sharing ----------------------------------------------------------------------------------------


def _refused_rows():
    return AuditEvent.objects.filter(action="partners.share.refused", result=Result.DENIED).count()


@pytest.mark.django_db
def test_share_refused_without_consent_and_audited(coach, organisation, family):
    main, _partner = family
    involvement = add(coach, main.household, organisation)
    with pytest.raises(ValidationError) as error:
        share(coach, involvement, main)
    assert "geen geldige toestemming" in error.value.message_dict["consent"][0]
    assert _refused_rows() == 1
    assert not InformationShare.objects.exists()
    # Consent for another organisation, or by name only, does not count.
    give(coach, main, None, organisation=organisation.name)
    with pytest.raises(ValidationError):
        share(coach, involvement, main)
    assert _refused_rows() == 2


@pytest.mark.django_db
def test_share_with_consent_by_registry_entry_or_code(coach, organisation, family):
    main, partner = family
    involvement = add(coach, main.household, organisation)
    consent = give(coach, main, organisation)
    assert consent.organisation_id == organisation.pk
    record = share(coach, involvement, main, categories=("contact", "schulden"))
    assert record.consent == consent
    event = AuditEvent.objects.get(action="partners.share.create")
    assert event.detail["data_categories"] == ["contact", "schulden"]
    assert event.detail["organisation"] == str(organisation.pk)
    assert "Adres" not in str(event.detail)  # never the summary
    # A category the consent does not cover is refused.
    with pytest.raises(ValidationError):
        share(coach, involvement, main, categories=("contact", "gezondheid"))
    # The partner consented by the organisation's code (a consent from before the registry).
    give(coach, partner, None, organisation="SHH (oud)", organisation_code="shh")
    assert share(coach, involvement, partner).client == partner


@pytest.mark.django_db
def test_share_refused_after_withdrawal_or_expiry(coach, organisation, family):
    main, partner = family
    involvement = add(coach, main.household, organisation)
    consent = give(coach, main, organisation)
    consent_withdraw(actor=coach, consent=consent, channel=ConsentChannel.PHONE, origin=ORIGIN)
    with pytest.raises(ValidationError):
        share(coach, involvement, main)
    expired = give(coach, partner, organisation)
    Consent.objects.filter(pk=expired.pk).update(valid_until=TODAY() - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        share(coach, involvement, partner)
    assert _refused_rows() == 2
    assert not InformationShare.objects.exists()


@pytest.mark.django_db
def test_share_validation(coach, organisation, family, client_factory):
    main, _ = family
    involvement = add(coach, main.household, organisation)
    with pytest.raises(ValidationError) as error:
        information_share_record(
            actor=coach,
            involvement=involvement,
            client=client_factory(),
            data_categories=[],
            summary=" ",
            origin=ORIGIN,
        )
    assert set(error.value.message_dict) == {"client", "data_categories", "summary"}
    assert _refused_rows() == 0


# Selector ---------------------------------------------------------------------------------------


def _queries(household):
    with CaptureQueriesContext(connection) as ctx:
        rows = selectors.household_involvements(household)
        for row in rows:
            for member in row.sharing:
                _ = (member.allowed, member.client.full_name, row.involvement.person)
                _ = row.involvement.organisation.name, row.involvement.client
    return len(ctx.captured_queries), rows


@pytest.mark.django_db
def test_household_involvements_constant_queries(
    coach, functional_admin, organisation, person, family
):
    main, partner = family
    household = main.household
    add(coach, household, organisation, person=person, client=main)
    give(coach, main, organisation)
    one, rows = _queries(household)
    assert [m.categories for m in rows[0].sharing] == [["contact", "schulden"], []] or [
        m.categories for m in rows[0].sharing
    ] == [[], ["contact", "schulden"]]
    for n in range(9):
        org = organisation_create(
            actor=functional_admin, data=org_data(name=f"Org {n}", code=""), origin=ORIGIN
        )
        add(coach, household, org, person=None, client=partner)
        give(coach, partner, org)
    ten, rows = _queries(household)
    assert len(rows) == 10
    assert one == ten == 3


@pytest.mark.django_db
def test_registry_list_constant_queries(coach, functional_admin, family):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            list(selectors.organisation_list(actor=coach))
        return len(ctx.captured_queries)

    organisation_create(actor=functional_admin, data=org_data(), origin=ORIGIN)
    one = count()
    for n in range(20):
        org = organisation_create(
            actor=functional_admin, data=org_data(name=f"Org {n}", code=""), origin=ORIGIN
        )
        person_create(actor=functional_admin, organisation=org, data={"name": "P"}, origin=ORIGIN)
        add(coach, family[0].household, org)
    assert count() == one == 1
    assert {o.household_count for o in selectors.organisation_list(actor=coach, query="Org")} == {1}


# Subject access and erasure ---------------------------------------------------------------------


@pytest.mark.django_db
def test_subject_access_and_erasure(coach, organisation, family):
    import json

    from meedoen.privacy.services import _client_erase

    main, partner = family
    involvement = add(coach, main.household, organisation, client=main)
    add(coach, main.household, organisation, client=partner, topic="housing")
    give(coach, main, organisation)
    share(coach, involvement, main)
    export = json.loads(subject_access_export_json(client=main))
    assert [row["topic"] for row in export["partner_involvements"]] == ["Schulden"]
    assert export["partner_shares"][0]["summary"] == "Adres en telefoonnummer"

    counts = _client_erase(client=Client.objects.get(pk=main.pk))
    assert counts["partners.informationshare"] == 1
    assert counts["partners.involvement"] == 1
    assert counts["consents"] == 1
    assert not InformationShare.objects.exists()
    assert Involvement.objects.get().client == partner
    assert not Consent.objects.filter(client_id=main.pk).exists()
