from django.db import models
from django.utils.translation import gettext_lazy as _


class OutcomeKind(models.TextChoices):
    """Every kind of outcome the monitor and the effect evaluation count.

    The first four are recorded by a coach (OutcomeEvent); the others are derived where they
    happen (outcomes.selectors): benefit ends and re-entries from the benefit periods the import
    keeps, ladder changes from the profile snapshots, achieved goals from the plan.
    """

    JOB_STARTED = "job_started", _("Betaald werk begonnen")
    EDUCATION_STARTED = "education_started", _("Opleiding begonnen")
    EDUCATION_FINISHED = "education_finished", _("Opleiding afgerond")
    VOLUNTEERING_STARTED = "volunteering_started", _("Vrijwilligerswerk begonnen")
    LADDER_CHANGED = "ladder_changed", _("Trede op de participatieladder veranderd")
    GOAL_ACHIEVED = "goal_achieved", _("Doel behaald")
    BENEFIT_ENDED = "benefit_ended", _("Uitkering beëindigd")
    BENEFIT_REENTRY = "benefit_reentry", _("Opnieuw in de bijstand")


RECORDED_KINDS = (
    OutcomeKind.JOB_STARTED,
    OutcomeKind.EDUCATION_STARTED,
    OutcomeKind.EDUCATION_FINISHED,
    OutcomeKind.VOLUNTEERING_STARTED,
)

# Hours per week from which a job counts as "a job of at least 16 hours" (one of the seeds'
# indicators: from 16 hours a job usually brings a household (partly) out of the bijstand).
SUBSTANTIAL_JOB_HOURS = 16


class ContractType(models.TextChoices):
    PERMANENT = "permanent", _("Vast contract")
    FIXED_TERM = "fixed_term", _("Tijdelijk contract")
    ON_CALL = "on_call", _("Oproep- of nulurencontract")
    AGENCY = "agency", _("Uitzendwerk")
    SELF_EMPLOYED = "self_employed", _("Zelfstandig ondernemer")
    SHELTERED = "sheltered", _("Beschut werk of banenafspraak")
    OTHER = "other", _("Anders")


class OutcomeSource(models.TextChoices):
    COACH = "coach", _("Vastgelegd door de klantregisseur")
    IMPORT = "import", _("Uit de levering van de uitkeringsadministratie")
    PROFILE = "profile", _("Uit het profiel (gesprek)")
    PLAN = "plan", _("Uit het plan")
    DEMO = "demo", _("Demogegevens")
