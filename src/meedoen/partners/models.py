"""Partner organisations around a household: who is involved, for what, and what was shared.

A registry per municipality (organisations and the people there the coach works with), the
involvement of an organisation with a household, and a record of each time case information was
shared — which requires the client's consent (privacy.Consent) for that organisation.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from meedoen.core.models import BaseModel, Versioned
from meedoen.partners.constants import InvolvementTopic, OrganisationKind


class Organisation(Versioned, BaseModel):
    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.PROTECT,
        related_name="partner_organisations",
        db_index=False,  # led by the unique (municipality, name) constraint
    )
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=32, choices=OrganisationKind.choices)
    # The code a consent names the organisation by (privacy.Consent.organisation_code).
    code = models.CharField(_("code"), max_length=32, blank=True)
    phone = models.CharField(_("telefoon"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("partnerorganisatie")
        verbose_name_plural = _("partnerorganisaties")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="partner_organisation_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PartnerPerson(Versioned, BaseModel):
    """A professional at a partner organisation (work contact details only)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("naam"), max_length=150)
    job_title = models.CharField(_("functie"), max_length=100, blank=True)
    phone = models.CharField(_("telefoon (werk)"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail (werk)"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("contactpersoon partnerorganisatie")
        verbose_name_plural = _("contactpersonen partnerorganisaties")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Involvement(Versioned, BaseModel):
    """An organisation involved with a household (or one member of it), for a topic."""

    household = models.ForeignKey(
        "clients.Household",
        on_delete=models.CASCADE,
        related_name="involvements",
        db_index=False,  # led by the (household, start_date) index below
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="involvements",
        verbose_name=_("voor wie"),
        help_text=_("Leeg: het hele huishouden."),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="involvements"
    )
    person = models.ForeignKey(
        PartnerPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="involvements",
        verbose_name=_("contactpersoon"),
    )
    topic = models.CharField(_("waarvoor"), max_length=32, choices=InvolvementTopic.choices)
    note = models.TextField(_("toelichting"), blank=True)
    start_date = models.DateField(_("vanaf"))
    end_date = models.DateField(_("tot"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("betrokkenheid")
        verbose_name_plural = _("betrokkenheden")
        ordering = ["-start_date"]
        indexes = [
            models.Index(fields=["household", "start_date"], name="involvement_by_household")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="involvement_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} ({self.topic})"


class InformationShare(BaseModel):
    """Case information shared with a partner organisation, under the client's consent."""

    involvement = models.ForeignKey(Involvement, on_delete=models.CASCADE, related_name="shares")
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="information_shares"
    )
    # RESTRICT, not PROTECT: a consent cannot be deleted on its own while a share rests on it, but
    # erasing the client (privacy retention) deletes both together by cascade.
    consent = models.ForeignKey(
        "privacy.Consent", on_delete=models.RESTRICT, related_name="information_shares"
    )
    # Codes from privacy.DataCategory, each covered by the consent.
    data_categories = models.JSONField(_("soorten gegevens"), default=list)
    summary = models.TextField(_("wat is gedeeld"))
    shared_at = models.DateTimeField(_("gedeeld op"))
    shared_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    shared_by_name = models.CharField(_("gedeeld door"), max_length=150)

    class Meta:
        verbose_name = _("gedeelde informatie")
        verbose_name_plural = _("gedeelde informatie")
        ordering = ["-shared_at"]

    def __str__(self) -> str:
        return f"{self.involvement_id} {self.shared_at:%Y-%m-%d}"
