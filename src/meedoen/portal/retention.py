"""Logins left without a client file: removed under the client file's rule (ADR 0015).

Erasing a client (privacy.retention_run) takes their `PortalAccount` by cascade; the `User` row
with the client role stays behind, with a username and a password hash but no person. This sweep,
registered with privacy from PortalConfig.ready(), deletes such logins in the same run, so no
login outlives the file it opened.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import transaction

from meedoen.accounts.constants import Role
from meedoen.accounts.models import User
from meedoen.audit.services import Origin, audit_record
from meedoen.privacy.retention import CLIENT_FILE, SweepOutcome

SWEEP_NAME = f"{CLIENT_FILE.code}.portal_logins"


def portal_logins_orphaned() -> Any:
    """Client-role users without a portal account."""
    return User.objects.filter(role=Role.CLIENT, portal_account__isnull=True)


def portal_logins_erase(
    *, today: dt.date, dry_run: bool, actor: Any, origin: Origin
) -> SweepOutcome:
    """Delete the client-role logins that no longer open a file; counts per municipality."""
    orphans = list(
        portal_logins_orphaned()
        .select_related("municipality")
        .values_list("pk", "municipality__code")
    )
    per_municipality = Counter(code or "" for _pk, code in orphans)
    outcome = SweepOutcome(
        # Its own name in the run's totals: under the client file's rule, but not its count.
        rule=SWEEP_NAME,
        per_municipality=dict(per_municipality),
        lines=[f"portal.login {pk}" for pk, _code in orphans],
    )
    if dry_run or not orphans:
        return outcome
    with transaction.atomic():
        User.objects.filter(pk__in=[pk for pk, _code in orphans]).delete()
        for code, count in sorted(per_municipality.items()):
            audit_record(
                actor=actor,
                action="portal.account.erase",
                origin=origin,
                purpose="retention",
                detail={"rule": CLIENT_FILE.code, "count": count},
                municipality_code=code,
            )
    return outcome
