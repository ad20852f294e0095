"""Writes of the household plan by the client themselves, from the portal (ADR 0015).

The coach's services (plans/services.py) let only casework roles in. A client may do three
things, on their own part of the plan only:

- add a goal for themselves (author: client);
- add a step to one of their own running goals, which they take themselves (owner and author:
  client);
- tick off one of their own steps, or undo that (completed by: client).

Who the client is comes from the portal's door (portal/access.py), which plans cannot import
(it sits below portal): the portal registers it here from its AppConfig.ready()
(`client_door_register`). Every service asks the door again, like the coach's services ask
caseload/access.py again; a refusal is audited and is a 404 (ClientNotVisible). The rest is the
coach's machinery: the same checks per field, one transaction, the plan's new version, one
PlanVersion, and an audit row (`portal.*`) with codes and counts only, never the text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import ClientNotVisible
from meedoen.caseload.contacts import Errors
from meedoen.caseload.selectors import as_uuid
from meedoen.clients.models import Client
from meedoen.plans.constants import (
    CLOSED_GOAL_STATUSES,
    AuthorKind,
    OwnerKind,
    PlanChange,
    StepStatus,
)
from meedoen.plans.inputs import GoalInput, StepInput
from meedoen.plans.models import Goal, Plan, Step
from meedoen.plans.services import (
    _audit,
    _commit,
    _goal_create,
    _plan_for_write,
    _step_create,
    _step_fields,
)

PURPOSE = "portal"

# actor -> the client they are (their own file, with a current household), or None.
ClientDoor = Callable[[Any], Client | None]
_DOOR: dict[str, ClientDoor] = {}


def client_door_register(door: ClientDoor) -> None:
    """The portal hands in its door (portal.access.portal_client_or_none); registering again
    replaces it. Without a door no client can write anything."""
    _DOOR["portal"] = door


@dataclass
class ClientGoalInput:
    """A goal the client sets themselves: which life domain, what, by when."""

    domain: str
    what: str
    due_on: dt.date


@dataclass
class ClientStepInput:
    """A step the client takes themselves, toward one of their own goals."""

    description: str
    due_on: dt.date


def portal_own_client(*, actor: Any, action: str, origin: Origin) -> Client:
    """The portal user's own client, through the portal's door (registered by the portal app,
    which sits above plans); anyone else is refused, audited, as a 404. Shared by the client's
    plan services and the agreement's acceptance."""
    door = _DOOR.get("portal")
    client = door(actor) if door is not None else None
    if client is None or client.household_id is None:
        audit_record(
            actor=actor, action=action, origin=origin, purpose=PURPOSE, result=Result.DENIED
        )
        raise ClientNotVisible
    return client


def _refuse(*, actor: Any, action: str, origin: Origin, client: Client) -> ClientNotVisible:
    """Not the client's own goal or step: audited as a denial about them, and a 404."""
    audit_record(
        actor=actor,
        action=action,
        origin=origin,
        subject_id=client.pk,
        purpose=PURPOSE,
        result=Result.DENIED,
    )
    return ClientNotVisible()


def client_goal_add(*, actor: Any, data: ClientGoalInput, origin: Origin) -> Goal:
    """A goal of the client for themselves, on their household's plan (which the coach made:
    without a plan there is nothing to add to)."""
    action = "portal.goal.create"
    client = portal_own_client(actor=actor, action=action, origin=origin)
    household_id: Any = client.household_id  # not None: portal_own_client checked it
    plan = Plan.objects.filter(household_id=household_id).first()
    if plan is None:
        raise ValidationError(
            {"plan": _("U heeft nog geen plan. Uw klantregisseur maakt het plan samen met u.")}
        )
    with transaction.atomic():
        plan = _plan_for_write(plan, None)
        # The coach's create path; no obstacle or ambition: the coach links those.
        return _goal_create(
            Errors(),
            actor=actor,
            action=action,
            origin=origin,
            plan=plan,
            member_id=client.pk,
            data=GoalInput(
                member_id=client.pk,
                domain=data.domain,
                what=data.what,
                due_on=data.due_on,
                author_kind=AuthorKind.CLIENT,
            ),
        )


def client_step_add(*, actor: Any, goal: Goal, data: ClientStepInput, origin: Origin) -> Step:
    """A step the client takes themselves, toward one of their own running goals."""
    action = "portal.step.create"
    client = portal_own_client(actor=actor, action=action, origin=origin)
    if not _own_goal(goal_id=goal.pk, client=client):
        raise _refuse(actor=actor, action=action, origin=origin, client=client)
    plan = Plan.objects.get(pk=goal.plan_id)
    with transaction.atomic():
        plan = _plan_for_write(plan, None)
        goal = Goal.objects.get(pk=goal.pk)
        errors = Errors()
        if goal.status in CLOSED_GOAL_STATUSES:
            errors.add("goal", _("Dit doel is al af of vervallen. U kunt er geen stap bij zetten."))
        step_data = StepInput(
            description=data.description,
            owner_kind=OwnerKind.CLIENT,
            due_on=data.due_on,
            author_kind=AuthorKind.CLIENT,
        )
        _step_fields(errors, step_data)
        errors.raise_if_any()
        return _step_create(
            actor=actor, action=action, origin=origin, plan=plan, goal=goal, data=step_data
        )


def client_step_done(
    *, actor: Any, step_id: Any, done: bool, expected_version: int, origin: Origin
) -> Step:
    """Tick off one of the client's own steps (done today, by the client), or undo that.

    Only steps the client takes themselves (owner: client) on their own goals: a step of the
    coach or a partner organisation is theirs to tick off. Cancelling is the coach's call.
    """
    action = "portal.step.status"
    client = portal_own_client(actor=actor, action=action, origin=origin)
    step_pk: Any = as_uuid(step_id)
    household_id: Any = client.household_id
    own = (
        Step.objects.filter(
            pk=step_pk,
            owner_kind=OwnerKind.CLIENT,
            goal__member_id=client.pk,
            goal__plan__household_id=household_id,
        )
        .values_list("goal__plan_id", flat=True)
        .first()
    )
    if own is None:
        raise _refuse(actor=actor, action=action, origin=origin, client=client)
    with transaction.atomic():
        plan = _plan_for_write(Plan(pk=own), expected_version)
        step = Step.objects.get(pk=step_pk)
        errors = Errors()
        new = StepStatus.DONE if done else StepStatus.OPEN
        if step.status == StepStatus.CANCELLED:
            errors.add("status", _("Deze stap is vervallen. Vraag uw klantregisseur ernaar."))
        elif step.status == new:
            errors.add(
                "status",
                _("Deze stap is al klaar.") if done else _("Deze stap staat al open."),
            )
        errors.raise_if_any()
        values: dict[str, Any] = {
            "status": new,
            "done_on": timezone.localdate() if done else None,
            "completed_by_kind": AuthorKind.CLIENT if done else "",
        }
        for name, value in values.items():
            setattr(step, name, value)
        step.save(update_fields=[*values, "updated_at"])
        _commit(plan=plan, actor=actor, change=PlanChange.STEP_STATUS)
        _audit(
            actor=actor,
            action=action,
            origin=origin,
            obj=step,
            plan=plan,
            subject_id=client.pk,
            status=new,
            completed_by_kind=step.completed_by_kind,
        )
    return step


def _own_goal(*, goal_id: Any, client: Client) -> bool:
    """A goal of this client on their current household's plan."""
    household_id: Any = client.household_id
    return Goal.objects.filter(
        pk=goal_id, member_id=client.pk, plan__household_id=household_id
    ).exists()
