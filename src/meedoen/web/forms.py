from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.clients.bsn import bsn_normalise

_DIGITS = re.compile(r"^[\d\s.]+$")


class ClientSearchForm(forms.Form):
    """The search box of the client list: one field for naam, postcode or volledig BSN, and a wijk.

    Validation only; filtering is done by clients.filters.ClientFilterSet on the access-door
    queryset, the same FilterSet the API uses.
    """

    q = forms.CharField(
        label=_("Naam, postcode of BSN"),
        help_text=_("Achternaam of voornaam, postcode (2526 of 2526 AB) of een volledig BSN."),
        max_length=100,
        required=False,
        strip=True,
    )
    wijk = forms.ChoiceField(label=_("Wijk"), required=False)

    def __init__(self, *args: Any, districts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = self.fields["wijk"]
        assert isinstance(district, forms.ChoiceField)
        district.choices = [("", _("Alle wijken")), *districts]
        district.error_messages["invalid_choice"] = _("Kies een wijk uit de lijst.")

    def clean_q(self) -> str:
        value: str = self.cleaned_data["q"]
        digits = re.sub(r"[\s.]", "", value)
        # A number of BSN length that fails the 11-proef is a typo, not a name: say so rather than
        # silently finding nobody. The value is not echoed back (see the template).
        if _DIGITS.match(value) and len(digits) in (8, 9) and bsn_normalise(digits) is None:
            raise forms.ValidationError(
                _(
                    "Dit is geen geldig BSN: het voldoet niet aan de 11-proef. "
                    "Controleer de cijfers."
                )
            )
        return value
