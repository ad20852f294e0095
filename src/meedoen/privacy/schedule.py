"""The nightly retention run on the database task queue (docs/privacy/retention.md).

django-tasks 0.12 has no periodic tasks, so the job schedules itself: `retention_schedule_ensure`
makes sure exactly one run of `retention_scheduled_task` waits in the queue for the next scheduled
time (settings.RETENTION_SCHEDULE, local time), and the task calls it again when it is done, also
after a failure. `meedoen retention_schedule` calls it at start-up (`make demo` before the
worker; a deployment after `migrate`). A run that fell due while no worker was running still waits
in the queue and runs as soon as a worker starts.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

# Serialises `retention_schedule_ensure` on PostgreSQL (an arbitrary, fixed advisory lock key).
# SQLite needs none: Meedoen opens its transactions IMMEDIATE, which takes the write lock at once.
_ADVISORY_LOCK_KEY = 0x6D656564  # "meed"


def next_run_at(*, at: dt.time, now: dt.datetime | None = None) -> dt.datetime:
    """The first moment after `now` when the local clock (settings.TIME_ZONE) shows `at`.

    On the night the clocks go forward a time in the skipped hour (02:30) comes out an hour
    later (03:30); on the night they go back, the first of the two 02:30s is used.
    """
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    local_now = (now or timezone.now()).astimezone(zone)
    day = local_now.date()
    candidate = dt.datetime.combine(day, at, tzinfo=zone)
    if candidate <= local_now:
        candidate = dt.datetime.combine(day + dt.timedelta(days=1), at, tzinfo=zone)
    # Normalised through UTC, so a time in the skipped hour reads as the wall time it falls on.
    return candidate.astimezone(dt.UTC).astimezone(zone)


def retention_schedule_pending() -> list[DBTaskResult]:
    """The scheduled runs waiting in the queue, earliest first."""
    from meedoen.privacy.tasks import retention_scheduled_task

    return list(
        DBTaskResult.objects.filter(
            task_path=retention_scheduled_task.module_path, status=TaskResultStatus.READY
        ).order_by("run_after", "enqueued_at")
    )


def retention_schedule_ensure(*, now: dt.datetime | None = None) -> dt.datetime | None:
    """Make sure exactly one scheduled run waits in the queue; return when it runs.

    Idempotent. A waiting run due no later than the next scheduled time is kept (also one that
    is overdue because no worker ran: it runs first thing); any other waiting run is removed; if
    none is left, one is queued for the next scheduled time. With the schedule off
    (MEEDOEN_RETENTION_SCHEDULE=off) every waiting run is removed and None returned.
    """
    from meedoen.privacy.tasks import retention_scheduled_task

    at: dt.time | None = settings.RETENTION_SCHEDULE
    now = now or timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
        pending = retention_schedule_pending()
        slot = next_run_at(at=at, now=now) if at is not None else None
        keep = None
        if slot is not None and pending:
            # A run queued without a time carries the backend's "any time" marker: due now.
            due = now if pending[0].run_after == get_date_max() else pending[0].run_after
            if due <= slot:
                keep = pending[0]
        surplus = [run.pk for run in pending if run is not keep]
        if surplus:
            DBTaskResult.objects.filter(pk__in=surplus, status=TaskResultStatus.READY).delete()
        if keep is not None:
            return keep.run_after if keep.run_after != get_date_max() else now
        if slot is None:
            return None
        # Queued inside this transaction, not on commit as jobs usually are: with the database
        # backend the queue row commits together with the check above, which is what makes
        # "exactly one" hold, and the task reads no data written here.
        retention_scheduled_task.using(run_after=slot).enqueue()
    return slot
