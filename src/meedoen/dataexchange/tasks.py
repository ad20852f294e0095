"""Background jobs of the import (django_tasks; the worker is `meedoen db_worker`).

Both take the run id only and are queued by services.py with ``transaction.on_commit``. Running
one twice is harmless: a run that has moved on is left alone.
"""

from __future__ import annotations

from django_tasks import task

from meedoen.audit.services import Origin
from meedoen.dataexchange import services
from meedoen.dataexchange.constants import ImportStatus
from meedoen.dataexchange.models import ImportRun


@task()
def import_run_analyse_task(run_id: str) -> str:
    run = ImportRun.objects.filter(pk=run_id).select_related("municipality").first()
    if run is None:
        return "missing"
    if run.status not in (ImportStatus.UPLOADED, ImportStatus.ANALYSING):
        return str(run.status)
    services.import_run_analyse(run=run)
    return str(run.status)


@task()
def import_run_apply_task(run_id: str) -> str:
    run = ImportRun.objects.filter(pk=run_id).select_related("municipality", "applied_by").first()
    if run is None:
        return "missing"
    if run.status != ImportStatus.APPLYING:
        return str(run.status)
    services.import_run_apply(run=run, actor=run.applied_by, origin=Origin(channel="task"))
    return str(run.status)
