"""Writes for login: TOTP enrolment and verification, single sign-on. Every outcome is in the audit
trail."""

from __future__ import annotations

from base64 import b32decode
from binascii import hexlify
from typing import Any

from django.db import IntegrityError, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from meedoen.accounts.models import IdentityProviderDevice
from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record

DEVICE_NAME = "Authenticator-app"


class TOTPThrottledError(Exception):
    """Too many wrong codes in a row: django-otp makes the user wait before the next try."""


def totp_enrolment_device(*, user: Any) -> TOTPDevice:
    """The device of an enrolment in progress, created on the first visit and reused after, so that
    reloading the page keeps the QR code that the user may already have scanned."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def _verify(*, device: TOTPDevice, token: str) -> bool:
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        raise TOTPThrottledError
    return bool(device.verify_token(token))


@transaction.atomic
def totp_enrolment_confirm(*, user: Any, token: str, origin: Origin) -> TOTPDevice | None:
    """Confirm the enrolment with a first code from the app. Returns the device, or None when the
    code is wrong. Raises TOTPThrottledError after too many wrong codes."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user_id=user.pk, confirmed=False)
        .order_by("pk")
        .first()
    )
    if device is None:
        return None
    if not _verify(device=device, token=token):
        audit_record(
            actor=user,
            action="accounts.totp_device.confirm",
            origin=origin,
            obj=device,
            result=Result.DENIED,
        )
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).delete()
    audit_record(actor=user, action="accounts.totp_device.confirm", origin=origin, obj=device)
    return device


@transaction.atomic
def totp_verify(*, user: Any, token: str, origin: Origin) -> TOTPDevice | None:
    """The second login step: the device that accepts the code, or None. Raises
    TOTPThrottledError when django-otp's throttle still holds (wrong codes just before)."""
    devices = list(
        TOTPDevice.objects.select_for_update()
        .filter(user_id=user.pk, confirmed=True)
        .order_by("pk")
    )
    throttled = 0
    for device in devices:
        try:
            if _verify(device=device, token=token):
                audit_record(actor=user, action="accounts.user.verify_otp", origin=origin, obj=user)
                return device
        except TOTPThrottledError:
            throttled += 1
    audit_record(
        actor=user,
        action="accounts.user.verify_otp",
        origin=origin,
        obj=user,
        result=Result.DENIED,
    )
    if devices and throttled == len(devices):
        raise TOTPThrottledError
    return None


def totp_device_demo_ensure(*, user: Any, secret_base32: str) -> TOTPDevice:
    """A confirmed device with a known secret, for demo accounts only (the caller checks DEBUG)."""
    key = hexlify(b32decode(secret_base32)).decode()
    device = TOTPDevice.objects.filter(user_id=user.pk, name="Demo").first()
    if device is None:
        return TOTPDevice.objects.create(user=user, name="Demo", key=key, confirmed=True)
    if device.key != key or not device.confirmed:
        device.key, device.confirmed = key, True
        device.save(update_fields=["key", "confirmed"])
    return device


IDP_DEVICE_NAME = "Identity provider (SSO)"


def identity_provider_device_ensure(*, user: Any) -> IdentityProviderDevice:
    """The user's device that stands for the identity provider's second factor (one per user)."""
    device = IdentityProviderDevice.objects.filter(user_id=user.pk).first()
    if device is not None:
        return device
    try:
        with transaction.atomic():
            return IdentityProviderDevice.objects.create(user=user, name=IDP_DEVICE_NAME)
    except IntegrityError:  # a parallel login of the same user created it first
        return IdentityProviderDevice.objects.get(user_id=user.pk)


def sso_login_record(
    *,
    user: Any,
    origin: Origin,
    result: str,
    reason: str = "",
    mfa: bool = False,
) -> None:
    """Audit one single sign-on login (`accounts.user.login_sso`). The row names the matched user
    (as actor and object) or nobody; it never holds a token nor the provider's claims, only why a
    login was refused, or whether the provider's second factor was accepted."""
    detail: dict[str, Any] = {"reason": reason} if result != Result.ALLOWED else {"mfa": mfa}
    audit_record(
        actor=user,
        action="accounts.user.login_sso",
        origin=origin,
        obj=user,
        result=result,
        detail=detail,
    )
