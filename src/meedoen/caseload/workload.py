"""Caseload against target: the team view and the queue of unassigned households (issue 5).

Selectors only, each a fixed number of queries whatever the size of the team or the caseloads:
the loads are conditional aggregates over the open-assignment join, the queue is one annotated
queryset (subqueries on the household's members and its last ended assignment).

The weighted load of a coach is the sum of INTENSITY_WEIGHTS over their open assignments; the
target is the team's CaseloadPolicy.caseload_target (DEFAULT_CASELOAD_TARGET without a policy
row) times the coach's CoachProfile.hours_factor (1 without a profile). docs/caseload.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from meedoen.accounts.constants import Role
from meedoen.accounts.models import User
from meedoen.caseload.access import actor_may_do_casework, households_visible_to
from meedoen.caseload.constants import DEFAULT_CASELOAD_TARGET, INTENSITY_WEIGHTS
from meedoen.caseload.models import Assignment, CaseloadPolicy, Cover
from meedoen.clients.models import Client, Household

OPEN = Q(assignments__end_date__isnull=True)


def actor_is_team_lead(actor: Any) -> bool:
    """An active team lead with a team: the only one who manages caseloads on screen."""
    return (
        actor_may_do_casework(actor)
        and actor.role == Role.TEAM_LEAD
        and getattr(actor, "team_id", None) is not None
    )


def half_units_expression(prefix: str = "assignments__") -> Case:
    """The weight of one assignment in half households (integers: exact on every database)."""
    return Case(
        *(
            When(**{f"{prefix}intensity": intensity}, then=Value(round(weight * 2)))
            for intensity, weight in INTENSITY_WEIGHTS.items()
        ),
        # No default: the LEFT JOIN's empty row of a coach without assignments must add nothing.
        output_field=IntegerField(),
    )


def load_annotations() -> dict[str, Any]:
    """Households and weighted load (in half units) over a User queryset's open assignments."""
    return {
        "open_households": Count("assignments", filter=OPEN),
        "load_half_units": Coalesce(
            Sum(half_units_expression(), filter=OPEN), Value(0), output_field=IntegerField()
        ),
    }


def coach_target(team_target_value: int, user: User) -> Decimal:
    profile = getattr(user, "coach_profile", None) if _has_profile(user) else None
    factor = profile.hours_factor if profile is not None else Decimal(1)
    return (Decimal(team_target_value) * Decimal(factor)).quantize(Decimal("0.1"))


def _has_profile(user: User) -> bool:
    try:
        return user.coach_profile is not None
    except User.coach_profile.RelatedObjectDoesNotExist:
        return False


def percent(load: Decimal, target: Decimal) -> int:
    return round(load * 100 / target) if target else 0


@dataclass
class CoachLoad:
    coach: User
    households: int
    load: Decimal
    target: Decimal
    accepts_new: bool
    covers: list[Cover] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return percent(self.load, self.target)

    @property
    def bar_percent(self) -> int:
        """The bar's width: capped at 100 so an overloaded coach's bar stays inside its cell."""
        return min(self.percent, 100)

    @property
    def over_target(self) -> bool:
        return self.load > self.target


def coach_load(user: User, team_target_value: int) -> CoachLoad:
    """From a User annotated with load_annotations() and select_related('coach_profile')."""
    profile = user.coach_profile if _has_profile(user) else None
    return CoachLoad(
        coach=user,
        households=user.open_households,  # type: ignore[attr-defined]
        load=Decimal(user.load_half_units) / 2,  # type: ignore[attr-defined]
        target=coach_target(team_target_value, user),
        accepts_new=profile.accepts_new if profile is not None else True,
    )


def team_members(team_id: Any) -> QuerySet[User]:
    """The team's coaches, and anyone else of the team who holds a caseload (a team lead)."""
    return (
        User.objects.filter(team_id=team_id, is_active=True)
        .select_related("coach_profile")
        .annotate(**load_annotations())
        .filter(Q(role=Role.COACH) | Q(open_households__gt=0))
        .order_by("last_name", "first_name", "username")
    )


@dataclass
class TeamCaseload:
    target: int
    has_policy: bool
    coaches: list[CoachLoad]

    @property
    def households(self) -> int:
        return sum(row.households for row in self.coaches)

    @property
    def load(self) -> Decimal:
        return sum((row.load for row in self.coaches), Decimal(0))

    @property
    def capacity(self) -> Decimal:
        return sum((row.target for row in self.coaches), Decimal(0))


def team_caseload(*, team_id: Any) -> TeamCaseload:
    """Every coach of the team with households, weighted load, target and the covers in force
    (for or by them). Three queries, whatever the team's size."""
    policy = CaseloadPolicy.objects.filter(team_id=team_id).first()
    target = policy.caseload_target if policy else DEFAULT_CASELOAD_TARGET
    rows = [coach_load(user, target) for user in team_members(team_id)]
    ids = [row.coach.pk for row in rows]
    covers = (
        Cover.objects.active_on(timezone.localdate())
        .filter(Q(absent_coach_id__in=ids) | Q(covering_coach_id__in=ids))
        .select_related("absent_coach", "covering_coach")
        .order_by("start_date")
    )
    by_coach: dict[object, list[Cover]] = {}
    for cover in covers:
        by_coach.setdefault(cover.absent_coach_id, []).append(cover)
        if cover.covering_coach_id != cover.absent_coach_id:
            by_coach.setdefault(cover.covering_coach_id, []).append(cover)
    for row in rows:
        row.covers = by_coach.get(row.coach.pk, [])
    return TeamCaseload(target=target, has_policy=policy is not None, coaches=rows)


def assignment_queue(*, actor: Any) -> QuerySet[Household]:
    """Households of the actor's municipality without an open assignment, newest first, with
    the wijk (select_related address), member count and since when unassigned (the end of the
    last assignment, or the day the household came in). Empty for anyone but a team lead with a
    team (the door decides). One query per page plus the paginator's count."""
    if not actor_is_team_lead(actor):
        return Household.objects.none()
    open_assignment = Assignment.objects.open().filter(household_id=OuterRef("pk"))
    members = (
        Client.objects.filter(household_id=OuterRef("pk"))
        .order_by()
        .values("household_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_end = (
        Assignment.objects.filter(household_id=OuterRef("pk"))
        .order_by()
        .values("household_id")
        .annotate(last=Max("end_date"))
        .values("last")
    )
    return (
        households_visible_to(actor=actor)
        .filter(~Exists(open_assignment))
        .select_related("address")
        .annotate(
            member_count=Coalesce(Subquery(members), Value(0), output_field=IntegerField()),
            unassigned_since=Coalesce(
                Subquery(last_end, output_field=DateField()),
                TruncDate("created_at"),
                output_field=DateField(),
            ),
        )
        .order_by("-unassigned_since", "-created_at", "pk")
    )
