"""What every form view does with a service's answer: a 303 after a successful POST, and the
service's Dutch messages beside the fields they name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect


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
