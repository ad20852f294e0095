"""Retention of import runs: rule import_file_30d (docs/privacy/retention.md).

The uploaded file itself is erased as soon as a run reaches a final state (services.py). What
remains per row — the preview's sample of client numbers and the row errors — is erased 30 days
after the run last changed state, together with a file still held by a run that never finished:
one waiting 30 days to be applied (ready; its preview is stale) or stuck in a running state (its
worker is long gone) is discarded. Who uploaded and applied it, when, the checksum and the counts
stay, and ``file_erased_at`` records the erasure.

Registered with privacy.retention in apps.py: privacy sits below dataexchange, so its
retention_run reaches this only through that registry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from meedoen.audit.services import Origin, audit_record
from meedoen.dataexchange.constants import ImportStatus
from meedoen.dataexchange.models import ImportRun
from meedoen.privacy.retention import IMPORT_FILE, SweepOutcome, import_files_cutoff

FINAL_STATUSES = frozenset(
    {ImportStatus.APPLIED, ImportStatus.INVALID, ImportStatus.FAILED, ImportStatus.DISCARDED}
)


def import_runs_expired(*, today: dt.date) -> QuerySet[ImportRun]:
    """Runs past IMPORT_FILE on `today` that still hold something to erase.

    ``updated_at`` is when the run last changed state: every transition in services.py sets it,
    progress reports do not, and a run in a final state is never changed again.
    """
    return ImportRun.objects.filter(
        file_erased_at__isnull=True, updated_at__lt=import_files_cutoff(today=today)
    )


def import_files_erase(
    *, today: dt.date, dry_run: bool, actor: Any = None, origin: Origin
) -> SweepOutcome:
    """Erase the file and the per-row data of every expired run; one transaction and one audit
    row per run. A dry run lists the runs and writes nothing."""
    outcome = SweepOutcome(rule=IMPORT_FILE.code)
    runs = (
        import_runs_expired(today=today)
        .select_related("municipality")
        .only("id", "status", "updated_at", "municipality__code")
        .order_by("updated_at", "id")
    )
    for run in runs:
        discard = run.status not in FINAL_STATUSES
        if not dry_run and not _erase(run, discard=discard, actor=actor, origin=origin):
            continue  # moved on meanwhile (a worker, a click on "Toepassen"): not expired now
        code = run.municipality.code
        outcome.per_municipality[code] = outcome.per_municipality.get(code, 0) + 1
        outcome.lines.append(
            f"{code} {run.pk} {run.status}{' -> discarded' if discard else ''} "
            f"{timezone.localdate(run.updated_at).isoformat()}"
        )
    return outcome


def _erase(run: ImportRun, *, discard: bool, actor: Any, origin: Origin) -> bool:
    now = timezone.now()
    values: dict[str, Any] = {
        "content": None,
        "changes": {},
        "errors": [],
        "file_erased_at": now,
        "updated_at": now,
    }
    if discard:
        values["status"] = ImportStatus.DISCARDED
    with transaction.atomic():
        # Conditional on the state that was found, so a run that moved on meanwhile is left alone.
        erased = ImportRun.objects.filter(
            pk=run.pk, status=run.status, updated_at=run.updated_at, file_erased_at__isnull=True
        ).update(**values)
        if not erased:
            return False
        audit_record(
            actor=actor,
            action="dataexchange.import.erase",
            origin=origin,
            obj=run,
            purpose="retention",
            detail={"rule": IMPORT_FILE.code, "status": run.status, "discarded": discard},
            municipality_code=run.municipality.code,
        )
    return True
