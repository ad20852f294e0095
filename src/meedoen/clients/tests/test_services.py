"""client_contact_update: the first staff edit, guarded by the client's version."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin, subject_pseudonym
from meedoen.clients.contact import PHONE_MESSAGE, email_clean, languages_clean, phone_clean
from meedoen.clients.models import Client
from meedoen.clients.services import client_contact_update
from meedoen.core.concurrency import ConflictError, versioned_update
from meedoen.core.iso import LANGUAGE_CODES

pytestmark = pytest.mark.django_db

ORIGIN = Origin(channel="test")


def _edit(coach, client, version, **values):
    return client_contact_update(
        actor=coach, client=client, expected_version=version, origin=ORIGIN, **values
    )


def _stored(client):
    return Client.objects.values("phone", "email", "languages", "version").get(pk=client.pk)


def test_an_edit_saves_bumps_the_version_and_audits_field_names_only(coach, client_factory):
    client = client_factory(phone="06 11111111", email="", languages=["nl"])
    before = client.updated_at
    changed = _edit(
        coach,
        client,
        1,
        phone="070 1234567",
        email="fatima@example.nl",
        languages=["nl", "ar"],
    )
    assert changed == ["email", "languages", "phone"]
    assert _stored(client) == {
        "phone": "070 1234567",
        "email": "fatima@example.nl",
        "languages": ["nl", "ar"],
        "version": 2,
    }
    assert client.version == 2
    assert Client.objects.get(pk=client.pk).updated_at > before
    (row,) = AuditEvent.objects.filter(action="clients.client.update")
    assert row.actor_name == "coach"
    assert row.result == "allowed"
    assert row.object_id == str(client.pk)
    assert row.subject_pseudonym == subject_pseudonym(client.pk)
    assert row.detail == {
        "channel": "test",
        "fields": ["email", "languages", "phone"],
        "version": 2,
    }
    text = str(row.detail) + row.purpose
    for value in ("070", "1234567", "11111111", "fatima", "example.nl", "ar"):
        assert value not in text


def test_fields_left_out_stay_and_an_unchanged_edit_writes_nothing(coach, client_factory):
    client = client_factory(phone="06 11111111", email="a@example.nl", languages=["nl"])
    assert _edit(coach, client, 1, email="b@example.nl") == ["email"]
    assert _stored(client)["phone"] == "06 11111111"
    assert _edit(coach, client, 2, phone="06 11111111", email="b@example.nl") == []
    assert _stored(client)["version"] == 2
    assert AuditEvent.objects.filter(action="clients.client.update").count() == 1


def test_emptying_a_field(coach, client_factory):
    client = client_factory(phone="06 11111111", languages=["nl", "ar"])
    _edit(coach, client, 1, phone="", languages=[])
    assert _stored(client) | {"version": None} == {
        "phone": "",
        "email": "",
        "languages": [],
        "version": None,
    }


def test_the_second_of_two_edits_of_the_same_version_gets_a_conflict(
    coach, team_lead, client_factory
):
    client = client_factory(phone="06 11111111")
    # Both opened the form at version 1: two copies of the same row.
    mine = Client.objects.get(pk=client.pk)
    theirs = Client.objects.get(pk=client.pk)
    _edit(team_lead, theirs, 1, phone="06 22222222")
    with pytest.raises(ConflictError) as conflict:
        _edit(coach, mine, 1, phone="06 33333333")
    assert conflict.value.current_version == 2
    assert _stored(client)["phone"] == "06 22222222"
    assert _stored(client)["version"] == 2
    rows = AuditEvent.objects.filter(action="clients.client.update")
    assert [row.actor_name for row in rows] == ["teamleider"]


def test_a_stale_form_on_a_fresh_read_still_conflicts(coach, client_factory):
    """The page showed version 1; the client was read again (version 2) when the form came back."""
    client = client_factory(phone="06 11111111")
    _edit(coach, client, 1, phone="06 22222222")
    fresh = Client.objects.get(pk=client.pk)
    with pytest.raises(ConflictError) as conflict:
        _edit(coach, fresh, 1, phone="06 33333333")
    assert (conflict.value.expected_version, conflict.value.current_version) == (1, 2)
    assert _stored(client)["phone"] == "06 22222222"


def test_the_guard_is_in_the_update_itself(coach, client_factory):
    """Between the read and the write someone else saved: the UPDATE … WHERE version matches
    no row, and nothing is written."""
    client = client_factory(phone="06 11111111")
    read_before = Client.objects.get(pk=client.pk)
    Client.objects.filter(pk=client.pk).update(phone="06 22222222", version=2)
    with pytest.raises(ConflictError) as conflict:
        _edit(coach, read_before, 1, phone="06 33333333")
    assert conflict.value.current_version == 2
    assert _stored(client)["phone"] == "06 22222222"
    assert not AuditEvent.objects.filter(action="clients.client.update").exists()


def test_bad_input_is_refused_per_field_in_dutch_and_nothing_is_written(coach, client_factory):
    client = client_factory(phone="06 11111111", email="a@example.nl")
    with pytest.raises(ValidationError) as invalid:
        _edit(coach, client, 1, phone="12345", email="geen-adres", languages=["nl", "xx"])
    errors = invalid.value.message_dict
    assert errors["phone"] == [str(PHONE_MESSAGE)]
    assert errors["email"] == ["Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl."]
    assert "Onbekende taalcode: xx" in errors["languages"][0]
    assert _stored(client) == {
        "phone": "06 11111111",
        "email": "a@example.nl",
        "languages": [],
        "version": 1,
    }
    assert not AuditEvent.objects.filter(action="clients.client.update").exists()


def test_versioned_update_keeps_updated_at_and_refuses_to_set_the_version(client_factory):
    client = client_factory()
    before = client.updated_at
    assert versioned_update(client, expected_version=1, values={"phone": "06 12345678"}) == 2
    assert Client.objects.get(pk=client.pk).updated_at > before
    with pytest.raises(ValueError, match="sets version itself"):
        versioned_update(client, expected_version=2, values={"version": 7})


def test_versioned_update_of_a_deleted_row(client_factory):
    client = client_factory()
    gone = Client.objects.get(pk=client.pk)
    Client.objects.filter(pk=client.pk).delete()
    with pytest.raises(ConflictError) as conflict:
        versioned_update(gone, expected_version=1, values={"phone": ""})
    assert conflict.value.current_version is None


# The checks of clients/contact.py ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0612345678", "0612345678"),
        ("06-12345678", "06-12345678"),
        ("  06  1234 5678 ", "06 1234 5678"),
        ("(070) 123 45 67", "(070) 123 45 67"),
        ("070-1234567", "070-1234567"),
        ("+31612345678", "+31612345678"),
        ("+31 6 12345678", "+31 6 12345678"),
        ("0031 6 12345678", "0031 6 12345678"),
        ("+32 2 123 45 67", "+32 2 123 45 67"),
        ("+212 6 12 34 56 78", "+212 6 12 34 56 78"),
        ("00212612345678", "00212612345678"),
        # Longer than the column as typed: kept as digits.
        ("+31 (0)6 - 12 34 56 78", "+31612345678"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_phone_numbers_that_are_accepted(typed, stored):
    assert phone_clean(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "12345",
        "612345678",  # Dutch without the leading 0
        "06123456789",  # 11 digits
        "061234567",  # 9 digits
        "+31 06 12345678",  # +31 with the trunk 0 written as a digit
        "+3161234567",  # +31 with 8 digits
        "+1234567",  # 7 digits
        "+1234567890123456",  # 16 digits
        "+0612345678",
        "06 1234 567a",
        "tel: 0612345678",
        "06++12345678",
        "+",
    ],
)
def test_phone_numbers_that_are_refused(typed):
    with pytest.raises(ValidationError) as invalid:
        phone_clean(typed)
    # One fixed message: what is expected, never the number typed.
    assert invalid.value.messages == [str(PHONE_MESSAGE)]


def test_email_check():
    assert email_clean("  naam@voorbeeld.nl ") == "naam@voorbeeld.nl"
    assert email_clean("") == ""
    for bad in ("naam", "naam@", "@voorbeeld.nl", "naam@voorbeeld", "a b@voorbeeld.nl"):
        with pytest.raises(ValidationError):
            email_clean(bad)
    with pytest.raises(ValidationError, match="te lang"):
        email_clean("a" * 250 + "@voorbeeld.nl")


def test_language_check():
    assert languages_clean([" NL", "ar", "nl", "pap", ""]) == ["nl", "ar", "pap"]
    with pytest.raises(ValidationError, match="Onbekende taalcode: qq, xx"):
        languages_clean(["nl", "qq", "xx"])
    twenty_one = sorted(LANGUAGE_CODES)[:21]
    with pytest.raises(ValidationError, match="hoogstens 20 talen"):
        languages_clean(twenty_one)
