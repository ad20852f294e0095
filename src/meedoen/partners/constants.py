from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    DEBT_COUNSELLING = "debt_counselling", _("Schuldhulpverlening")
    MENTAL_HEALTH = "mental_health", _("GGZ")
    DISTRICT_TEAM = "district_team", _("Wijkteam")
    HOUSING_CORPORATION = "housing_corporation", _("Woningcorporatie")
    UWV = "uwv", _("UWV")
    REINTEGRATION = "reintegration", _("Re-integratiebedrijf")
    EDUCATION = "education", _("Onderwijs en taalaanbieder")
    ADDICTION_CARE = "addiction_care", _("Verslavingszorg")
    YOUTH_CARE = "youth_care", _("Jeugdzorg")
    PROBATION = "probation", _("Reclassering")
    VOLUNTEERING = "volunteering", _("Vrijwilligerscentrale")
    GP = "gp", _("Huisarts")
    OTHER = "other", _("Andere organisatie")


class InvolvementTopic(models.TextChoices):
    """What the organisation is involved for; matches the coach's coordination questions."""

    DEBTS = "debts", _("Schulden")
    MENTAL_HEALTH = "mental_health", _("Psychische gezondheid")
    HOUSING = "housing", _("Wonen")
    WORK = "work", _("Werk en re-integratie")
    EDUCATION = "education", _("Opleiding en taal")
    ADDICTION = "addiction", _("Verslaving")
    PARENTING = "parenting", _("Opvoeding en gezin")
    JUSTICE = "justice", _("Justitie")
    CARE = "care", _("Zorg en ondersteuning")
    OTHER = "other", _("Iets anders")
