"""Reads of the portal, in a fixed number of queries whatever the size of the plan.

They take the client that portal/access.py gave (the door audits the read).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from meedoen.caseload.constants import AppointmentStatus
from meedoen.caseload.models import Appointment, Assignment
from meedoen.clients.models import Client
from meedoen.plans.constants import CLOSED_GOAL_STATUSES, OwnerKind, StepStatus
from meedoen.plans.models import Agreement, Goal, Plan, Step

# "Next steps" on top of the page: the client's own open steps, soonest first.
NEXT_STEPS_SHOWN = 3


@dataclass
class PortalHome:
    client: Client
    plan: Plan | None
    # The client's own goals, running ones first, each with `steps` prefetched.
    goals: list[Goal] = field(default_factory=list)
    next_steps: list[Step] = field(default_factory=list)
    contact_person: str = ""
    next_appointment: Appointment | None = None
    # The household's newest agreement (vrijwillige afspraken), which the client may accept.
    agreement: Agreement | None = None

    @property
    def running_goals(self) -> list[Goal]:
        return [g for g in self.goals if g.status not in CLOSED_GOAL_STATUSES]


def portal_home(*, client: Client, now: dt.datetime | None = None) -> PortalHome:
    """The client's own part of their household's plan, the newest agreement, their contact
    person (name only) and the household's next planned appointment: at most six queries (plan,
    goals, steps, agreement, contact person, appointment)."""
    now = now or timezone.now()
    home = PortalHome(client=client, plan=None)
    if client.household_id is None:
        return home
    home.plan = Plan.objects.filter(household_id=client.household_id).first()
    if home.plan is not None:
        steps = Step.objects.select_related("organisation").order_by("position", "created_at")
        home.goals = sorted(
            Goal.objects.filter(plan_id=home.plan.pk, member_id=client.pk)
            .prefetch_related(Prefetch("steps", queryset=steps))
            .order_by("position", "created_at"),
            key=lambda g: g.status in CLOSED_GOAL_STATUSES,
        )
        open_steps: list[Any] = [
            (step.due_on, goal.position, step.position, step)
            for goal in home.running_goals
            for step in goal.steps.all()
            if step.status == StepStatus.OPEN and step.owner_kind == OwnerKind.CLIENT
        ]
        open_steps.sort(key=lambda row: row[:3])
        home.next_steps = [row[3] for row in open_steps[:NEXT_STEPS_SHOWN]]
        home.agreement = Agreement.objects.filter(plan_id=home.plan.pk).order_by("-number").first()
    assignment = (
        Assignment.objects.open()
        .filter(household_id=client.household_id)
        .select_related("coach")
        .first()
    )
    if assignment is not None:
        # The name only: no e-mail address or phone number of the coach (the municipality's
        # general contact details are on its website).
        home.contact_person = assignment.coach.get_full_name() or ""
    home.next_appointment = (
        Appointment.objects.filter(
            household_id=client.household_id,
            status=AppointmentStatus.PLANNED,
            starts_at__gte=now,
        )
        .order_by("starts_at")
        .first()
    )
    return home
