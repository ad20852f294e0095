"""The team lead's caseload pages (issue 5): caseloads against target, the queue of unassigned
households, assigning with suggestions and the warm handover, redistributing a leaving coach's
caseload, the team's caseload policy, a coach's profile, and cover during absence.

For anyone but an active team lead with a team these pages do not exist (404); the coach profile
page also opens for a functional admin, and the intensity page for whoever may see the household
(the service decides who may change it). Households come through the door (caseload/access.py);
writes go through caseload/handover.py and caseload/services.py, which check and audit them.
Works without JavaScript. docs/caseload.md.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from meedoen.accounts.constants import CASEWORK_ROLES, Role
from meedoen.accounts.models import User
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload import services as caseload_services
from meedoen.caseload.access import clients_visible_to, household_get_for_actor
from meedoen.caseload.constants import DEFAULT_CASELOAD_TARGET, DEFAULT_CONTACT_WEEKS, Intensity
from meedoen.caseload.handover import (
    actor_leads_team_of,
    assignment_intensity_set,
    caseload_policy_update,
    caseload_redistribute,
    coach_profile_update,
    household_assign,
)
from meedoen.caseload.models import Assignment, CaseloadPolicy, CoachProfile, Cover
from meedoen.caseload.suggestions import coach_suggestions, redistribution_preview
from meedoen.caseload.workload import actor_is_team_lead, assignment_queue, team_caseload
from meedoen.clients.models import Household
from meedoen.web.forms_caseload import (
    OTHER,
    AssignForm,
    CoachProfileForm,
    CoverForm,
    IntensityForm,
    PolicyForm,
)
from meedoen.web.forms_contact import languages_text
from meedoen.web.shortcuts import form_add_errors, see_other, service_error_messages

PURPOSE = "casework"
PAGE_SIZE = 25


def team_lead_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not actor_is_team_lead(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _household_url(household: Household) -> str:
    return reverse("web:household_detail", kwargs={"household_id": household.pk})


def _staff(municipality_id: Any, *, team_id: Any = None, exclude: Any = None) -> Any:
    staff = User.objects.filter(
        municipality_id=municipality_id, is_active=True, role__in=CASEWORK_ROLES
    )
    if team_id is not None:
        staff = staff.filter(team_id=team_id)
    if exclude is not None:
        staff = staff.exclude(pk=exclude)
    return staff.order_by("last_name", "first_name", "username")


def _label(user: User, team_id: Any) -> str:
    # Other teams are not named: the team lead needs the colleague, not the municipality's teams.
    if user.team_id == team_id:
        return user.display_name
    return str(_("%(name)s (ander team)") % {"name": user.display_name})


# The team view and the queue -----------------------------------------------------------------


@team_lead_required
@require_http_methods(["GET"])
def caseload_team(request: HttpRequest) -> HttpResponse:
    actor: Any = request.user
    data = team_caseload(team_id=actor.team_id)
    audit_record(
        actor=actor,
        action="caseload.team.read",
        origin=Origin.from_request(request),
        purpose=PURPOSE,
        detail={"team_id": str(actor.team_id), "coaches": len(data.coaches)},
    )
    queue_count = assignment_queue(actor=actor).count()
    return render(
        request,
        "web/caseload/team.html",
        {"data": data, "team": actor.team, "queue_count": queue_count},
    )


@team_lead_required
@require_http_methods(["GET"])
def assignment_queue_view(request: HttpRequest) -> HttpResponse:
    actor: Any = request.user
    paginator = Paginator(assignment_queue(actor=actor), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("pagina"))
    audit_record(
        actor=actor,
        action="caseload.queue.read",
        origin=Origin.from_request(request),
        purpose=PURPOSE,
        detail={"count": paginator.count, "page": page.number},
    )
    return render(
        request,
        "web/caseload/queue.html",
        {
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number),
            "query": "",
        },
    )


# Assigning and the warm handover -------------------------------------------------------------


def _assign_context(request: HttpRequest, household: Household, origin: Origin) -> dict[str, Any]:
    actor: Any = request.user
    history = list(
        Assignment.objects.filter(household_id=household.pk)
        .select_related("coach", "handover")
        .order_by("-start_date", "-created_at")
    )
    current = next((a for a in history if a.end_date is None), None)
    suggestions = coach_suggestions(household=household, actor=actor)
    audit_record(
        actor=actor,
        action="caseload.suggestions.read",
        origin=origin,
        obj=household,
        purpose=PURPOSE,
        detail={"count": len(suggestions)},
    )
    others = _staff(household.municipality_id, exclude=current.coach_id if current else None)
    members = (
        clients_visible_to(actor=actor).filter(household_id=household.pk).order_by("sort_name")
    )
    return {
        "household": household,
        "members": list(members),
        "history": history,
        "current": current,
        "suggestions": suggestions,
        "others": [(str(user.pk), _label(user, actor.team_id)) for user in others],
        "other_ids": {str(user.pk): user for user in others},
    }


@team_lead_required
@require_http_methods(["GET", "POST"])
def household_assign_view(request: HttpRequest, household_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    household = household_get_for_actor(
        actor=request.user,
        household_id=household_id,
        purpose=PURPOSE,
        origin=origin,
        queryset=Household.objects.select_related("address"),
    )
    context = _assign_context(request, household, origin)
    suggested = [(str(s.coach.pk), s.coach.display_name) for s in context["suggestions"]]
    form_kwargs = {
        "suggested": suggested,
        "others": context["others"],
        "handover": context["current"] is not None,
    }
    if request.method == "GET":
        initial = {"coach": suggested[0][0]} if suggested else {"coach": OTHER}
        form = AssignForm(initial=initial, **form_kwargs)
        return _render_assign(request, form, context)

    form = AssignForm(request.POST, **form_kwargs)
    if form.is_valid():
        data = form.cleaned_data
        coach = context["other_ids"].get(str(data["coach_id"]))
        if coach is None:
            form.add_error("coach", _("Kies een klantregisseur uit de lijst."))
        else:
            try:
                household_assign(
                    household=household,
                    coach=coach,
                    reason=data["reason"],
                    actor=request.user,
                    origin=origin,
                    handover_note=data["handover_note"],
                    introduction_at=data["introduction_at"],
                    introduction_kind=data["introduction_kind"],
                )
            except ValidationError as exc:
                errors = service_error_messages(exc)
                if "introduction_at" in errors:
                    errors["introduction_date"] = errors.pop("introduction_at")
                form_add_errors(form, errors)
            else:
                messages.success(
                    request,
                    _("%(name)s is nu de klantregisseur van dit huishouden.")
                    % {"name": coach.display_name},
                )
                return see_other(_household_url(household))
    return _render_assign(request, form, context, status=400)


def _render_assign(
    request: HttpRequest, form: AssignForm, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    selected = str(form["coach"].value() or "")
    options = [
        {
            "value": str(s.coach.pk),
            "name": s.coach.display_name,
            "reasons": s.reasons,
            "checked": selected == str(s.coach.pk),
        }
        for s in context["suggestions"]
    ]
    return render(
        request,
        "web/caseload/assign.html",
        {**context, "form": form, "options": options, "other_checked": selected == OTHER},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_intensity(request: HttpRequest, household_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    household = household_get_for_actor(
        actor=request.user, household_id=household_id, purpose=PURPOSE, origin=origin
    )
    current = (
        Assignment.objects.open().filter(household_id=household.pk).select_related("coach").first()
    )
    if current is None:
        raise Http404
    members = clients_visible_to(actor=request.user).filter(household_id=household.pk)
    context = {"household": household, "current": current, "members": list(members)}
    if request.method == "GET":
        form = IntensityForm(initial={"intensity": current.intensity})
        return render(request, "web/caseload/intensity.html", {**context, "form": form})
    form = IntensityForm(request.POST)
    if form.is_valid():
        try:
            assignment_intensity_set(
                household=household,
                intensity=form.cleaned_data["intensity"],
                actor=request.user,
                origin=origin,
            )
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            messages.success(request, _("De intensiteit is opgeslagen."))
            return see_other(_household_url(household))
    return render(request, "web/caseload/intensity.html", {**context, "form": form}, status=400)


# Redistributing a leaving coach's caseload ---------------------------------------------------


def _team_coach(actor: Any, coach_id: int) -> User:
    coach = User.objects.filter(pk=coach_id, role__in=CASEWORK_ROLES).select_related("team").first()
    if coach is None or not actor_leads_team_of(actor, coach):
        raise Http404
    return coach


@team_lead_required
@require_http_methods(["GET", "POST"])
def caseload_redistribute_view(request: HttpRequest, coach_id: int) -> HttpResponse:
    actor: Any = request.user
    origin = Origin.from_request(request)
    coach = _team_coach(actor, coach_id)
    preview = redistribution_preview(from_coach=coach)
    candidates = list(
        _staff(actor.municipality_id, team_id=coach.team_id, exclude=coach.pk).filter(
            role=Role.COACH
        )
    )
    by_id = {str(user.pk): user for user in candidates}
    audit_record(
        actor=actor,
        action="caseload.team.read",
        origin=origin,
        purpose=PURPOSE,
        detail={"team_id": str(actor.team_id), "redistribute_coach_id": coach.pk},
    )
    errors: list[str] = []
    chosen: dict[str, str] = {}
    if request.method == "POST":
        plan = []
        for row in preview:
            value = request.POST.get(f"plan-{row.household.pk}", "")
            chosen[str(row.household.pk)] = value
            if not value:
                continue
            to_coach = by_id.get(value)
            if to_coach is None:
                errors.append(
                    _("Huishouden %(ref)s: kies een klantregisseur uit de lijst.")
                    % {"ref": row.household.reference}
                )
                continue
            plan.append((row.household, to_coach))
        if not errors:
            try:
                count = caseload_redistribute(
                    from_coach=coach, plan=plan, actor=actor, origin=origin
                )
            except ValidationError as exc:
                errors = [
                    m for messages_ in service_error_messages(exc).values() for m in messages_
                ]
            else:
                messages.success(
                    request,
                    _("%(count)s huishoudens zijn overgedragen. De geschiedenis blijft zichtbaar.")
                    % {"count": count},
                )
                return see_other(reverse("web:caseload_team"))
    rows = [
        {
            "row": row,
            "field": f"plan-{row.household.pk}",
            "selected": chosen.get(
                str(row.household.pk), str(row.to_coach.pk) if row.to_coach else ""
            ),
        }
        for row in preview
    ]
    return render(
        request,
        "web/caseload/redistribute.html",
        {
            "coach": coach,
            "rows": rows,
            "candidates": [(str(user.pk), user.display_name) for user in candidates],
            "errors": errors,
        },
        status=400 if errors else 200,
    )


# Team settings -------------------------------------------------------------------------------


@team_lead_required
@require_http_methods(["GET", "POST"])
def caseload_policy(request: HttpRequest) -> HttpResponse:
    actor: Any = request.user
    policy = CaseloadPolicy.objects.filter(team_id=actor.team_id).first()
    if request.method == "GET":
        initial = {
            "caseload_target": policy.caseload_target if policy else DEFAULT_CASELOAD_TARGET,
            **{
                f"contact_weeks_{i}": (
                    policy.contact_weeks(i) if policy else DEFAULT_CONTACT_WEEKS[Intensity(i)]
                )
                for i in Intensity.values
            },
        }
        form = PolicyForm(initial=initial)
        return render(request, "web/caseload/policy.html", {"form": form, "team": actor.team})
    form = PolicyForm(request.POST)
    if form.is_valid():
        try:
            caseload_policy_update(
                team=actor.team,
                actor=actor,
                origin=Origin.from_request(request),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            messages.success(request, _("De caseloadafspraken zijn opgeslagen."))
            return see_other(reverse("web:caseload_team"))
    return render(
        request, "web/caseload/policy.html", {"form": form, "team": actor.team}, status=400
    )


@login_required
@require_http_methods(["GET", "POST"])
def coach_profile(request: HttpRequest, user_id: int) -> HttpResponse:
    actor: Any = request.user
    coach = User.objects.filter(pk=user_id, role__in=CASEWORK_ROLES).select_related("team").first()
    functional_admin = (
        coach is not None
        and actor.is_active
        and actor.role == Role.FUNCTIONAL_ADMIN
        and actor.municipality_id is not None
        and actor.municipality_id == coach.municipality_id
    )
    if coach is None or not (actor_leads_team_of(actor, coach) or functional_admin):
        raise Http404
    profile = CoachProfile.objects.filter(coach_id=coach.pk).first()
    back = reverse("web:caseload_team") if actor.role == Role.TEAM_LEAD else reverse("web:home")
    context = {"coach": coach, "back": back}
    if request.method == "GET":
        form = CoachProfileForm(
            initial={
                "languages": languages_text(profile.languages if profile else []),
                "hours_factor": f"{profile.hours_factor if profile else 1:.2f}".replace(".", ","),
                "accepts_new": profile.accepts_new if profile else True,
            }
        )
        return render(request, "web/caseload/coach_profile.html", {**context, "form": form})
    form = CoachProfileForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            coach_profile_update(
                coach=coach,
                actor=actor,
                origin=Origin.from_request(request),
                languages=data["languages"],
                hours_factor=data["hours_factor"],
                accepts_new=data["accepts_new"],
            )
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            messages.success(
                request,
                _("Het profiel van %(name)s is opgeslagen.") % {"name": coach.display_name},
            )
            return see_other(back)
    return render(request, "web/caseload/coach_profile.html", {**context, "form": form}, status=400)


# Cover during absence ------------------------------------------------------------------------


@team_lead_required
@require_http_methods(["GET", "POST"])
def cover_create_view(request: HttpRequest) -> HttpResponse:
    actor: Any = request.user
    staff = {str(user.pk): user for user in _staff(actor.municipality_id)}
    choices = [(pk, _label(user, actor.team_id)) for pk, user in staff.items()]
    if request.method == "GET":
        form = CoverForm(staff=choices)
        return render(request, "web/caseload/cover_form.html", {"form": form})
    form = CoverForm(request.POST, staff=choices)
    if form.is_valid():
        data = form.cleaned_data
        absent = staff[data["absent_coach"]]
        if absent.team_id != actor.team_id:
            form.add_error("absent_coach", _("Kies een klantregisseur van uw eigen team."))
        else:
            try:
                caseload_services.cover_create(
                    absent_coach=absent,
                    covering_coach=staff[data["covering_coach"]],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    reason=data["reason"],
                    actor=actor,
                    origin=Origin.from_request(request),
                )
            except ValidationError as exc:
                form_add_errors(form, service_error_messages(exc))
            else:
                messages.success(request, _("De vervanging is vastgelegd."))
                return see_other(reverse("web:caseload_team"))
    return render(request, "web/caseload/cover_form.html", {"form": form}, status=400)


@team_lead_required
@require_http_methods(["GET", "POST"])
def cover_end_view(request: HttpRequest, cover_id: str) -> HttpResponse:
    actor: Any = request.user
    cover = (
        Cover.objects.filter(
            pk=cover_id,
            absent_coach__team_id=actor.team_id,
            absent_coach__municipality_id=actor.municipality_id,
        )
        .select_related("absent_coach", "covering_coach")
        .first()
    )
    if cover is None:
        raise Http404
    if request.method == "GET":
        return render(request, "web/caseload/cover_end.html", {"cover": cover})
    try:
        caseload_services.cover_end(cover=cover, actor=actor, origin=Origin.from_request(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("De vervanging is beëindigd."))
    return see_other(reverse("web:caseload_team"))
