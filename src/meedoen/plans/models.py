"""The household plan: one plan per household, goals per member and life domain, small steps,
reviews (evaluatiemomenten) and an append-only history of versions (docs/plans.md).

Every change to a plan goes through plans/services.py, bumps `Plan.version` (the guard for
concurrent edits, core/concurrency.py) and appends one `PlanVersion` with the same number.
A version's goals are stored per member (`PlanVersionMember`), with a foreign key to the member:
erasing a client (privacy retention) then takes their part of every old version too, while the
other members' history stays.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meedoen.core.models import BaseModel, Versioned
from meedoen.plans.constants import (
    DEFAULT_REVIEW_INTERVAL_MONTHS,
    REVIEW_INTERVAL_MAX,
    REVIEW_INTERVAL_MIN,
    REVIEW_RESULTS,
    AgreementStatus,
    AuthorKind,
    GoalStatus,
    OwnerKind,
    PlanChange,
    StepStatus,
)
from meedoen.profiles.constants import ObstacleCategory, ZrmDomain


class Plan(Versioned, BaseModel):
    """The plan of a household ("één gezin, één plan"). It has no closed state: a relapse is
    recorded on the household (caseload.Relapse) and the plan goes on."""

    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    household = models.OneToOneField(
        "clients.Household", on_delete=models.CASCADE, related_name="plan"
    )
    review_interval_months = models.PositiveSmallIntegerField(
        _("evaluatie elke (maanden)"), default=DEFAULT_REVIEW_INTERVAL_MONTHS
    )
    next_review_on = models.DateField(_("volgende evaluatie"))
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )

    class Meta:
        verbose_name = _("plan van aanpak")
        verbose_name_plural = _("plannen van aanpak")
        constraints = [
            models.CheckConstraint(
                condition=Q(review_interval_months__gte=REVIEW_INTERVAL_MIN)
                & Q(review_interval_months__lte=REVIEW_INTERVAL_MAX),
                name="plan_review_interval_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.household_id} v{self.version}"


class Goal(BaseModel):
    """A concrete goal of one member in one life domain: what, and by when."""

    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        related_name="goals",
        db_index=False,  # led by the (plan, member, position) index below
    )
    member = models.ForeignKey(
        "clients.Client",
        on_delete=models.CASCADE,
        related_name="plan_goals",
        verbose_name=_("voor wie"),
    )
    domain = models.CharField(_("leefgebied"), max_length=32, choices=ZrmDomain.choices)
    what = models.TextField(_("wat"))
    due_on = models.DateField(_("wanneer bereikt"))
    status = models.CharField(
        _("stand"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )
    # Set when achieved: the outcomes issue counts "goal achieved" (the Tilburg 40% indicator).
    achieved_on = models.DateField(_("behaald op"), null=True, blank=True)
    # Links to the profile (profiles.Obstacle categories, the ambitions in the snapshot): a code
    # and the ambition as the coach chose it here, so the goal does not change with a new profile.
    obstacle = models.CharField(
        _("belemmering"), max_length=32, choices=ObstacleCategory.choices, blank=True
    )
    ambition = models.TextField(_("ambitie"), blank=True)
    author_kind = models.CharField(
        _("opgesteld door"), max_length=8, choices=AuthorKind.choices, default=AuthorKind.COACH
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        ordering = ["member_id", "position"]
        indexes = [models.Index(fields=["plan", "member", "position"], name="goal_by_plan")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=GoalStatus.ACHIEVED) & Q(achieved_on__isnull=False))
                | (~Q(status=GoalStatus.ACHIEVED) & Q(achieved_on__isnull=True)),
                name="goal_achieved_on_when_achieved",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.domain} {self.position}"


class Step(BaseModel):
    """A small step toward a goal, with an owner, a due date and a status."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    description = models.TextField(_("stap"))
    owner_kind = models.CharField(_("wie doet het"), max_length=8, choices=OwnerKind.choices)
    # PROTECT like partners.Involvement: organisations are made inactive, never deleted.
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_steps",
        verbose_name=_("partnerorganisatie"),
    )
    due_on = models.DateField(_("wanneer klaar"))
    status = models.CharField(
        _("status"), max_length=16, choices=StepStatus.choices, default=StepStatus.OPEN
    )
    done_on = models.DateField(_("gedaan op"), null=True, blank=True)
    author_kind = models.CharField(
        _("bedacht door"), max_length=8, choices=AuthorKind.choices, default=AuthorKind.COACH
    )
    completed_by_kind = models.CharField(
        _("afgevinkt door"), max_length=8, choices=AuthorKind.choices, blank=True
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    # The enrolment this step is about (e.g. "start the job application training"): always one
    # of the goal's member (services check it). SET_NULL: an enrolment is never deleted on its
    # own, and when the client is erased both go (the goal by its member, the enrolment by its
    # client), so the link never outlives either.
    enrolment = models.ForeignKey(
        "instruments.Enrolment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_steps",
        verbose_name=_("deelname aan een instrument"),
    )

    class Meta:
        verbose_name = _("stap")
        verbose_name_plural = _("stappen")
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner_kind=OwnerKind.PARTNER) & Q(organisation__isnull=False))
                | (~Q(owner_kind=OwnerKind.PARTNER) & Q(organisation__isnull=True)),
                name="step_organisation_when_partner",
            ),
            models.CheckConstraint(
                condition=(Q(status=StepStatus.DONE) & Q(done_on__isnull=False))
                | (~Q(status=StepStatus.DONE) & Q(done_on__isnull=True)),
                name="step_done_on_when_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal_id} {self.position}"


class Review(BaseModel):
    """An evaluatiemoment: per goal achieved, partly, not achieved or adjusted."""

    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        related_name="reviews",
        db_index=False,  # led by the (plan, held_on) index below
    )
    held_on = models.DateField(_("gehouden op"))
    note = models.TextField(_("toelichting"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    recorded_by_name = models.CharField(_("vastgelegd door"), max_length=150)

    class Meta:
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")
        ordering = ["-held_on"]
        indexes = [models.Index(fields=["plan", "-held_on"], name="review_by_plan")]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.held_on}"


class ReviewOutcome(BaseModel):
    """What a review concluded about one goal."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="outcomes")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="review_outcomes")
    result = models.CharField(_("uitkomst"), max_length=16, choices=GoalStatus.choices)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        verbose_name = _("uitkomst van een evaluatie")
        verbose_name_plural = _("uitkomsten van evaluaties")
        constraints = [
            models.UniqueConstraint(fields=["review", "goal"], name="review_outcome_once"),
            models.CheckConstraint(
                condition=Q(result__in=REVIEW_RESULTS), name="review_outcome_result"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review_id} {self.goal_id} {self.result}"


class PlanVersion(BaseModel):
    """The plan as it was after one change. Append-only: no service updates or deletes a version.

    `snapshot` holds the plan's own fields; the goals with their steps are in `members`, one row
    per member, so an erased member's part goes with them.
    """

    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        related_name="versions",
        db_index=False,  # led by the unique (plan, number) constraint
    )
    number = models.PositiveIntegerField(_("versie"))
    at = models.DateTimeField(_("tijdstip"))
    change = models.CharField(_("wijziging"), max_length=16, choices=PlanChange.choices)
    actor_name = models.CharField(_("door"), max_length=150)
    snapshot = models.JSONField(_("plan"), default=dict)

    class Meta:
        verbose_name = _("versie van het plan")
        verbose_name_plural = _("versies van het plan")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique"),
        ]
        indexes = [models.Index(fields=["plan", "-at"], name="plan_version_by_time")]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"


class PlanVersionMember(models.Model):
    """One member's goals (with steps) in one plan version."""

    id = models.BigAutoField(primary_key=True)
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="members")
    member = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="plan_version_parts"
    )
    goals = models.JSONField(_("doelen"), default=list)

    class Meta:
        verbose_name = _("doelen in een versie van het plan")
        verbose_name_plural = _("doelen in versies van het plan")
        constraints = [
            models.UniqueConstraint(fields=["version", "member"], name="plan_version_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.version_id} {self.member_id}"


class Agreement(BaseModel):
    """The voluntary agreement (vrijwillige afspraken) made from one version of the plan.

    No PDF is stored: the PDF is rendered again from the PlanVersion it was made from (goals and
    steps per member as they were then) and this row (number, date, coach). Rendering is
    deterministic for that input, and erasing a member takes their part of the version, so no
    blob keeps an erased person's goals (docs/plans.md, "The agreement"). A changed plan gets a
    new agreement with the next number; older ones stay as they were.
    """

    plan = models.ForeignKey(
        Plan,
        on_delete=models.CASCADE,
        related_name="agreements",
        db_index=False,  # led by the unique (plan, number) constraint
    )
    number = models.PositiveIntegerField(_("nummer"))
    plan_version = models.PositiveIntegerField(_("van versie van het plan"))
    status = models.CharField(
        _("status"), max_length=24, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    created_by_name = models.CharField(_("gemaakt door"), max_length=150)
    # Signed on paper: the day the client signed, and who recorded it (staff).
    signed_on = models.DateField(_("ondertekend op"), null=True, blank=True)
    signed_recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", db_index=False
    )
    signed_recorded_by_name = models.CharField(_("vastgelegd door"), max_length=150, blank=True)
    # Accepted online by a member of the household (the portal).
    accepted_at = models.DateTimeField(_("geaccepteerd op"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        "clients.Client",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accepted_agreements",
        verbose_name=_("geaccepteerd door"),
    )

    class Meta:
        verbose_name = _("vrijwillige afspraken")
        verbose_name_plural = _("vrijwillige afspraken")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="agreement_number_unique"),
            models.CheckConstraint(
                condition=(Q(status=AgreementStatus.SIGNED_ON_PAPER) & Q(signed_on__isnull=False))
                | (~Q(status=AgreementStatus.SIGNED_ON_PAPER) & Q(signed_on__isnull=True)),
                name="agreement_signed_on_when_signed",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=AgreementStatus.ACCEPTED_IN_PORTAL) & Q(accepted_at__isnull=False)
                )
                | (~Q(status=AgreementStatus.ACCEPTED_IN_PORTAL) & Q(accepted_at__isnull=True)),
                name="agreement_accepted_at_when_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} #{self.number}"
