"""The audit trail: an explicit call from every read path and service that touches personal data."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent


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
) -> AuditEvent:
    """Write one audit row. `action` is namespaced: "<app>.<entity>.<verb>"."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    municipality = getattr(actor, "municipality", None) if is_user else None
    return AuditEvent.objects.create(
        at=timezone.now(),
        actor_id=actor.pk if is_user else None,
        actor_name=(actor.get_username() if is_user else "")[:150],
        actor_role=(getattr(actor, "role", "") or "") if is_user else "",
        municipality_code=municipality.code if municipality else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        subject_pseudonym=subject_pseudonym(subject_id) if subject_id is not None else "",
        purpose=purpose,
        result=result,
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
        detail={"channel": origin.channel, **(detail or {})},
    )
