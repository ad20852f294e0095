"""Reads for login: which second factors a user has; who a single sign-on identity is."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from meedoen.accounts.constants import Role


def user_has_confirmed_totp_device(*, user: Any) -> bool:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def user_second_factor_required(*, user: Any) -> bool:
    """Whether this user must pass the TOTP step (settings.REQUIRE_2FA). Staff always; a client
    (the portal, ADR 0015) only once they chose to link an authenticator app: for clients the
    second factor is optional in the demo, and in production their login is DigiD."""
    if not settings.REQUIRE_2FA:
        return False
    if getattr(user, "role", "") == Role.CLIENT:
        return user_has_confirmed_totp_device(user=user)
    return True


def totp_secret_groups(*, device: TOTPDevice) -> list[str]:
    """The secret in base32, in groups of four, for typing it into an app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return [secret[i : i + 4] for i in range(0, len(secret), 4)]


SSO_USER_FIELDS = frozenset({"email", "username"})


def users_for_sso_identity(*, field: str, value: object) -> list[Any]:
    """At most two staff members of a municipality whose `field` equals `value` ignoring case,
    active or not: the caller refuses none, two (ambiguous) and an inactive one. The installation
    superuser (no municipality) is never matched."""
    if field not in SSO_USER_FIELDS:
        raise ValueError(f"unknown user field {field!r}")
    if not isinstance(value, str) or not value.strip():
        return []
    lookup = {f"{field}__iexact": value.strip()}
    return list(
        get_user_model()
        .objects.filter(municipality__isnull=False, **lookup)
        .exclude(role=Role.CLIENT)  # the staff login never signs in a client (ADR 0015)
        .select_related("municipality")
        .order_by("pk")[:2]
    )
