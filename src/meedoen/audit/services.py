"""The audit trail: an explicit call from every read path and service that touches personal data."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from meedoen.audit import chain
from meedoen.audit.actions import AUDIT_ACTIONS
from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.core.pseudonyms import pseudonym_for

# Detail keys that describe how, not about whom: kept when a row is redacted.
REDACTION_KEEPS = frozenset({"channel"})
REDACTED = "[verwijderd]"


@dataclass(frozen=True)
class Origin:
    """Where an action came from: a web request, the API, a command or a background job."""

    channel: str
    ip_address: str | None = None
    user_agent: str = ""

    @classmethod
    def from_request(cls, request: HttpRequest, *, channel: str = "web") -> Origin:
        return cls(
            channel=channel,
            ip_address=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )


AUDIT_SUBJECT_PURPOSE = "audit.subject"


def subject_pseudonym(subject_id: object) -> str:
    """A keyed pseudonym for a client, so audit rows link to a person without naming them.

    Keyed with the pseudonym key, not SECRET_KEY: the secret key may be rotated (sessions, tokens),
    and rotating it would cut old rows off from "who looked at this file" and from redaction.
    """
    return pseudonym_for(client_id=subject_id, purpose=AUDIT_SUBJECT_PURPOSE)


def audit_record(
    *,
    actor: Any,
    action: str,
    origin: Origin,
    obj: Any = None,
    subject_id: object = None,
    purpose: str = "",
    result: str = Result.ALLOWED,
    detail: dict[str, Any] | None = None,
    municipality_code: str | None = None,
) -> AuditEvent:
    """Write one audit row, appended to its municipality's hash chain.

    `action` is namespaced: "<app>.<entity>.<verb>" and must be listed in audit.actions. The
    chain is the actor's municipality, or
    `municipality_code` for work without a signed-in actor (jobs, commands); "" otherwise.
    Runs in the caller's transaction when there is one (no savepoint: if the audit row cannot be
    written, the caller's work must not be kept either), else in its own.
    """
    if action not in AUDIT_ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}: add it to meedoen.audit.actions.")
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    if municipality_code is None:
        municipality = getattr(actor, "municipality", None) if is_user else None
        municipality_code = municipality.code if municipality else ""
    salt = secrets.token_hex(16)
    ip_address = chain.normalise_ip(origin.ip_address)
    user_agent = origin.user_agent[:300]
    event_detail = chain.normalise_detail({"channel": origin.channel, **(detail or {})})
    event = AuditEvent(
        actor_id=actor.pk if is_user else None,
        actor_name=(actor.get_username() if is_user else "")[:150],
        actor_role=(getattr(actor, "role", "") or "") if is_user else "",
        municipality_code=municipality_code,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        subject_pseudonym=subject_pseudonym(subject_id) if subject_id is not None else "",
        purpose=purpose,
        result=result,
        ip_address=ip_address,
        user_agent=user_agent,
        detail=event_detail,
        content_salt=salt,
        content_hash=chain.content_hash(
            salt=salt, ip_address=ip_address, user_agent=user_agent, detail=event_detail
        ),
    )
    with transaction.atomic(savepoint=False):
        last_seq, last_hash = _chain_head_lock(municipality_code)
        # Taken under the lock, so time never runs backwards within a chain on one clock.
        event.at = timezone.now()
        event.seq = last_seq + 1
        event.prev_hash = last_hash
        event.hash = chain.event_hash(
            chain=event.municipality_code,
            seq=event.seq,
            at=event.at,
            actor_id=event.actor_id,
            actor_name=event.actor_name,
            actor_role=event.actor_role,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            subject_pseudonym=event.subject_pseudonym,
            purpose=event.purpose,
            result=event.result,
            content_hash=event.content_hash,
            prev_hash=event.prev_hash,
        )
        # The insert trigger moves the chain head on (migration 0002): no second query here.
        event.save(force_insert=True)
    return event


# One statement on both databases: create the chain's head if it is missing, lock it until the
# transaction ends, and return its newest seq and hash. The no-op DO UPDATE is what takes the row
# lock on PostgreSQL: a second writer waits there, then reads the head as the first one left it.
# On SQLite the transaction already holds the database's write lock (IMMEDIATE mode).
_HEAD_LOCK_SQL = (
    "INSERT INTO audit_auditchainhead (municipality_code, last_seq, last_hash) "
    "VALUES (%s, 0, '') "
    "ON CONFLICT (municipality_code) DO UPDATE SET last_seq = audit_auditchainhead.last_seq "
    "RETURNING last_seq, last_hash"
)


def _chain_head_lock(code: str) -> tuple[int, str]:
    with connection.cursor() as cursor:
        cursor.execute(_HEAD_LOCK_SQL, [code])
        last_seq, last_hash = cursor.fetchone()
    return int(last_seq), str(last_hash)


def audit_redact(*, subject_pseudonym: str, reason: str) -> int:
    """Blank the personal parts of one subject's audit rows; the chain still verifies.

    Kept: who, what, when, object, purpose, result, and the row's hashes. Blanked: IP address,
    user agent, the salt of the content hash, and the detail's values (keys stay; "channel" is
    kept). Rows already redacted are left alone. Returns the number of rows redacted.
    Used by retention and erasure; the caller audits the erasure itself.
    """
    if not subject_pseudonym:
        raise ValueError("subject_pseudonym is required")
    if not reason:
        raise ValueError("reason is required")
    with transaction.atomic():
        rows = AuditEvent.objects.filter(
            subject_pseudonym=subject_pseudonym, redacted_at__isnull=True
        ).values_list("pk", "municipality_code", "detail")
        counts = _redact_rows(list(rows), reason=reason, now=timezone.now())
    return sum(counts.values())


# Rows per transaction of the age sweep: large enough that 1.35 million rows take a few hundred
# round trips, small enough that the web application never waits long for the write lock.
REDACT_BATCH_ROWS = 5000


def audit_redact_before(
    *, before: dt.datetime, reason: str, batch_rows: int = REDACT_BATCH_ROWS
) -> dict[str, int]:
    """Redact every row written before `before`, as audit_redact does; rows already redacted are
    left alone. Returns the number of rows redacted per chain (municipality code).

    Walks the table in id order in batches of `batch_rows`, each in its own transaction: one read
    and one UPDATE per distinct redacted detail in the batch (a handful), never one per row. A
    failure keeps the batches before it; running again continues where it stopped.
    The caller audits the sweep.
    """
    if not reason:
        raise ValueError("reason is required")
    now = timezone.now()
    counts: dict[str, int] = {}
    last_id = 0
    while True:
        with transaction.atomic():
            batch = list(
                AuditEvent.objects.filter(id__gt=last_id, at__lt=before, redacted_at__isnull=True)
                .order_by("id")
                .values_list("pk", "municipality_code", "detail")[:batch_rows]
            )
            if not batch:
                return counts
            for code, count in _redact_rows(batch, reason=reason, now=now).items():
                counts[code] = counts.get(code, 0) + count
        last_id = batch[-1][0]


# Ids per UPDATE statement (SQLite limits the number of bound parameters).
_UPDATE_CHUNK = 1000


def _redact_rows(
    rows: list[tuple[int, str, Any]], *, reason: str, now: dt.datetime
) -> dict[str, int]:
    """Redact the given (pk, municipality code, detail) rows in the caller's transaction; return
    the number redacted per chain. Rows of one chain with the same redacted detail are updated
    together: a handful of UPDATEs however many rows."""
    groups: dict[tuple[str, bytes], tuple[dict[str, Any], list[int]]] = {}
    for pk, code, detail in rows:
        redacted_detail = {
            key: (value if key in REDACTION_KEEPS else REDACTED)
            for key, value in (detail or {}).items()
        }
        key = (code, chain.canonical_json(redacted_detail))
        groups.setdefault(key, (redacted_detail, []))[1].append(pk)
    counts: dict[str, int] = {}
    for (code, _key), (redacted_detail, pks) in groups.items():
        for start in range(0, len(pks), _UPDATE_CHUNK):
            # Still unredacted: a concurrent erasure may have redacted some of them meanwhile.
            counts[code] = counts.get(code, 0) + AuditEvent.objects.filter(
                pk__in=pks[start : start + _UPDATE_CHUNK], redacted_at__isnull=True
            )._redaction_update(
                ip_address=None,
                user_agent="",
                content_salt="",
                detail=redacted_detail,
                redacted_at=now,
                redaction_reason=reason[:200],
            )
    return counts
