from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from meedoen.audit.services import Origin
from meedoen.dataexchange.models import ImportRun
from meedoen.dataexchange.services import import_file
from meedoen.dataexchange.tests.delivery import REFERENCE_DATE, csv_bytes


@pytest.fixture
def run_import(municipality) -> Callable[..., ImportRun]:
    """import_file for a list of rows (or bytes): applied unless dry_run, at REFERENCE_DATE."""

    def _run(
        rows: Iterable[dict[str, Any]] | bytes,
        *,
        reference_date: dt.date = REFERENCE_DATE,
        dry_run: bool = False,
        file_name: str = "levering.csv",
        actor: Any = None,
        target: Any = None,
        progress: Any = None,
    ) -> ImportRun:
        content = rows if isinstance(rows, bytes) else csv_bytes(rows)
        return import_file(
            actor=actor,
            municipality=target or municipality,
            file_name=file_name,
            content=content,
            reference_date=reference_date,
            dry_run=dry_run,
            origin=Origin(channel="test"),
            progress=progress,
        )

    return _run


@pytest.fixture
def run_worker(monkeypatch) -> Callable[[], None]:
    """The real worker of the database task backend (`meedoen db_worker --batch`).

    The worker closes "old" connections between tasks; inside a test's transaction that would
    close the test's own connection on PostgreSQL, so only that housekeeping is switched off.
    """
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def _run() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
        failed = DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL)
        assert not failed.exists(), list(failed.values("task_path", "status"))

    return _run
