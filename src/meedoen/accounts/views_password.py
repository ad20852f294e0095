"""Setting a password through the one-time link that the functional admin handed over.

Django's PasswordResetConfirmView does the token work: the link's token is checked, moved into
the session and the browser is sent on to a URL without it (so it cannot leak through a Referer
header); the token stops working once the password is set, after a login, or when the e-mail
address changes. Meedoen adds: only active staff accounts of a municipality (never the
installation superuser), the password written alone (update_fields) and audited, and Dutch pages.
Then the user logs in as usual and enrols an authenticator app. docs/admin.md.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _

from meedoen.accounts.forms import PasswordSetForm
from meedoen.accounts.services_staff import staff_password_set
from meedoen.audit.services import Origin


class PasswordSetView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_set.html"
    form_class = PasswordSetForm
    # The second URL, without the token: /wachtwoord-instellen/<uid>/instellen/.
    reset_url_token = "instellen"  # noqa: S105 - a path segment, not a password  # nosec B105
    success_url = reverse_lazy("web:login")
    title = ""

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        if user is None or not user.is_active or user.municipality_id is None:
            return None
        if user.is_superuser or user.is_staff:
            return None
        return user

    def form_valid(self, form: PasswordSetForm) -> HttpResponse:
        staff_password_set(
            user=self.user,
            password=form.cleaned_data["new_password1"],
            origin=Origin.from_request(self.request),
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        messages.success(
            self.request,
            _(
                "Uw wachtwoord is ingesteld. Log nu in met uw gebruikersnaam en het nieuwe "
                "wachtwoord."
            ),
        )
        return HttpResponseRedirect(reverse("web:login"), status=303)
