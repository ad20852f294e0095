from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import SetPasswordForm
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


class PasswordSetForm(SetPasswordForm):
    """Django's form for a new password, with the password rules' messages on the first field
    (where the rules are explained) rather than on the repetition, all in Dutch."""

    def clean(self) -> dict[str, object]:
        self.validate_passwords("new_password1", "new_password2")
        password = self.cleaned_data.get("new_password1")
        if password and not self.has_error("new_password2"):
            try:
                password_validation.validate_password(password, self.user)
            except ValidationError as error:
                self.add_error("new_password1", [_dutch(e) for e in error.error_list])
        return forms.Form.clean(self)  # type: ignore[return-value]


def _dutch(error: ValidationError) -> ValidationError:
    # Django 5.2 changed this message, and its Dutch catalogue still has the old one only.
    if error.code == "password_too_short":
        minimum = (error.params or {}).get("min_length", 12)
        return ValidationError(
            _("Dit wachtwoord is te kort: gebruik minstens %(min)d tekens.") % {"min": minimum},
            code=error.code,
        )
    return error
