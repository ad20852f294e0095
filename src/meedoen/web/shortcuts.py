"""What every form view does with a service's answer: a 303 after a successful POST, and the
service's Dutch messages beside the fields they name."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from meedoen.audit.services import Origin
from meedoen.caseload.access import household_get_for_actor
from meedoen.clients.models import Household, HouseholdMembership


def see_other(url: str) -> HttpResponse:
    return HttpResponseRedirect(url, status=303)


def service_error_messages(error: ValidationError) -> dict[str, list[str]]:
    """Field name → messages; messages about the whole form under "__all__"."""
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {"__all__": error.messages}


def form_add_errors(form: forms.BaseForm, errors: Mapping[str, list[Any]]) -> None:
    """Each message beside its field; a name the form has no field for goes above the form
    (add_error refuses it otherwise)."""
    for name, messages in errors.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def casework_household(request: HttpRequest, household_id: object, origin: Origin) -> Household:
    """The household through the door, for casework (audited; a 404 when not visible), with its
    address in the same query: the household page and the plan pages start here."""
    return household_get_for_actor(
        actor=request.user,
        household_id=household_id,
        purpose="casework",
        origin=origin,
        queryset=Household.objects.select_related("address"),
    )


def current_members(household_id: uuid.UUID) -> list[HouseholdMembership]:
    """The household's members now, with their client, by role, then oldest first."""
    return list(
        HouseholdMembership.objects.filter(household_id=household_id, end_date__isnull=True)
        .select_related("client")
        .order_by("role", "client__date_of_birth")
    )
