"""The household plan as pages (docs/plans.md): the plan with goals per member, steps, the latest
review and relapses; opening it, adding and changing goals, adding steps and ticking them off,
recording a review, changing the review interval; the history and the plan as it was on a date.

Thin: households come through the door (caseload.access.household_get_for_actor, an audited
read), goals and steps through plans.selectors (the same door), writes go through
plans.services. Every change carries the plan version the page showed; when someone changed the
plan in between the page answers 409 and nothing is overwritten
(docs/development/concurrency.md). After a successful POST: 303 to the plan with a message.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from meedoen.audit.services import Origin
from meedoen.clients.models import Household, HouseholdMembership
from meedoen.core.concurrency import ConflictError
from meedoen.partners.selectors import organisation_choices
from meedoen.plans.constants import ACTIVE_GOAL_STATUSES, GoalStatus, StepStatus
from meedoen.plans.models import Goal, Plan
from meedoen.plans.selectors import (
    PlanView,
    goal_get_for_actor,
    plan_as_of,
    plan_client_ownership,
    plan_for_household,
    plan_versions,
    step_enrolment_choices,
    step_get_for_actor,
)
from meedoen.plans.selectors_agreement import agreements_for_plan
from meedoen.plans.services import (
    goal_add,
    goal_update,
    plan_open,
    plan_review_interval_set,
    review_record,
    step_add,
    step_update_status,
)
from meedoen.profiles.constants import ObstacleCategory, ZrmDomain
from meedoen.web.forms_plan import (
    STEP_BUTTONS,
    AgreementSignedForm,
    GoalEditForm,
    GoalForm,
    ReviewForm,
    ReviewIntervalForm,
    StepForm,
    StepStatusForm,
    goal_initial,
)
from meedoen.web.shortcuts import casework_household, current_members, see_other

VERSIONS_PER_PAGE = 50


def _plan_url(household_id: object, anchor: str = "") -> str:
    url = reverse("web:plan_detail", kwargs={"household_id": household_id})
    return f"{url}#{anchor}" if anchor else url


def _existing_plan(household: Household) -> Plan:
    """The household's plan; a form for a plan that does not exist yet is a 404."""
    plan = Plan.objects.filter(household_id=household.pk).first()
    if plan is None:
        raise Http404
    return plan


# --- the plan page -------------------------------------------------------------------------------


def _plan_context(view: PlanView) -> dict[str, Any]:
    """Goals grouped by member; each step with the buttons it may get; each outcome of the latest
    review with its goal (from the goals already read: no query per row)."""
    goals_by_id = {goal.pk: goal for goal in view.goals}
    for goal in view.goals:
        goal.running = goal.status in ACTIVE_GOAL_STATUSES  # type: ignore[attr-defined]
        for step in goal.steps.all():
            step.buttons = STEP_BUTTONS.get(step.status, [])  # type: ignore[attr-defined]
    outcomes = []
    if view.latest_review is not None:
        for outcome in view.latest_review.outcomes.all():
            reviewed = goals_by_id.get(outcome.goal_id)
            if reviewed is not None:
                outcome.goal = reviewed  # fills the relation's cache: no query
                outcomes.append(outcome)
    groups = [
        {"member": goals[0].member, "goals": goals}
        for goals in (
            list(group) for _key, group in itertools.groupby(view.goals, key=lambda g: g.member_id)
        )
    ]
    return {"view": view, "plan": view.plan, "groups": groups, "outcomes": outcomes}


def _plan_page(
    request: HttpRequest,
    household: Household,
    *,
    interval_form: ReviewIntervalForm | None = None,
    step_errors: list[str] | None = None,
    conflict: bool = False,
    status: int = 200,
) -> HttpResponse:
    """The plan page. After a conflict (`conflict`, 409) it says that nothing was saved and
    shows the plan as it is now, with fresh versions in every form."""
    view = plan_for_household(household=household)
    context: dict[str, Any] = {
        "household": household,
        "view": None,
        "step_errors": step_errors,
        "conflict": conflict,
    }
    if view is not None:
        context.update(_plan_context(view))
        context["ownership"] = plan_client_ownership(plan=view.plan)
        context["agreements"] = agreements_for_plan(plan_id=view.plan.pk)
        context["signed_form"] = AgreementSignedForm(initial={"signed_on": timezone.localdate()})
        context["interval_form"] = interval_form or ReviewIntervalForm(
            initial={
                "version": view.plan.version,
                "review_interval_months": view.plan.review_interval_months,
            }
        )
    return render(request, "web/plan/detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, household_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    household = casework_household(request, household_id, origin)
    if request.method == "GET":
        return _plan_page(request, household)
    existed = Plan.objects.filter(household_id=household.pk).exists()
    plan_open(actor=request.user, household=household, origin=origin)
    messages.success(
        request,
        _("Dit huishouden had al een plan.") if existed else _("Het plan van aanpak is gemaakt."),
    )
    return see_other(_plan_url(household.pk))


# --- goals -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest, household_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    household = casework_household(request, household_id, origin)
    plan = _existing_plan(household)
    members = current_members(household.pk)
    template = "web/plan/goal_form.html"
    if request.method == "GET":
        form = GoalForm(members=members)
        return render(request, template, {"household": household, "form": form})
    form = GoalForm(request.POST, members=members)
    if form.is_valid():
        try:
            goal = goal_add(actor=request.user, plan=plan, data=form.to_input(), origin=origin)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Het doel is aan het plan toegevoegd."))
            return see_other(_plan_url(household.pk, f"doel-{goal.pk}"))
    return render(request, template, {"household": household, "form": form}, status=400)


def _choice_label(choices: Any, value: Any) -> str:
    return str(dict(choices).get(value, value or ""))


def _goal_conflict(request: HttpRequest, goal_id: object, typed: Any, origin: Origin) -> Any:
    """The goal as it is now beside what was typed, and a fresh form with the current values."""
    goal = goal_get_for_actor(actor=request.user, goal_id=goal_id, origin=origin)
    rows = [
        (
            _("Leefgebied"),
            goal.get_domain_display(),
            _choice_label(ZrmDomain.choices, typed.get("domain")),
        ),
        (_("Wat"), goal.what, typed.get("what", "")),
        (_("Wanneer bereikt"), date_format(goal.due_on, "d-m-Y"), typed.get("due_on", "")),
        (
            _("Stand"),
            goal.get_status_display(),
            _choice_label(GoalStatus.choices, typed.get("status")),
        ),
        (
            _("Belemmering"),
            goal.get_obstacle_display(),
            _choice_label(ObstacleCategory.choices, typed.get("obstacle")),
        ),
        (_("Ambitie"), goal.ambition, typed.get("ambition", "")),
    ]
    conflict = [
        {"label": label, "current": current, "typed": " ".join(str(mine).split())}
        for label, current, mine in rows
    ]
    form = GoalEditForm(initial=goal_initial(goal, goal.plan.version))
    return render(
        request,
        "web/plan/goal_form.html",
        {"household": goal.plan.household, "form": form, "goal": goal, "conflict": conflict},
        status=409,
    )


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, goal_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    goal = goal_get_for_actor(
        actor=request.user,
        goal_id=goal_id,
        origin=origin,
        action="plans.goal.read" if request.method == "GET" else "plans.goal.update",
        audit_allowed=request.method == "GET",  # a POST is audited by the service
    )
    household = goal.plan.household
    context: dict[str, Any] = {"household": household, "goal": goal}
    template = "web/plan/goal_form.html"
    if request.method == "GET":
        form = GoalEditForm(initial=goal_initial(goal, goal.plan.version))
        return render(request, template, {**context, "form": form})
    form = GoalEditForm(request.POST)
    if form.is_valid():
        try:
            changed = goal_update(
                actor=request.user,
                goal=goal,
                data=form.to_update(),
                expected_version=form.cleaned_data["version"],
                origin=origin,
            )
        except ConflictError:
            return _goal_conflict(request, goal.pk, request.POST, origin)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("Het doel is gewijzigd.")
                if changed
                else _("Er was niets gewijzigd; er is niets opgeslagen."),
            )
            return see_other(_plan_url(household.pk, f"doel-{goal.pk}"))
    return render(request, template, {**context, "form": form}, status=400)


# --- steps -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def step_create(request: HttpRequest, goal_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    goal = goal_get_for_actor(
        actor=request.user,
        goal_id=goal_id,
        origin=origin,
        action="plans.goal.read" if request.method == "GET" else "plans.step.create",
        audit_allowed=request.method == "GET",
    )
    household = goal.plan.household
    organisations = organisation_choices(municipality_id=household.municipality_id)
    enrolments = step_enrolment_choices(goal=goal)
    context: dict[str, Any] = {"household": household, "goal": goal}
    template = "web/plan/step_form.html"
    if request.method == "GET":
        form = StepForm(organisations=organisations, enrolments=enrolments)
        return render(request, template, {**context, "form": form})
    form = StepForm(request.POST, organisations=organisations, enrolments=enrolments)
    if form.is_valid():
        try:
            step_add(actor=request.user, goal=goal, data=form.to_input(), origin=origin)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("De stap is toegevoegd."))
            return see_other(_plan_url(household.pk, f"doel-{goal.pk}"))
    return render(request, template, {**context, "form": form}, status=400)


STEP_DONE_MESSAGES = {
    StepStatus.DONE: _("De stap is afgevinkt."),
    StepStatus.CANCELLED: _("De stap is vervallen."),
    StepStatus.OPEN: _("De stap staat weer open."),
}


@login_required
@require_POST
def step_status(request: HttpRequest, step_id: str) -> HttpResponse:
    """One small form per step and status: works without JavaScript."""
    origin = Origin.from_request(request)
    step = step_get_for_actor(
        actor=request.user, step_id=step_id, origin=origin, action="plans.step.status"
    )
    household = step.goal.plan.household
    form = StepStatusForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        new_status = form.cleaned_data["status"]
        try:
            step_update_status(
                actor=request.user,
                step=step,
                status=new_status,
                expected_version=form.cleaned_data["version"],
                origin=origin,
            )
        except ConflictError:
            return _plan_page(request, household, conflict=True, status=409)
        except ValidationError as error:
            errors = [f"{step.description[:80]}: {m}" for m in error.messages]
        else:
            messages.success(request, STEP_DONE_MESSAGES[new_status])
            return see_other(_plan_url(household.pk, f"doel-{step.goal_id}"))
    else:
        errors = [str(m) for messages_ in form.errors.values() for m in messages_]
    return _plan_page(request, household, step_errors=errors, status=400)


# --- reviews and the interval ----------------------------------------------------------------


def _running_goals(plan: Plan) -> list[Goal]:
    return list(
        Goal.objects.filter(plan_id=plan.pk, status__in=ACTIVE_GOAL_STATUSES)
        .select_related("member")
        .order_by("member__date_of_birth", "member_id", "position", "created_at")
    )


def _review_conflict(request: HttpRequest, household: Household, typed: Any) -> HttpResponse:
    """The plan changed while the review was being typed: nothing was saved. The form comes
    back with what was typed, the plan's current version and its current running goals, so the
    coach checks the plan and sends it again on purpose."""
    plan = _existing_plan(household)
    goals = _running_goals(plan)
    initial = {name: typed.get(name, "") for name in ("held_on", "note")}
    for goal in goals:
        for name in (f"result_{goal.pk}", f"note_{goal.pk}"):
            initial[name] = typed.get(name, "")
    form = ReviewForm(initial={**initial, "version": plan.version}, goals=goals)
    return render(
        request,
        "web/plan/review_form.html",
        {"household": household, "plan": plan, "form": form, "conflict": True},
        status=409,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request: HttpRequest, household_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    household = casework_household(request, household_id, origin)
    plan = _existing_plan(household)
    goals = _running_goals(plan)
    template = "web/plan/review_form.html"
    context: dict[str, Any] = {"household": household, "plan": plan}
    if request.method == "GET":
        form = ReviewForm(
            initial={"version": plan.version, "held_on": timezone.localdate()}, goals=goals
        )
        return render(request, template, {**context, "form": form})
    form = ReviewForm(request.POST, goals=goals)
    if form.is_valid():
        try:
            review_record(
                actor=request.user,
                plan=plan,
                data=form.to_input(),
                expected_version=form.cleaned_data["version"],
                origin=origin,
            )
        except ConflictError:
            return _review_conflict(request, household, request.POST)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("De evaluatie is vastgelegd."))
            return see_other(_plan_url(household.pk, "evaluatie"))
    return render(request, template, {**context, "form": form}, status=400)


@login_required
@require_POST
def review_interval(request: HttpRequest, household_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    household = casework_household(request, household_id, origin)
    plan = _existing_plan(household)
    form = ReviewIntervalForm(request.POST)
    if form.is_valid():
        try:
            before = plan.review_interval_months
            plan = plan_review_interval_set(
                actor=request.user,
                plan=plan,
                months=form.cleaned_data["review_interval_months"],
                expected_version=form.cleaned_data["version"],
                origin=origin,
            )
        except ConflictError:
            return _plan_page(request, household, conflict=True, status=409)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("De evaluatietermijn is gewijzigd.")
                if plan.review_interval_months != before
                else _("Er was niets gewijzigd; er is niets opgeslagen."),
            )
            return see_other(_plan_url(household.pk, "evaluatie"))
    return _plan_page(request, household, interval_form=form, status=400)


# --- history ---------------------------------------------------------------------------------


def _parse_day(value: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    return None


@login_required
@require_safe
def plan_history(request: HttpRequest, household_id: str) -> HttpResponse:
    """The versions of the plan, newest first; with ?datum= the plan as it was on that day."""
    household = casework_household(request, household_id, Origin.from_request(request))
    plan = _existing_plan(household)
    context: dict[str, Any] = {"household": household, "plan": plan}
    status = 200
    typed = request.GET.get("datum", "")
    if typed:
        day = _parse_day(typed)
        if day is None:
            context["date_error"] = _("Datum: vul een datum in als 31-12-2025.")
            status = 400
        elif day > timezone.localdate():
            context["date_error"] = _("Datum: kies vandaag of een dag in het verleden.")
            status = 400
        else:
            as_of = plan_as_of(household=household, day=day)
            # Everyone who was ever a member: a goal of someone who left keeps their name.
            members = {
                str(m.client_id): m.client.full_name
                for m in HouseholdMembership.objects.filter(
                    household_id=household.pk
                ).select_related("client")
            }
            domains, statuses = dict(ZrmDomain.choices), dict(GoalStatus.choices)
            steps = dict(StepStatus.choices)
            if as_of is not None:
                for goal in as_of.goals:
                    goal["member_name"] = members.get(goal["member_id"], _("oud lid"))
                    goal["domain_label"] = domains.get(goal["domain"], goal["domain"])
                    goal["status_label"] = statuses.get(goal["status"], goal["status"])
                    goal["due"] = dt.date.fromisoformat(goal["due_on"]) if goal["due_on"] else None
                    for step in goal["steps"]:
                        step["status_label"] = steps.get(step["status"], step["status"])
                        step["due"] = dt.date.fromisoformat(step["due_on"])
            context.update(day=day, as_of=as_of)
    page = Paginator(plan_versions(plan_id=plan.pk), VERSIONS_PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    context.update(
        versions=page,
        page_range=page.paginator.get_elided_page_range(page.number),
        typed=typed,
    )
    return render(request, "web/plan/history.html", context, status=status)
