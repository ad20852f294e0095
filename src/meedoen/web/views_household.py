"""The household page and its contact log (docs/caseload.md): members, contact person and its
history, the log (newest 20), appointments, relapses; logging and correcting a contact moment,
planning, changing and closing an appointment, recording a relapse.

Thin: households come through the door (caseload.access), contact moments and appointments
through their household (caseload.selectors), writes go through caseload.contacts. A change of an
appointment carries the version it showed; when someone else saved in between the page answers
409 with both side by side and nothing is overwritten (docs/development/concurrency.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from meedoen.audit.services import Origin
from meedoen.caseload.constants import AppointmentStatus, OtherParticipant, PracticalHelp
from meedoen.caseload.contacts import (
    appointment_close,
    appointment_plan,
    appointment_update,
    contact_moment_correct,
    contact_moment_record,
    relapse_record,
)
from meedoen.caseload.models import Appointment, ContactMoment
from meedoen.caseload.selectors import (
    appointment_get_for_actor,
    contact_get_for_actor,
    contact_versions,
    household_page,
)
from meedoen.clients.models import Household
from meedoen.core.concurrency import ConflictError
from meedoen.web import views_partners
from meedoen.web.forms_household import (
    AppointmentCloseForm,
    AppointmentForm,
    ContactForm,
    RelapseForm,
    appointment_initial,
    contact_initial,
    second_coach_choices,
)
from meedoen.web.shortcuts import casework_household, current_members


def _page_url(household_id: object, anchor: str = "") -> str:
    url = reverse("web:household_detail", kwargs={"household_id": household_id})
    return f"{url}#{anchor}" if anchor else url


def _redirect(url: str) -> HttpResponse:
    return HttpResponseRedirect(url, status=303)


# --- the household page ----------------------------------------------------------------------


@login_required
@require_safe
def household_detail(request: HttpRequest, household_id: str) -> HttpResponse:
    household = casework_household(request, household_id, Origin.from_request(request))
    context: dict[str, Any] = {"page": household_page(household), "household": household}
    # Sections of other parts
    context.update(views_partners.household_partners_context(household))
    return render(request, "web/household/detail.html", context)


# --- contact moments -----------------------------------------------------------------------------


def _coaches(household: Household, exclude_id: int | None) -> list[tuple[str, Any]]:
    return second_coach_choices(municipality_id=household.municipality_id, exclude_id=exclude_id)


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request: HttpRequest, household_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    household = casework_household(request, household_id, origin)
    members = current_members(household.pk)
    coaches = _coaches(household, request.user.pk)
    if request.method == "GET":
        now = timezone.localtime()
        form = ContactForm(
            initial={"date": now.date(), "time": now.time().replace(second=0, microsecond=0)},
            members=members,
            coaches=coaches,
        )
        return _contact_form_page(request, household, form)
    form = ContactForm(request.POST, members=members, coaches=coaches)
    if form.is_valid():
        try:
            contact_moment_record(
                actor=request.user, household=household, data=form.to_input(), origin=origin
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Het contactmoment is vastgelegd."))
            return _redirect(_page_url(household.pk, "contactlog"))
    return _contact_form_page(request, household, form, status=400)


def _contact_form_page(
    request: HttpRequest,
    household: Household,
    form: ContactForm,
    *,
    original: ContactMoment | None = None,
    newer: ContactMoment | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "web/household/contact_form.html",
        {"household": household, "form": form, "original": original, "newer": newer},
        status=status,
    )


def _add_labels(contact: ContactMoment) -> None:
    # The code lists as the Dutch labels the template shows (unknown codes as they are).
    others, helps = dict(OtherParticipant.choices), dict(PracticalHelp.choices)
    contact.other_participants_display = [  # type: ignore[attr-defined]
        others.get(code, code) for code in contact.other_participants
    ]
    contact.practical_help_display = [  # type: ignore[attr-defined]
        helps.get(code, code) for code in contact.practical_help
    ]


@login_required
@require_safe
def contact_detail(request: HttpRequest, contact_id: str) -> HttpResponse:
    contact = contact_get_for_actor(
        actor=request.user, contact_id=contact_id, origin=Origin.from_request(request)
    )
    versions = contact_versions(contact)
    for version in {id(v): v for v in [contact, *versions]}.values():
        _add_labels(version)
    return render(
        request,
        "web/household/contact_detail.html",
        {
            "contact": contact,
            "household": contact.household,
            "versions": versions,
            "newest": versions[0],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_correct(request: HttpRequest, contact_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    original = contact_get_for_actor(
        actor=request.user,
        contact_id=contact_id,
        origin=origin,
        audit_allowed=request.method == "GET",  # a POST is audited by the service
    )
    household = original.household
    members = current_members(household.pk)
    coaches = _coaches(household, original.coach_id)
    newer = ContactMoment.objects.filter(corrects_id=original.pk).first()
    if request.method == "GET":
        form = ContactForm(
            initial=contact_initial(original), members=members, coaches=coaches, correction=True
        )
        return _contact_form_page(request, household, form, original=original, newer=newer)
    form = ContactForm(request.POST, members=members, coaches=coaches, correction=True)
    if form.is_valid():
        try:
            contact = contact_moment_correct(
                actor=request.user,
                original=original,
                data=form.to_input(),
                reason=form.cleaned_data["correction_reason"],
                origin=origin,
            )
        except ValidationError as error:
            form.add_service_errors(error)
            newer = ContactMoment.objects.filter(corrects_id=original.pk).first()
        else:
            messages.success(
                request, _("De correctie is vastgelegd; de oude versie blijft bewaard.")
            )
            return _redirect(reverse("web:contact_detail", kwargs={"contact_id": contact.pk}))
    return _contact_form_page(request, household, form, original=original, newer=newer, status=400)


# --- appointments ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def appointment_create(request: HttpRequest, household_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    household = casework_household(request, household_id, origin)
    coaches = _coaches(household, request.user.pk)
    template = "web/household/appointment_form.html"
    context: dict[str, Any] = {"household": household, "members": current_members(household.pk)}
    if request.method == "GET":
        form = AppointmentForm(coaches=coaches)
        return render(request, template, {**context, "form": form})
    form = AppointmentForm(request.POST, coaches=coaches)
    if form.is_valid():
        try:
            appointment_plan(
                actor=request.user, household=household, data=form.to_input(), origin=origin
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("De afspraak is gepland."))
            return _redirect(_page_url(household.pk, "afspraken"))
    return render(request, template, {**context, "form": form}, status=400)


def _appointment_page(
    request: HttpRequest,
    appointment: Appointment,
    *,
    form: AppointmentForm | None = None,
    close_form: AppointmentCloseForm | None = None,
    conflict: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    household = appointment.household
    closed = appointment.status != AppointmentStatus.PLANNED
    if not closed:
        form = form or AppointmentForm(
            initial=appointment_initial(appointment),
            coaches=_coaches(household, appointment.coach_id),
            edit=True,
        )
        close_form = close_form or AppointmentCloseForm(
            initial={"version": appointment.version}, members=current_members(household.pk)
        )
    return render(
        request,
        "web/household/appointment_edit.html",
        {
            "appointment": appointment,
            "household": household,
            "form": form,
            "close_form": close_form,
            "closed": closed,
            "conflict": conflict,
        },
        status=status,
    )


def _appointment_conflict(
    request: HttpRequest, appointment_id: object, typed: Any, origin: Origin
) -> HttpResponse:
    appointment = appointment_get_for_actor(
        actor=request.user, appointment_id=appointment_id, origin=origin
    )
    starts = timezone.localtime(appointment.starts_at)
    rows = [
        (_("Datum"), date_format(starts.date(), "d-m-Y"), typed.get("date", "")),
        (_("Tijd"), starts.strftime("%H:%M"), typed.get("time", "")),
        (_("Soort contact"), appointment.get_kind_display(), typed.get("kind", "")),
        (_("Plaats"), appointment.location, typed.get("location", "")),
        (_("Toelichting"), appointment.note, typed.get("note", "")),
        (_("Status"), appointment.get_status_display(), typed.get("status", "")),
    ]
    conflict = [
        {"label": label, "current": current, "typed": " ".join(str(mine).split())}
        for label, current, mine in rows
    ]
    return _appointment_page(request, appointment, conflict=conflict, status=409)


@login_required
@require_http_methods(["GET", "POST"])
def appointment_edit(request: HttpRequest, appointment_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    appointment = appointment_get_for_actor(
        actor=request.user,
        appointment_id=appointment_id,
        origin=origin,
        audit_allowed=request.method == "GET",
    )
    if request.method == "GET":
        return _appointment_page(request, appointment)
    household = appointment.household
    if request.POST.get("action") == "close":
        close_form = AppointmentCloseForm(request.POST, members=current_members(household.pk))
        if close_form.is_valid():
            try:
                appointment_close(
                    actor=request.user,
                    appointment=appointment,
                    expected_version=close_form.cleaned_data["version"],
                    outcome=close_form.to_outcome(),
                    origin=origin,
                )
            except ConflictError:
                return _appointment_conflict(request, appointment.pk, request.POST, origin)
            except ValidationError as error:
                close_form.add_service_errors(error)
            else:
                messages.success(request, _("De afspraak is afgesloten."))
                return _redirect(_page_url(household.pk, "contactlog"))
        return _appointment_page(request, appointment, close_form=close_form, status=400)
    form = AppointmentForm(
        request.POST, coaches=_coaches(household, appointment.coach_id), edit=True
    )
    if form.is_valid():
        try:
            changed = appointment_update(
                actor=request.user,
                appointment=appointment,
                expected_version=form.cleaned_data["version"],
                data=form.to_input(),
                origin=origin,
            )
        except ConflictError:
            return _appointment_conflict(request, appointment.pk, request.POST, origin)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("De afspraak is gewijzigd.")
                if changed
                else _("Er was niets gewijzigd; er is niets opgeslagen."),
            )
            return _redirect(_page_url(household.pk, "afspraken"))
    return _appointment_page(request, appointment, form=form, status=400)


# --- relapse ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def relapse_create(request: HttpRequest, household_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    household = casework_household(request, household_id, origin)
    members = current_members(household.pk)
    template = "web/household/relapse_form.html"
    if request.method == "GET":
        form = RelapseForm(initial={"date": timezone.localdate()}, members=members)
        return render(request, template, {"household": household, "form": form})
    form = RelapseForm(request.POST, members=members)
    if form.is_valid():
        try:
            relapse_record(
                actor=request.user, household=household, data=form.to_input(), origin=origin
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("De terugval is vastgelegd. De begeleiding loopt door."))
            return _redirect(_page_url(household.pk, "terugval"))
    return render(request, template, {"household": household, "form": form}, status=400)
