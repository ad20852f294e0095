"""The instrument catalogue of a municipality and the enrolments of clients in it.

An instrument is an offer (a training, a job coach, a language course …) delivered by a provider,
usually an organisation of the partner registry. An enrolment is one client's participation:
requested or on the waiting list, started, then finished or stopped early. The plan (meedoen.plans)
points at an enrolment from a step; nothing here points at the plan.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from meedoen.core.models import BaseModel, Versioned
from meedoen.instruments.constants import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    EnrolmentResult,
    EnrolmentStatus,
    InstrumentKind,
    StopReason,
    TargetGroup,
)


class Category(Versioned, BaseModel):
    """A municipality's own grouping of its instruments (e.g. "Werkoffensief", "Taal")."""

    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.PROTECT,
        related_name="instrument_categories",
        db_index=False,  # led by the unique (municipality, name) constraint
    )
    name = models.CharField(_("naam"), max_length=100)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("categorie van instrumenten")
        verbose_name_plural = _("categorieën van instrumenten")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="instrument_category_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Instrument(Versioned, BaseModel):
    municipality = models.ForeignKey(
        "accounts.Municipality",
        on_delete=models.PROTECT,
        related_name="instruments",
        db_index=False,  # led by the unique (municipality, name) constraint
    )
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=32, choices=InstrumentKind.choices)
    provider = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instruments",
        verbose_name=_("aanbieder (uit het register)"),
    )
    # The provider as shown: the registry entry's name, or a provider outside the registry.
    provider_name = models.CharField(_("aanbieder"), max_length=200, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    capacity = models.PositiveIntegerField(
        _("aantal plaatsen"), null=True, blank=True, help_text=_("Leeg: onbeperkt.")
    )
    cost_per_participant = models.DecimalField(
        _("kosten per deelnemer (euro)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    usual_duration_weeks = models.PositiveSmallIntegerField(
        _("gebruikelijke duur (weken)"), null=True, blank=True
    )
    categories = models.ManyToManyField(
        Category, blank=True, related_name="instruments", verbose_name=_("categorieën")
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instrumenten")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="instrument_name_unique"),
            models.CheckConstraint(
                condition=Q(cost_per_participant__isnull=True) | Q(cost_per_participant__gte=0),
                name="instrument_cost_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class InstrumentTargetGroup(models.Model):
    """One target group of an instrument.

    Rows rather than a JSON list: "instruments for statushouders" is then an indexed equality
    test that behaves the same on SQLite and PostgreSQL (JSON containment does not exist on
    SQLite, and `icontains` on JSON text is a trap).
    """

    id = models.BigAutoField(primary_key=True)
    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.CASCADE,
        related_name="target_group_rows",
        db_index=False,  # led by the unique (instrument, code) constraint
    )
    code = models.CharField(_("doelgroep"), max_length=32, choices=TargetGroup.choices)

    class Meta:
        verbose_name = _("doelgroep van een instrument")
        verbose_name_plural = _("doelgroepen van instrumenten")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="instrument_target_once")
        ]
        indexes = [models.Index(fields=["code", "instrument"], name="instrument_by_target")]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.code}"


class Enrolment(Versioned, BaseModel):
    """A client's participation in an instrument."""

    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        related_name="enrolments",
        db_index=False,  # led by the (instrument, status, requested_at) index below
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="enrolments"
    )
    # The household the client belonged to when enrolled (the plan is per household).
    household = models.ForeignKey(
        "clients.Household", on_delete=models.CASCADE, related_name="enrolments"
    )
    status = models.CharField(_("status"), max_length=16, choices=EnrolmentStatus.choices)
    # A moment, not a day: the waiting list is first come, first served on this.
    requested_at = models.DateTimeField(_("aangemeld op"))
    started_on = models.DateField(_("gestart op"), null=True, blank=True)
    ended_on = models.DateField(_("geëindigd op"), null=True, blank=True)
    stop_reason = models.CharField(
        _("reden van stoppen"), max_length=16, choices=StopReason.choices, blank=True
    )
    result = models.CharField(
        _("resultaat"), max_length=24, choices=EnrolmentResult.choices, blank=True
    )
    note = models.TextField(_("toelichting bij de aanmelding"), blank=True)
    end_note = models.TextField(_("toelichting bij het einde"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    created_by_name = models.CharField(_("aangemeld door"), max_length=150)

    class Meta:
        verbose_name = _("deelname aan een instrument")
        verbose_name_plural = _("deelnames aan instrumenten")
        ordering = ["-requested_at"]
        indexes = [
            models.Index(
                fields=["instrument", "status", "requested_at"], name="enrolment_by_instrument"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "client"],
                condition=Q(status__in=OPEN_STATUSES),
                name="enrolment_one_open_per_client",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="enrolment_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=CLOSED_STATUSES) | Q(ended_on__isnull=False),
                name="enrolment_closed_has_end",
            ),
            models.CheckConstraint(
                condition=~Q(status=EnrolmentStatus.STOPPED_EARLY) | ~Q(stop_reason=""),
                name="enrolment_stop_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.client_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
