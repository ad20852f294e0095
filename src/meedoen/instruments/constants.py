from django.db import models
from django.utils.translation import gettext_lazy as _


class InstrumentKind(models.TextChoices):
    """What kind of offer an instrument is; the municipality adds its own categories on top."""

    JOB_APPLICATION_TRAINING = "job_application_training", _("Sollicitatietraining")
    JOB_COACH = "job_coach", _("Jobcoach")
    EDUCATION = "education", _("Scholing of opleiding")
    LANGUAGE_COURSE = "language_course", _("Taalcursus")
    WORK_EXPERIENCE = "work_experience", _("Werkervaringsplaats")
    VOLUNTEERING = "volunteering", _("Vrijwilligerswerk")
    PARTICIPATION_PLACEMENT = "participation_placement", _("Participatieplaats")
    DEBT_COUNSELLING = "debt_counselling", _("Schuldhulpverlening")
    BUDGET_COURSE = "budget_course", _("Budgetcursus")
    MENTAL_HEALTH = "mental_health", _("GGZ-traject")
    SPORT = "sport", _("Sport en bewegen")
    OTHER = "other", _("Ander instrument")


class TargetGroup(models.TextChoices):
    """Groups an instrument is meant for (LV/V/W: offers for specific groups)."""

    REFUGEES = "refugees", _("Statushouders")
    HIGHLY_EDUCATED = "highly_educated", _("Hoogopgeleiden")
    MENTAL_HEALTH = "mental_health", _("Psychische problematiek")
    OVER_50 = "over_50", _("50-plussers")
    YOUNG_PEOPLE = "young_people", _("Jongeren (tot 27 jaar)")
    SINGLE_PARENTS = "single_parents", _("Alleenstaande ouders")
    LONG_TERM = "long_term", _("Langdurig in de bijstand")
    LOW_LITERACY = "low_literacy", _("Laaggeletterden")
    DISABILITY = "disability", _("Arbeidsbeperking")
    DEBTS = "debts", _("Schulden")
    EVERYONE = "everyone", _("Iedereen in de bijstand")


class EnrolmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Aangemeld")
    WAITING = "waiting", _("Op de wachtlijst")
    STARTED = "started", _("Gestart")
    FINISHED = "finished", _("Afgerond")
    STOPPED_EARLY = "stopped_early", _("Voortijdig gestopt")


# Enrolments that still hold or wait for a place; a client has at most one per instrument.
OPEN_STATUSES = (EnrolmentStatus.REQUESTED, EnrolmentStatus.WAITING, EnrolmentStatus.STARTED)
# Enrolments that take a place: started ones, and requested ones (a place set aside for them).
PLACE_STATUSES = (EnrolmentStatus.REQUESTED, EnrolmentStatus.STARTED)
CLOSED_STATUSES = (EnrolmentStatus.FINISHED, EnrolmentStatus.STOPPED_EARLY)


class StopReason(models.TextChoices):
    FOUND_WORK = "found_work", _("Werk gevonden")
    HEALTH = "health", _("Gezondheid")
    MOTIVATION = "motivation", _("Wil niet verder")
    NOT_SUITABLE = "not_suitable", _("Past niet bij de deelnemer")
    PERSONAL = "personal", _("Persoonlijke of gezinsomstandigheden")
    PROVIDER = "provider", _("Aanbieder gestopt of plaats vervallen")
    LEFT_BENEFIT = "left_benefit", _("Verhuisd of uit de bijstand")
    WITHDRAWN = "withdrawn", _("Afgezien voordat het begon")
    OTHER = "other", _("Andere reden")


class EnrolmentResult(models.TextChoices):
    COMPLETED = "completed", _("Afgerond zoals bedoeld")
    CERTIFICATE = "certificate", _("Diploma of certificaat behaald")
    FOUND_WORK = "found_work", _("Betaald werk gevonden")
    CONTINUED_ELSEWHERE = "continued_elsewhere", _("Doorgestroomd naar een ander traject")
    EDUCATION = "education", _("Begonnen aan een opleiding")
    VOLUNTEERING = "volunteering", _("Vrijwilligerswerk of participatieplaats gevonden")
    PARTLY = "partly", _("Deels bereikt")
    NO_RESULT = "no_result", _("Geen resultaat")
