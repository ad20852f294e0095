"""Forms of the consent section on the client page. Validation of content is in the service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
    organisation = forms.CharField(
        label=_("Organisatie"),
        max_length=200,
        error_messages={"required": _("Vul de naam van de organisatie in.")},
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
