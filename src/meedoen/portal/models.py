"""The client's portal account (ADR 0015): which person a login with the client role is."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from meedoen.core.models import BaseModel


class PortalAccount(BaseModel):
    """Links a `User` with the client role to the `Client` it is. The user row holds no name or
    e-mail address; the portal shows what the client's file says. Erasing the client takes
    this row with it (cascade); the login left behind is removed by the portal's retention
    sweep (portal/retention.py)."""

    user = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="portal_account"
    )
    client = models.OneToOneField(
        "clients.Client", on_delete=models.CASCADE, related_name="portal_account"
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("portaalaccount")
        verbose_name_plural = _("portaalaccounts")

    def __str__(self) -> str:
        return str(self.pk)
