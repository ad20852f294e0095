"""The one door to client data.

Every view, API endpoint, export and job obtains a client — and anything hanging off a client —
through these functions. Nothing else calls ``Client.objects`` for a person's file. A client the
actor may not see does not exist for them: the door raises ``ClientNotVisible`` (a 404) and the
attempt is audited.

Today's rule (foundation): staff in a casework role see the clients of their own municipality.
The privacy issue narrows this to caseload, team and cover; the rule stays in this one module.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from meedoen.accounts.constants import CASEWORK_ROLES
from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.clients.models import Client, Household


class ClientNotVisible(Http404):
    """Raised for a client that does not exist or that the actor may not see (indistinguishable)."""


def actor_may_do_casework(actor: Any) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if not getattr(actor, "is_active", False):
        return False
    if actor.municipality_id is None:
        return False
    return actor.role in CASEWORK_ROLES


def clients_visible_to(*, actor: Any) -> QuerySet[Client]:
    """All clients the actor may see. Lists and searches start here."""
    if not actor_may_do_casework(actor):
        return Client.objects.none()
    return Client.objects.filter(municipality_id=actor.municipality_id)


def households_visible_to(*, actor: Any) -> QuerySet[Household]:
    if not actor_may_do_casework(actor):
        return Household.objects.none()
    return Household.objects.filter(municipality_id=actor.municipality_id)


def _as_uuid(value: object) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def client_get_for_actor(
    *,
    actor: Any,
    client_id: object,
    purpose: str,
    origin: Origin,
    queryset: QuerySet[Client] | None = None,
) -> Client:
    """One client's file, audited as a read. `queryset` may add select/prefetch, never widen."""
    pk = _as_uuid(client_id)
    base = clients_visible_to(actor=actor)
    if queryset is not None:
        # The caller's queryset goes on the left: `&` keeps the left side's select_related and
        # prefetch_related and only ANDs the right side's WHERE, so the visibility rule still holds.
        base = queryset & base
    client = base.filter(pk=pk).first() if pk else None
    if client is None:
        audit_record(
            actor=actor,
            action="clients.client.read",
            origin=origin,
            subject_id=pk,
            purpose=purpose,
            result=Result.DENIED,
        )
        raise ClientNotVisible
    audit_record(
        actor=actor,
        action="clients.client.read",
        origin=origin,
        obj=client,
        subject_id=client.pk,
        purpose=purpose,
    )
    return client


def household_get_for_actor(
    *,
    actor: Any,
    household_id: object,
    purpose: str,
    origin: Origin,
    queryset: QuerySet[Household] | None = None,
) -> Household:
    pk = _as_uuid(household_id)
    base = households_visible_to(actor=actor)
    if queryset is not None:
        # The caller's queryset goes on the left: `&` keeps the left side's select_related and
        # prefetch_related and only ANDs the right side's WHERE, so the visibility rule still holds.
        base = queryset & base
    household = base.filter(pk=pk).first() if pk else None
    result = Result.ALLOWED if household is not None else Result.DENIED
    audit_record(
        actor=actor,
        action="clients.household.read",
        origin=origin,
        obj=household,
        purpose=purpose,
        result=result,
    )
    if household is None:
        raise ClientNotVisible
    return household
