"""The one door to client data.

Every view, API endpoint, export and job obtains a client — and anything hanging off a client —
through these functions. Nothing else calls ``Client.objects`` for a person's file. A client the
actor may not see does not exist for them: the door raises ``ClientNotVisible`` (a 404) and the
attempt is audited.

The need-to-know rule (docs/privacy/roles.md). Visibility follows the client's CURRENT household
(``Client.household``) and that household's OPEN assignment (``caseload.Assignment``):

- an active staff member of a municipality in a casework role (coach, team lead) sees, in their own
  municipality only:
  - households whose open assignment is to themselves (own caseload);
  - households whose open assignment is to a coach they cover for today (an active ``Cover``);
- a team lead also sees:
  - households whose open assignment is to a coach of the lead's team;
  - households of the municipality without an open assignment, so that someone can assign them
    (the queue of issue 5). A team lead without a team sees no team and no queue;
- everyone else — analyst, privacy officer, functional admin, a superuser without a role, an
  inactive or anonymous user, staff of another municipality — sees no client at all.
- The analyst gets no client file either. ``analysis_population`` gives an active analyst the
  clients of their own municipality as the input of pseudonymised datasets and aggregates
  (meedoen.analytics); nothing it returns is ever shown as a person.
- A client without a current household is outside casework and visible to nobody here.

Each condition is a subquery on an index (the open-assignment partial indexes), so a coach's list
costs an index range scan of their ~50 households, whatever the size of the city.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from meedoen.accounts.constants import CASEWORK_ROLES, Role
from meedoen.accounts.models import User
from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.models import Assignment, Cover
from meedoen.clients.bsn import bsn_decrypt
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


def casework_coaches(actor: Any) -> QuerySet[User]:
    """Whose caseloads the actor works on today: themselves, the coaches they cover for, and for
    a team lead the coaches of their team. The door's rule below is "an open assignment to one of
    these"; the work list (caseload.worklist) takes its scope from here too, so both follow one
    definition. Only for an actor who may do casework (the callers check)."""
    today = timezone.localdate()
    covered_coaches = Cover.objects.active_on(today).filter(covering_coach_id=actor.pk)
    # Whose caseloads, as one set of coach ids: `coach_id IN (…)` lets the database walk the
    # open-assignment index per coach; an OR of conditions on the assignment made it scan them all.
    whose = Q(pk=actor.pk) | Q(pk__in=covered_coaches.values("absent_coach_id"))
    if actor.role == Role.TEAM_LEAD and actor.team_id is not None:
        whose |= Q(team_id=actor.team_id)
    return User.objects.filter(whose)


def _visible_households_rule(actor: Any, *, field: str) -> Q:
    """The need-to-know rule as a condition on a household id column (`field`)."""
    open_assignments = Assignment.objects.open()
    coaches = casework_coaches(actor).values("pk")
    rule = Q(
        **{f"{field}__in": open_assignments.filter(coach_id__in=coaches).values("household_id")}
    )
    if actor.role == Role.TEAM_LEAD and actor.team_id is not None:
        unassigned = ~Exists(open_assignments.filter(household_id=OuterRef(field)))
        rule |= Q(unassigned)
    return rule


def clients_visible_to(*, actor: Any) -> QuerySet[Client]:
    """All clients the actor may see. Lists and searches start here."""
    if not actor_may_do_casework(actor):
        return Client.objects.none()
    return Client.objects.filter(
        Q(municipality_id=actor.municipality_id),
        Q(household_id__isnull=False),
        _visible_households_rule(actor, field="household_id"),
    )


def households_visible_to(*, actor: Any) -> QuerySet[Household]:
    if not actor_may_do_casework(actor):
        return Household.objects.none()
    return Household.objects.filter(
        Q(municipality_id=actor.municipality_id),
        _visible_households_rule(actor, field="pk"),
    )


def actor_may_analyse(actor: Any) -> bool:
    """An active analyst of a municipality: pseudonymised datasets and aggregates only."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if not getattr(actor, "is_active", False):
        return False
    if actor.municipality_id is None:
        return False
    return bool(actor.role == Role.ANALYST)


def analysis_population(*, actor: Any) -> QuerySet[Client]:
    """The clients an analyst analyses: every client of the analyst's own municipality.

    Only for building pseudonymised datasets and aggregates (meedoen.analytics): the caller turns
    them into keyed pseudonyms and bands, never into a page about a person, and audits the export
    or page it makes. Anyone who is not an active analyst of a municipality gets no client (the
    caller answers 404). Clients without a current household are included: leaving the benefit
    is part of what analysts study.
    """
    if not actor_may_analyse(actor):
        return Client.objects.none()
    return Client.objects.filter(municipality_id=actor.municipality_id)


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


def client_bsn_reveal(*, actor: Any, client: Client, purpose: str, origin: Origin) -> str:
    """The full BSN of a client the actor may see; revealing it is an audited action of its own.

    The audit row names the client (pseudonym and id) and the purpose — never the BSN. The
    visibility rule is checked again here, so a caller cannot reveal the BSN of a client it got
    some other way.
    """
    allowed = clients_visible_to(actor=actor).filter(pk=client.pk).exists()
    audit_record(
        actor=actor,
        action="clients.client.bsn_reveal",
        origin=origin,
        obj=client,
        subject_id=client.pk,
        purpose=purpose,
        result=Result.ALLOWED if allowed else Result.DENIED,
    )
    if not allowed:
        raise ClientNotVisible
    return bsn_decrypt(client.bsn_encrypted)
