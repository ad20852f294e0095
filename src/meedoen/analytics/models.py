"""The analyst's stored work. Everything here is about groups, never about a person: an effect
evaluation stores counts, estimates and diagnostics, no pseudonym, client id or name."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meedoen.analytics.constants import EvaluationStatus, Verdict
from meedoen.core.models import BaseModel


class EffectEvaluation(BaseModel):
    """One effect evaluation of an instrument on an outcome (issue 7, docs/effect-reports.md).

    Requested by an analyst, run as a background job (analytics.tasks). `result` is the engine's
    report (meedoen.effects EffectReport.to_dict()) plus the dataset's definitions and the size
    of the population; it is written once, with the status, when the job ends.
    """

    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    instrument = models.ForeignKey(
        "instruments.Instrument", on_delete=models.CASCADE, related_name="effect_evaluations"
    )
    outcome = models.CharField(_("uitkomst"), max_length=64)
    horizon_months = models.PositiveSmallIntegerField(_("termijn in maanden"), null=True)
    methods = models.JSONField(_("methoden"), default=list)
    bootstrap = models.PositiveSmallIntegerField(_("bootstrap-herhalingen"), default=200)
    seed = models.PositiveIntegerField(default=0)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.QUEUED,
    )
    progress = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    # The headline estimate and verdict, copied out of `result` so that the catalogue and the
    # list show them without reading the JSON (services_effects.HEADLINE_ORDER).
    verdict = models.CharField(max_length=16, blank=True)
    headline_method = models.CharField(max_length=16, blank=True)
    estimate = models.FloatField(null=True, blank=True)
    ci_low = models.FloatField(null=True, blank=True)
    ci_high = models.FloatField(null=True, blank=True)
    error = models.TextField(_("foutmelding"), blank=True)
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_by_name = models.CharField(max_length=200, blank=True)
    requested_at = models.DateTimeField(_("aangevraagd op"))
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        verbose_name = _("effectmeting")
        verbose_name_plural = _("effectmetingen")
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["municipality", "-requested_at"], name="evaluation_recent"),
            models.Index(fields=["instrument", "status", "-finished_at"], name="evaluation_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="evaluation_progress_range"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in EvaluationStatus]),
                name="evaluation_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.outcome} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in (EvaluationStatus.QUEUED, EvaluationStatus.RUNNING)

    @property
    def verdict_label(self) -> str:
        return str(dict(Verdict.choices).get(self.verdict, self.verdict))


class MonitorTarget(BaseModel):
    """The municipality's yearly target for "naar werk uit de bijstand" (the programme monitor,
    issue 7; docs/monitor.md): e.g. Den Haag's Werkoffensief +500 — last year's number plus 500.
    A policy figure, set by the analyst (beleidsmedewerker); the monitor shows it beside the count.
    """

    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    to_work_target = models.PositiveIntegerField(_("doel naar werk"))
    set_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    set_by_name = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("doel naar werk")
        verbose_name_plural = _("doelen naar werk")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="monitor_target_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="monitor_target_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.to_work_target}"
