"""Who is contact person for which household, and who covers for an absent colleague.

These rows are the input of the need-to-know rule in caseload/access.py. Dates are half-open:
a row applies from `start_date` up to but not including `end_date` ("tot"), so ending a cover
today takes effect today.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from meedoen.caseload.constants import (
    DEFAULT_CASELOAD_TARGET,
    DEFAULT_CONTACT_WEEKS,
    AppointmentStatus,
    AssignmentReason,
    ContactKind,
    ContactPurpose,
    CoverReason,
    Intensity,
)
from meedoen.core.models import BaseModel, Versioned


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
    # On the assignment because it is the coach's judgement of the guidance now; a change is
    # audited (caseload.assignment.intensity) and a new assignment starts from the previous value.
    intensity = models.CharField(
        _("intensiteit"),
        max_length=8,
        choices=Intensity.choices,
        default=Intensity.NORMAL,
        db_default=Intensity.NORMAL,
    )
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


class CaseloadPolicy(BaseModel):
    """A team's caseload target and contact rhythm. A team without a row uses the defaults."""

    team = models.OneToOneField("accounts.Team", on_delete=models.CASCADE, related_name="policy")
    caseload_target = models.PositiveSmallIntegerField(
        _("streefcaseload per klantregisseur"),
        default=DEFAULT_CASELOAD_TARGET,
        help_text=_("Gewogen aantal huishoudens bij een volledige werkweek."),
    )
    contact_weeks_low = models.PositiveSmallIntegerField(
        _("weken zonder contact (intensiteit laag)"), default=DEFAULT_CONTACT_WEEKS[Intensity.LOW]
    )
    contact_weeks_normal = models.PositiveSmallIntegerField(
        _("weken zonder contact (intensiteit normaal)"),
        default=DEFAULT_CONTACT_WEEKS[Intensity.NORMAL],
    )
    contact_weeks_high = models.PositiveSmallIntegerField(
        _("weken zonder contact (intensiteit hoog)"),
        default=DEFAULT_CONTACT_WEEKS[Intensity.HIGH],
    )

    class Meta:
        verbose_name = _("caseloadafspraken")
        verbose_name_plural = _("caseloadafspraken")
        constraints = [
            models.CheckConstraint(
                condition=Q(caseload_target__gte=1), name="policy_target_positive"
            ),
            models.CheckConstraint(
                condition=Q(contact_weeks_low__gte=1)
                & Q(contact_weeks_normal__gte=1)
                & Q(contact_weeks_high__gte=1),
                name="policy_weeks_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team_id}: {self.caseload_target}"

    def contact_weeks(self, intensity: str) -> int:
        return int(getattr(self, f"contact_weeks_{intensity}"))


class CoachProfile(BaseModel):
    """What the suggestions know of a coach besides the caseload: hours and languages spoken."""

    coach = models.OneToOneField(
        "accounts.User", on_delete=models.CASCADE, related_name="coach_profile"
    )
    # Part-time coaches carry a proportional target: 0.8 x the team's 50 = 40.
    hours_factor = models.DecimalField(
        _("deeltijdfactor"),
        max_digits=3,
        decimal_places=2,
        default=1,
        help_text=_("1,00 is een volledige werkweek; 0,80 is vier dagen."),
    )
    languages = models.JSONField(
        _("gesproken talen"),
        default=list,
        blank=True,
        help_text=_("ISO 639-1-codes, zoals nl, en, ar, tr."),
    )
    accepts_new = models.BooleanField(
        _("neemt nieuwe huishoudens aan"),
        default=True,
        help_text=_("Uit bij langdurige afwezigheid of vertrek: dan geen suggesties meer."),
    )

    class Meta:
        verbose_name = _("klantregisseursprofiel")
        verbose_name_plural = _("klantregisseursprofielen")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_factor__gt=0) & Q(hours_factor__lte=1),
                name="coach_hours_factor_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.coach_id)


class ContactMoment(BaseModel):
    """One contact with a household. Append-only: a correction is a new row that points to the
    row it corrects (`corrects`); the corrected row stays, so the log shows what was known when.
    """

    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    household = models.ForeignKey(
        "clients.Household",
        on_delete=models.CASCADE,
        related_name="contact_moments",
        db_index=False,  # led by the (household, occurred_at) index below
    )
    occurred_at = models.DateTimeField(_("datum en tijd"))
    kind = models.CharField(_("soort contact"), max_length=16, choices=ContactKind.choices)
    purpose = models.CharField(
        _("aanleiding"),
        max_length=16,
        choices=ContactPurpose.choices,
        default=ContactPurpose.REGULAR,
    )
    duration_minutes = models.PositiveSmallIntegerField(_("duur (minuten)"), null=True, blank=True)
    # Codes from OtherParticipant: roles, never names of third parties.
    other_participants = models.JSONField(_("andere deelnemers"), default=list, blank=True)
    summary = models.TextField(_("samenvatting"))
    # Codes from PracticalHelp.
    practical_help = models.JSONField(_("praktische hulp"), default=list, blank=True)
    agreements = models.TextField(_("afspraken"), blank=True)
    coach = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_index=False,
    )
    # Kept when the account is removed: who had contact is part of the record.
    coach_name = models.CharField(_("klantregisseur"), max_length=150)
    # A second coach at a warm handover's introduction.
    second_coach = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    second_coach_name = models.CharField(_("tweede klantregisseur"), max_length=150, blank=True)
    # CASCADE, not PROTECT: the application never deletes a contact moment; the only delete is
    # the erasure of the whole household (privacy.retention_run), which must take the chain.
    corrects = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="corrected_by",
        verbose_name=_("corrigeert"),
    )
    correction_reason = models.CharField(_("reden van de correctie"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("contactmoment")
        verbose_name_plural = _("contactmomenten")
        ordering = ["-occurred_at"]
        indexes = [
            # The household's log and "when was the last contact": one index range scan.
            models.Index(fields=["household", "-occurred_at"], name="contact_by_household"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | ~Q(correction_reason=""),
                name="contact_correction_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True) | Q(duration_minutes__lte=24 * 60),
                name="contact_duration_max_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.occurred_at:%Y-%m-%d} {self.kind}"


class ContactParticipant(models.Model):
    """A household member who took part in a contact moment."""

    id = models.BigAutoField(primary_key=True)
    contact = models.ForeignKey(
        ContactMoment, on_delete=models.CASCADE, related_name="participants"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="contact_participations"
    )

    class Meta:
        verbose_name = _("deelnemer aan contact")
        verbose_name_plural = _("deelnemers aan contact")
        constraints = [
            models.UniqueConstraint(fields=["contact", "client"], name="contact_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.client_id}"


class Appointment(Versioned, BaseModel):
    """A planned contact. Once held it points to the contact moment that logged it."""

    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    household = models.ForeignKey(
        "clients.Household",
        on_delete=models.CASCADE,
        related_name="appointments",
        db_index=False,  # led by the (household, starts_at) index below
    )
    coach = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="appointments",
        db_index=False,  # led by the (coach, status, starts_at) index below
    )
    second_coach = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    starts_at = models.DateTimeField(_("datum en tijd"))
    kind = models.CharField(_("soort contact"), max_length=16, choices=ContactKind.choices)
    purpose = models.CharField(
        _("aanleiding"),
        max_length=16,
        choices=ContactPurpose.choices,
        default=ContactPurpose.REGULAR,
    )
    location = models.CharField(_("plaats"), max_length=200, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.PLANNED,
    )
    contact = models.OneToOneField(
        ContactMoment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointment",
    )

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["household", "starts_at"], name="appointment_by_household"),
            # The coach's agenda and "appointments due": planned ones only.
            models.Index(
                fields=["coach", "starts_at"],
                condition=Q(status="planned"),
                name="appointment_planned_by_coach",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.starts_at:%Y-%m-%d %H:%M}"


class Relapse(BaseModel):
    """A setback (terugval) in a household. An event only: it never closes the guidance."""

    household = models.ForeignKey(
        "clients.Household",
        on_delete=models.CASCADE,
        related_name="relapses",
        db_index=False,  # led by the (household, date) index below
    )
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="relapses",
        verbose_name=_("cliënt"),
    )
    date = models.DateField(_("datum"))
    note = models.TextField(_("wat er gebeurde"))
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    recorded_by_name = models.CharField(_("vastgelegd door"), max_length=150)

    class Meta:
        verbose_name = _("terugval")
        verbose_name_plural = _("terugvallen")
        ordering = ["-date"]
        indexes = [models.Index(fields=["household", "-date"], name="relapse_by_household")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.date}"


class Handover(BaseModel):
    """The warm handover that came with an assignment: the note for the new coach and the joint
    introduction (an appointment with both coaches, logged as a contact once held)."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="handover")
    from_coach = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    from_coach_name = models.CharField(_("vorige klantregisseur"), max_length=150)
    note = models.TextField(_("overdrachtsnotitie"))
    introduction = models.OneToOneField(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handover",
        verbose_name=_("kennismaking"),
    )

    class Meta:
        verbose_name = _("overdracht")
        verbose_name_plural = _("overdrachten")

    def __str__(self) -> str:
        return str(self.assignment_id)
