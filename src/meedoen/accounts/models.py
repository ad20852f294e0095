from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from meedoen.accounts.constants import Role
from meedoen.core.models import BaseModel, Versioned


class Municipality(BaseModel):
    """A gemeente. One installation may serve several; their data never mix."""

    code = models.CharField(_("CBS-gemeentecode"), max_length=4, unique=True)
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(BaseModel, Versioned):
    """A team of staff within a municipality. The functional admin creates and renames teams; the
    name is edited with the version it showed (core/concurrency.py)."""

    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField(_("naam"), max_length=100)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="team_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


# django-otp has no type information, so django-stubs cannot follow IdentityProviderDevice.user
# (from django-otp's abstract Device) back to this model.
class User(AbstractUser, Versioned):  # type: ignore[django-manager-missing]
    """A staff member. Clients and external partners get their own account types later.

    The functional admin of the municipality manages these accounts (accounts/services_staff.py);
    edits carry the version they showed, so two admins never overwrite each other."""

    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
        help_text=_("Leeg alleen voor de installatiebeheerder (superuser)."),
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.SET_NULL, related_name="members", null=True, blank=True
    )
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices, blank=True)

    class Meta:
        verbose_name = _("medewerker")
        verbose_name_plural = _("medewerkers")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class IdentityProviderDevice(Device):
    """The second factor that the municipality's identity provider checked at a single sign-on
    login (OIDC `amr`/`acr`, when MEEDOEN_OIDC_TRUST_MFA is on). It accepts no code itself: the
    SSO callback puts it in the session (django_otp.login), so that `user.is_verified()` holds and
    OTPRequiredMiddleware lets the user through without our TOTP step. One per user."""

    class Meta:
        verbose_name = _("tweede factor via identity provider")
        verbose_name_plural = _("tweede factoren via identity provider")
        constraints = [
            models.UniqueConstraint(fields=["user"], name="identityproviderdevice_one_per_user")
        ]

    def verify_token(self, token: object) -> bool:
        return False
