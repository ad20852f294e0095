import datetime as dt
import io

import pytest
from django.core.management import call_command

from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin, audit_record, subject_pseudonym
from meedoen.audit.verification import audit_chain_verify
from meedoen.clients.models import (
    Address,
    BenefitPeriod,
    Client,
    Household,
    HouseholdMembership,
)
from meedoen.privacy.constants import ConsentChannel, ConsentPurpose, DataCategory
from meedoen.privacy.models import Consent, ErasureRecord
from meedoen.privacy.services import consent_give, retention_run

TODAY = dt.date(2026, 6, 1)
ORIGIN = Origin(channel="test", ip_address="10.1.2.3", user_agent="Testbrowser")


def leave(client, *, ended: dt.date) -> Client:
    """The client's benefit ended on `ended` and they left their household then."""
    BenefitPeriod.objects.filter(client=client).update(end_date=ended, end_reason="werk")
    HouseholdMembership.objects.filter(client=client).update(end_date=ended)
    Client.objects.filter(pk=client.pk).update(household=None)
    client.refresh_from_db()
    return client


def snapshot():
    return (
        Client.objects.count(),
        Household.objects.count(),
        Address.objects.count(),
        Consent.objects.count(),
        ErasureRecord.objects.count(),
        AuditEvent.objects.count(),
        AuditEvent.objects.filter(redacted_at__isnull=False).count(),
    )


@pytest.fixture
def expired(coach, client_factory):
    client = client_factory()
    consent_give(
        actor=coach,
        client=client,
        purpose=ConsentPurpose.RESEARCH,
        data_categories=[DataCategory.CONTACT],
        organisation="Hogeschool",
        channel=ConsentChannel.PAPER,
        valid_until=None,
        origin=ORIGIN,
    )
    audit_record(
        actor=coach, action="clients.client.read", origin=ORIGIN, obj=client, subject_id=client.pk
    )
    return leave(client, ended=dt.date(2019, 5, 31))


@pytest.mark.django_db
def test_dry_run_writes_nothing(expired):
    before = snapshot()
    report = retention_run(dry_run=True, today=TODAY)
    assert [item.pseudonym for item in report.items] == [subject_pseudonym(expired.pk)]
    assert report.items[0].counts["consents"] == 1
    assert snapshot() == before


@pytest.mark.django_db
def test_expired_client_erased_with_receipt_and_redacted_audit(
    expired, client_factory, municipality
):
    kept = client_factory()
    pseudonym = subject_pseudonym(expired.pk)
    household_id = expired.memberships.get().household_id

    report = retention_run(dry_run=False, today=TODAY)

    assert len(report.items) == 1
    assert not Client.objects.filter(pk=expired.pk).exists()
    assert not Consent.objects.filter(client_id=expired.pk).exists()
    assert not Household.objects.filter(pk=household_id).exists()
    assert Client.objects.filter(pk=kept.pk).exists()
    record = ErasureRecord.objects.get()
    assert record.subject_pseudonym == pseudonym
    assert record.rule == "client_file_7y"
    assert record.counts["benefit_periods"] == 1
    assert record.counts["households"] == 1
    assert record.export["bytes"] > 0
    assert record.export["kept"] is False
    assert record.audit_rows_redacted >= 2
    # The receipt holds no personal data of the client.
    stored = str(record.counts) + str(record.export) + record.subject_pseudonym
    for personal in (expired.surname, expired.first_names, expired.client_number):
        assert personal not in stored
    rows = AuditEvent.objects.filter(subject_pseudonym=pseudonym)
    redacted = rows.filter(redacted_at__isnull=False)
    assert redacted.count() == record.audit_rows_redacted
    assert all(r.ip_address is None and r.user_agent == "" for r in redacted)
    assert rows.filter(action="privacy.client.erase").count() == 1
    assert audit_chain_verify(municipality_code=municipality.code).intact
    # Running again finds nothing more to do.
    assert retention_run(dry_run=False, today=TODAY).items == []


@pytest.mark.django_db
def test_not_expired_is_kept(client_factory):
    recent = leave(client_factory(), ended=dt.date(2020, 1, 1))
    assert retention_run(dry_run=False, today=TODAY).items == []
    assert Client.objects.filter(pk=recent.pk).exists()


@pytest.mark.django_db
def test_open_benefit_is_never_erased(client_factory):
    client = client_factory()
    # Long out of the household, but an open benefit period: never erased.
    HouseholdMembership.objects.filter(client=client).update(end_date=dt.date(2019, 6, 1))
    Client.objects.filter(pk=client.pk).update(household=None)
    BenefitPeriod.objects.create(
        client=client,
        benefit_type="alleenstaande",
        start_date=dt.date(2000, 1, 1),
        end_date=dt.date(2001, 1, 1),
    )
    assert retention_run(dry_run=False, today=dt.date(2100, 1, 1)).items == []
    assert Client.objects.filter(pk=client.pk).exists()


@pytest.mark.django_db
def test_client_in_a_household_is_kept(client_factory):
    client = client_factory()
    BenefitPeriod.objects.filter(client=client).update(end_date=dt.date(2019, 6, 1))
    assert retention_run(dry_run=False, today=dt.date(2100, 1, 1)).items == []
    assert Client.objects.filter(pk=client.pk).exists()


@pytest.mark.django_db
def test_shared_household_and_address_stay_for_the_others(client_factory):
    stayer = client_factory()
    leaver = client_factory(household=stayer.household, role="partner")
    leave(leaver, ended=dt.date(2019, 2, 1))
    retention_run(dry_run=False, today=TODAY)
    assert not Client.objects.filter(pk=leaver.pk).exists()
    assert Household.objects.filter(pk=stayer.household_id).exists()
    assert Address.objects.filter(pk=stayer.household.address_id).exists()


@pytest.mark.django_db
def test_command(expired):
    out = io.StringIO()
    call_command("retention_run", "--dry-run", "--today", "2026-06-01", stdout=out)
    assert "zouden worden verwijderd" in out.getvalue()
    assert Client.objects.filter(pk=expired.pk).exists()
    assert expired.surname not in out.getvalue()
    call_command("retention_run", "--today", "2026-06-01", stdout=out)
    assert not Client.objects.filter(pk=expired.pk).exists()


@pytest.mark.django_db
def test_expired_sessions_are_erased_and_live_ones_kept():
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    live, stale = SessionStore(), SessionStore()
    live["search"] = stale["search"] = "token"
    live.create()
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(
        expire_date=timezone.now() - dt.timedelta(minutes=1)
    )

    (dry,) = [s for s in retention_run(dry_run=True).sweeps if s.rule == "sessions_expired"]
    assert dry.total == 1
    assert Session.objects.count() == 2

    (done,) = [s for s in retention_run(dry_run=False).sweeps if s.rule == "sessions_expired"]
    assert done.total == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
