"""Writes of the household plan: open it, add and edit goals, add steps and tick them off,
record a review, change the review interval (docs/plans.md).

Every service:

- checks the one door again (the actor must be able to do casework on the household,
  caseload/access.py); a refusal is audited and is a 404 (ClientNotVisible);
- validates first and answers in Dutch per field (ValidationError), writing nothing on error;
- runs in one transaction: the change, the plan's new version (core/concurrency.py:
  `versioned_update`, so two people never silently overwrite each other), one new PlanVersion
  with the whole plan, and an audit row with codes and counts only — never the goal's or
  step's text, the ambition or a note.

Edits that can clash take `expected_version` (the plan version the user saw) and raise
ConflictError when the plan moved on. Adding a goal or step does not overwrite anything, so the
version is optional there; when given, it is checked too.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import (
    ClientNotVisible,
    actor_may_do_casework,
    clients_visible_to,
    households_visible_to,
)
from meedoen.caseload.contacts import Errors, actor_name
from meedoen.clients.models import Household, HouseholdMembership
from meedoen.core.concurrency import version_check, versioned_update
from meedoen.instruments.constants import OPEN_STATUSES
from meedoen.instruments.models import Enrolment
from meedoen.partners.models import Organisation
from meedoen.plans.constants import (
    ACTIVE_GOAL_STATUSES,
    CLOSED_GOAL_STATUSES,
    DEFAULT_REVIEW_INTERVAL_MONTHS,
    REVIEW_INTERVAL_MAX,
    REVIEW_INTERVAL_MIN,
    REVIEW_RESULTS,
    AuthorKind,
    GoalStatus,
    OwnerKind,
    PlanChange,
    StepStatus,
)
from meedoen.plans.inputs import GoalInput, GoalUpdate, ReviewInput, StepInput
from meedoen.plans.models import (
    Goal,
    Plan,
    PlanVersion,
    PlanVersionMember,
    Review,
    ReviewOutcome,
    Step,
)
from meedoen.plans.selectors import goals_with_steps
from meedoen.plans.workflow import step_may_move
from meedoen.profiles.constants import ObstacleCategory, ZrmDomain

PURPOSE = "casework"
WHAT_MAX = 500
AMBITION_MAX = 1_000
DESCRIPTION_MAX = 1_000
NOTE_MAX = 5_000
# Goals and steps are small and achievable: a date beyond five years is a typo, not a plan.
AHEAD = dt.timedelta(days=5 * 366)


def months_after(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _check_household(*, actor: Any, household_id: Any, action: str, origin: Origin) -> None:
    """The door's rule, checked again at the write; a refusal is audited and is a 404."""
    if actor_may_do_casework(actor) and (
        households_visible_to(actor=actor).filter(pk=household_id).exists()
    ):
        return
    audit_record(
        actor=actor,
        action=action,
        origin=origin,
        purpose=PURPOSE,
        result=Result.DENIED,
        detail={"household_id": str(household_id)},
    )
    raise ClientNotVisible


def _plan_for_write(plan: Plan, expected_version: int | None) -> Plan:
    """The plan row as it is now, locked for this transaction (PostgreSQL; SQLite serialises
    writers anyway), checked against the version the user saw."""
    current = Plan.objects.select_for_update().get(pk=plan.pk)
    if expected_version is not None:
        version_check(current, expected_version)
    return current


def _check_text(errors: Errors, name: str, value: str, maximum: int, *, required: bool) -> None:
    if required and not value.strip():
        errors.add(name, _("Vul dit in."))
    elif len(value) > maximum:
        errors.add(name, _("Gebruik hoogstens %(max)s tekens.") % {"max": maximum})


def _check_due(errors: Errors, name: str, due_on: dt.date, *, today: dt.date) -> None:
    if due_on < today:
        errors.add(name, _("Deze datum ligt in het verleden; kies een datum vanaf vandaag."))
    elif due_on > today + AHEAD:
        errors.add(name, _("Deze datum ligt meer dan vijf jaar vooruit; maak het doel kleiner."))


def _check_choice(errors: Errors, name: str, value: str, choices: Any, *, blank: bool) -> None:
    if (value or not blank) and value not in choices:
        errors.add(name, _("Kies uit de lijst."))


# Versions --------------------------------------------------------------------------------------


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _goal_json(goal: Goal) -> dict[str, Any]:
    return {
        "id": str(goal.pk),
        "domain": goal.domain,
        "what": goal.what,
        "due_on": _iso(goal.due_on),
        "status": goal.status,
        "achieved_on": _iso(goal.achieved_on),
        "obstacle": goal.obstacle,
        "ambition": goal.ambition,
        "author_kind": goal.author_kind,
        "position": goal.position,
        "steps": [
            {
                "id": str(step.pk),
                "description": step.description,
                "owner_kind": step.owner_kind,
                "organisation_id": str(step.organisation_id) if step.organisation_id else None,
                "organisation": step.organisation.name if step.organisation else "",
                "due_on": _iso(step.due_on),
                "status": step.status,
                "done_on": _iso(step.done_on),
                "author_kind": step.author_kind,
                "completed_by_kind": step.completed_by_kind,
                "position": step.position,
                "enrolment_id": str(step.enrolment_id) if step.enrolment_id else None,
                "instrument": step.enrolment.instrument.name if step.enrolment else "",
            }
            for step in goal.steps.all()
        ],
    }


def _version_append(*, plan: Plan, actor: Any, change: str) -> PlanVersion:
    """Append the plan as it is now as version `plan.version`: three queries (goals, steps,
    the version) and one bulk insert, whatever the plan's size."""
    by_member: dict[Any, list[dict[str, Any]]] = {}
    for goal in goals_with_steps(plan.pk):
        by_member.setdefault(goal.member_id, []).append(_goal_json(goal))
    version = PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        at=timezone.now(),
        change=change,
        actor_name=actor_name(actor),
        snapshot={
            "review_interval_months": plan.review_interval_months,
            "next_review_on": _iso(plan.next_review_on),
        },
    )
    if by_member:
        PlanVersionMember.objects.bulk_create(
            [
                PlanVersionMember(version=version, member_id=member_id, goals=goals)
                for member_id, goals in by_member.items()
            ]
        )
    return version


def _commit(*, plan: Plan, actor: Any, change: str, values: dict[str, Any] | None = None) -> None:
    """Bump the plan's version (with `values`) and append the version row. The plan was locked
    and checked by `_plan_for_write`; the guarded UPDATE catches anything in between."""
    versioned_update(plan, expected_version=plan.version, values=values or {})
    _version_append(plan=plan, actor=actor, change=change)


def _audit(
    *,
    actor: Any,
    action: str,
    origin: Origin,
    obj: Any,
    plan: Plan,
    subject_id: object = None,
    **detail: Any,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        origin=origin,
        obj=obj,
        subject_id=subject_id,
        purpose=PURPOSE,
        detail={"household_id": str(plan.household_id), "version": plan.version, **detail},
    )


# The plan --------------------------------------------------------------------------------------


def plan_open(*, actor: Any, household: Household, origin: Origin) -> Plan:
    """The household's plan; made (version 1, first review after the default interval) when
    there is none yet. Opening an existing plan writes nothing."""
    action = "plans.plan.create"
    _check_household(actor=actor, household_id=household.pk, action=action, origin=origin)
    existing = Plan.objects.filter(household_id=household.pk).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                municipality_id=household.municipality_id,
                household=household,
                review_interval_months=DEFAULT_REVIEW_INTERVAL_MONTHS,
                next_review_on=months_after(timezone.localdate(), DEFAULT_REVIEW_INTERVAL_MONTHS),
                created_by=actor,
            )
            _version_append(plan=plan, actor=actor, change=PlanChange.CREATE)
            _audit(actor=actor, action=action, origin=origin, obj=plan, plan=plan)
    except IntegrityError:
        # A colleague opened it at the same moment (one plan per household): theirs is ours.
        return Plan.objects.get(household_id=household.pk)
    return plan


def plan_review_interval_set(
    *, actor: Any, plan: Plan, months: int, expected_version: int, origin: Origin
) -> Plan:
    """Review every `months` months from now on: the next review moves to the last review (or
    the plan's start) plus the new interval."""
    action = "plans.plan.review_interval"
    _check_household(actor=actor, household_id=plan.household_id, action=action, origin=origin)
    with transaction.atomic():
        plan = _plan_for_write(plan, expected_version)
        if not isinstance(months, int) or not REVIEW_INTERVAL_MIN <= months <= REVIEW_INTERVAL_MAX:
            raise ValidationError(
                {
                    "review_interval_months": _(
                        "Kies een termijn van %(min)s tot en met %(max)s maanden."
                    )
                    % {"min": REVIEW_INTERVAL_MIN, "max": REVIEW_INTERVAL_MAX}
                }
            )
        if months == plan.review_interval_months:
            return plan
        last = (
            Review.objects.filter(plan_id=plan.pk)
            .order_by("-held_on")
            .values_list("held_on", flat=True)
            .first()
        )
        start = last or timezone.localdate(plan.created_at)
        _commit(
            plan=plan,
            actor=actor,
            change=PlanChange.REVIEW_INTERVAL,
            values={
                "review_interval_months": months,
                "next_review_on": months_after(start, months),
            },
        )
        _audit(actor=actor, action=action, origin=origin, obj=plan, plan=plan, months=months)
    return plan


# Goals -----------------------------------------------------------------------------------------


def _current_member_ids(household_id: Any) -> set[Any]:
    return set(
        HouseholdMembership.objects.filter(
            household_id=household_id, end_date__isnull=True
        ).values_list("client_id", flat=True)
    )


def _goal_fields(errors: Errors, data: GoalInput | GoalUpdate) -> None:
    _check_choice(errors, "domain", data.domain, ZrmDomain.values, blank=False)
    _check_text(errors, "what", data.what, WHAT_MAX, required=True)
    _check_choice(errors, "obstacle", data.obstacle, ObstacleCategory.values, blank=True)
    _check_text(errors, "ambition", data.ambition, AMBITION_MAX, required=False)


def goal_add(
    *,
    actor: Any,
    plan: Plan,
    data: GoalInput,
    origin: Origin,
    expected_version: int | None = None,
) -> Goal:
    """Add a goal for a current member of the household, last in that member's list."""
    action = "plans.goal.create"
    _check_household(actor=actor, household_id=plan.household_id, action=action, origin=origin)
    with transaction.atomic():
        plan = _plan_for_write(plan, expected_version)
        errors = Errors()
        try:
            member_id: Any = uuid.UUID(str(data.member_id))
        except ValueError:
            member_id = None
        if member_id is None or member_id not in _current_member_ids(plan.household_id):
            errors.add("member", _("Kies iemand die nu tot het huishouden hoort."))
        return _goal_create(
            errors,
            actor=actor,
            action=action,
            origin=origin,
            plan=plan,
            member_id=member_id,
            data=data,
        )


def _goal_create(
    errors: Errors,
    *,
    actor: Any,
    action: str,
    origin: Origin,
    plan: Plan,
    member_id: Any,
    data: GoalInput,
) -> Goal:
    """The one create path of a goal, for the coach (goal_add) and the client
    (services_client.client_goal_add): the checks per field after the caller's own (already in
    `errors`), then the goal last in the member's list, the plan's new version and the audit
    row. Inside the caller's transaction, on the plan it locked."""
    _goal_fields(errors, data)
    _check_due(errors, "due_on", data.due_on, today=timezone.localdate())
    _check_choice(errors, "author_kind", data.author_kind, AuthorKind.values, blank=False)
    errors.raise_if_any()
    last = Goal.objects.filter(plan_id=plan.pk, member_id=member_id).aggregate(
        last=Max("position")
    )["last"]
    goal = Goal.objects.create(
        plan=plan,
        member_id=member_id,
        domain=data.domain,
        what=data.what.strip(),
        due_on=data.due_on,
        obstacle=data.obstacle,
        ambition=data.ambition.strip(),
        author_kind=data.author_kind,
        position=0 if last is None else last + 1,
    )
    _commit(plan=plan, actor=actor, change=PlanChange.GOAL_ADD)
    _audit(
        actor=actor,
        action=action,
        origin=origin,
        obj=goal,
        plan=plan,
        subject_id=member_id,
        domain=goal.domain,
        author_kind=goal.author_kind,
    )
    return goal


def goal_update(
    *,
    actor: Any,
    goal: Goal,
    data: GoalUpdate,
    expected_version: int,
    origin: Origin,
) -> list[str]:
    """Change a goal (also: its status, e.g. drop it) if the plan is still at
    `expected_version`; returns the changed fields, writes nothing when none changed."""
    action = "plans.goal.update"
    plan_id = goal.plan_id
    household_id = Plan.objects.filter(pk=plan_id).values_list("household_id", flat=True).first()
    _check_household(actor=actor, household_id=household_id, action=action, origin=origin)
    with transaction.atomic():
        plan = _plan_for_write(Plan(pk=plan_id), expected_version)
        goal = Goal.objects.get(pk=goal.pk)
        errors = Errors()
        _goal_fields(errors, data)
        _check_choice(errors, "status", data.status, GoalStatus.values, blank=False)
        if data.due_on != goal.due_on:
            # An overdue goal may still be edited; only a new date must lie ahead.
            _check_due(errors, "due_on", data.due_on, today=timezone.localdate())
        errors.raise_if_any()
        values: dict[str, Any] = {
            "domain": data.domain,
            "what": data.what.strip(),
            "due_on": data.due_on,
            "status": data.status,
            "obstacle": data.obstacle,
            "ambition": data.ambition.strip(),
        }
        if data.status != GoalStatus.ACHIEVED:
            values["achieved_on"] = None
        elif goal.status != GoalStatus.ACHIEVED:
            values["achieved_on"] = timezone.localdate()
        changed = {k: v for k, v in values.items() if getattr(goal, k) != v}
        if not changed:
            return []
        for name, value in changed.items():
            setattr(goal, name, value)
        goal.save(update_fields=[*changed, "updated_at"])
        _commit(plan=plan, actor=actor, change=PlanChange.GOAL_UPDATE)
        fields = sorted(changed)
        _audit(
            actor=actor,
            action=action,
            origin=origin,
            obj=goal,
            plan=plan,
            subject_id=goal.member_id,
            fields=fields,
            status=goal.status,
        )
    return fields


# Steps -----------------------------------------------------------------------------------------


def step_add(
    *,
    actor: Any,
    goal: Goal,
    data: StepInput,
    origin: Origin,
    expected_version: int | None = None,
) -> Step:
    """Add a small step to a running goal, last in its list."""
    action = "plans.step.create"
    plan = Plan.objects.get(pk=goal.plan_id)
    _check_household(actor=actor, household_id=plan.household_id, action=action, origin=origin)
    with transaction.atomic():
        plan = _plan_for_write(plan, expected_version)
        goal = Goal.objects.get(pk=goal.pk)
        errors = Errors()
        if goal.status in CLOSED_GOAL_STATUSES:
            errors.add(
                "goal", _("Dit doel is afgerond of vervallen; voeg er geen stappen aan toe.")
            )
        _step_fields(errors, data)
        organisation_id = None
        if data.owner_kind == OwnerKind.PARTNER:
            organisation_id = (
                Organisation.objects.filter(
                    pk=data.organisation_id,
                    municipality_id=plan.municipality_id,
                    is_active=True,
                )
                .values_list("pk", flat=True)
                .first()
                if data.organisation_id
                else None
            )
            if organisation_id is None:
                errors.add(
                    "organisation",
                    _("Kies een actieve partnerorganisatie van deze gemeente."),
                )
        elif data.organisation_id is not None:
            errors.add(
                "organisation",
                _("Een organisatie hoort alleen bij een stap van een partnerorganisatie."),
            )
        enrolment_id = _check_enrolment(
            errors, actor=actor, goal=goal, enrolment_id=data.enrolment_id
        )
        errors.raise_if_any()
        return _step_create(
            actor=actor,
            action=action,
            origin=origin,
            plan=plan,
            goal=goal,
            data=data,
            organisation_id=organisation_id,
            enrolment_id=enrolment_id,
            enrolment=str(enrolment_id) if enrolment_id else None,
        )


def _step_fields(errors: Errors, data: StepInput) -> None:
    _check_text(errors, "description", data.description, DESCRIPTION_MAX, required=True)
    _check_choice(errors, "owner_kind", data.owner_kind, OwnerKind.values, blank=False)
    _check_due(errors, "due_on", data.due_on, today=timezone.localdate())
    _check_choice(errors, "author_kind", data.author_kind, AuthorKind.values, blank=False)


def _step_create(
    *,
    actor: Any,
    action: str,
    origin: Origin,
    plan: Plan,
    goal: Goal,
    data: StepInput,
    organisation_id: Any = None,
    enrolment_id: Any = None,
    **detail: Any,
) -> Step:
    """The one create path of a step, for the coach (step_add) and the client
    (services_client.client_step_add), once every check passed (`_step_fields` and the
    caller's own): the step last in the goal's list, the plan's new version and the audit row
    (with the caller's extra `detail`). Inside the caller's transaction, on the plan it locked."""
    last = Step.objects.filter(goal_id=goal.pk).aggregate(last=Max("position"))["last"]
    step = Step.objects.create(
        goal=goal,
        description=data.description.strip(),
        owner_kind=data.owner_kind,
        organisation_id=organisation_id,
        due_on=data.due_on,
        author_kind=data.author_kind,
        position=0 if last is None else last + 1,
        enrolment_id=enrolment_id,
    )
    _commit(plan=plan, actor=actor, change=PlanChange.STEP_ADD)
    _audit(
        actor=actor,
        action=action,
        origin=origin,
        obj=step,
        plan=plan,
        subject_id=goal.member_id,
        goal=str(goal.pk),
        owner_kind=step.owner_kind,
        author_kind=step.author_kind,
        **detail,
    )
    return step


def _check_enrolment(
    errors: Errors, *, actor: Any, goal: Goal, enrolment_id: object
) -> uuid.UUID | None:
    """The enrolment a step may point at: an open one (requested, waiting, started) of the
    goal's member, whom the actor may see through the door. None when none was asked for."""
    if enrolment_id is None:
        return None
    try:
        pk = uuid.UUID(str(enrolment_id))
    except ValueError:
        pk = None
    found = (
        Enrolment.objects.filter(
            pk=pk,
            client_id=goal.member_id,
            client__in=clients_visible_to(actor=actor).values("pk"),
        )
        .values_list("pk", "status")
        .first()
        if pk
        else None
    )
    if found is None:
        errors.add(
            "enrolment",
            _("Kies een deelname aan een instrument van degene voor wie dit doel is."),
        )
        return None
    if found[1] not in OPEN_STATUSES:
        errors.add(
            "enrolment",
            _("Deze deelname is al afgerond of gestopt; kies een lopende deelname."),
        )
        return None
    return found[0]


def step_enrolment_link(
    *,
    actor: Any,
    step: Step,
    enrolment: Enrolment | None,
    expected_version: int,
    origin: Origin,
) -> Step:
    """Point a step at an open enrolment of its goal's member, or at none (`enrolment=None`).
    Writes nothing when the step already points there."""
    action = "plans.step.enrolment"
    plan_id, household_id = Goal.objects.filter(pk=step.goal_id).values_list(
        "plan_id", "plan__household_id"
    ).first() or (None, None)
    _check_household(actor=actor, household_id=household_id, action=action, origin=origin)
    with transaction.atomic():
        plan = _plan_for_write(Plan(pk=plan_id), expected_version)
        step = Step.objects.select_related("goal").get(pk=step.pk)
        errors = Errors()
        enrolment_id = _check_enrolment(
            errors,
            actor=actor,
            goal=step.goal,
            enrolment_id=enrolment.pk if enrolment is not None else None,
        )
        errors.raise_if_any()
        if enrolment_id == step.enrolment_id:
            return step
        step.enrolment_id = enrolment_id
        step.save(update_fields=["enrolment", "updated_at"])
        _commit(plan=plan, actor=actor, change=PlanChange.STEP_ENROLMENT)
        _audit(
            actor=actor,
            action=action,
            origin=origin,
            obj=step,
            plan=plan,
            subject_id=step.goal.member_id,
            enrolment=str(enrolment_id) if enrolment_id else None,
        )
    return step


def step_update_status(
    *,
    actor: Any,
    step: Step,
    status: str,
    expected_version: int,
    origin: Origin,
    completed_by_kind: str = AuthorKind.COACH,
    done_on: dt.date | None = None,
) -> Step:
    """Mark a step done (on `done_on`, default today, by the coach or the client), cancel it,
    or reopen a done or cancelled step (workflow.STEP_TRANSITIONS)."""
    action = "plans.step.status"
    plan_id, household_id = Goal.objects.filter(pk=step.goal_id).values_list(
        "plan_id", "plan__household_id"
    ).first() or (None, None)
    _check_household(actor=actor, household_id=household_id, action=action, origin=origin)
    with transaction.atomic():
        plan = _plan_for_write(Plan(pk=plan_id), expected_version)
        step = Step.objects.select_related("goal").get(pk=step.pk)
        today = timezone.localdate()
        errors = Errors()
        if status not in StepStatus.values:
            errors.add("status", _("Kies uit de lijst."))
        elif status == step.status:
            errors.add("status", _("De stap heeft deze status al."))
        elif not step_may_move(step.status, status):
            errors.add("status", _("Deze stap kan niet van deze status naar die status."))
        values: dict[str, Any] = {"status": status, "done_on": None, "completed_by_kind": ""}
        if status == StepStatus.DONE:
            _check_choice(
                errors, "completed_by_kind", completed_by_kind, AuthorKind.values, blank=False
            )
            done_on = done_on or today
            if done_on > today:
                errors.add("done_on", _("Deze datum ligt in de toekomst."))
            values.update(done_on=done_on, completed_by_kind=completed_by_kind)
        errors.raise_if_any()
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
            subject_id=step.goal.member_id,
            status=status,
            completed_by_kind=step.completed_by_kind,
        )
    return step


# Reviews ---------------------------------------------------------------------------------------


def review_record(
    *,
    actor: Any,
    plan: Plan,
    data: ReviewInput,
    expected_version: int,
    origin: Origin,
) -> Review:
    """Record an evaluatiemoment with an outcome for every running goal, in one go.

    Each goal takes its outcome as status (achieved: `achieved_on` = the review's date), and the
    next review moves to `held_on` plus the plan's interval.
    """
    action = "plans.review.create"
    _check_household(actor=actor, household_id=plan.household_id, action=action, origin=origin)
    with transaction.atomic():
        plan = _plan_for_write(plan, expected_version)
        today = timezone.localdate()
        errors = Errors()
        last = (
            Review.objects.filter(plan_id=plan.pk)
            .order_by("-held_on")
            .values_list("held_on", flat=True)
            .first()
        )
        if data.held_on > today:
            errors.add("held_on", _("Deze datum ligt in de toekomst."))
        elif data.held_on < timezone.localdate(plan.created_at):
            errors.add("held_on", _("Het plan bestond op deze datum nog niet."))
        elif last is not None and data.held_on < last:
            errors.add(
                "held_on",
                _("Er is al een evaluatie van %(date)s; een latere kan niet eerder liggen.")
                % {"date": last.strftime("%d-%m-%Y")},
            )
        _check_text(errors, "note", data.note, NOTE_MAX, required=False)
        goals = {goal.pk: goal for goal in Goal.objects.filter(plan_id=plan.pk)}
        seen: set[Any] = set()
        for outcome in data.outcomes:
            goal_id: Any
            try:
                goal_id = uuid.UUID(str(outcome.goal_id))
            except ValueError:
                goal_id = None
            goal = goals.get(goal_id)
            if goal is None:
                errors.add(
                    "outcomes", _("Een uitkomst hoort bij een doel dat niet in dit plan staat.")
                )
            elif goal_id in seen:
                errors.add("outcomes", _("Geef per doel één uitkomst."))
            elif goal.status in CLOSED_GOAL_STATUSES:
                errors.add(
                    "outcomes",
                    _("Een behaald of vervallen doel krijgt geen uitkomst meer."),
                )
            if outcome.result not in REVIEW_RESULTS:
                errors.add(
                    "outcomes",
                    _("Kies als uitkomst behaald, deels behaald, niet behaald of bijgesteld."),
                )
            if len(outcome.note) > NOTE_MAX:
                errors.add("outcomes", _("Gebruik hoogstens %(max)s tekens.") % {"max": NOTE_MAX})
            seen.add(goal_id)
        missing = [
            g for g in goals.values() if g.status in ACTIVE_GOAL_STATUSES and g.pk not in seen
        ]
        if missing:
            errors.add(
                "outcomes",
                _("Geef een uitkomst voor elk lopend doel; er ontbreken er %(count)s.")
                % {"count": len(missing)},
            )
        errors.raise_if_any()
        review = Review.objects.create(
            plan=plan,
            held_on=data.held_on,
            note=data.note.strip(),
            recorded_by=actor,
            recorded_by_name=actor_name(actor),
        )
        outcomes = []
        changed_goals = []
        now = timezone.now()
        for outcome in data.outcomes:
            goal = goals[uuid.UUID(str(outcome.goal_id))]
            outcomes.append(
                ReviewOutcome(
                    review=review, goal=goal, result=outcome.result, note=outcome.note.strip()
                )
            )
            goal.status = outcome.result
            goal.achieved_on = data.held_on if outcome.result == GoalStatus.ACHIEVED else None
            goal.updated_at = now
            changed_goals.append(goal)
        ReviewOutcome.objects.bulk_create(outcomes)
        Goal.objects.bulk_update(changed_goals, ["status", "achieved_on", "updated_at"])
        _commit(
            plan=plan,
            actor=actor,
            change=PlanChange.REVIEW,
            values={"next_review_on": months_after(data.held_on, plan.review_interval_months)},
        )
        _audit(
            actor=actor,
            action=action,
            origin=origin,
            obj=review,
            plan=plan,
            outcomes=len(outcomes),
            results=dict(Counter(o.result for o in outcomes)),
        )
    return review
