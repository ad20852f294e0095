"""Plans test data, written straight to the models (test set-up, not a product path).

These rows get no PlanVersion: tests of the history go through the services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from meedoen.clients.models import Client, Household
from meedoen.plans.constants import GoalStatus, OwnerKind, StepStatus
from meedoen.plans.models import Goal, Plan, Step
from meedoen.profiles.constants import ZrmDomain


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def make_plan(household: Household, **fields: Any) -> Plan:
    values: dict[str, Any] = {
        "municipality_id": household.municipality_id,
        "household": household,
        "next_review_on": in_days(90),
    }
    values.update(fields)
    return Plan.objects.create(**values)


def make_goal(plan: Plan, member: Client, **fields: Any) -> Goal:
    values: dict[str, Any] = {
        "plan": plan,
        "member": member,
        "domain": ZrmDomain.WORK_EDUCATION,
        "what": "Elke week twee sollicitaties versturen",
        "due_on": in_days(60),
        "status": GoalStatus.OPEN,
        "position": Goal.objects.filter(plan=plan, member=member).count(),
    }
    values.update(fields)
    return Goal.objects.create(**values)


def make_steps(goal: Goal, count: int, **fields: Any) -> list[Step]:
    values: dict[str, Any] = {
        "owner_kind": OwnerKind.CLIENT,
        "due_on": in_days(14),
        "status": StepStatus.OPEN,
    }
    values.update(fields)
    return Step.objects.bulk_create(
        [Step(goal=goal, description=f"Stap {n}", position=n, **values) for n in range(count)]
    )
