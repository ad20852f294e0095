"""Outcomes a coach records: a job, an education, volunteer work.

Outcomes that other parts already know are not copied here: benefit ends and re-entries live in
`clients.BenefitPeriod` (kept by the import), ladder changes in `profiles.ProfileSnapshot`,
achieved goals in `plans.Goal`. `outcomes.selectors` reads all of them as one stream of events,
so nothing has to be kept in step.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meedoen.core.models import BaseModel, Versioned
from meedoen.outcomes.constants import (
    RECORDED_KINDS,
    SUBSTANTIAL_JOB_HOURS,
    ContractType,
    OutcomeKind,
    OutcomeSource,
)


class OutcomeEvent(Versioned, BaseModel):
    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="outcome_events"
    )
    kind = models.CharField(
        _("soort"), max_length=32, choices=[(k.value, k.label) for k in RECORDED_KINDS]
    )
    occurred_on = models.DateField(_("datum"))
    # A job: hours, contract, sector (ISCO major group or free text), employer if known.
    hours_per_week = models.DecimalField(
        _("uren per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    contract_type = models.CharField(
        _("soort contract"), max_length=20, choices=ContractType.choices, blank=True
    )
    sector = models.CharField(_("sector"), max_length=100, blank=True)
    employer_name = models.CharField(_("werkgever"), max_length=200, blank=True)
    # Education: the name of the course or school; volunteering: the organisation.
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)
    ended_on = models.DateField(_("geëindigd op"), null=True, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    source = models.CharField(
        _("bron"), max_length=16, choices=OutcomeSource.choices, default=OutcomeSource.COACH
    )
    # The enrolment that led to it, when the coach says so (or the demo planted it).
    enrolment = models.ForeignKey(
        "instruments.Enrolment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcome_events",
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("uitkomst")
        verbose_name_plural = _("uitkomsten")
        ordering = ["-occurred_on", "-created_at"]
        indexes = [
            models.Index(fields=["municipality", "kind", "occurred_on"], name="outcome_kind_date"),
            models.Index(fields=["client", "occurred_on"], name="outcome_client_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in RECORDED_KINDS]),
                name="outcome_recorded_kind",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | Q(hours_per_week__gt=0, hours_per_week__lte=60),
                name="outcome_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | Q(kind=OutcomeKind.JOB_STARTED),
                name="outcome_hours_only_for_jobs",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("occurred_on")),
                name="outcome_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%d-%m-%Y}"

    @property
    def is_substantial_job(self) -> bool:
        """The seeds' "baan van 16 uur of meer"."""
        return (
            self.kind == OutcomeKind.JOB_STARTED
            and self.hours_per_week is not None
            and self.hours_per_week >= SUBSTANTIAL_JOB_HOURS
        )


class PlantedEffect(BaseModel):
    """Ground truth of the demo: the effect the demo generator planted per instrument and
    outcome, as the true average effect on the treated (same random draws, the instrument's
    effect taken away). Empty outside the demo. The effect report shows it beside the estimate,
    so anyone can see whether the estimators find what was put in."""

    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    instrument = models.ForeignKey(
        "instruments.Instrument", on_delete=models.CASCADE, related_name="planted_effects"
    )
    outcome = models.CharField(max_length=64)
    effect = models.FloatField()
    n_treated = models.PositiveIntegerField()
    definition = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "instrument", "outcome"], name="planted_effect_unique"
            )
        ]
