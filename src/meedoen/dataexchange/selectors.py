"""Reads of import runs. Only the functional admin of the same municipality sees them."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from meedoen.accounts.constants import IMPORT_ROLES
from meedoen.dataexchange.constants import ImportStatus
from meedoen.dataexchange.models import ImportRun

# Never needed on a page, and up to several MB per run.
_HEAVY = ("content",)


def actor_may_import(actor: Any) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if not getattr(actor, "is_active", False):
        return False
    if getattr(actor, "municipality_id", None) is None:
        return False
    return getattr(actor, "role", "") in IMPORT_ROLES


def import_runs_visible_to(*, actor: Any) -> QuerySet[ImportRun]:
    if not actor_may_import(actor):
        return ImportRun.objects.none()
    return ImportRun.objects.filter(municipality_id=actor.municipality_id).defer(*_HEAVY)


def import_run_list(*, runs: QuerySet[ImportRun]) -> QuerySet[ImportRun]:
    """The list page: newest first, without the error list and the sample (one query)."""
    return runs.defer("errors", "changes").order_by("-created_at", "-id")


def import_run_get_for_actor(*, actor: Any, run_id: object) -> ImportRun:
    """One run, or 404 (also for a run of another municipality, or a user who may not import)."""
    try:
        pk = run_id if isinstance(run_id, uuid.UUID) else uuid.UUID(str(run_id))
    except ValueError as exc:
        raise Http404 from exc
    run = import_runs_visible_to(actor=actor).select_related("municipality").filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def import_run_same_file_applied(*, run: ImportRun) -> ImportRun | None:
    """An earlier applied run of the very same file (same SHA-256), if any."""
    return (
        ImportRun.objects.filter(
            municipality_id=run.municipality_id,
            checksum=run.checksum,
            status=ImportStatus.APPLIED,
            created_at__lt=run.created_at,
        )
        .defer(*_HEAVY, "errors", "changes")
        .order_by("-created_at")
        .first()
    )
