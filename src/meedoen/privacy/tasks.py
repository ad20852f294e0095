"""Background jobs of retention (django_tasks; the worker is `meedoen db_worker`).

`retention_scheduled_task` is the nightly run that queues its own successor (privacy/schedule.py);
`retention_run_task` is one run on request. See docs/privacy/retention.md.
"""

from __future__ import annotations

from django_tasks import task

from meedoen.privacy.retention import CLIENT_FILE
from meedoen.privacy.schedule import retention_schedule_ensure
from meedoen.privacy.services import RetentionReport, retention_run


def _summary(report: RetentionReport) -> dict[str, int]:
    # Counts per rule only: the task's return value is stored in the queue table.
    return {CLIENT_FILE.code: len(report.items), **{s.rule: s.total for s in report.sweeps}}


@task()
def retention_run_task(dry_run: bool = False) -> dict[str, int]:
    """Run retention for today; returns what was (or would be) done per rule."""
    return _summary(retention_run(dry_run=dry_run, channel="task"))


@task()
def retention_scheduled_task() -> dict[str, int]:
    """The nightly run: carry out every retention rule, then queue the next night's run — also
    when this one failed, so one bad night does not stop the schedule."""
    try:
        report = retention_run(dry_run=False, channel="schedule")
    finally:
        retention_schedule_ensure()
    return _summary(report)
