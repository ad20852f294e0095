"""Helpers for tests (all apps): a TOTP device, its current code, and a verified login.

Not imported by application code. `verified_login(client, user)` stands for "passed password and
code" without going through the forms; the real flow is tested in accounts/tests/test_login.py.
"""

from __future__ import annotations

import time
from typing import Any

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device_create(user: Any, *, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Test", confirmed=confirmed)


def totp_token(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or `steps_ahead` periods later; django-otp accepts
    one period of clock skew and never the same period twice)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def verified_login(client: Any, user: Any) -> TOTPDevice:
    """Log the test client in as `user` with a confirmed TOTP device, verified for this session."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or totp_device_create(
        user
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
