"""Set-based reads and writes for the import, fast on PostgreSQL and on SQLite.

The ORM writes one row at a time (~1,600 rows/s for an import); this module writes a whole table
in one go: ``COPY`` on PostgreSQL (psycopg 3), ``executemany`` on SQLite, both inside the caller's
transaction. Updates go through a temporary table and one ``UPDATE … FROM`` on PostgreSQL.

Ids are opaque strings here: UUID columns are read as text (``id_column``) and passed back
unchanged, and ``new_id()`` makes new ones as 32 hex characters, which both databases accept for a
UUID column. An existing id never equals a new one, so the two spellings never need comparing.
Primary keys are generated in Python (core.models.BaseModel), so related rows need no round trip
for their parent's id.

SQL is built with f-strings only from identifiers taken from model metadata (quoted by ``_quote``)
and placeholders; every value goes through the driver as a parameter. That is why the lines
carry ``nosec B608`` (bandit) and ``noqa: S608`` (ruff).
"""

from __future__ import annotations

import json
import queue
import sys
import threading
import uuid
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from meedoen.core.ids import new_uuid_hex
from meedoen.core.models import Versioned


class BulkWriter:
    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        if connection.vendor not in ("postgresql", "sqlite"):
            raise NotImplementedError(f"bulk import on {connection.vendor}")
        self.connection = connection
        # The driver's own connection, taken now: `django.db.connection` is per thread, and the
        # StepWriter thread must use this one (and with it the caller's transaction).
        connection.ensure_connection()
        self.raw = connection.connection
        self.is_postgresql = connection.vendor == "postgresql"
        self.now = timezone.now()
        # The timestamp for created_at/updated_at, as the database wants it: on PostgreSQL as
        # text, which COPY takes as it is (psycopg formats a datetime twice as slowly).
        self.now_db = (
            self.now.isoformat()
            if connection.vendor == "postgresql"
            else connection.ops.adapt_datetimefield_value(self.now)
        )
        self._json_cache: dict[str, Any] = {}

    # Ids -----------------------------------------------------------------------------------

    def new_id(self) -> str:
        return new_uuid_hex()

    def id_param(self, value: uuid.UUID) -> Any:
        return value if self.is_postgresql else value.hex

    def id_column(self, expression: str) -> str:
        """Select a UUID column as text: psycopg would build a uuid.UUID per value (slow)."""
        return f"{expression}::text" if self.is_postgresql else expression

    def json_column(self, expression: str) -> str:
        """Select a JSON column as text, decoded by ``json_value`` (with a cache)."""
        return f"{expression}::text" if self.is_postgresql else expression

    # Reads ---------------------------------------------------------------------------------

    def fetch(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """Rows of a raw query; ``%s`` placeholders."""
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def json_value(self, text: str | None) -> Any:
        """Decode a JSON column read with ``json_column``. Values repeat a lot: each is decoded
        once and shared, so callers compare them and never change them."""
        if text is None:
            return None
        value = self._json_cache.get(text, _MISSING)
        if value is _MISSING:
            value = self._json_cache[text] = json.loads(text)
        return value

    # Writes --------------------------------------------------------------------------------

    def insert(
        self, model: type[models.Model], fields: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> int:
        """Insert rows; ``fields`` are the attnames of the values in each row, in order.

        Rows hold what the driver takes as it is: ids as text, JSON as text, timestamps as
        ``now_db``. No Python runs per row here but the driver's own loop: this runs on the
        StepWriter thread, which should hold the GIL as little as possible.
        """
        if not rows:
            return 0
        table = _quote(model._meta.db_table)
        column_list = ", ".join(_quote(_column(model, name)) for name in fields)
        if self.is_postgresql:
            self._copy(f"COPY {table} ({column_list}) FROM STDIN", rows)
        else:
            placeholders = ", ".join("?" for _ in fields)
            self.raw.cursor().executemany(
                f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})",  # noqa: S608  # nosec B608
                rows,
            )
        return len(rows)

    def update(
        self, model: type[models.Model], fields: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> int:
        """Update rows by id: each row is ``(id, *values in the order of fields)``.

        One statement on PostgreSQL (through a temporary table); callers that must close a
        period before opening another (partial unique constraints) make two calls. Rows of a
        ``Versioned`` model get ``version = version + 1`` in the same statement, so an edit
        opened before the import meets a conflict rather than undoing it (core/concurrency.py).
        """
        if not rows:
            return 0
        table = _quote(model._meta.db_table)
        columns = [_quote(_column(model, name)) for name in fields]
        # Versioned rows: the version column goes up by one in the same statement.
        version = _quote(_column(model, "version")) if issubclass(model, Versioned) else ""
        if self.is_postgresql:
            temp = _quote(f"_import_{model._meta.db_table}")
            column_list = ", ".join(['"id"', *columns])
            with self.raw.cursor() as cursor:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {temp} ON COMMIT DROP AS "  # noqa: S608  # nosec B608
                    f"SELECT {column_list} FROM {table} WITH NO DATA"
                )
            self._copy(f"COPY {temp} ({column_list}) FROM STDIN", rows)
            assignments = ", ".join(
                [f"{c} = s.{c}" for c in columns]
                + ([f"{version} = t.{version} + 1"] if version else [])
            )
            with self.raw.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} AS t SET {assignments} FROM {temp} AS s WHERE t.id = s.id"  # noqa: S608  # nosec B608
                )
                cursor.execute(f"DROP TABLE {temp}")
        else:
            assignments = ", ".join(
                [f"{c} = ?" for c in columns] + ([f"{version} = {version} + 1"] if version else [])
            )
            self.raw.cursor().executemany(
                f"UPDATE {table} SET {assignments} WHERE id = ?",  # noqa: S608  # nosec B608
                [(*row[1:], row[0]) for row in rows],
            )
        return len(rows)

    def write_steps(self, steps: Sequence[Step]) -> int:
        """Write steps in the order given; returns the number of rows written."""
        written = 0
        for step in steps:
            write = self.insert if step.kind == "insert" else self.update
            written += write(step.model, step.fields, step.rows)
        return written

    def check_constraints_immediately(self) -> None:
        """PostgreSQL: check foreign keys row by row during the writes rather than all at commit.

        The work is the same, but it then happens while the StepWriter streams rows and Python
        goes on with the next chunk, instead of afterwards (some 0.7 s for 27,000 persons).
        """
        if self.is_postgresql:
            with self.raw.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def _copy(self, sql: str, data: Iterable[tuple[Any, ...]]) -> None:
        with self.raw.cursor() as cursor, cursor.copy(sql) as copy:
            for row in data:
                copy.write_row(row)


_MISSING = object()


class Step(NamedTuple):
    """One statement's worth of rows for one table.

    ``order`` is the step's place in the fixed sequence of an import (parents before children,
    closing a period before opening the next); steps of several chunks with the same order can
    be merged into one statement without breaking that sequence.
    """

    order: int
    kind: str  # "insert" | "update"
    model: type[models.Model]
    fields: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def merge_steps(batches: Iterable[Sequence[Step]]) -> list[Step]:
    """The steps of several chunks as one list: one step per order, in order."""
    merged: dict[int, Step] = {}
    for steps in batches:
        for step in steps:
            if step.order in merged:
                merged[step.order].rows.extend(step.rows)
            else:
                merged[step.order] = step._replace(rows=list(step.rows))
    return [merged[order] for order in sorted(merged)]


_STOP = object()


class StepWriter:
    """Writes steps on a second thread, so that the database stores one chunk of the file while
    Python checks and compares the next.

    The PostgreSQL server (or SQLite's C code, which releases the GIL) then works on the other
    core. Whatever was submitted while the thread was busy is merged (merge_steps) and written
    as one statement per table: few large COPYs rather than many small ones. The thread uses
    the caller's connection and transaction; the caller must not use the connection until the
    ``with`` block is left. Leaving it waits for the thread and raises its first error.
    """

    # While the writer runs, Python hands the GIL between the threads every 1 ms instead of 5 ms:
    # the writer holds it only briefly (to start a statement, to pass rows to the driver), and
    # waiting up to 5 ms for it each time leaves the database idle (measured: 0.08 s of 2 s).
    SWITCH_INTERVAL = 0.001

    def __init__(self, db: BulkWriter) -> None:
        self.db = db
        self.previous_interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self.previous_interval, self.SWITCH_INTERVAL))
        self.queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.error: BaseException | None = None
        self.cancelled = False
        self.written = 0
        self.thread = threading.Thread(target=self._run, name="import-writer", daemon=True)
        self.thread.start()

    def submit(self, steps: Sequence[Step]) -> None:
        if steps:
            self.queue.put(steps)

    def _run(self) -> None:
        while True:
            batches = [self.queue.get()]
            while True:
                try:
                    batches.append(self.queue.get_nowait())
                except queue.Empty:
                    break
            stop = any(batch is _STOP for batch in batches)
            work = [batch for batch in batches if batch is not _STOP]
            if work and self.error is None and not self.cancelled:
                try:
                    self.written += self.db.write_steps(merge_steps(work))
                except BaseException as exc:  # handed to the caller in close()
                    self.error = exc
            if stop:
                return

    def close(self) -> int:
        self._stop()
        if self.error is not None:
            raise self.error
        return self.written

    def __enter__(self) -> StepWriter:
        return self

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        if exc_type is not None:
            # Skip what has not started and wait for what has: the transaction rolls back.
            self.cancelled = True
            self._stop()
            return
        self.close()

    def _stop(self) -> None:
        if self.thread.is_alive():
            self.queue.put(_STOP)
            self.thread.join()
        sys.setswitchinterval(self.previous_interval)


def _column(model: type[models.Model], attname: str) -> str:
    column = model._meta.get_field(attname).column  # type: ignore[union-attr]
    assert column is not None
    return str(column)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
