"""The import and staff edits of the same clients: versions and contact details.

- Every client the import changes gets version + 1 in the bulk UPDATE, so an edit opened before
  the import meets a conflict instead of undoing it.
- A contact detail a coach corrected stays while deliveries keep sending the value the
  administration had before; news from the administration overwrites it; an empty cell never
  blanks it (docs/development/import.md).
"""

from __future__ import annotations

import pytest

from meedoen.audit.services import Origin
from meedoen.caseload.tests.factories import assign
from meedoen.clients.models import Client
from meedoen.clients.services import client_contact_update
from meedoen.core.concurrency import ConflictError
from meedoen.dataexchange.tests.delivery import person
from meedoen.privacy.subject_access import subject_access_export

pytestmark = pytest.mark.django_db


def _client(n: int) -> Client:
    return Client.objects.get(client_number=f"K{n:07d}")


def _contact(n: int) -> tuple:
    return Client.objects.values_list(
        "phone",
        "email",
        "languages",
        "delivered_phone",
        "delivered_email",
        "delivered_languages",
        "version",
    ).get(client_number=f"K{n:07d}")


def _coach_edit(coach, n: int, **values) -> None:
    client = _client(n)
    client_contact_update(
        actor=coach,
        client=client,
        expected_version=client.version,
        origin=Origin(channel="test"),
        **values,
    )


def test_new_clients_start_at_version_1_with_what_was_delivered(run_import):
    run_import([person(1, telefoon="06 11111111", email="a@example.nl", talen="nl ar")])
    assert _contact(1) == (
        "06 11111111",
        "a@example.nl",
        ["nl", "ar"],
        "06 11111111",
        "a@example.nl",
        ["nl", "ar"],
        1,
    )


def test_the_import_bumps_the_version_of_every_client_it_changes_and_only_those(run_import):
    run_import([person(1), person(2), person(3)])
    run = run_import([person(1, achternaam="Anders"), person(2), person(3, bsn=person(4)["bsn"])])
    assert run.status == "applied"
    assert (run.changed_count, run.unchanged_count) == (2, 1)
    assert _client(1).version == 2  # a name
    assert _client(2).version == 1  # nothing
    assert _client(3).version > 1  # a corrected BSN
    # The same file again: nothing changes, not even the version.
    run_import([person(1, achternaam="Anders"), person(2), person(3, bsn=person(4)["bsn"])])
    assert [_client(n).version for n in (1, 2)] == [2, 1]


def test_an_edit_opened_before_an_import_gets_a_conflict(run_import, coach):
    run_import([person(1, telefoon="06 11111111")])
    assign(household=_client(1).household, coach=coach)
    shown = _client(1)  # the form shows version 1
    run_import([person(1, telefoon="06 11111111", achternaam="Anders")])
    with pytest.raises(ConflictError):
        client_contact_update(
            actor=coach,
            client=shown,
            expected_version=1,
            origin=Origin(channel="test"),
            phone="06 33333333",
        )
    assert _contact(1)[0] == "06 11111111"


def test_a_coach_correction_survives_deliveries_with_the_old_value(run_import, coach):
    row = person(1, telefoon="06 11111111", email="oud@example.nl", talen="nl")
    run_import([row])
    assign(household=_client(1).household, coach=coach)
    _coach_edit(coach, 1, phone="06 22222222", email="nieuw@example.nl", languages=["nl", "ar"])
    run = run_import([row])  # the administration still has the old values
    assert (run.changed_count, run.unchanged_count) == (0, 1)
    assert _contact(1) == (
        "06 22222222",
        "nieuw@example.nl",
        ["nl", "ar"],
        "06 11111111",
        "oud@example.nl",
        ["nl"],
        2,  # the coach's edit; the import wrote nothing
    )
    # Both are data held about the person: the access request shows them.
    personal = subject_access_export(client=_client(1))["personal_data"]
    assert personal["phone"] == "06 22222222"
    assert personal["contact_corrected"] is True
    assert personal["contact_as_delivered"] == {
        "email": "oud@example.nl",
        "phone": "06 11111111",
        "languages": ["nl"],
        "languages_label": ["Nederlands"],
    }


def test_news_from_the_administration_overwrites_a_correction(run_import, coach):
    run_import([person(1, telefoon="06 11111111", talen="nl")])
    assign(household=_client(1).household, coach=coach)
    _coach_edit(coach, 1, phone="06 22222222", languages=["nl", "ar"])
    run = run_import([person(1, telefoon="06 44444444", talen="nl")])
    assert run.changed_count == 1
    assert run.changes["changed"][0]["fields"] == ["telefoon"]
    phone, _, languages, delivered_phone, _, _, version = _contact(1)
    assert (phone, delivered_phone) == ("06 44444444", "06 44444444")
    assert languages == ["nl", "ar"]  # no news about languages: the coach's list stays
    assert version == 3


def test_an_empty_cell_never_blanks_a_value(run_import):
    run_import([person(1, telefoon="06 11111111", email="a@example.nl", talen="nl")])
    run = run_import([person(1, telefoon="", email="", talen="")])
    # Only the bookkeeping of what was delivered changed: nothing anyone sees.
    assert (run.changed_count, run.unchanged_count) == (0, 1)
    assert _contact(1) == ("06 11111111", "a@example.nl", ["nl"], "", "", [], 2)
    # The value coming back afterwards is news again, and is taken.
    run_import([person(1, telefoon="06 55555555", email="a@example.nl", talen="nl")])
    assert _contact(1)[:3] == ("06 55555555", "a@example.nl", ["nl"])
