"""The portal's forms, in plain Dutch (B1). They parse what was typed; whether it makes sense is
the service's check (plans/services_client.py), whose messages come back beside the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.constants import Role
from meedoen.plans.services_client import ClientGoalInput, ClientStepInput
from meedoen.profiles.constants import ZrmDomain


class PortalLoginForm(AuthenticationForm):
    """The client's login: only accounts with the client role. A staff member who types their
    password here is sent to the staff login (after the password check, so it tells a stranger
    nothing)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "De gebruikersnaam of het wachtwoord klopt niet. Let op hoofdletters en kleine letters."
        ),
        "not_client": _(
            "Dit is de inlog voor cliënten. Bent u medewerker? Log dan in via de inlogpagina voor "
            "medewerkers."
        ),
    }

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if getattr(user, "role", "") != Role.CLIENT:
            raise ValidationError(self.error_messages["not_client"], code="not_client")


class _ServiceErrors(forms.Form):
    def add_service_errors(self, error: ValidationError) -> None:
        """Each message of the service beside the field it names, else above the form."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(None, message)
            return
        for name, messages in error.message_dict.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def _date(label: Any, help_text: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "utrecht-textbox"}, format="%Y-%m-%d"
        ),
        error_messages={
            "required": _("Vul een datum in."),
            "invalid": _("Vul een datum in, bijvoorbeeld 31-12-2026."),
        },
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
    )


class GoalForm(_ServiceErrors):
    domain = forms.ChoiceField(
        label=_("Waar gaat uw doel over?"),
        choices=[("", _("Kies een onderwerp")), *ZrmDomain.choices],
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
        error_messages={
            "required": _("Kies waar uw doel over gaat."),
            "invalid_choice": _("Kies een onderwerp uit de lijst."),
        },
    )
    what = forms.CharField(
        label=_("Wat wilt u bereiken?"),
        help_text=_("Schrijf het kort op. Bijvoorbeeld: ik wil elke week een keer sporten."),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"}),
        error_messages={
            "required": _("Schrijf op wat u wilt bereiken."),
            "max_length": _("Gebruik hoogstens 500 tekens."),
        },
    )
    due_on = _date(_("Wanneer wilt u dit bereikt hebben?"), _("Kies een datum."))

    def to_input(self) -> ClientGoalInput:
        data = self.cleaned_data
        return ClientGoalInput(domain=data["domain"], what=data["what"], due_on=data["due_on"])


class StepForm(_ServiceErrors):
    description = forms.CharField(
        label=_("Wat gaat u doen?"),
        help_text=_("Een kleine stap. Bijvoorbeeld: ik bel de sportschool voor een proefles."),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"}),
        error_messages={
            "required": _("Schrijf op wat u gaat doen."),
            "max_length": _("Gebruik hoogstens 1000 tekens."),
        },
    )
    due_on = _date(_("Wanneer is het klaar?"), _("Kies een datum."))

    def to_input(self) -> ClientStepInput:
        data = self.cleaned_data
        return ClientStepInput(description=data["description"], due_on=data["due_on"])


class StepDoneForm(forms.Form):
    """Tick off a step (done=1) or undo it (done=0), with the plan version the page showed."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    done = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1", widget=forms.HiddenInput
    )
