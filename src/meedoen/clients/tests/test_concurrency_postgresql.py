"""Real concurrent writers on PostgreSQL: two connections, two transactions, row locks.

On SQLite every write transaction holds the whole database (IMMEDIATE mode), so writers cannot
interleave there and these tests are skipped.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import F

from meedoen.accounts.models import Municipality
from meedoen.audit.services import Origin
from meedoen.clients.models import Client
from meedoen.clients.services import client_contact_update
from meedoen.core.concurrency import ConflictError, versioned_update

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="only PostgreSQL runs writers concurrently"
    ),
]

ORIGIN = Origin(channel="test")
BLOCKED = 0.5  # seconds a waiting writer must still be waiting


class Writer(threading.Thread):
    """Runs `work` on its own database connection; keeps its result or exception."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self.work = work
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.work()
        except BaseException as exc:
            self.error = exc
        finally:
            connection.close()


def _holding(hold: threading.Event, work: Callable[[], None]) -> Callable[[], None]:
    """A transaction that does `work` and then waits for `hold` before it commits."""

    def run() -> None:
        with transaction.atomic():
            work()
            hold.wait(10)

    return run


def test_two_edits_of_the_same_version_at_the_same_time(coach, team_lead, client_factory):
    client = client_factory(phone="06 11111111")
    first_read = Client.objects.get(pk=client.pk)
    second_read = Client.objects.get(pk=client.pk)
    release = threading.Event()
    first = Writer(
        _holding(
            release,
            lambda: versioned_update(
                first_read, expected_version=1, values={"phone": "06 22222222"}
            ),
        )
    )
    first.start()
    time.sleep(0.2)  # the first holds the row lock, uncommitted
    second = Writer(
        lambda: client_contact_update(
            actor=coach,
            client=second_read,
            expected_version=1,
            origin=ORIGIN,
            phone="06 33333333",
        )
    )
    second.start()
    second.join(BLOCKED)
    assert second.is_alive(), "the second UPDATE should wait for the first one's row lock"
    release.set()
    first.join(10)
    second.join(10)
    assert first.error is None
    # It re-checked "version = 1" against the committed row: no row, a conflict.
    assert isinstance(second.error, ConflictError)
    assert second.error.current_version == 2
    assert Client.objects.values_list("phone", "version").get(pk=client.pk) == ("06 22222222", 2)


def test_an_edit_waits_for_an_import_and_then_gets_a_conflict(coach, municipality, client_factory):
    """The import locks the municipality before it reads the registry. An edit waits for that
    lock, so it cannot slip in between the import's read and its write (and be undone by it)."""
    client = client_factory(phone="06 11111111")
    shown = Client.objects.get(pk=client.pk)  # the edit form was opened at version 1
    read_done, release = threading.Event(), threading.Event()

    def importing() -> None:
        with transaction.atomic():
            Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
            list(Client.objects.filter(municipality=municipality).values("id", "phone"))
            read_done.set()
            release.wait(10)
            # The import's write, as bulk.BulkWriter.update does it: version + 1.
            Client.objects.filter(pk=client.pk).update(surname="Nieuw", version=F("version") + 1)

    importer = Writer(importing)
    importer.start()
    assert read_done.wait(10)
    edit = Writer(
        lambda: client_contact_update(
            actor=coach, client=shown, expected_version=1, origin=ORIGIN, phone="06 33333333"
        )
    )
    edit.start()
    edit.join(BLOCKED)
    # No row of the client is locked yet: the edit waits for the municipality lock.
    assert edit.is_alive(), "the edit should wait while an import holds the municipality"
    release.set()
    importer.join(10)
    edit.join(10)
    assert importer.error is None
    assert isinstance(edit.error, ConflictError)
    assert Client.objects.values_list("phone", "surname", "version").get(pk=client.pk) == (
        "06 11111111",
        "Nieuw",
        2,
    )
