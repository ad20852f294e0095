"""Single sign-on for staff through the municipality's identity provider (OpenID Connect).

mozilla-django-oidc does the protocol: the authorization request with state, nonce and PKCE, the
code exchange, the ID token's signature (JWKS) and nonce. On top of it, this module:

- finds the provider's endpoints (explicit settings, else its discovery document, cached);
- checks the ID token's issuer, audience and expiry as well;
- matches the identity to an existing staff member (never creates one), by a configured claim;
- decides whether the provider's second factor counts (`amr`/`acr`, MEEDOEN_OIDC_TRUST_MFA);
- keeps why a login failed, for the login page and the audit row (views_oidc.py writes both).

See docs/privacy/authentication.md, "Single sign-on (OIDC)".
"""

from __future__ import annotations

import dataclasses
import logging
import time
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from meedoen.accounts import selectors, services
from meedoen.accounts.backends import session_user

logger = logging.getLogger(__name__)

# Session key: this session was opened by single sign-on (logout may then go to the provider).
SSO_SESSION_KEY = "accounts.sso"
# Session key: why the last single sign-on failed, shown once on the login page.
SSO_FAILURE_SESSION_KEY = "accounts.sso_failure"
DISCOVERY_CACHE_SECONDS = 3600
# Seconds of clock difference with the provider accepted on the token's exp and iat.
CLOCK_SKEW_SECONDS = 60


class Reason:
    """Why a single sign-on login was refused: in the audit row and for the login page's text."""

    PROVIDER_ERROR = "provider_error"  # the provider answered with an error (e.g. cancelled)
    PROVIDER_UNREACHABLE = "provider_unreachable"
    INVALID_REQUEST = "invalid_request"  # a callback without code and state
    INVALID_STATE = "invalid_state"  # a state this session did not start
    # Signature, nonce, issuer, audience, expiry or userinfo wrong.
    INVALID_TOKEN = "invalid_token"  # noqa: S105 - a reason code, not a secret
    UNKNOWN_USER = "unknown_user"
    AMBIGUOUS_USER = "ambiguous_user"
    INACTIVE_USER = "inactive_user"

    NOT_LINKED = frozenset({UNKNOWN_USER, AMBIGUOUS_USER, INACTIVE_USER})


class ProviderUnavailableError(Exception):
    """The identity provider (or its discovery document) could not be reached or made no sense."""


@dataclasses.dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str


@dataclasses.dataclass
class SSOAttempt:
    """What one callback found out; kept on the request for the callback view."""

    reason: str = ""
    user: Any = None
    mfa: bool = False


def sso_attempt(request: HttpRequest) -> SSOAttempt:
    attempt: SSOAttempt | None = getattr(request, "_meedoen_sso", None)
    if attempt is None:
        attempt = SSOAttempt()
        request._meedoen_sso = attempt  # type: ignore[attr-defined]
    return attempt


def _discovery_cache_key() -> str:
    return f"accounts.oidc.discovery:{settings.OIDC_OP_ISSUER}"


def discovery_cache_clear() -> None:
    cache.delete(_discovery_cache_key())


def _discover() -> dict[str, Any]:
    issuer = settings.OIDC_OP_ISSUER
    cached: dict[str, Any] | None = cache.get(_discovery_cache_key())
    if cached is not None:
        return cached
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT, verify=settings.OIDC_VERIFY_SSL)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProviderUnavailableError(f"discovery document not available: {exc}") from exc
    # OpenID Connect Discovery 1.0, section 4.3: the document must name the configured issuer.
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise ProviderUnavailableError("discovery document names another issuer")
    cache.set(_discovery_cache_key(), document, DISCOVERY_CACHE_SECONDS)
    return document


def provider() -> Provider:
    """The provider's endpoints: each explicit setting wins, the discovery document fills in the
    rest. Raises ProviderUnavailableError when a needed endpoint cannot be found."""
    explicit = {
        "authorization_endpoint": settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        "token_endpoint": settings.OIDC_OP_TOKEN_ENDPOINT,
        "userinfo_endpoint": settings.OIDC_OP_USER_ENDPOINT,
        "jwks_uri": settings.OIDC_OP_JWKS_ENDPOINT,
        "end_session_endpoint": settings.OIDC_OP_LOGOUT_ENDPOINT,
    }
    required = ("authorization_endpoint", "token_endpoint", "jwks_uri")
    found = dict(explicit)
    if settings.OIDC_OP_ISSUER and not all(explicit.values()):
        document = _discover()
        for key, value in explicit.items():
            found[key] = value or str(document.get(key) or "")
    missing = [key for key in required if not found[key]]
    if missing:
        raise ProviderUnavailableError(f"no {', '.join(missing)} for the identity provider")
    return Provider(issuer=settings.OIDC_OP_ISSUER, **found)


def mfa_asserted(claims: dict[str, Any]) -> bool:
    """Whether the ID token says the provider checked more than one factor: an `amr` value in
    MEEDOEN_OIDC_MFA_AMR, or the `acr` in MEEDOEN_OIDC_MFA_ACR."""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if isinstance(amr, list) and any(value in settings.OIDC_MFA_AMR for value in amr):
        return True
    acr = claims.get("acr")
    return isinstance(acr, str) and acr in settings.OIDC_MFA_ACR


def display_name() -> str:
    return settings.OIDC_DISPLAY_NAME or gettext("uw organisatieaccount")


def end_session_url(request: HttpRequest) -> str | None:
    """Where to send the browser after our logout to end the provider's session too (RP-Initiated
    Logout 1.0), or None. Uses client_id rather than id_token_hint, so that no token is kept."""
    if not (settings.OIDC_ENABLED and settings.OIDC_LOGOUT_AT_IDP):
        return None
    try:
        endpoint = provider().end_session_endpoint
    except ProviderUnavailableError:
        logger.warning("SSO logout: the identity provider's end-session endpoint is unknown")
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse(settings.LOGIN_URL)),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def axes_skip_sso_attempt(request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
    """AXES_WHITELIST_CALLABLE: the SSO callback authenticates with a nonce, never a password.
    Its failures are audited here instead; axes neither refuses nor counts them, so a failing
    provider or a stranger's callback cannot lock a staff member's password login."""
    if not credentials:
        return False
    return "nonce" in credentials and "password" not in credentials


class OIDCBackend(OIDCAuthenticationBackend):
    """Authentication backend of the SSO callback. It is always listed in AUTHENTICATION_BACKENDS
    and answers only when SSO is on and the call comes from the callback (a nonce, no password)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # mozilla-django-oidc reads (and insists on) its endpoints here; they are only known once
        # SSO is on and, with discovery, when a login happens. See authenticate().
        self.UserModel = get_user_model()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if request is None or not settings.OIDC_ENABLED:
            return None
        if "nonce" not in kwargs or set(kwargs) - {"nonce", "code_verifier"}:
            return None
        attempt = sso_attempt(request)
        try:
            self._configure(provider())
            user = super().authenticate(request, **kwargs)
        except (ProviderUnavailableError, requests.RequestException) as exc:
            # requests' errors carry the URL and status, never the code or the secret.
            logger.warning("SSO login: identity provider not reachable: %s", exc)
            attempt.reason = attempt.reason or Reason.PROVIDER_UNREACHABLE
            return None
        except (SuspiciousOperation, jwt.PyJWTError, KeyError, TypeError, ValueError) as exc:
            logger.warning("SSO login refused: %s: %s", type(exc).__name__, exc)
            attempt.reason = attempt.reason or Reason.INVALID_TOKEN
            return None
        if user is None and not attempt.reason:
            attempt.reason = Reason.INVALID_TOKEN
        return user

    def _configure(self, found: Provider) -> None:
        self.OIDC_OP_TOKEN_ENDPOINT = found.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = found.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = found.jwks_uri
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def store_tokens(self, access_token: str, id_token: str) -> None:
        """No token is kept: Meedoen calls nothing at the provider on the user's behalf."""

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return True  # the match on the configured claim below is the check

    def _check_id_token(self, payload: dict[str, Any]) -> None:
        """What mozilla-django-oidc leaves out (OIDC Core 3.1.3.7): issuer, audience, expiry."""
        issuer = settings.OIDC_OP_ISSUER
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("ID token from another issuer")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        if len(audiences) > 1 and payload.get("azp") != settings.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token for several clients without our azp")
        now = time.time()
        expires = payload.get("exp")
        if not isinstance(expires, int | float) or expires < now - CLOCK_SKEW_SECONDS:
            raise SuspiciousOperation("ID token expired or without exp")
        issued = payload.get("iat")
        if not isinstance(issued, int | float) or issued > now + CLOCK_SKEW_SECONDS:
            raise SuspiciousOperation("ID token without iat or issued in the future")
        if not payload.get("sub"):
            raise SuspiciousOperation("ID token without sub")

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        """Match the identity to one active staff member; never create one."""
        attempt = sso_attempt(self.request)
        try:
            self._check_id_token(payload)
            claims = dict(payload)
            if self.OIDC_OP_USER_ENDPOINT:
                userinfo = self.get_userinfo(access_token, id_token, payload)
                # OIDC Core 5.3.2: the userinfo must be about the same subject as the ID token.
                if not isinstance(userinfo, dict) or userinfo.get("sub") != payload.get("sub"):
                    raise SuspiciousOperation("userinfo about another subject")
                # The second factor is judged on the signed ID token only.
                claims.update({k: v for k, v in userinfo.items() if k not in {"amr", "acr"}})
        except SuspiciousOperation:
            attempt.reason = Reason.INVALID_TOKEN
            raise
        users = selectors.users_for_sso_identity(
            field=settings.OIDC_USER_FIELD, value=claims.get(settings.OIDC_USERNAME_CLAIM)
        )
        if not users:
            attempt.reason = Reason.UNKNOWN_USER
            return None
        if len(users) > 1:
            attempt.reason = Reason.AMBIGUOUS_USER
            return None
        user = users[0]
        attempt.user = user
        if not self.user_can_authenticate(user):
            attempt.reason = Reason.INACTIVE_USER
            return None
        attempt.mfa = bool(settings.OIDC_TRUST_MFA and mfa_asserted(payload))
        if attempt.mfa:
            # django-otp puts this device in the session when the user is logged in.
            user.otp_device = services.identity_provider_device_ensure(user=user)
        return user

    def user_can_authenticate(self, user: Any) -> bool:
        return bool(getattr(user, "is_active", False))

    def get_user(self, user_id: Any) -> Any:
        """The user of an SSO session, while SSO is on and the user is active (the library's own
        get_user skips the active check)."""
        if not settings.OIDC_ENABLED:
            return None
        return session_user(self, user_id)


def failure_message(reason: str) -> str:
    """The login page's Dutch text for a refused single sign-on."""
    name = display_name()
    if reason in Reason.NOT_LINKED:
        return gettext(
            "Er is geen actief Meedoen-account voor het account waarmee u inlogde met %(name)s. "
            "Vraag de functioneel beheerder van uw gemeente om uw account."
        ) % {"name": name}
    if reason == Reason.PROVIDER_ERROR:
        return gettext("Inloggen met %(name)s is afgebroken of geweigerd. Probeer het opnieuw.") % {
            "name": name
        }
    if reason == Reason.PROVIDER_UNREACHABLE:
        return gettext(
            "Inloggen met %(name)s kan nu niet: de inlogdienst is niet bereikbaar. Probeer het "
            "later opnieuw."
        ) % {"name": name}
    return gettext("Inloggen met %(name)s is mislukt. Probeer het opnieuw.") % {"name": name}
