"""Writes of the import: record an upload, check it, apply it. Other apps call these names.

    import_run_create   store the file (sealed) and open an ImportRun
    import_run_analyse  parse, validate and compare with the registry; nothing is written
    import_run_apply    the same under a lock, then write the difference in one transaction
    import_file         all of it in one call (the command line, the benchmark, other engineers)

The web upload and the "Toepassen" button go through ``import_run_upload`` and
``import_run_request_apply``, which queue the work for the background worker (tasks.py) once the
transaction commits.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import logging
import os
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from itertools import islice
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from meedoen.accounts.models import Municipality
from meedoen.audit.services import Origin, audit_record
from meedoen.dataexchange.bulk import BulkWriter, StepWriter
from meedoen.dataexchange.constants import ImportStatus
from meedoen.dataexchange.engine import Plan, Planner
from meedoen.dataexchange.models import ImportRun
from meedoen.dataexchange.parsing import FileFormatError, read_table
from meedoen.dataexchange.validation import RowError, Validated, Validator

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

# Errors kept on the run (the count is always exact).
MAX_STORED_ERRORS = 1_000
# Rows checked and compared per step; the previous step is written meanwhile (bulk.StepWriter).
CHUNK_ROWS = 3_000
FIRST_CHUNK_ROWS = 500
_NONCE_BYTES = 12


class ImportRunStateError(Exception):
    """The run is not in a state that allows this step (already applied, still analysing …)."""


# Sealing the uploaded file ----------------------------------------------------------------------


@cache
def _file_aead() -> AESGCM:
    # Same secret as the BSN encryption (a file is full of BSNs), its own derived key.
    key = hashlib.sha256(b"meedoen-import-file:" + settings.BSN_ENCRYPTION_KEY.encode()).digest()
    return AESGCM(key)


def _seal(content: bytes) -> bytes:
    nonce = os.urandom(_NONCE_BYTES)
    return nonce + _file_aead().encrypt(nonce, content, None)


def _unseal(sealed: bytes | memoryview) -> bytes:
    raw = bytes(sealed)
    return _file_aead().decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], None)


def import_run_content(*, run: ImportRun) -> bytes:
    """The uploaded bytes, unsealed. Empty once the run reached a final state."""
    return _unseal(run.content) if run.content else b""


# Reference date --------------------------------------------------------------------------------


def reference_date_problem(reference_date: dt.date) -> str | None:
    """Why a reference date cannot be used, or None. Shared by the upload form and the command."""
    if reference_date > timezone.localdate():
        return _("De peildatum mag niet in de toekomst liggen.")
    return None


# The steps -------------------------------------------------------------------------------------


def _actor_name(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    return (getattr(actor, "display_name", "") or actor.get_username())[:150]


def _actor_or_none(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def import_run_create(
    *,
    actor: Any,
    municipality: Municipality,
    file_name: str,
    content: bytes,
    reference_date: dt.date | None = None,
    origin: Origin,
    keep_content: bool = True,
) -> ImportRun:
    """Record an uploaded file. It is checked later (import_run_analyse).

    ``keep_content=False`` records only the checksum: for a caller that processes the bytes
    right away in the same process (import_file), so the file never reaches the database.
    """
    run = ImportRun.objects.create(
        municipality=municipality,
        uploaded_by=_actor_or_none(actor),
        uploaded_by_name=_actor_name(actor),
        file_name=os.path.basename(file_name)[:255] or "levering",
        file_size=len(content),
        checksum=hashlib.sha256(content).hexdigest(),
        content=_seal(content) if keep_content else None,
        reference_date=reference_date or timezone.localdate(),
    )
    audit_record(
        actor=actor,
        action="dataexchange.import.upload",
        origin=origin,
        obj=run,
        detail={"municipality": municipality.code, "size": run.file_size, "sha256": run.checksum},
    )
    return run


def import_run_upload(
    *,
    actor: Any,
    municipality: Municipality,
    file_name: str,
    content: bytes,
    reference_date: dt.date | None = None,
    origin: Origin,
) -> ImportRun:
    """The web upload: record the file and queue the check for the worker."""
    from meedoen.dataexchange.tasks import import_run_analyse_task

    with transaction.atomic():
        run = import_run_create(
            actor=actor,
            municipality=municipality,
            file_name=file_name,
            content=content,
            reference_date=reference_date,
            origin=origin,
        )
        run_id = str(run.pk)
        transaction.on_commit(lambda: import_run_analyse_task.enqueue(run_id))
    return run


def import_run_analyse(*, run: ImportRun, progress: Progress | None = None) -> ImportRun:
    """Check the file and compare it with the registry; store counts, sample and errors.

    Ends in ``ready`` or ``invalid`` (or ``failed`` on an unexpected error). Writes nothing but
    the run itself, so it runs outside a transaction and its progress is visible meanwhile.
    """
    now = timezone.now()
    claimed = ImportRun.objects.filter(
        pk=run.pk, status__in=[ImportStatus.UPLOADED, ImportStatus.ANALYSING]
    ).update(status=ImportStatus.ANALYSING, analysis_started_at=now, rows_done=0, updated_at=now)
    if not claimed:
        raise ImportRunStateError(run.status)
    run.refresh_from_db()
    try:
        with _no_cyclic_gc():
            outcome = _evaluate(
                run, db=BulkWriter(connection), progress=_Reporter(run, progress, persist=True)
            )
        _record(run, outcome, applied=False)
        run.save(update_fields=_OUTCOME_FIELDS)
    except Exception as exc:
        _fail(run, exc)
        return run
    audit_record(
        actor=None,
        action="dataexchange.import.analyse",
        origin=Origin(channel="task"),
        obj=run,
        detail=_audit_detail(run),
    )
    return run


def import_run_request_apply(*, run: ImportRun, actor: Any, origin: Origin) -> ImportRun:
    """The "Toepassen" button: mark the run and queue the apply for the worker."""
    from meedoen.dataexchange.tasks import import_run_apply_task

    now = timezone.now()
    with transaction.atomic():
        claimed = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.READY).update(
            status=ImportStatus.APPLYING,
            applied_by=_actor_or_none(actor),
            applied_by_name=_actor_name(actor),
            rows_done=0,
            updated_at=now,
        )
        if not claimed:
            raise ImportRunStateError(run.status)
        audit_record(
            actor=actor,
            action="dataexchange.import.apply_request",
            origin=origin,
            obj=run,
            detail={"municipality": run.municipality.code},
        )
        run_id = str(run.pk)
        transaction.on_commit(lambda: import_run_apply_task.enqueue(run_id))
    run.refresh_from_db()
    return run


def import_run_apply(
    *, run: ImportRun, actor: Any, origin: Origin, progress: Progress | None = None
) -> ImportRun:
    """Apply a checked run (``ready``, or ``applying`` when queued by import_run_request_apply).

    The file is checked and compared again under a lock on the municipality, because the
    registry may have changed since the preview; then everything is written in one transaction.
    """
    values: dict[str, Any] = {"status": ImportStatus.APPLYING, "updated_at": timezone.now()}
    if _actor_or_none(actor) is not None:
        values |= {"applied_by": actor, "applied_by_name": _actor_name(actor)}
    claimed = ImportRun.objects.filter(
        pk=run.pk, status__in=[ImportStatus.READY, ImportStatus.APPLYING]
    ).update(**values)
    if not claimed:
        raise ImportRunStateError(run.status)
    run.refresh_from_db()
    return _apply(run, actor=actor, origin=origin, progress=progress)


def import_run_discard(*, run: ImportRun, actor: Any, origin: Origin) -> ImportRun:
    """Throw away a checked run that will not be applied; its file is erased."""
    claimed = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.READY).update(
        status=ImportStatus.DISCARDED, content=None, updated_at=timezone.now()
    )
    if not claimed:
        raise ImportRunStateError(run.status)
    run.refresh_from_db()
    audit_record(actor=actor, action="dataexchange.import.discard", origin=origin, obj=run)
    return run


def import_file(
    *,
    actor: Any,
    municipality: Municipality,
    file_name: str,
    content: bytes,
    reference_date: dt.date | None = None,
    dry_run: bool = False,
    origin: Origin,
    progress: Progress | None = None,
) -> ImportRun:
    """Record, check and (unless ``dry_run``) apply a file, synchronously.

    A dry run ends as ``ready`` (or ``invalid``): the preview, nothing written. Otherwise the check
    and the writes happen in one pass under the lock: ``applied``, or ``invalid`` with nothing
    written.
    """
    run = import_run_create(
        actor=actor,
        municipality=municipality,
        file_name=file_name,
        content=content,
        reference_date=reference_date,
        origin=origin,
        # A dry run may be applied later (from the web page), so its file is kept, sealed.
        keep_content=dry_run,
    )
    if dry_run:
        return import_run_analyse(run=run, progress=progress)
    run.status = ImportStatus.APPLYING
    update_fields = ["status", "updated_at"]
    if _actor_or_none(actor) is not None:
        run.applied_by, run.applied_by_name = actor, _actor_name(actor)
        update_fields += ["applied_by", "applied_by_name"]
    run.save(update_fields=update_fields)
    return _apply(run, actor=actor, origin=origin, progress=progress, content=content)


# Internals -------------------------------------------------------------------------------------


@dataclass
class _Outcome:
    validated: Validated
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    plan: Plan | None = None


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file is processed.

    An import creates a few hundred thousand small tuples and lists, none of them in reference
    cycles (reference counting frees them); every few thousand allocations the collector would
    walk the whole heap anyway, which made checking and comparing up to twice as slow.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Reporter:
    """Passes progress on to the caller, and (outside a transaction) to the run for the web page."""

    def __init__(self, run: ImportRun, callback: Progress | None, *, persist: bool) -> None:
        self.run_id = run.pk
        self.callback = callback
        self.persist = persist
        self.saved = -1

    def __call__(self, done: int, total: int) -> None:
        if self.callback is not None:
            self.callback(done, total)
        if self.persist and (done == total or done - self.saved >= max(1, total // 20)):
            ImportRun.objects.filter(pk=self.run_id).update(rows_done=done, rows_total=total)
            self.saved = done


def _evaluate(
    run: ImportRun,
    *,
    db: BulkWriter,
    progress: Progress,
    content: bytes | None = None,
    writer: StepWriter | None = None,
) -> _Outcome:
    """Parse, check and compare the file, chunk by chunk; hand each chunk's writes to ``writer``.

    Without a writer nothing is written (the preview). With one, the writes of a chunk are
    stored while the next chunk is checked; whether the file was valid is known only at the end,
    so the caller must roll back when the outcome has errors.
    """
    if content is None:
        content = import_run_content(run=run)
    try:
        table = read_table(file_name=run.file_name, content=content)
    except FileFormatError as exc:
        return _Outcome(validated=Validated(), errors=[RowError(0, "", str(exc))], error_count=1)
    del content
    validator = Validator(table.header, reference_date=run.reference_date)
    outcome = _Outcome(validated=validator.result)
    problem = _reference_date_conflict(run)
    if problem is not None:
        outcome.errors.append(RowError(0, "", problem))
        outcome.error_count += 1
    planner: Planner | None = None
    if validator.header_ok and problem is None:
        # Reads the registry: before the writer thread starts using the connection.
        planner = Planner(
            db=db, municipality_id=run.municipality_id, reference_date=run.reference_date
        )

    def still_valid() -> bool:
        return planner is not None and not validator.result.error_count and not planner.plan.errors

    estimate = table.rows_estimate
    size = FIRST_CHUNK_ROWS  # a small first chunk gets the database going early
    try:
        while chunk := list(islice(table.rows, size)):
            persons = validator.check(chunk)
            if still_valid():
                steps = planner.add(persons)  # type: ignore[union-attr]
                if writer is not None:
                    writer.submit(steps)
            done = validator.result.rows_total
            progress(done, max(done, estimate))
            size = CHUNK_ROWS
    except FileFormatError as exc:
        outcome.errors.insert(0, RowError(0, "", str(exc)))
        outcome.error_count += 1
        planner = None
    validated = validator.finish()
    progress(validated.rows_total, validated.rows_total)
    if planner is not None and still_valid():
        steps = planner.finish()
        if writer is not None:
            writer.submit(steps)
        outcome.plan = planner.plan
    outcome.errors += validated.errors
    outcome.error_count += validated.error_count
    if planner is not None:
        outcome.errors += planner.plan.errors
        outcome.error_count += len(planner.plan.errors)
    return outcome


def _reference_date_conflict(run: ImportRun) -> str | None:
    """A delivery older than the last one applied would overwrite newer data."""
    latest = (
        ImportRun.objects.filter(municipality_id=run.municipality_id, status=ImportStatus.APPLIED)
        .exclude(pk=run.pk)
        .aggregate(latest=Max("reference_date"))["latest"]
    )
    if latest is None or run.reference_date >= latest:
        return None
    return _(
        "De peildatum %(date)s ligt voor de peildatum van de laatst toegepaste levering "
        "(%(latest)s): een oudere levering zou nieuwere gegevens overschrijven."
    ) % {"date": run.reference_date.strftime("%d-%m-%Y"), "latest": latest.strftime("%d-%m-%Y")}


# What _record sets; saved with update_fields, as the run row is also updated by progress reports.
_OUTCOME_FIELDS = [
    "status",
    "rows_total",
    "rows_done",
    "error_count",
    "errors",
    "analysed_at",
    "new_count",
    "changed_count",
    "unchanged_count",
    "ended_count",
    "changes",
    "content",
    "applied_at",
    "updated_at",
]


def _record(run: ImportRun, outcome: _Outcome, *, applied: bool) -> None:
    """Copy an outcome onto the run (the caller saves _OUTCOME_FIELDS)."""
    now = timezone.now()
    validated = outcome.validated
    run.rows_total = validated.rows_total
    run.rows_done = validated.rows_total
    run.error_count = outcome.error_count
    run.errors = [e.as_dict() for e in outcome.errors[:MAX_STORED_ERRORS]]
    run.analysed_at = now
    plan = outcome.plan
    if outcome.error_count or plan is None:
        run.status = ImportStatus.INVALID
        run.new_count = run.changed_count = run.unchanged_count = run.ended_count = 0
        run.changes = {}
        run.content = None
        return
    run.new_count = plan.new_count
    run.changed_count = plan.changed_count
    run.unchanged_count = plan.unchanged_count
    run.ended_count = plan.ended_count
    run.changes = plan.samples
    if applied:
        run.status = ImportStatus.APPLIED
        run.applied_at = now
        run.content = None
    else:
        run.status = ImportStatus.READY


def _apply(
    run: ImportRun,
    *,
    actor: Any,
    origin: Origin,
    progress: Progress | None,
    content: bytes | None = None,
) -> ImportRun:
    now = timezone.now()
    ImportRun.objects.filter(pk=run.pk).update(apply_started_at=now, rows_done=0, updated_at=now)
    run.apply_started_at = now
    try:
        with _no_cyclic_gc(), transaction.atomic():
            # One apply per municipality at a time (on SQLite the write lock of the
            # transaction already does this).
            Municipality.objects.select_for_update().filter(pk=run.municipality_id).first()
            db = BulkWriter(connection)
            db.check_constraints_immediately()
            with StepWriter(db) as writer:
                outcome = _evaluate(
                    run,
                    db=db,
                    progress=_Reporter(run, progress, persist=False),
                    content=content,
                    writer=writer,
                )
            if outcome.error_count:
                # Some rows may have been written before the error showed: none of it stays.
                transaction.set_rollback(True)
            else:
                _record(run, outcome, applied=True)
                run.save(update_fields=_OUTCOME_FIELDS)
                audit_record(
                    actor=actor,
                    action="dataexchange.import.apply",
                    origin=origin,
                    obj=run,
                    detail=_audit_detail(run),
                )
        if outcome.error_count:
            _record(run, outcome, applied=False)
            run.save(update_fields=_OUTCOME_FIELDS)
    except Exception as exc:
        _fail(run, exc)
    return run


def _audit_detail(run: ImportRun) -> dict[str, Any]:
    return {
        "municipality": run.municipality.code,
        "status": run.status,
        "rows": run.rows_total,
        "new": run.new_count,
        "changed": run.changed_count,
        "unchanged": run.unchanged_count,
        "ended": run.ended_count,
        "errors": run.error_count,
    }


def _fail(run: ImportRun, exc: BaseException) -> None:
    # Only the type and the code lines: an exception message could quote data from the file.
    logger.error(
        "Import run %s failed with %s\n%s",
        run.pk,
        type(exc).__name__,
        "".join(traceback.format_tb(exc.__traceback__)),
    )
    run.status = ImportStatus.FAILED
    run.failure = type(exc).__name__[:200]
    run.content = None
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportStatus.FAILED, failure=run.failure, content=None, updated_at=timezone.now()
    )
