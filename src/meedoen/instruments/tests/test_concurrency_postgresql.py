"""Two coaches enrol at the same moment for the last place: the instrument row lock decides.

Skipped on SQLite, where write transactions cannot interleave.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from meedoen.audit.services import Origin
from meedoen.clients.tests.test_concurrency_postgresql import Writer, _holding
from meedoen.instruments.constants import EnrolmentStatus as S
from meedoen.instruments.inputs import EnrolmentRequestInput
from meedoen.instruments.models import Enrolment
from meedoen.instruments.services import enrolment_request
from meedoen.instruments.tests.factories import instrument_factory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="only PostgreSQL runs writers concurrently"
    ),
]

ORIGIN = Origin(channel="test")


def test_two_requests_for_the_last_place(coach, colleague, client_factory, municipality):
    instrument = instrument_factory(municipality, capacity=1)
    mine, theirs = client_factory(), client_factory(coach=colleague)

    def enrol(actor, client):
        return lambda: enrolment_request(
            actor=actor,
            client=client,
            instrument=instrument,
            data=EnrolmentRequestInput(),
            origin=ORIGIN,
        )

    release = threading.Event()
    first = Writer(_holding(release, enrol(coach, mine)))
    first.start()
    time.sleep(0.2)  # the first holds the instrument lock, uncommitted
    second = Writer(enrol(colleague, theirs))
    second.start()
    time.sleep(0.5)
    assert second.is_alive(), "the second request must wait for the instrument lock"
    release.set()
    first.join(10)
    second.join(10)
    assert first.error is None
    assert second.error is None
    statuses = dict(Enrolment.objects.values_list("client_id", "status"))
    assert statuses == {mine.pk: S.REQUESTED, theirs.pk: S.WAITING}
