"""The audit trail: an explicit call from every read path and service that touches personal data."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from meedoen.audit import chain
from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent

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


def subject_pseudonym(subject_id: object) -> str:
    """A keyed pseudonym for a client, so audit rows link to a person without naming them."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"audit:{subject_id}".encode(), hashlib.sha256).hexdigest()[:32]


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

    `action` is namespaced: "<app>.<entity>.<verb>". The chain is the actor's municipality, or
    `municipality_code` for work without a signed-in actor (jobs, commands); "" otherwise.
    Runs in the caller's transaction when there is one (no savepoint: if the audit row cannot be
    written, the caller's work must not be kept either), else in its own.
    """
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
    now = timezone.now()
    # Rows with the same redacted detail are updated together: a handful of queries per subject.
    groups: dict[bytes, tuple[dict[str, Any], list[int]]] = {}
    with transaction.atomic():
        rows = AuditEvent.objects.filter(
            subject_pseudonym=subject_pseudonym, redacted_at__isnull=True
        ).values_list("pk", "detail")
        for pk, detail in list(rows):
            redacted_detail = {
                key: (value if key in REDACTION_KEEPS else REDACTED)
                for key, value in (detail or {}).items()
            }
            key = chain.canonical_json(redacted_detail)
            groups.setdefault(key, (redacted_detail, []))[1].append(pk)
        count = 0
        for redacted_detail, pks in groups.values():
            for start in range(0, len(pks), 500):
                count += AuditEvent.objects.filter(
                    pk__in=pks[start : start + 500]
                )._redaction_update(
                    ip_address=None,
                    user_agent="",
                    content_salt="",
                    detail=redacted_detail,
                    redacted_at=now,
                    redaction_reason=reason[:200],
                )
    return count
