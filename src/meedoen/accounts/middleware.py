"""Login hardening middleware: the 2FA gate, the idle-logout notice and extra security headers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meedoen.accounts.selectors import (
    user_has_confirmed_totp_device,
    user_second_factor_required,
)

# Set in the session when a request arrived with a session cookie whose session had ended; the login
# page then says why the user has to log in again.
IDLE_LOGOUT_SESSION_KEY = "accounts.idle_logout"

# Views an authenticated but not yet verified user may reach: the steps of the login itself (single
# sign-on included), logging out and the language switch. Everything else waits for the second
# factor.
OTP_EXEMPT_URL_NAMES = frozenset(
    {
        "web:login",
        "web:logout",
        "web:otp_verify",
        "web:otp_enrol",
        "web:oidc_login",
        "web:oidc_callback",
        "set_language",
    }
)


class OTPRequiredMiddleware:
    """When 2FA is required (settings.REQUIRE_2FA), a user who passed the password but not the code
    reaches no page: the web answers with a redirect to the code step (or to enrolment when the user
    has no authenticator yet), the API with 403 and a Dutch message. Put it after OTPMiddleware.
    A single sign-on whose provider's second factor is trusted is verified already: its session
    holds an accounts.IdentityProviderDevice (accounts/oidc.py)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not settings.REQUIRE_2FA:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        if not user_second_factor_required(user=user):
            return None  # a client without an authenticator app (2FA optional, ADR 0015)
        match = request.resolver_match
        if match is not None and match.view_name in OTP_EXEMPT_URL_NAMES:
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": _(
                        "Tweestapsverificatie is verplicht. Log in via de website en vul de code "
                        "uit uw authenticator-app in."
                    )
                },
                status=403,
            )
        step = "web:otp_verify" if user_has_confirmed_totp_device(user=user) else "web:otp_enrol"
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(step)}?{query}")


class IdleLogoutMiddleware:
    """Keeps the idle timeout (SESSION_COOKIE_AGE from the last request) and notices a session
    that ended by it: the browser still sends the cookie, but the server no longer knows
    the session. The login page then tells the user why they were logged out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.COOKIES.get(settings.SESSION_COOKIE_NAME) and not request.path_info.startswith(
            ("/static/", "/api/")
        ):
            # Reading loads the session; a key the server no longer knows (expired or removed)
            # is then dropped, so session_key becomes None.
            request.session.get(IDLE_LOGOUT_SESSION_KEY)
            if request.session.session_key is None:
                request.session[IDLE_LOGOUT_SESSION_KEY] = True
        response = self.get_response(request)
        self._move_idle_timeout(request)
        return response

    @staticmethod
    def _move_idle_timeout(request: HttpRequest) -> None:
        """Move the session's end to a full SESSION_COOKIE_AGE from now, but write it only when
        it moved by more than SESSION_REFRESH_SECONDS: saving on every request cost every page
        an UPDATE and a commit. The idle timeout is then exact to within that margin."""
        session = getattr(request, "session", None)
        stored = getattr(session, "stored_expiry", None)
        if session is None or stored is None or session.modified or not session.session_key:
            return
        full = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        if full - stored > dt.timedelta(seconds=settings.SESSION_REFRESH_SECONDS):
            session.modified = True


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy (no camera, microphone, location)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
