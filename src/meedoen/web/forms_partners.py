"""Forms of the partner pages: the registry, an involvement with a household, sharing.

Whether the content is acceptable (a unique name, a member of the household, a valid consent) is
the service's check (partners.services); these forms check types and lengths, carry the version
the user saw, and give the error summary its links (web/profile/_error_summary.html).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.forms.widgets import Input
from django.utils.translation import gettext_lazy as _

from meedoen.clients.models import Client
from meedoen.partners.constants import InvolvementTopic, OrganisationKind
from meedoen.partners.models import Organisation, PartnerPerson
from meedoen.privacy.constants import DataCategory
from meedoen.web.forms_profile import SummaryError, anchor_of

_INCOMPLETE = _("Het formulier is onvolledig. Open de pagina opnieuw.")
_WIDGET_CLASSES: tuple[tuple[type[forms.Widget], str], ...] = (
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input"),
    (Input, "utrecht-textbox utrecht-textbox--html-input"),
)
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y"]


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"required": _INCOMPLETE, "invalid": _INCOMPLETE, "min_value": _INCOMPLETE},
    )


def _date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Vul een datum in."),
            "invalid": _("Vul een datum in als 31-12-2025."),
        },
    )


class PartnerForm(forms.Form):
    """Styled widgets and an error summary whose links lead to the inputs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.HiddenInput):
                continue
            for kind, classes in _WIDGET_CLASSES:
                if isinstance(widget, kind):
                    widget.attrs["class"] = f"{classes} utrecht-form-field__input"
                    break

    @property
    def error_summary(self) -> list[SummaryError]:
        summary = [SummaryError(anchor="", message=m) for m in self.non_field_errors()]
        for name in self.fields:
            for message in self.errors.get(name, []):
                summary.append(SummaryError(anchor=anchor_of(self[name]), message=message))
        return summary

    def _choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field


class OrganisationFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Soort"),
        choices=[("", _("Alle soorten")), *OrganisationKind.choices],
        required=False,
    )
    q = forms.CharField(label=_("Naam bevat"), max_length=100, required=False)


class OrganisationForm(PartnerForm):
    name = forms.CharField(
        label=_("Naam"), max_length=200, error_messages={"required": _("Vul de naam in.")}
    )
    kind = forms.ChoiceField(
        label=_("Soort organisatie"),
        choices=[("", _("Kies een soort")), *OrganisationKind.choices],
        error_messages={
            "required": _("Kies een soort organisatie."),
            "invalid_choice": _("Kies een soort organisatie uit de lijst."),
        },
    )
    code = forms.CharField(
        label=_("Code (niet verplicht)"),
        help_text=_(
            "Een korte code waarmee een toestemming de organisatie aanwijst, bijvoorbeeld SHH."
        ),
        max_length=32,
        required=False,
    )
    phone = forms.CharField(label=_("Telefoon (niet verplicht)"), max_length=20, required=False)
    email = forms.CharField(label=_("E-mail (niet verplicht)"), max_length=254, required=False)
    website = forms.CharField(label=_("Website (niet verplicht)"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Toelichting (niet verplicht)"),
        help_text=_("Bijvoorbeeld: hoe aanmelden, werkgebied, bereikbaarheid."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OrganisationEditForm(OrganisationForm):
    version = _version_field()
    is_active = forms.BooleanField(
        label=_("Actief"),
        help_text=_(
            "Een organisatie die niet meer actief is, kan niet meer worden gekozen; wat al "
            "vastligt blijft bewaard."
        ),
        required=False,
    )


class PersonForm(PartnerForm):
    name = forms.CharField(
        label=_("Naam"),
        max_length=150,
        error_messages={"required": _("Vul de naam van de contactpersoon in.")},
    )
    job_title = forms.CharField(label=_("Functie (niet verplicht)"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Telefoon werk (niet verplicht)"), max_length=20, required=False
    )
    email = forms.CharField(label=_("E-mail werk (niet verplicht)"), max_length=254, required=False)


class PersonEditForm(PersonForm):
    version = _version_field()
    is_active = forms.BooleanField(label=_("Actief"), required=False)


def _member_choices(members: Iterable[Client]) -> list[tuple[str, str]]:
    return [(str(m.pk), m.full_name) for m in members]


class InvolvementForm(PartnerForm):
    organisation = forms.ChoiceField(
        label=_("Organisatie"),
        error_messages={
            "required": _("Kies een organisatie uit het register."),
            "invalid_choice": _("Kies een organisatie uit het register."),
        },
    )
    topic = forms.ChoiceField(
        label=_("Waarvoor"),
        choices=[("", _("Kies waarvoor")), *InvolvementTopic.choices],
        error_messages={
            "required": _("Kies waarvoor de organisatie betrokken is."),
            "invalid_choice": _("Kies waarvoor de organisatie betrokken is."),
        },
    )
    client = forms.ChoiceField(
        label=_("Voor wie"),
        required=False,
        error_messages={"invalid_choice": _("Kies iemand die nu tot dit huishouden hoort.")},
    )
    person = forms.ChoiceField(
        label=_("Contactpersoon (niet verplicht)"),
        required=False,
        help_text=_("Iemand van de gekozen organisatie."),
        error_messages={"invalid_choice": _("Kies een contactpersoon uit de lijst.")},
    )
    start_date = _date_field(_("Betrokken vanaf"))
    note = forms.CharField(
        label=_("Toelichting (niet verplicht)"),
        help_text=_("Alleen wat nodig is om samen te werken; geen medische details."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        organisations: Iterable[Organisation],
        people: Iterable[PartnerPerson],
        members: Iterable[Client],
        fixed_organisation: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.people = {str(p.pk): p for p in people}
        self.members = {str(m.pk): m for m in members}
        self._choice_field("organisation").choices = [("", _("Kies een organisatie"))] + [
            (key, f"{o.name} ({o.get_kind_display()})") for key, o in self.organisations.items()
        ]
        self._choice_field("client").choices = [
            ("", _("Het hele huishouden")),
            *_member_choices(self.members.values()),
        ]
        self._choice_field("person").choices = [("", _("Geen contactpersoon"))] + [
            (key, f"{p.name} — {p.organisation.name}") for key, p in self.people.items()
        ]
        if fixed_organisation:
            # The organisation of an involvement is not changed: end it and add a new one.
            del self.fields["organisation"]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "topic": data["topic"],
            "client": self.members.get(data["client"]) if data.get("client") else None,
            "person": self.people.get(data["person"]) if data.get("person") else None,
            "start_date": data["start_date"],
            "note": data["note"],
        }

    def chosen_organisation(self) -> Organisation | None:
        return self.organisations.get(self.cleaned_data.get("organisation") or "")


class InvolvementEditForm(InvolvementForm):
    version = _version_field()


class InvolvementEndForm(PartnerForm):
    version = _version_field()
    end_date = _date_field(_("Betrokken tot en met"))


class InformationShareForm(PartnerForm):
    client = forms.ChoiceField(
        label=_("Van wie deelt u gegevens"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies van wie u gegevens deelt."),
            "invalid_choice": _("Kies iemand die nu tot dit huishouden hoort."),
        },
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Welke soorten gegevens"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Kies ten minste één soort gegevens."),
            "invalid_choice": _("Kies soorten gegevens uit de lijst."),
        },
    )
    summary = forms.CharField(
        label=_("Wat deelt u"),
        help_text=_(
            "Kort en zakelijk, bijvoorbeeld: adres en telefoonnummer, en de lopende "
            "betalingsregelingen. Het delen zelf gaat buiten Meedoen om (telefoon, beveiligde "
            "mail)."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Beschrijf kort wat u deelt.")},
    )

    def __init__(self, *args: Any, members: Iterable[Client], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self._choice_field("client").choices = _member_choices(self.members.values())

    def chosen_client(self) -> Client:
        return self.members[self.cleaned_data["client"]]
