"""Forms of user management (web.views_staff). Whether a name, e-mail address, role or team is
acceptable is the service's check (accounts.services_staff); these forms carry the values, the
choices of the admin's own municipality and the version the page showed."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.constants import STAFF_ROLE_CHOICES
from meedoen.accounts.models import Team
from meedoen.accounts.selectors_staff import StaffFilter

NO_TEAM = "geen"
_INCOMPLETE = _("Het formulier is onvolledig. Open de pagina opnieuw.")


def version_field() -> forms.IntegerField:
    # The version the page showed: the save is refused when the record changed since.
    return forms.IntegerField(
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"required": _INCOMPLETE, "invalid": _INCOMPLETE, "min_value": _INCOMPLETE},
    )


class StaffFilterForm(forms.Form):
    rol = forms.ChoiceField(label=_("Rol"), required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)
    actief = forms.ChoiceField(
        label=_("Actief"),
        required=False,
        choices=[
            ("", _("Actief en gedeactiveerd")),
            ("ja", _("Actief")),
            ("nee", _("Gedeactiveerd")),
        ],
        error_messages={"invalid_choice": _("Kies een waarde uit de lijst.")},
    )

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["rol"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [("", _("Alle rollen")), *STAFF_ROLE_CHOICES]
        role.error_messages["invalid_choice"] = _("Kies een rol uit de lijst.")
        team = self.fields["team"]
        assert isinstance(team, forms.ChoiceField)
        team.choices = [
            ("", _("Alle teams")),
            (NO_TEAM, _("Zonder team")),
            *((str(t.pk), t.name) for t in teams),
        ]
        team.error_messages["invalid_choice"] = _("Kies een team uit de lijst.")

    def filters(self) -> StaffFilter:
        data = self.cleaned_data
        team = data.get("team", "")
        active = {"ja": True, "nee": False}.get(data.get("actief", ""))
        return StaffFilter(
            role=data.get("rol", ""),
            team_id=uuid.UUID(team) if team and team != NO_TEAM else None,
            without_team=team == NO_TEAM,
            active=active,
        )


class StaffForm(forms.Form):
    """Create (with username) or edit (with version) a staff account."""

    username = forms.CharField(
        label=_("Gebruikersnaam"),
        help_text=_(
            "Letters, cijfers en @ . + - _, zonder spaties. Kan later niet worden gewijzigd: het "
            "auditlog noemt medewerkers bij hun gebruikersnaam."
        ),
        max_length=300,
        required=False,
    )
    first_name = forms.CharField(label=_("Voornaam"), max_length=300, required=False)
    last_name = forms.CharField(
        label=_("Achternaam"),
        help_text=_("Met tussenvoegsel, bijvoorbeeld: van den Berg."),
        max_length=300,
        required=False,
    )
    email = forms.CharField(
        label=_("E-mailadres"),
        help_text=_(
            "Het werkadres, bijvoorbeeld naam@gemeente.nl. Bij inloggen via de identity provider "
            "wordt het account hierop gevonden."
        ),
        max_length=300,
        required=False,
    )
    role = forms.ChoiceField(
        label=_("Rol"),
        help_text=_("Wat de medewerker mag zien en doen; zie de uitleg onder het formulier."),
        required=False,
    )
    team = forms.ChoiceField(
        label=_("Team"),
        help_text=_("Verplicht voor een klantregisseur en een teamleider."),
        required=False,
    )

    def __init__(self, *args: Any, teams: list[Team], create: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams = {str(team.pk): team for team in teams}
        if create:
            self.fields["username"].required = False
        else:
            del self.fields["username"]
            self.fields["version"] = version_field()
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [("", _("Kies een rol")), *STAFF_ROLE_CHOICES]
        role.error_messages["invalid_choice"] = _("Kies een rol uit de lijst.")
        team = self.fields["team"]
        assert isinstance(team, forms.ChoiceField)
        team.choices = [("", _("Geen team")), *((key, t.name) for key, t in self.teams.items())]
        team.error_messages["invalid_choice"] = _("Kies een team uit de lijst.")
        for name in ("username", "first_name", "last_name", "email"):
            if name in self.fields:
                self.fields[name].error_messages["max_length"] = _("Dit is te lang.")

    def clean_team(self) -> Team | None:
        key: str = self.cleaned_data["team"]
        return self.teams.get(key) if key else None


class VersionForm(forms.Form):
    """A confirmation that carries the version it showed (deactivate, reactivate)."""

    version = version_field()


class TeamForm(forms.Form):
    name = forms.CharField(
        label=_("Naam van het team"),
        help_text=_("Bijvoorbeeld: Team Schilderswijk."),
        max_length=300,
        required=False,
        error_messages={"max_length": _("Dit is te lang.")},
    )

    def __init__(self, *args: Any, versioned: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if versioned:
            self.fields["version"] = version_field()
