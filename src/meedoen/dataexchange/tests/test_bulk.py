"""The bulk layer: ids, merging steps, the writer thread."""

from __future__ import annotations

import sys
import threading
import uuid

import pytest
from django.db import connection, transaction

from meedoen.accounts.models import Municipality
from meedoen.dataexchange.bulk import BulkWriter, Step, StepWriter, merge_steps


@pytest.mark.django_db
def test_new_ids_are_increasing_version_7_uuids():
    writer = BulkWriter(connection)
    ids = [writer.new_id() for _ in range(5000)]
    parsed = [uuid.UUID(i) for i in ids]
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in parsed)
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_merge_steps_keeps_the_order_of_an_import():
    a1 = Step(0, "insert", Municipality, ("id",), [(1,)])
    b1 = Step(3, "update", Municipality, ("name",), [(1, "x")])
    a2 = Step(0, "insert", Municipality, ("id",), [(2,)])
    c2 = Step(1, "insert", Municipality, ("id",), [(3,)])
    merged = merge_steps([[a1, b1], [a2, c2]])
    assert [(s.order, s.rows) for s in merged] == [(0, [(1,), (2,)]), (1, [(3,)]), (3, [(1, "x")])]
    assert a1.rows == [(1,)]  # the submitted steps are not changed


@pytest.mark.django_db
def test_the_writer_thread_raises_the_first_error_in_the_caller(monkeypatch):
    calls = []

    def write_steps(self, steps):
        calls.append(threading.current_thread().name)
        raise ValueError("boom")

    monkeypatch.setattr(BulkWriter, "write_steps", write_steps)
    with (
        transaction.atomic(),
        pytest.raises(ValueError, match="boom"),
        StepWriter(BulkWriter(connection)) as writer,
    ):
        writer.submit([Step(0, "insert", Municipality, ("id",), [(1,)])])
    assert calls == ["import-writer"]


@pytest.mark.django_db
def test_the_writer_thread_stops_when_the_caller_fails(monkeypatch):
    written = []
    monkeypatch.setattr(BulkWriter, "write_steps", lambda self, steps: written.append(steps) or 0)

    def fail_halfway():
        with transaction.atomic(), StepWriter(BulkWriter(connection)) as writer:
            writer.cancelled = True  # as __exit__ does; nothing queued afterwards is written
            writer.submit([Step(0, "insert", Municipality, ("id",), [(1,)])])
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail_halfway()
    assert written == []


@pytest.mark.django_db
def test_the_switch_interval_is_restored():
    before = sys.getswitchinterval()
    with StepWriter(BulkWriter(connection)):
        assert sys.getswitchinterval() <= StepWriter.SWITCH_INTERVAL
    assert sys.getswitchinterval() == before
