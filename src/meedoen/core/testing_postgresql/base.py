"""PostgreSQL for the test suite: the real backend, with a cheaper reset between transactional
tests (browser tests, concurrency tests).

After every transactional test Django flushes the database. On PostgreSQL that is one TRUNCATE
of every table, which gives each table and index a new file: 2-3 s per test on the CI machine,
more than most browser tests take themselves. The tables hold a handful of rows by then, so a
DELETE per table (foreign keys are deferred until the flush commits) does the same in ~0.1 s.
Tables with a row trigger that refuses deletes (the append-only audit log) are still truncated,
as before. Content types and permissions stay: the post_migrate signal after the flush would
create exactly the same rows again.

Used only by config/test_settings.py; production runs the stock backend.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base, operations

KEPT = frozenset({"django_content_type", "auth_permission"})


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self,
        style: Any,
        tables: Any,
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        if not tables or reset_sequences or allow_cascade:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal"
            )
            guarded = {row[0] for row in cursor.fetchall()}
        truncated = sorted(t for t in tables if t in guarded)
        deleted = sorted(t for t in tables if t not in guarded and t not in KEPT)
        quote = self.quote_name
        sql = ["SET CONSTRAINTS ALL DEFERRED"]
        sql += [f"DELETE FROM {quote(table)}" for table in deleted]  # noqa: S608  # nosec B608
        if truncated:
            sql.append(f"TRUNCATE {', '.join(quote(t) for t in truncated)}")  # nosec B608
        return sql


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
