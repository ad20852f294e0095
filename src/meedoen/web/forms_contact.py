"""The form that changes a client's contact details. Whether a telephone number or e-mail address
is valid is the service's check (clients.contact), shared with the API; this form checks lengths,
carries the version the user saw, and turns the languages typed as names into codes."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.core.iso import language_code, language_name

_LANGUAGE_SEPARATOR = re.compile(r"[,;]")


def languages_text(codes: Iterable[str]) -> str:
    """ "Nederlands, Arabisch" for the form; a code where its name would not read back."""
    names = []
    for code in codes:
        name = language_name(code)
        names.append(code if _LANGUAGE_SEPARATOR.search(name) else name)
    return ", ".join(names)


class ClientContactForm(forms.Form):
    # The version the page showed: the save is refused when the client changed since.
    version = forms.IntegerField(
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Het formulier is onvolledig. Open de pagina opnieuw."),
            "invalid": _("Het formulier is onvolledig. Open de pagina opnieuw."),
            "min_value": _("Het formulier is onvolledig. Open de pagina opnieuw."),
        },
    )
    phone = forms.CharField(
        label=_("Telefoon"),
        help_text=_("Bijvoorbeeld 06 12345678, 070 1234567 of +32 2 123 45 67."),
        max_length=40,
        required=False,
    )
    email = forms.CharField(
        label=_("E-mail"),
        help_text=_("Bijvoorbeeld naam@voorbeeld.nl."),
        max_length=254,
        required=False,
    )
    languages = forms.CharField(
        label=_("Talen"),
        help_text=_(
            "Namen of taalcodes, gescheiden door komma's, bijvoorbeeld: Nederlands, Arabisch, "
            "Tarifit."
        ),
        max_length=500,
        required=False,
    )

    def __init__(self, *args: Any, current_languages: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current_languages = list(current_languages)

    def clean_languages(self) -> list[str]:
        text: str = self.cleaned_data["languages"]
        codes: list[str] = []
        unknown: list[str] = []
        for part in _LANGUAGE_SEPARATOR.split(text):
            typed = " ".join(part.split())
            if not typed:
                continue
            code = language_code(typed, prefer=self.current_languages)
            if code is None:
                unknown.append(typed[:40])
            elif code not in codes:
                codes.append(code)
        if unknown:
            raise forms.ValidationError(
                _(
                    "Deze taal kennen we niet: %(names)s. Schrijf de Nederlandse naam, zoals "
                    "Arabisch of Tarifit, of de taalcode, zoals ar of rif, en scheid talen met "
                    "een komma."
                )
                % {"names": ", ".join(f"„{name}”" for name in unknown[:3])}
            )
        return codes
