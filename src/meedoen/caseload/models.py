"""Who is contact person for which household, and who covers for an absent colleague.

These rows are the input of the need-to-know rule in caseload/access.py. Dates are half-open:
a row applies from `start_date` up to but not including `end_date` ("tot"), so ending a cover
today takes effect today.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from meedoen.caseload.constants import AssignmentReason, CoverReason
from meedoen.core.models import BaseModel


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def open(self) -> "AssignmentQuerySet":
        return self.filter(end_date__isnull=True)


class Assignment(BaseModel):
    """A coach being the contact person of a household. Exactly one open row per household."""

    household = models.ForeignKey(
        "clients.Household",
        on_delete=models.CASCADE,
        related_name="assignments",
        db_index=False,  # served by the (household, start_date) index below
    )
    coach = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="assignments",
        db_index=False,  # served by the partial (coach, household) index below
        verbose_name=_("klantregisseur"),
    )
    start_date = models.DateField(_("vanaf"))
    end_date = models.DateField(_("tot"), null=True, blank=True)
    reason = models.CharField(_("reden"), max_length=32, choices=AssignmentReason.choices)
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
        help_text=_("Leeg als het systeem (import of demo) de toewijzing maakte."),
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("toewijzing")
        verbose_name_plural = _("toewijzingen")
        ordering = ["-start_date"]
        constraints = [
            # Also the index for "who is this household's contact person" (access.py, team lead).
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(end_date__isnull=True),
                name="assignment_one_open_per_household",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="assignment_end_after_start",
            ),
        ]
        indexes = [
            # A coach's current caseload: an index range scan, whatever the size of the city.
            models.Index(
                fields=["coach", "household"],
                condition=Q(end_date__isnull=True),
                name="assignment_open_by_coach",
            ),
            models.Index(fields=["household", "start_date"], name="assignment_history"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} → {self.coach_id} ({self.start_date})"


class CoverQuerySet(models.QuerySet["Cover"]):
    def active_on(self, day: object) -> "CoverQuerySet":
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=day)
        )


class Cover(BaseModel):
    """A colleague temporarily sees and works the caseload of an absent coach."""

    absent_coach = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="covers_received",
        verbose_name=_("afwezige klantregisseur"),
    )
    covering_coach = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="covers_given",
        db_index=False,  # served by the (covering_coach, start_date) index below
        verbose_name=_("vervanger"),
    )
    start_date = models.DateField(_("vanaf"))
    end_date = models.DateField(
        _("tot"), null=True, blank=True, help_text=_("Leeg: tot nader order.")
    )
    reason = models.CharField(_("reden"), max_length=32, choices=CoverReason.choices)
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
    )

    objects = CoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("vervanging")
        verbose_name_plural = _("vervangingen")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="cover_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(absent_coach=F("covering_coach")), name="cover_not_self"
            ),
        ]
        indexes = [models.Index(fields=["covering_coach", "start_date"], name="cover_by_covering")]

    def __str__(self) -> str:
        return f"{self.covering_coach_id} ⇄ {self.absent_coach_id} ({self.start_date})"
