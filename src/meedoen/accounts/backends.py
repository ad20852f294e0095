"""The password backend: Django's ModelBackend, switched off for staff when only single sign-on
is allowed (MEEDOEN_OIDC_ONLY). The single sign-on backend is in accounts/oidc.py."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def session_user(backend: ModelBackend, user_id: Any) -> Any:
    """The signed-in user of a session, with the municipality every page shows and every audit
    row names: one query instead of two on each request."""
    try:
        user = get_user_model()._default_manager.select_related("municipality").get(pk=user_id)
    except get_user_model().DoesNotExist:
        return None
    return user if backend.user_can_authenticate(user) else None


class PasswordBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        return session_user(self, user_id)

    def user_can_authenticate(self, user: Any) -> bool:
        # With SSO only, the installation superuser keeps the password (and TOTP) as the way in
        # when the identity provider is down; every other password login, session and HTTP Basic
        # request is refused.
        if settings.OIDC_ONLY and not getattr(user, "is_superuser", False):
            return False
        return super().user_can_authenticate(user)
