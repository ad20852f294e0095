"""Reads for login: which second factors a user has."""

from __future__ import annotations

from typing import Any

from django_otp.plugins.otp_totp.models import TOTPDevice


def user_has_confirmed_totp_device(*, user: Any) -> bool:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def totp_secret_groups(*, device: TOTPDevice) -> list[str]:
    """The secret in base32, in groups of four, for typing it into an app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return [secret[i : i + 4] for i in range(0, len(secret), 4)]
