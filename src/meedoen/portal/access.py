"""The portal's door: a client user reaches their own file and nothing else (ADR 0015).

Everything the portal shows or writes starts here. The rule, one condition per line:

- an authenticated, active user;
- with the client role;
- with an active portal account;
- whose client belongs to the user's own municipality.

Then the portal gives them their own `Client` and that client's current household (for the plan,
the contact person and the next appointment); of the household's plan only their own goals. A
user who does not pass gets `PortalNotAvailable` (a 404): for staff the portal does not exist.
The staff door (caseload/access.py) in turn gives a client user nothing: their role is not a
casework role.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from meedoen.accounts.constants import Role
from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.selectors import as_uuid
from meedoen.clients.models import Client
from meedoen.plans.models import Goal

PURPOSE = "portal"


class PortalNotAvailable(Http404):
    """Not a client with a portal account, or not their own goal: the page does not exist."""


def actor_is_portal_client(actor: Any) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if not getattr(actor, "is_active", False):
        return False
    return getattr(actor, "role", "") == Role.CLIENT


def portal_client_or_none(actor: Any) -> Client | None:
    """The actor's own client (with household and municipality), or None. One query."""
    if not actor_is_portal_client(actor):
        return None
    return (
        Client.objects.filter(
            portal_account__user_id=actor.pk,
            portal_account__is_active=True,
            municipality_id=actor.municipality_id,
        )
        .select_related("household", "municipality")
        .first()
    )


def portal_client_get(*, actor: Any, origin: Origin, action: str = "portal.plan.read") -> Client:
    """The actor's own client, audited as `action` (a read of their own plan); else a 404,
    audited as a denial."""
    client = portal_client_or_none(actor)
    if client is None:
        audit_record(
            actor=actor, action=action, origin=origin, purpose=PURPOSE, result=Result.DENIED
        )
        raise PortalNotAvailable
    audit_record(
        actor=actor,
        action=action,
        origin=origin,
        obj=client,
        subject_id=client.pk,
        purpose=PURPOSE,
    )
    return client


def portal_goal_get(*, actor: Any, goal_id: object, origin: Origin) -> tuple[Client, Goal]:
    """One of the client's own goals on their current household's plan, audited as a read
    (`portal.goal.read`); anyone else's goal is a 404, audited as a denial about them."""
    client = portal_client_or_none(actor)
    pk = as_uuid(goal_id)
    goal = (
        Goal.objects.filter(
            pk=pk, member_id=client.pk, plan__household_id=client.household_id
        ).first()
        if client is not None and client.household_id is not None and pk is not None
        else None
    )
    audit_record(
        actor=actor,
        action="portal.goal.read",
        origin=origin,
        obj=goal,
        subject_id=client.pk if client is not None else None,
        purpose=PURPOSE,
        result=Result.ALLOWED if goal is not None else Result.DENIED,
    )
    if client is None or goal is None:
        raise PortalNotAvailable
    return client, goal
