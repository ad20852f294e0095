"""Reads of the household plan, each in a fixed number of queries whatever the plan's size.

`plan_for_household` and `plan_as_of` take a household the caller obtained through the one door
(caseload/access.py: `household_get_for_actor`, which audits the read), like
caseload.selectors.household_page. `reviews_due` starts from the door itself.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import ClientNotVisible, actor_may_do_casework, households_visible_to
from meedoen.caseload.models import Relapse
from meedoen.caseload.selectors import as_uuid
from meedoen.clients.models import Household
from meedoen.instruments.constants import OPEN_STATUSES
from meedoen.instruments.models import Enrolment
from meedoen.instruments.selectors import enrolments_with_position
from meedoen.plans.constants import AuthorKind, StepStatus
from meedoen.plans.models import (
    Goal,
    Plan,
    PlanVersion,
    PlanVersionMember,
    Review,
    ReviewOutcome,
    Step,
)

RELAPSES_SHOWN = 50
PURPOSE = "casework"


def goals_with_steps(plan_id: Any) -> list[Goal]:
    """The plan's goals by member and position, each with its steps: two queries (one when
    there are no goals), and a third when a step is linked to an enrolment (with its instrument
    and waiting position, however many). Also what a plan version records
    (services._version_append)."""
    steps = (
        Step.objects.select_related("organisation")
        .prefetch_related(Prefetch("enrolment", queryset=enrolments_with_position()))
        .order_by("position", "created_at")
    )
    return list(
        Goal.objects.filter(plan_id=plan_id)
        .select_related("member")
        .prefetch_related(Prefetch("steps", queryset=steps))
        .order_by("member__date_of_birth", "member_id", "position", "created_at")
    )


def step_enrolment_choices(*, goal: Goal) -> list[Enrolment]:
    """The open enrolments of the goal's member (who passed the door with the goal), for the
    step form's select: one query."""
    return list(
        Enrolment.objects.filter(client_id=goal.member_id, status__in=OPEN_STATUSES)
        .select_related("instrument")
        .order_by("instrument__name", "requested_at")
    )


@dataclass
class PlanView:
    plan: Plan
    # By member, then position; each with `steps` prefetched (organisation selected).
    goals: list[Goal]
    latest_review: Review | None
    # The household's setbacks (caseload.Relapse), newest first: the plan stays open.
    relapses: list[Relapse]


def plan_for_household(*, household: Household) -> PlanView | None:
    """The plan as it stands, or None when the household has none yet: six queries (plan,
    goals, steps, latest review, its outcomes, relapses)."""
    plan = Plan.objects.filter(household_id=household.pk).first()
    if plan is None:
        return None
    latest = (
        Review.objects.filter(plan_id=plan.pk)
        .prefetch_related(
            Prefetch("outcomes", queryset=ReviewOutcome.objects.order_by("created_at"))
        )
        .order_by("-held_on", "-created_at")
        .first()
    )
    relapses = list(
        Relapse.objects.filter(household_id=household.pk)
        .select_related("client")
        .order_by("-date", "-created_at")[:RELAPSES_SHOWN]
    )
    return PlanView(
        plan=plan, goals=goals_with_steps(plan.pk), latest_review=latest, relapses=relapses
    )


@dataclass
class PlanAsOf:
    """The plan as a version recorded it. Goals are the stored JSON (see services._goal_json),
    each with `member_id` added; a member erased since is absent."""

    number: int
    at: dt.datetime
    actor_name: str
    change: str
    review_interval_months: int
    next_review_on: dt.date | None
    goals: list[dict[str, Any]] = field(default_factory=list)


def plan_as_of(*, household: Household, day: dt.date) -> PlanAsOf | None:
    """The plan as it was at the end of `day` (local time): the newest version at or before it,
    in two queries. None when the household had no plan yet on that day."""
    end_of_day = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    version = (
        PlanVersion.objects.filter(plan__household_id=household.pk, at__lt=end_of_day)
        .order_by("-at", "-number")
        .first()
    )
    if version is None:
        return None
    goals: list[dict[str, Any]] = []
    parts = PlanVersionMember.objects.filter(version=version).order_by("id")
    for part in parts:
        goals.extend({**goal, "member_id": str(part.member_id)} for goal in part.goals)
    next_review = version.snapshot.get("next_review_on")
    return PlanAsOf(
        number=version.number,
        at=version.at,
        actor_name=version.actor_name,
        change=version.change,
        review_interval_months=version.snapshot.get("review_interval_months", 0),
        next_review_on=dt.date.fromisoformat(next_review) if next_review else None,
        goals=goals,
    )


def reviews_due(*, actor: Any, within_days: int = 14, today: dt.date | None = None) -> list[Plan]:
    """The plans of the households the actor may see (the door) whose next review is due
    within `within_days` days, overdue ones included, soonest first: one query."""
    if not actor_may_do_casework(actor):
        return []
    today = today or timezone.localdate()
    return list(
        Plan.objects.filter(
            household_id__in=households_visible_to(actor=actor).values("pk"),
            next_review_on__lte=today + dt.timedelta(days=within_days),
        )
        .select_related("household")
        .order_by("next_review_on", "household__reference")
    )


@dataclass(frozen=True)
class Ownership:
    """Client ownership: of the plan's steps (cancelled ones left out), how many the client
    wrote or ticked off themselves."""

    steps: int
    by_client: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.by_client / self.steps) if self.steps else None


def plan_client_ownership(*, plan: Plan) -> Ownership:
    """One aggregate query."""
    counts = (
        Step.objects.filter(goal__plan_id=plan.pk)
        .exclude(status=StepStatus.CANCELLED)
        .aggregate(
            steps=Count("id"),
            by_client=Count(
                "id",
                filter=Q(author_kind=AuthorKind.CLIENT) | Q(completed_by_kind=AuthorKind.CLIENT),
            ),
        )
    )
    return Ownership(steps=counts["steps"], by_client=counts["by_client"])


# One goal or step by its id, through the door -------------------------------------------------


def goal_get_for_actor(
    *,
    actor: Any,
    goal_id: object,
    origin: Origin,
    action: str = "plans.goal.read",
    audit_allowed: bool = True,
) -> Goal:
    """A goal on the plan of a household the actor may see, with its plan, household and
    member; else ClientNotVisible (audited under `action`). A write passes
    `audit_allowed=False`: the service writes the row."""
    pk = as_uuid(goal_id)
    goal = (
        Goal.objects.filter(
            pk=pk, plan__household_id__in=households_visible_to(actor=actor).values("pk")
        )
        .select_related("plan__household", "member")
        .first()
        if pk
        else None
    )
    if goal is None:
        audit_record(
            actor=actor, action=action, origin=origin, purpose=PURPOSE, result=Result.DENIED
        )
        raise ClientNotVisible
    if audit_allowed:
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            obj=goal,
            subject_id=goal.member_id,
            purpose=PURPOSE,
            detail={"household_id": str(goal.plan.household_id)},
        )
    return goal


def step_get_for_actor(*, actor: Any, step_id: object, origin: Origin, action: str) -> Step:
    """A step on the plan of a household the actor may see, with its goal, plan and household;
    else ClientNotVisible (audited under `action`). Only for writes: the service audits."""
    pk = as_uuid(step_id)
    step = (
        Step.objects.filter(
            pk=pk, goal__plan__household_id__in=households_visible_to(actor=actor).values("pk")
        )
        .select_related("goal__plan__household")
        .first()
        if pk
        else None
    )
    if step is None:
        audit_record(
            actor=actor, action=action, origin=origin, purpose=PURPOSE, result=Result.DENIED
        )
        raise ClientNotVisible
    return step


def plan_versions(*, plan_id: Any) -> Any:
    """The plan's versions, newest first, without their goals: for a paged history list."""
    return PlanVersion.objects.filter(plan_id=plan_id).order_by("-number")


@dataclass(frozen=True)
class ReviewDue:
    household_id: Any
    reference: str
    next_review_on: dt.date


# How far ahead the start page looks for reviews (evaluatiemomenten).
REVIEW_DUE_DAYS = 14


def reviews_due_among(
    household_ids: list[Any], *, within_days: int = REVIEW_DUE_DAYS, today: dt.date | None = None
) -> list[ReviewDue]:
    """The review schedule of a work list (caseload.worklist; its households already passed the
    door): plans of these households due within `within_days` days, overdue first. One query."""
    if not household_ids:
        return []
    today = today or timezone.localdate()
    return [
        ReviewDue(*row)
        for row in Plan.objects.filter(
            household_id__in=household_ids,
            next_review_on__lte=today + dt.timedelta(days=within_days),
        )
        .order_by("next_review_on", "household__reference")
        .values_list("household_id", "household__reference", "next_review_on")
    ]
