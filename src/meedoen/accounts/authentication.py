"""API authentication classes.

The API has no second factor of its own yet (API tokens are a later topic). So while 2FA is required
(settings.REQUIRE_2FA, the production default) it accepts only the session of a browser login that
passed the code step; HTTP Basic, which would bypass the code, is then switched off. In development
and tests (2FA optional) Basic still works, which keeps curl and schema tools simple.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BasicAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from meedoen.accounts.constants import Role


class BasicAuthenticationWithout2FA(BasicAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        if settings.REQUIRE_2FA:
            return None
        result = super().authenticate(request)
        # The API is for staff: a client's portal account (ADR 0015) is not a way into it.
        if result is not None and getattr(result[0], "role", "") == Role.CLIENT:
            raise AuthenticationFailed(_("Dit account heeft geen toegang tot de API."))
        return result

    def authenticate_header(self, request: Request) -> str | None:
        if settings.REQUIRE_2FA:
            return None
        return super().authenticate_header(request)


class BasicWithout2FAScheme(OpenApiAuthenticationExtension):
    """Describes the class above in the OpenAPI schema (drf-spectacular finds it on import)."""

    target_class = BasicAuthenticationWithout2FA
    name = "basicAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "basic",
            "description": "Alleen zolang tweestapsverificatie niet verplicht is (ontwikkeling).",
        }
