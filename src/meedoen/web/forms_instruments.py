"""Forms of the instrument pages: the catalogue, its categories, and enrolments of a household.

Whether the content is acceptable (a unique name, a free place, a member of the household) is the
service's check (instruments.services); these forms check types and lengths, carry the version the
user saw, and build the service's input dataclass (instruments/inputs.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.clients.models import Client
from meedoen.instruments.constants import (
    EnrolmentResult,
    InstrumentKind,
    StopReason,
    TargetGroup,
)
from meedoen.instruments.inputs import (
    CategoryInput,
    EnrolmentFinishInput,
    EnrolmentRequestInput,
    EnrolmentStartInput,
    EnrolmentStopInput,
    InstrumentInput,
)
from meedoen.instruments.models import Category, Instrument
from meedoen.partners.models import Organisation
from meedoen.web.forms_partners import PartnerForm, _date_field, _version_field


class InstrumentFilterForm(forms.Form):
    """The catalogue's filters: a GET form, so they work without JavaScript."""

    kind = forms.ChoiceField(
        label=_("Soort"), choices=[("", _("Alle soorten")), *InstrumentKind.choices], required=False
    )
    target_group = forms.ChoiceField(
        label=_("Doelgroep"),
        choices=[("", _("Alle doelgroepen")), *TargetGroup.choices],
        required=False,
    )
    category = forms.ChoiceField(label=_("Categorie"), required=False)
    q = forms.CharField(label=_("Naam of aanbieder bevat"), max_length=100, required=False)
    inactive = forms.BooleanField(label=_("Ook wat niet meer wordt aangeboden"), required=False)

    def __init__(self, *args: Any, categories: Iterable[Category], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Alle categorieën"))] + [(str(c.pk), c.name) for c in categories]


def _optional_int(label: Any, *, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        help_text=help_text,
        error_messages={"invalid": _("Vul een heel getal in, of laat het leeg.")},
    )


class InstrumentForm(PartnerForm):
    name = forms.CharField(
        label=_("Naam"),
        max_length=200,
        error_messages={"required": _("Vul de naam van het instrument in.")},
    )
    kind = forms.ChoiceField(
        label=_("Soort instrument"),
        choices=[("", _("Kies een soort")), *InstrumentKind.choices],
        error_messages={
            "required": _("Kies een soort instrument."),
            "invalid_choice": _("Kies een soort instrument uit de lijst."),
        },
    )
    provider = forms.ChoiceField(
        label=_("Aanbieder uit het register (niet verplicht)"),
        required=False,
        error_messages={"invalid_choice": _("Kies een aanbieder uit de lijst.")},
    )
    provider_name = forms.CharField(
        label=_("Of: naam van een aanbieder buiten het register"),
        help_text=_("Alleen als de aanbieder niet in het register van partnerorganisaties staat."),
        max_length=200,
        required=False,
    )
    description = forms.CharField(
        label=_("Omschrijving (niet verplicht)"),
        help_text=_("Wat het is, voor wie, hoe aanmelden."),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Doelgroepen (niet verplicht)"),
        choices=TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies doelgroepen uit de lijst.")},
    )
    capacity = _optional_int(
        _("Aantal plaatsen (niet verplicht)"),
        help_text=_(
            "Leeg: onbeperkt. Zijn alle plaatsen bezet, dan komt een aanmelding op de wachtlijst."
        ),
    )
    cost_per_participant = forms.CharField(
        label=_("Kosten per deelnemer in euro (niet verplicht)"),
        help_text=_("Bijvoorbeeld 1250,00."),
        max_length=20,
        required=False,
    )
    usual_duration_weeks = _optional_int(_("Gebruikelijke duur in weken (niet verplicht)"))
    categories = forms.MultipleChoiceField(
        label=_("Categorieën (niet verplicht)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Kies categorieën uit de lijst.")},
    )

    def __init__(
        self,
        *args: Any,
        organisations: Iterable[Organisation],
        categories: Iterable[Category],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._choice_field("provider").choices = [
            ("", _("Geen: aanbieder buiten het register"))
        ] + [(str(o.pk), o.name) for o in organisations]
        self._choice_field("categories").choices = [(str(c.pk), c.name) for c in categories]

    def clean_cost_per_participant(self) -> Decimal | None:
        raw = str(self.cleaned_data.get("cost_per_participant") or "").strip()
        if not raw:
            return None
        # Dutch notation (1.250,00) and plain (1250.00) both work.
        text = raw.replace(" ", "").replace("€", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise forms.ValidationError(_("Vul de kosten in als bedrag, zoals 1250,00.")) from None

    def to_input(self) -> InstrumentInput:
        data = self.cleaned_data
        return InstrumentInput(
            name=data["name"],
            kind=data["kind"],
            description=data["description"],
            provider_id=uuid.UUID(data["provider"]) if data.get("provider") else None,
            provider_name=data["provider_name"],
            target_groups=list(data["target_groups"]),
            capacity=data["capacity"],
            cost_per_participant=data["cost_per_participant"],
            usual_duration_weeks=data["usual_duration_weeks"],
            category_ids=[uuid.UUID(c) for c in data["categories"]],
            is_active=data.get("is_active", True),
        )


class InstrumentEditForm(InstrumentForm):
    version = _version_field()
    is_active = forms.BooleanField(
        label=_("Wordt aangeboden"),
        help_text=_(
            "Een instrument dat niet meer wordt aangeboden, neemt geen nieuwe aanmeldingen aan; "
            "lopende deelnames gaan door."
        ),
        required=False,
    )


def instrument_initial(instrument: Instrument) -> dict[str, Any]:
    """The edit form's values for `instrument` (its details prefetched by the selector)."""
    cost = instrument.cost_per_participant
    return {
        "version": instrument.version,
        "name": instrument.name,
        "kind": instrument.kind,
        "provider": str(instrument.provider_id) if instrument.provider_id else "",
        "provider_name": "" if instrument.provider_id else instrument.provider_name,
        "description": instrument.description,
        "target_groups": [row.code for row in instrument.target_group_rows.all()],
        "capacity": instrument.capacity,
        "cost_per_participant": f"{cost:.2f}".replace(".", ",") if cost is not None else "",
        "usual_duration_weeks": instrument.usual_duration_weeks,
        "categories": [str(c.pk) for c in instrument.categories.all()],
        "is_active": instrument.is_active,
    }


class CategoryForm(PartnerForm):
    name = forms.CharField(
        label=_("Naam van de categorie"),
        max_length=100,
        error_messages={"required": _("Vul de naam van de categorie in.")},
    )

    def to_input(self) -> CategoryInput:
        return CategoryInput(
            name=self.cleaned_data["name"], is_active=self.cleaned_data.get("is_active", True)
        )


class CategoryEditForm(CategoryForm):
    version = _version_field()
    is_active = forms.BooleanField(
        label=_("Actief"),
        help_text=_("Een categorie die niet actief is, kan niet meer worden gekozen."),
        required=False,
    )


# Enrolments ------------------------------------------------------------------------------------


class EnrolmentRequestForm(PartnerForm):
    client = forms.ChoiceField(
        label=_("Wie"),
        error_messages={
            "required": _("Kies wie u aanmeldt."),
            "invalid_choice": _("Kies iemand die nu tot dit huishouden hoort."),
        },
    )
    instrument = forms.ChoiceField(
        label=_("Instrument"),
        error_messages={
            "required": _("Kies een instrument uit de catalogus."),
            "invalid_choice": _("Kies een instrument uit de catalogus."),
        },
    )
    note = forms.CharField(
        label=_("Toelichting bij de aanmelding (niet verplicht)"),
        help_text=_("Bijvoorbeeld waarom dit instrument past; geen medische details."),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        members: Iterable[Client],
        instruments: Iterable[Instrument],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.instruments = {str(i.pk): i for i in instruments}
        self._choice_field("client").choices = [("", _("Kies wie"))] + [
            (key, m.full_name) for key, m in self.members.items()
        ]
        self._choice_field("instrument").choices = [("", _("Kies een instrument"))] + [
            (key, f"{i.name} — {i.provider_name}" if i.provider_name else i.name)
            for key, i in self.instruments.items()
        ]

    def chosen_client(self) -> Client:
        return self.members[self.cleaned_data["client"]]

    def chosen_instrument(self) -> Instrument:
        return self.instruments[self.cleaned_data["instrument"]]

    def to_input(self) -> EnrolmentRequestInput:
        return EnrolmentRequestInput(note=self.cleaned_data["note"])


class EnrolmentStartForm(PartnerForm):
    version = _version_field()
    started_on = _date_field(_("Gestart op"))

    def to_input(self) -> EnrolmentStartInput:
        return EnrolmentStartInput(started_on=self.cleaned_data["started_on"])


class EnrolmentFinishForm(PartnerForm):
    version = _version_field()
    ended_on = _date_field(_("Afgerond op"))
    result = forms.ChoiceField(
        label=_("Resultaat"),
        choices=[("", _("Kies het resultaat")), *EnrolmentResult.choices],
        error_messages={
            "required": _("Kies het resultaat."),
            "invalid_choice": _("Kies het resultaat uit de lijst."),
        },
    )
    end_note = forms.CharField(
        label=_("Toelichting (niet verplicht)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def to_input(self) -> EnrolmentFinishInput:
        data = self.cleaned_data
        return EnrolmentFinishInput(
            ended_on=data["ended_on"], result=data["result"], end_note=data["end_note"]
        )


class EnrolmentStopForm(PartnerForm):
    version = _version_field()
    ended_on = _date_field(_("Gestopt op"))
    reason = forms.ChoiceField(
        label=_("Reden van stoppen"),
        choices=[("", _("Kies de reden")), *StopReason.choices],
        error_messages={
            "required": _("Kies de reden van stoppen."),
            "invalid_choice": _("Kies de reden van stoppen uit de lijst."),
        },
    )
    result = forms.ChoiceField(
        label=_("Resultaat (niet verplicht)"),
        help_text=_("Wat het toch heeft opgeleverd, bijvoorbeeld betaald werk."),
        choices=[("", _("Geen resultaat te melden")), *EnrolmentResult.choices],
        required=False,
        error_messages={"invalid_choice": _("Kies het resultaat uit de lijst, of laat het leeg.")},
    )
    end_note = forms.CharField(
        label=_("Toelichting"),
        help_text=_("Verplicht bij “Andere reden”."),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def to_input(self) -> EnrolmentStopInput:
        data = self.cleaned_data
        return EnrolmentStopInput(
            ended_on=data["ended_on"],
            reason=data["reason"],
            result=data["result"],
            end_note=data["end_note"],
        )
