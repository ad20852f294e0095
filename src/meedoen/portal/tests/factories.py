"""Portal accounts for tests, made through the service (as the demo command does)."""

from __future__ import annotations

import itertools
from typing import Any

from meedoen.audit.services import Origin
from meedoen.clients.models import Client
from meedoen.portal.services import portal_account_create

PASSWORD = "correct-horse-battery-staple"
_SEQ = itertools.count(1)


def portal_user(client: Client, *, username: str | None = None) -> Any:
    """A user with the client role whose portal account opens `client`'s file."""
    account = portal_account_create(
        actor=None,
        client=client,
        username=username or f"client-{next(_SEQ)}",
        password=PASSWORD,
        origin=Origin(channel="test"),
    )
    return account.user
