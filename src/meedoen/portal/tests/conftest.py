"""A household plan with goals of the portal's client, a fellow member and the coach's steps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from meedoen.audit.services import Origin
from meedoen.plans.inputs import GoalInput, StepInput
from meedoen.plans.services import goal_add, plan_open, step_add

ORIGIN = Origin(channel="test")


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@dataclass
class PlanWorld:
    user: Any  # the client user
    client: Any
    partner: Any  # a fellow member of the household
    plan: Any
    own_goal: Any
    own_step: Any  # owner: client
    coach_step: Any  # owner: coach, on the client's own goal
    partner_goal: Any
    partner_step: Any


def make_plan(*, coach: Any, client: Any, partner: Any, user: Any) -> PlanWorld:
    plan = plan_open(actor=coach, household=client.household, origin=ORIGIN)
    own_goal = goal_add(
        actor=coach,
        plan=plan,
        data=GoalInput(
            member_id=client.pk, domain="werk_opleiding", what="Eigen-doel-4401", due_on=in_days(90)
        ),
        origin=ORIGIN,
    )
    own_step = step_add(
        actor=coach,
        goal=own_goal,
        data=StepInput(description="Eigen-stap-4402", owner_kind="client", due_on=in_days(7)),
        origin=ORIGIN,
    )
    coach_step = step_add(
        actor=coach,
        goal=own_goal,
        data=StepInput(description="Coach-stap-4403", owner_kind="coach", due_on=in_days(5)),
        origin=ORIGIN,
    )
    partner_goal = goal_add(
        actor=coach,
        plan=plan,
        data=GoalInput(
            member_id=partner.pk, domain="financien", what="Partner-doel-4404", due_on=in_days(60)
        ),
        origin=ORIGIN,
    )
    partner_step = step_add(
        actor=coach,
        goal=partner_goal,
        data=StepInput(description="Partner-stap-4405", owner_kind="client", due_on=in_days(3)),
        origin=ORIGIN,
    )
    plan.refresh_from_db()
    return PlanWorld(
        user=user,
        client=client,
        partner=partner,
        plan=plan,
        own_goal=own_goal,
        own_step=own_step,
        coach_step=coach_step,
        partner_goal=partner_goal,
        partner_step=partner_step,
    )


@pytest.fixture
def plan_world(coach, client_factory, client_user) -> PlanWorld:
    client = client_user.portal_account.client
    partner = client_factory(household=client.household, first_names="Partner")
    return make_plan(coach=coach, client=client, partner=partner, user=client_user)
