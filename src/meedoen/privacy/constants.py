from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentPurpose(models.TextChoices):
    """What a client agrees to. Add a purpose here; services check consent per purpose."""

    PARTNER_SHARING = "delen_partner", _("gegevens delen met een partnerorganisatie")
    EMPLOYER_MATCHING = "matching_werkgevers", _("profiel gebruiken voor matching met werkgevers")
    RESEARCH = "onderzoek", _("gebruik voor onderzoek")


class DataCategory(models.TextChoices):
    CONTACT = "contact", _("contactgegevens")
    HOUSEHOLD = "huishouden", _("huishouden")
    BENEFIT_HISTORY = "uitkeringshistorie", _("uitkeringshistorie")
    PROFILE = "profiel", _("profiel (opleiding, werkervaring, wensen)")
    HEALTH = "gezondheid", _("gezondheid")
    DEBTS = "schulden", _("schulden")


class ConsentChannel(models.TextChoices):
    PAPER = "papier", _("op papier")
    PORTAL = "portaal", _("via het portaal")
    CONVERSATION = "gesprek", _("in een gesprek")
    PHONE = "telefoon", _("telefonisch")


class ErasureKind(models.TextChoices):
    CLIENT = "client", _("cliëntdossier")
