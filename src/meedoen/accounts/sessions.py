"""Database sessions that remember their stored expiry, so the idle timeout can be moved on
without writing the session on every request (accounts.middleware.IdleLogoutMiddleware)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    stored_expiry: dt.datetime | None = None

    def _get_session_from_db(self) -> Any:
        session = super()._get_session_from_db()  # type: ignore[misc]  # not in django-stubs
        self.stored_expiry = session.expire_date if session is not None else None
        return session
