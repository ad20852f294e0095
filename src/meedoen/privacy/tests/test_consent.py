import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin, subject_pseudonym
from meedoen.privacy.constants import ConsentChannel, ConsentPurpose, DataCategory
from meedoen.privacy.models import Consent
from meedoen.privacy.services import consent_check, consent_give, consent_withdraw

ORIGIN = Origin(channel="test")


def give(actor, client, **overrides):
    kwargs = {
        "actor": actor,
        "client": client,
        "purpose": ConsentPurpose.PARTNER_SHARING,
        "data_categories": [DataCategory.CONTACT, DataCategory.PROFILE],
        "organisation": "Werkplein Haaglanden",
        "organisation_code": "WPH",
        "channel": ConsentChannel.CONVERSATION,
        "valid_until": None,
        "origin": ORIGIN,
    }
    kwargs.update(overrides)
    return consent_give(**kwargs)


def check(client, **overrides):
    kwargs = {
        "client": client,
        "purpose": ConsentPurpose.PARTNER_SHARING,
        "organisation": "WPH",
        "data_category": DataCategory.CONTACT,
    }
    kwargs.update(overrides)
    return consent_check(**kwargs)


@pytest.mark.django_db
def test_give_records_and_audits(coach, client_factory):
    client = client_factory()
    consent = give(coach, client)
    assert consent.recorded_by_name == coach.username
    event = AuditEvent.objects.get(action="privacy.consent.give")
    assert event.subject_pseudonym == subject_pseudonym(client.pk)
    assert event.object_id == str(consent.pk)
    assert check(client)
    assert check(client, organisation="werkplein haaglanden")
    assert not check(client, data_category=DataCategory.HEALTH)
    assert not check(client, purpose=ConsentPurpose.RESEARCH)
    assert not check(client, organisation="Andere organisatie")
    assert not check(client_factory())


@pytest.mark.django_db
def test_withdraw_is_effective_immediately(coach, client_factory):
    client = client_factory()
    consent = give(coach, client)
    before = timezone.now()
    consent_withdraw(actor=coach, consent=consent, channel=ConsentChannel.PHONE, origin=ORIGIN)
    assert not check(client)
    # Asked about a moment before the withdrawal, the answer is still yes.
    assert check(client, at=before)
    assert AuditEvent.objects.filter(action="privacy.consent.withdraw").count() == 1
    with pytest.raises(ValidationError, match="al ingetrokken"):
        consent_withdraw(actor=coach, consent=consent, channel=ConsentChannel.PHONE, origin=ORIGIN)


@pytest.mark.django_db
def test_expired_consent_does_not_count(coach, client_factory):
    client = client_factory()
    today = timezone.localdate()
    give(coach, client, valid_until=today)
    assert check(client)
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert not check(client, at=tomorrow)


@pytest.mark.django_db
def test_bad_input_is_refused_in_dutch_and_writes_nothing(coach, client_factory):
    client = client_factory()
    with pytest.raises(ValidationError) as info:
        give(
            coach,
            client,
            purpose="verkopen",
            data_categories=["schoenmaat"],
            organisation=" ",
            channel="duif",
            valid_until=dt.date(2000, 1, 1),
        )
    errors = info.value.message_dict
    assert set(errors) == {"purpose", "data_categories", "organisation", "channel", "valid_until"}
    assert "schoenmaat" in errors["data_categories"][0]
    assert not Consent.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="privacy.").exists()


@pytest.mark.django_db
def test_page_lists_consents_and_records_and_withdraws(
    client, coach, client_factory, django_assert_max_num_queries
):
    person = client_factory()
    for n in range(3):
        give(coach, person, organisation=f"Organisatie {n}")
    client.force_login(coach)
    url = reverse("web:client_detail", kwargs={"client_id": person.pk})
    with django_assert_max_num_queries(20):
        page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Toestemmingen" in html
    assert "Organisatie 2" in html

    give_url = reverse("web:consent_give", kwargs={"client_id": person.pk})
    response = client.post(
        give_url,
        {
            "purpose": "onderzoek",
            "data_categories": ["contact", "schulden"],
            "organisation": "Hogeschool",
            "channel": "papier",
            "valid_until": "",
        },
    )
    assert response.status_code == 303
    consent = Consent.objects.get(organisation_name="Hogeschool")
    assert consent.data_categories == ["contact", "schulden"]

    response = client.post(give_url, {"purpose": "onderzoek", "channel": "papier"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Kies ten minste één soort gegevens." in html
    assert "Vul de naam van de organisatie in." in html

    withdraw_url = reverse("web:consent_withdraw", kwargs={"client_id": person.pk})
    response = client.post(withdraw_url, {"consent": str(consent.pk), "channel": "telefoon"})
    assert response.status_code == 303
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert consent.withdrawn_channel == "telefoon"
    assert "ingetrokken" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_withdraw_of_another_clients_consent_is_refused(client, coach, client_factory):
    mine, other = client_factory(), client_factory()
    consent = give(coach, other)
    client.force_login(coach)
    url = reverse("web:consent_withdraw", kwargs={"client_id": mine.pk})
    response = client.post(url, {"consent": str(consent.pk), "channel": "telefoon"}, follow=True)
    assert "niet gevonden" in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
