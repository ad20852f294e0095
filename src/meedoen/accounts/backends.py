"""The password backend: Django's ModelBackend, switched off for staff when only single sign-on
is allowed (MEEDOEN_OIDC_ONLY). The single sign-on backend is in accounts/oidc.py."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class PasswordBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        # With SSO only, the installation superuser keeps the password (and TOTP) as the way in
        # when the identity provider is down; every other password login, session and HTTP Basic
        # request is refused.
        if settings.OIDC_ONLY and not getattr(user, "is_superuser", False):
            return False
        return super().user_can_authenticate(user)
