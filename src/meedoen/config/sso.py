"""Start-up checks for the single sign-on settings (MEEDOEN_OIDC_*): a half-configured identity
provider stops Meedoen with a message naming the variable, instead of failing at the first login."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

# Asymmetric algorithms only: the provider's public keys come from its JWKS endpoint.
SIGN_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"})
USER_FIELDS = frozenset({"email", "username"})


def url_origin(url: str) -> str:
    """scheme://host[:port] of a URL, as a Content-Security-Policy source."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def oidc_check_configuration(
    *,
    debug: bool,
    client_secret: str,
    issuer: str,
    endpoints: list[str],
    sign_algorithm: str,
    user_field: str,
    logout_at_idp: bool,
) -> None:
    """Called by settings when MEEDOEN_OIDC_CLIENT_ID is set."""
    if not client_secret:
        raise ImproperlyConfigured(
            "MEEDOEN_OIDC_CLIENT_SECRET is required when MEEDOEN_OIDC_CLIENT_ID is set."
        )
    authorization, token, _userinfo, jwks, end_session = endpoints
    if not issuer and not (authorization and token and jwks):
        raise ImproperlyConfigured(
            "Set MEEDOEN_OIDC_ISSUER (endpoints are then discovered), or all of "
            "MEEDOEN_OIDC_AUTHORIZATION_ENDPOINT, MEEDOEN_OIDC_TOKEN_ENDPOINT and "
            "MEEDOEN_OIDC_JWKS_ENDPOINT."
        )
    if logout_at_idp and not (issuer or end_session):
        raise ImproperlyConfigured(
            "MEEDOEN_OIDC_LOGOUT_AT_IDP needs MEEDOEN_OIDC_END_SESSION_ENDPOINT or "
            "MEEDOEN_OIDC_ISSUER."
        )
    for url in [issuer, *endpoints]:
        if not url:
            continue
        parts = urlsplit(url)
        if parts.scheme not in {"https", "http"} or not parts.netloc:
            raise ImproperlyConfigured(f"MEEDOEN_OIDC_*: {url!r} is not an absolute URL.")
        if parts.scheme != "https" and not debug:
            raise ImproperlyConfigured(f"MEEDOEN_OIDC_*: {url!r} must use https.")
    if sign_algorithm not in SIGN_ALGORITHMS:
        raise ImproperlyConfigured(
            f"MEEDOEN_OIDC_SIGN_ALGORITHM must be one of {', '.join(sorted(SIGN_ALGORITHMS))}."
        )
    if user_field not in USER_FIELDS:
        raise ImproperlyConfigured("MEEDOEN_OIDC_USER_FIELD must be 'email' or 'username'.")
