"""The nightly retention run: exactly one run waits in the queue, the real worker runs it, and it
queues the next night's run itself (privacy/schedule.py)."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from meedoen.clients.models import BenefitPeriod, Client, HouseholdMembership
from meedoen.privacy.retention import IMPORT_FILE, retention_sweep_register, retention_sweeps
from meedoen.privacy.schedule import (
    next_run_at,
    retention_schedule_ensure,
    retention_schedule_pending,
)
from meedoen.privacy.tasks import retention_scheduled_task

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
TWO = dt.time(2, 0)


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("now", "at", "expected"),
    [
        (local(2026, 6, 1, 1, 0), TWO, local(2026, 6, 1, 2, 0)),
        (local(2026, 6, 1, 2, 0), TWO, local(2026, 6, 2, 2, 0)),  # just ran: tomorrow
        (local(2026, 6, 1, 2, 0, 5), TWO, local(2026, 6, 2, 2, 0)),
        (local(2026, 6, 1, 23, 30), TWO, local(2026, 6, 2, 2, 0)),
        (local(2026, 12, 31, 12, 0), TWO, local(2027, 1, 1, 2, 0)),
        # Clocks go forward at 02:00 on 29 March 2026: 02:30 does not exist, it runs at 03:30.
        (local(2026, 3, 28, 12, 0), dt.time(2, 30), local(2026, 3, 29, 3, 30)),
        # Clocks go back at 03:00 on 25 October 2026: the first 02:30 (summer time).
        (
            local(2026, 10, 24, 12, 0),
            dt.time(2, 30),
            dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC),
        ),
    ],
)
def test_next_run_at(now, at, expected):
    result = next_run_at(at=at, now=now)
    # Compared in UTC: Python never calls an ambiguous local time equal to a time in another zone.
    assert result.astimezone(dt.UTC) == expected.astimezone(dt.UTC)
    assert result > now


def test_next_run_at_ends_in_the_local_time_zone(settings):
    settings.TIME_ZONE = "Europe/Amsterdam"
    result = next_run_at(at=TWO, now=dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC))
    assert result.utcoffset() == dt.timedelta(hours=2)
    assert (result.hour, result.minute) == (2, 0)


@pytest.mark.django_db
def test_ensure_queues_exactly_one_run_and_is_idempotent():
    when = retention_schedule_ensure()
    assert when == next_run_at(at=TWO)
    first = retention_schedule_pending()
    assert len(first) == 1
    assert first[0].run_after == when

    assert retention_schedule_ensure() == when
    assert [r.pk for r in retention_schedule_pending()] == [first[0].pk]


@pytest.mark.django_db
def test_ensure_removes_duplicates_and_keeps_an_overdue_run():
    overdue = timezone.now() - dt.timedelta(hours=5)  # the worker was down last night
    retention_scheduled_task.using(run_after=overdue).enqueue()
    retention_scheduled_task.using(run_after=next_run_at(at=TWO)).enqueue()
    retention_scheduled_task.enqueue()  # by hand, without a time

    assert retention_schedule_ensure() == overdue

    (left,) = retention_schedule_pending()
    assert left.run_after == overdue


@pytest.mark.django_db
def test_a_changed_time_replaces_the_waiting_run(settings):
    settings.RETENTION_SCHEDULE = dt.time(4, 0)
    now = local(2026, 6, 1, 3, 0)
    retention_scheduled_task.using(run_after=local(2026, 6, 2, 2, 0)).enqueue()

    assert retention_schedule_ensure(now=now) == local(2026, 6, 1, 4, 0)
    (left,) = retention_schedule_pending()
    assert left.run_after == local(2026, 6, 1, 4, 0)


@pytest.mark.django_db
def test_schedule_off_removes_the_waiting_run(settings):
    retention_schedule_ensure()
    settings.RETENTION_SCHEDULE = None
    assert retention_schedule_ensure() is None
    assert retention_schedule_pending() == []
    out = io.StringIO()
    call_command("retention_schedule", stdout=out)
    assert "niet ingepland" in out.getvalue()


@pytest.mark.django_db
def test_command_says_when():
    out = io.StringIO()
    call_command("retention_schedule", stdout=out)
    call_command("retention_schedule", stdout=out)
    when = timezone.localtime(next_run_at(at=TWO)).strftime("%d-%m-%Y %H:%M")
    assert f"volgende uitvoering {when}" in out.getvalue()
    assert len(retention_schedule_pending()) == 1


# Through the real worker ----------------------------------------------------------------------


@pytest.fixture
def worker(monkeypatch):
    """`meedoen db_worker --batch`: runs every task that is due, then stops. The worker closes
    "old" connections between tasks; inside a test's transaction that would close the test's
    own connection on PostgreSQL, so only that housekeeping is switched off."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    return lambda: call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")


def night_falls() -> DBTaskResult:
    """The waiting run becomes due, as it does at 02:00."""
    (waiting,) = retention_schedule_pending()
    DBTaskResult.objects.filter(pk=waiting.pk).update(
        run_after=timezone.now() - dt.timedelta(seconds=1)
    )
    return waiting


@pytest.fixture
def expired_client(client_factory):
    client = client_factory()
    BenefitPeriod.objects.filter(client=client).update(end_date=dt.date(2019, 5, 31))
    HouseholdMembership.objects.filter(client=client).update(end_date=dt.date(2019, 5, 31))
    Client.objects.filter(pk=client.pk).update(household=None)
    return client


@pytest.mark.django_db
def test_worker_runs_the_night_and_queues_the_next(worker, expired_client):
    retention_schedule_ensure()
    worker()  # not due yet: nothing happens
    assert Client.objects.filter(pk=expired_client.pk).exists()

    ran = night_falls()
    worker()

    ran.refresh_from_db()
    assert ran.status == TaskResultStatus.SUCCESSFUL
    assert ran.return_value["client_file_7y"] == 1
    assert not Client.objects.filter(pk=expired_client.pk).exists()
    (following,) = retention_schedule_pending()
    assert following.pk != ran.pk
    assert following.run_after == next_run_at(at=TWO)
    assert following.run_after > timezone.now()


@pytest.fixture
def failing_import_sweep():
    """A sweep that fails, registered like dataexchange registers its own; restored afterwards."""
    original = dict(retention_sweeps())[IMPORT_FILE]

    def fail(**kwargs):
        raise RuntimeError("sweep failed")

    retention_sweep_register(IMPORT_FILE, fail)
    yield
    retention_sweep_register(IMPORT_FILE, original)


@pytest.mark.django_db
def test_a_failed_night_still_queues_the_next(worker, failing_import_sweep):
    retention_schedule_ensure()
    ran = night_falls()
    worker()

    ran.refresh_from_db()
    assert ran.status == TaskResultStatus.FAILED
    (following,) = retention_schedule_pending()
    assert following.run_after == next_run_at(at=TWO)
