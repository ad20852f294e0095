"""Consent records and the receipts of erasure (docs/privacy/consent.md, retention.md)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meedoen.core.models import BaseModel
from meedoen.privacy.constants import ConsentChannel, ConsentPurpose, DataCategory, ErasureKind


class Consent(BaseModel):
    """A client's consent for one purpose, data categories and organisation, until withdrawn."""

    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="consents",
        db_index=False,  # led by the (client, purpose) index below
    )
    purpose = models.CharField(_("doel"), max_length=32, choices=ConsentPurpose.choices)
    data_categories = models.JSONField(
        _("soorten gegevens"), default=list, help_text=_("Codes uit DataCategory.")
    )
    # The registered partner organisation when there is one; the name is kept beside it so the
    # consent still reads right if the registry entry is renamed or removed.
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("partnerorganisatie"),
    )
    organisation_name = models.CharField(_("organisatie"), max_length=200)
    organisation_code = models.CharField(_("code organisatie"), max_length=32, blank=True)
    given_at = models.DateTimeField(_("gegeven op"))
    given_channel = models.CharField(
        _("gegeven via"), max_length=16, choices=ConsentChannel.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Kept when the account is removed: who recorded a consent is part of the record.
    recorded_by_name = models.CharField(_("vastgelegd door"), max_length=150)
    valid_until = models.DateField(_("geldig tot en met"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    withdrawn_channel = models.CharField(
        _("ingetrokken via"), max_length=16, choices=ConsentChannel.choices, blank=True
    )
    withdrawn_by_name = models.CharField(_("ingetrokken door"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-given_at"]
        indexes = [models.Index(fields=["client", "purpose"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_channel=""),
                name="consent_withdrawn_has_channel",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} — {self.organisation_name}"

    @property
    def category_labels(self) -> list[str]:
        labels = dict(DataCategory.choices)
        return [str(labels.get(code, code)) for code in self.data_categories or []]

    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()

    def is_valid_on(self, day: dt.date, at: dt.datetime) -> bool:
        if self.given_at > at:
            return False
        if self.withdrawn_at is not None and self.withdrawn_at <= at:
            return False
        return self.valid_until is None or self.valid_until >= day


class ErasureRecord(BaseModel):
    """Proof that a record was erased under a retention rule. No personal data: a pseudonym
    (the audit trail's, so the redacted audit rows can still be tied to this receipt), the rule
    and counts."""

    kind = models.CharField(_("soort"), max_length=16, choices=ErasureKind.choices)
    municipality_code = models.CharField(_("gemeentecode"), max_length=8)
    subject_pseudonym = models.CharField(_("pseudoniem"), max_length=64, db_index=True)
    rule = models.CharField(_("bewaarregel"), max_length=64)
    erased_on = models.DateField(_("verwijderd op"))
    counts = models.JSONField(_("aantallen"), default=dict)
    export = models.JSONField(
        _("export"), default=dict, help_text=_("Gegevens over de export vooraf, niet de export.")
    )
    audit_rows_redacted = models.PositiveIntegerField(_("auditregels afgeschermd"), default=0)

    class Meta:
        verbose_name = _("verwijderingsbewijs")
        verbose_name_plural = _("verwijderingsbewijzen")
        ordering = ["-erased_on"]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_pseudonym[:8]} ({self.erased_on})"
