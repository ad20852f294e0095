"""Background job of retention (django_tasks; scheduled daily by the operator, see
docs/privacy/retention.md)."""

from __future__ import annotations

from django_tasks import task

from meedoen.privacy.services import retention_run


@task()
def retention_run_task(dry_run: bool = False) -> int:
    """Run retention for today; returns the number of files erased (or that would be)."""
    return len(retention_run(dry_run=dry_run, channel="task").items)
