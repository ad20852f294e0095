"""Single sign-on views: the start of a login at the identity provider, and the provider's callback.

Both exist in the URL configuration always (so the URLs do not depend on the environment at import
time) and answer 404 while single sign-on is off. See accounts/oidc.py for the protocol side and
docs/privacy/authentication.md for the flow.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from meedoen.accounts import oidc, services
from meedoen.accounts.middleware import IDLE_LOGOUT_SESSION_KEY
from meedoen.accounts.oidc import Reason
from meedoen.accounts.views import second_step_url
from meedoen.audit.constants import Result
from meedoen.audit.services import Origin

logger = logging.getLogger(__name__)


def _refuse(request: HttpRequest, *, reason: str, user: Any = None) -> HttpResponse:
    """Audit the refused login and go back to the login page, which says why (once)."""
    services.sso_login_record(
        user=user, origin=Origin.from_request(request), result=Result.DENIED, reason=reason
    )
    request.session[oidc.SSO_FAILURE_SESSION_KEY] = reason
    return HttpResponseRedirect(reverse(settings.LOGIN_URL))


class OIDCLoginView(OIDCAuthenticationRequestView):
    """GET /inloggen/sso/: to the identity provider, with state, nonce and PKCE kept in the session.
    A plain link on the login page leads here: a top-level navigation, no form, no JavaScript."""

    http_method_names = ["get"]

    def __init__(self, **kwargs: Any) -> None:
        # The library reads the endpoints here; they may need discovery, so get() does it.
        View.__init__(self, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404
        try:
            found = oidc.provider()
        except oidc.ProviderUnavailableError as exc:
            logger.warning("SSO login: identity provider not reachable: %s", exc)
            return _refuse(request, reason=Reason.PROVIDER_UNREACHABLE)
        self.OIDC_OP_AUTH_ENDPOINT = found.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        response: HttpResponse = super().get(request)
        return response


class OIDCCallbackView(OIDCAuthenticationCallbackView):
    """GET /inloggen/sso/terug/: the provider sends the browser back here with a code and the
    state. The library checks the state, exchanges the code and verifies the ID token; the
    backend (oidc.OIDCBackend) matches the user. Every outcome is audited."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404
        attempt = oidc.sso_attempt(request)
        state = request.GET.get("state", "")
        states = request.session.get("oidc_states")
        error = request.GET.get("error")
        if not state or not (request.GET.get("code") or error):
            attempt.reason = Reason.INVALID_REQUEST
            return self.login_failure()
        if not isinstance(states, dict) or state not in states:
            # A state this browser session did not start: a replay, a forged link, or a session
            # that expired while the user was at the provider. Checked before the library sees
            # it, which would also log out a signed-in user on a forged error link.
            attempt.reason = Reason.INVALID_STATE
            return self.login_failure()
        if error:
            attempt.reason = Reason.PROVIDER_ERROR  # the library drops the state, then fails
        response: HttpResponse = super().get(request)
        return response

    def login_failure(self) -> HttpResponse:
        attempt = oidc.sso_attempt(self.request)
        return _refuse(
            self.request, reason=attempt.reason or Reason.INVALID_TOKEN, user=attempt.user
        )

    def login_success(self) -> HttpResponse:
        request = self.request
        attempt = oidc.sso_attempt(request)
        next_url = request.session.get("oidc_login_next") or reverse(settings.LOGIN_REDIRECT_URL)
        # Cycles the session key. When the provider's second factor is trusted, the backend gave
        # the user an otp_device and django-otp stores it in the session on this login.
        auth.login(request, self.user)
        request.session[oidc.SSO_SESSION_KEY] = True
        request.session.pop(IDLE_LOGOUT_SESSION_KEY, None)
        request.session.pop("oidc_login_next", None)
        services.sso_login_record(
            user=self.user,
            origin=Origin.from_request(request),
            result=Result.ALLOWED,
            mfa=attempt.mfa,
        )
        if settings.REQUIRE_2FA and not attempt.mfa:
            return HttpResponseRedirect(second_step_url(request, next_url=next_url))
        return HttpResponseRedirect(next_url)
