from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    FEMALE = "v", _("vrouw")
    MALE = "m", _("man")
    OTHER = "x", _("anders / onbekend")


class HouseholdRole(models.TextChoices):
    APPLICANT = "aanvrager", _("aanvrager")
    PARTNER = "partner", _("partner")
    CHILD = "kind", _("kind")
    OTHER = "overig", _("overig")


class BenefitType(models.TextChoices):
    """Kinds of bijstand under the Participatiewet and related schemes."""

    SINGLE = "alleenstaande", _("Participatiewet, alleenstaande")
    SINGLE_PARENT = "alleenstaande_ouder", _("Participatiewet, alleenstaande ouder")
    COUPLE = "gehuwden", _("Participatiewet, gehuwden/samenwonenden")
    IOAW = "ioaw", _("IOAW")
    IOAZ = "ioaz", _("IOAZ")
    BBZ = "bbz", _("Bbz (zelfstandigen)")


class BenefitEndReason(models.TextChoices):
    WORK = "werk", _("werk in loondienst")
    SELF_EMPLOYED = "zelfstandige", _("eigen bedrijf")
    EDUCATION = "opleiding", _("opleiding / studiefinanciering")
    MOVED = "verhuizing", _("verhuisd naar andere gemeente")
    PARTNER_INCOME = "inkomen_partner", _("inkomen partner")
    OTHER_BENEFIT = "andere_uitkering", _("andere uitkering of pensioen")
    DETENTION = "detentie", _("detentie")
    DECEASED = "overlijden", _("overlijden")
    OTHER = "overig", _("overige reden")
    NOT_DELIVERED = "niet_geleverd", _("niet meer in aanlevering")
