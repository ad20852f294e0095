"""Outcomes as pages (docs/outcomes.md): the "Uitkomsten" section of the client page, recording
an outcome, correcting it and removing a mistake.

Thin: clients and outcomes come through the door (outcomes.selectors_client, on
caseload.access: the client's coach, who covers for them, and their team lead), writes go
through outcomes.services. A correction or removal carries the version the page showed; when
someone changed the outcome in between the page answers 409 and nothing is overwritten
(docs/development/concurrency.md). After a successful POST: 303 to the client page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from meedoen.audit.services import Origin
from meedoen.caseload.access import ClientNotVisible
from meedoen.clients.models import Client
from meedoen.core.concurrency import ConflictError
from meedoen.outcomes.constants import ContractType, OutcomeKind
from meedoen.outcomes.models import OutcomeEvent
from meedoen.outcomes.selectors_client import (
    client_get_for_outcomes,
    client_outcomes,
    enrolment_choices_for_client,
    outcome_get_for_actor,
    recorded_detail,
)
from meedoen.outcomes.services import outcome_delete, outcome_record, outcome_update
from meedoen.web.forms_outcomes import (
    OutcomeDeleteForm,
    OutcomeEditForm,
    OutcomeForm,
    outcome_initial,
)
from meedoen.web.shortcuts import see_other

FORM = "web/outcomes/form.html"
DELETE = "web/outcomes/delete.html"


def client_outcomes_context(client: Client) -> dict[str, Any]:
    """The "Uitkomsten" section of the client page: four queries, whatever the history."""
    return {"outcomes": client_outcomes(client=client)}


def _client_url(client_id: object) -> str:
    return reverse("web:client_detail", kwargs={"client_id": client_id}) + "#uitkomsten"


@login_required
@require_http_methods(["GET", "POST"])
def outcome_create(request: HttpRequest, client_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    client = client_get_for_outcomes(
        actor=request.user,
        client_id=client_id,
        action="clients.client.read" if request.method == "GET" else "outcomes.outcome.record",
        origin=origin,
        audit_allowed=request.method == "GET",  # a POST is audited by the service
    )
    enrolments = enrolment_choices_for_client(client_id=client.pk)
    if request.method == "GET":
        form = OutcomeForm(enrolments=enrolments)
        return render(request, FORM, {"client": client, "form": form})
    form = OutcomeForm(request.POST, enrolments=enrolments)
    if form.is_valid():
        try:
            outcome_record(actor=request.user, client=client, data=form.to_input(), origin=origin)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("De uitkomst is vastgelegd."))
            return see_other(_client_url(client.pk))
    return render(request, FORM, {"client": client, "form": form}, status=400)


def _label(choices: Any, value: Any) -> str:
    return str(dict(choices).get(value, value or ""))


def _conflict(request: HttpRequest, outcome_id: object, typed: Any, origin: Origin) -> Any:
    """The outcome as it is now beside what was typed, and a fresh form with the current values;
    when it was removed in between, the client page says so."""
    try:
        outcome = outcome_get_for_actor(actor=request.user, outcome_id=outcome_id, origin=origin)
    except ClientNotVisible:  # removed meanwhile (or no longer visible): say so
        messages.warning(request, _("Deze uitkomst is intussen door iemand anders verwijderd."))
        return None
    rows = [
        (
            _("Soort uitkomst"),
            outcome.get_kind_display(),
            _label(OutcomeKind.choices, typed.get("kind")),
        ),
        (
            _("Datum"),
            date_format(outcome.occurred_on, "d-m-Y"),
            typed.get("occurred_on", ""),
        ),
        (
            _("Uren per week"),
            outcome_initial(outcome)["hours_per_week"],
            typed.get("hours_per_week"),
        ),
        (
            _("Soort contract"),
            outcome.get_contract_type_display() if outcome.contract_type else "",
            _label(ContractType.choices, typed.get("contract_type")),
        ),
        (_("Werkgever"), outcome.employer_name, typed.get("employer_name", "")),
        (_("Sector"), outcome.sector, typed.get("sector", "")),
        (_("Omschrijving"), outcome.description, typed.get("description", "")),
        (
            _("Geëindigd op"),
            date_format(outcome.ended_on, "d-m-Y") if outcome.ended_on else "",
            typed.get("ended_on", ""),
        ),
        (_("Toelichting"), outcome.note, typed.get("note", "")),
    ]
    conflict = [
        {"label": label, "current": current, "typed": " ".join(str(mine or "").split())}
        for label, current, mine in rows
    ]
    form = OutcomeEditForm(
        initial=outcome_initial(outcome),
        enrolments=enrolment_choices_for_client(client_id=outcome.client_id),
    )
    return render(
        request,
        FORM,
        {"client": outcome.client, "outcome": outcome, "form": form, "conflict": conflict},
        status=409,
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_edit(request: HttpRequest, outcome_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    outcome = outcome_get_for_actor(
        actor=request.user,
        outcome_id=outcome_id,
        origin=origin,
        action="outcomes.outcome.read" if request.method == "GET" else "outcomes.outcome.update",
        audit_allowed=request.method == "GET",  # a POST is audited by the service
    )
    context: dict[str, Any] = {"client": outcome.client, "outcome": outcome}
    enrolments = enrolment_choices_for_client(client_id=outcome.client_id)
    if request.method == "GET":
        form = OutcomeEditForm(initial=outcome_initial(outcome), enrolments=enrolments)
        return render(request, FORM, {**context, "form": form})
    form = OutcomeEditForm(request.POST, enrolments=enrolments)
    if form.is_valid():
        try:
            changed = outcome_update(
                actor=request.user,
                outcome=outcome,
                expected_version=form.cleaned_data["version"],
                data=form.to_input(),
                origin=origin,
            )
        except ConflictError:
            answer = _conflict(request, outcome.pk, request.POST, origin)
            return answer if answer is not None else see_other(_client_url(outcome.client_id))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("De uitkomst is gewijzigd.")
                if changed
                else _("Er was niets gewijzigd; er is niets opgeslagen."),
            )
            return see_other(_client_url(outcome.client_id))
    return render(request, FORM, {**context, "form": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def outcome_remove(request: HttpRequest, outcome_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    outcome: OutcomeEvent = outcome_get_for_actor(
        actor=request.user,
        outcome_id=outcome_id,
        origin=origin,
        action="outcomes.outcome.read" if request.method == "GET" else "outcomes.outcome.delete",
        audit_allowed=request.method == "GET",
    )
    context: dict[str, Any] = {
        "client": outcome.client,
        "outcome": outcome,
        "detail": recorded_detail(outcome),
    }
    if request.method == "GET":
        form = OutcomeDeleteForm(initial={"version": outcome.version})
        return render(request, DELETE, {**context, "form": form})
    form = OutcomeDeleteForm(request.POST)
    if form.is_valid():
        try:
            outcome_delete(
                actor=request.user,
                outcome=outcome,
                expected_version=form.cleaned_data["version"],
                origin=origin,
            )
        except ConflictError:
            outcome.refresh_from_db()
            context["detail"] = recorded_detail(outcome)
            form = OutcomeDeleteForm(initial={"version": outcome.version})
            return render(request, DELETE, {**context, "form": form, "conflict": True}, status=409)
        messages.success(request, _("De uitkomst is verwijderd."))
        return see_other(_client_url(outcome.client_id))
    return render(request, DELETE, {**context, "form": form}, status=400)
