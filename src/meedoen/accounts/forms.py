from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class OTPCodeForm(forms.Form):
    """The 6-digit code from the authenticator app; spaces (as apps show them) are ignored."""

    code = forms.CharField(
        label=_("Code uit uw authenticator-app"),
        max_length=20,
        error_messages={"required": _("Vul de code van 6 cijfers uit uw authenticator-app in.")},
    )

    def clean_code(self) -> str:
        code: str = "".join(self.cleaned_data["code"].split())
        if len(code) != 6 or not code.isdigit():
            raise ValidationError(
                _("De code bestaat uit 6 cijfers. U vult nu iets anders in."), code="format"
            )
        return code

    def add_wrong_code_error(self, *, throttled: bool = False) -> None:
        if throttled:
            message = _(
                "Te veel onjuiste codes achter elkaar. Wacht even en vul dan de code in die "
                "uw app op dat moment laat zien."
            )
        else:
            message = _(
                "Deze code klopt niet of is verlopen. Vul de code in die uw app nu laat zien."
            )
        self.add_error("code", message)
