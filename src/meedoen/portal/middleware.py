"""The boundary between the portal and the staff side (ADR 0015).

A user with the client role reaches the portal (`/mijn/…`) and the few steps every login needs —
logging out, the language switch, the optional TOTP steps — and nothing else: the staff start
page sends them to `/mijn/`, every other page answers 404 (it does not exist for them, as for a
staff member without the role) and the API 403. The staff doors refuse a client anyway (their
role is no staff role); this keeps it so for any page added later without anyone having to
remember it. Put it after the authentication and OTP middleware.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from meedoen.accounts.constants import Role

# Routes a client user may use besides the portal's own.
CLIENT_ALLOWED_URL_NAMES = frozenset(
    {
        "web:login",  # logged in already: it sends them on to the start page, then to /mijn/
        "web:logout",
        "web:otp_verify",
        "web:otp_enrol",
        "web:password_set",
        "set_language",
    }
)


class PortalBoundaryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if getattr(user, "role", "") != Role.CLIENT:
            return None
        match = request.resolver_match
        if match is not None and (
            "portal" in match.namespaces or match.view_name in CLIENT_ALLOWED_URL_NAMES
        ):
            return None
        if match is not None and match.view_name == "web:home":
            return HttpResponseRedirect(reverse("portal:home"))
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"detail": _("Dit account heeft geen toegang tot de API.")}, status=403
            )
        raise Http404
