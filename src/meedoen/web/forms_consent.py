"""Forms of the consent section on the client page. Validation of content is in the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.partners.models import Organisation
from meedoen.partners.selectors import organisation_choices
from meedoen.privacy.constants import ConsentChannel, ConsentPurpose, DataCategory


class ConsentGiveForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Doel"),
        choices=ConsentPurpose.choices,
        error_messages={"required": _("Kies een doel."), "invalid_choice": _("Kies een doel.")},
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Soorten gegevens"),
        choices=DataCategory.choices,
        error_messages={
            "required": _("Kies ten minste één soort gegevens."),
            "invalid_choice": _("Kies soorten gegevens uit de lijst."),
        },
    )
    # A partner organisation of the municipality's registry (partners): name and code are then
    # copied from the registry, and sharing with it checks this consent (docs/partners.md).
    registry_organisation = forms.ChoiceField(
        label=_("Organisatie uit het register (niet verplicht)"),
        required=False,
        error_messages={"invalid_choice": _("Kies een organisatie uit het register.")},
    )
    organisation = forms.CharField(
        label=_("Organisatie"),
        help_text=_("Niet nodig als u hierboven een organisatie uit het register kiest."),
        max_length=200,
        required=False,
    )
    organisation_code = forms.CharField(
        label=_("Code organisatie (niet verplicht)"), max_length=32, required=False
    )
    channel = forms.ChoiceField(
        label=_("Gegeven via"),
        choices=ConsentChannel.choices,
        error_messages={
            "required": _("Kies hoe de toestemming is gegeven."),
            "invalid_choice": _("Kies hoe de toestemming is gegeven."),
        },
    )
    valid_until = forms.DateField(
        label=_("Geldig tot en met (niet verplicht)"),
        required=False,
        error_messages={"invalid": _("Vul een datum in als 31-12-2027.")},
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
    )

    def __init__(self, *args: Any, municipality_id: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registry: dict[str, Organisation] = (
            {str(o.pk): o for o in organisation_choices(municipality_id=municipality_id)}
            if municipality_id is not None
            else {}
        )
        registry_field = self.fields["registry_organisation"]
        assert isinstance(registry_field, forms.ChoiceField)
        registry_field.choices = [
            ("", _("Geen: een organisatie buiten het register")),
            *((key, o.name) for key, o in self.registry.items()),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = self.registry.get(data.get("registry_organisation") or "")
        data["registry"] = chosen
        if chosen is not None:
            data["organisation"] = chosen.name
            data["organisation_code"] = chosen.code
        elif not (data.get("organisation") or "").strip() and "organisation" not in self.errors:
            self.add_error("organisation", _("Vul de naam van de organisatie in."))
        return data


class ConsentWithdrawForm(forms.Form):
    consent = forms.UUIDField(error_messages={"required": "-", "invalid": "-"})
    channel = forms.ChoiceField(
        label=_("Ingetrokken via"),
        choices=ConsentChannel.choices,
        error_messages={
            "required": _("Kies hoe de toestemming is ingetrokken."),
            "invalid_choice": _("Kies hoe de toestemming is ingetrokken."),
        },
    )
