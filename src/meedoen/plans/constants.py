"""Choices of the household plan (docs/plans.md). Codes are stored; labels are Dutch."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The default rhythm: an evaluatiemoment every three months; the team may change it.
DEFAULT_REVIEW_INTERVAL_MONTHS = 3
REVIEW_INTERVAL_MIN = 1
REVIEW_INTERVAL_MAX = 12


class GoalStatus(models.TextChoices):
    """Where a goal stands. A review sets one of REVIEW_RESULTS; `dropped` only by an edit."""

    OPEN = "open", _("Loopt")
    ACHIEVED = "achieved", _("Behaald")
    PARTLY = "partly", _("Deels behaald")
    NOT_ACHIEVED = "not_achieved", _("Niet behaald")
    ADJUSTED = "adjusted", _("Bijgesteld")
    DROPPED = "dropped", _("Vervallen")


# What a review may conclude per goal (the issue: achieved / partly / not / adjusted).
REVIEW_RESULTS: tuple[str, ...] = (
    GoalStatus.ACHIEVED,
    GoalStatus.PARTLY,
    GoalStatus.NOT_ACHIEVED,
    GoalStatus.ADJUSTED,
)
# A goal is finished when achieved or dropped; every other status keeps it on the plan's agenda,
# so the next review must say something about it. "Not achieved" is a review's verdict, not an
# end: the coach drops the goal explicitly when it is given up.
CLOSED_GOAL_STATUSES: frozenset[str] = frozenset({GoalStatus.ACHIEVED, GoalStatus.DROPPED})
ACTIVE_GOAL_STATUSES: tuple[str, ...] = tuple(
    s for s in GoalStatus.values if s not in CLOSED_GOAL_STATUSES
)


class StepStatus(models.TextChoices):
    OPEN = "open", _("Te doen")
    DONE = "done", _("Gedaan")
    CANCELLED = "cancelled", _("Vervallen")


class OwnerKind(models.TextChoices):
    """Who takes the step. A partner organisation is named by its registry entry."""

    CLIENT = "client", _("Cliënt")
    COACH = "coach", _("Klantregisseur")
    PARTNER = "partner", _("Partnerorganisatie")


class AuthorKind(models.TextChoices):
    """Who wrote or completed it: the figure for client ownership counts the client's share."""

    COACH = "coach", _("Klantregisseur")
    CLIENT = "client", _("Cliënt")


class PlanChange(models.TextChoices):
    """What a plan version records (PlanVersion.change)."""

    CREATE = "create", _("Plan gemaakt")
    GOAL_ADD = "goal_add", _("Doel toegevoegd")
    GOAL_UPDATE = "goal_update", _("Doel gewijzigd")
    STEP_ADD = "step_add", _("Stap toegevoegd")
    STEP_STATUS = "step_status", _("Status van een stap gewijzigd")
    STEP_ENROLMENT = "step_enrolment", _("Deelname aan een instrument bij een stap gewijzigd")
    REVIEW = "review", _("Evaluatie vastgelegd")
    REVIEW_INTERVAL = "review_interval", _("Evaluatietermijn gewijzigd")


class AgreementStatus(models.TextChoices):
    """Where an agreement (vrijwillige afspraken) stands. Signed or accepted is final: a changed
    plan gets a new agreement, the old one stays as it was."""

    DRAFT = "draft", _("Nog niet ondertekend")
    SIGNED_ON_PAPER = "signed_on_paper", _("Op papier ondertekend")
    ACCEPTED_IN_PORTAL = "accepted_in_portal", _("Online geaccepteerd door de cliënt")
