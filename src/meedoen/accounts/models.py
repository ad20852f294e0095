from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.constants import Role
from meedoen.core.models import BaseModel


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


class Team(BaseModel):
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


class User(AbstractUser):
    """A staff member. Clients and external partners get their own account types later."""

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
