from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentReason(models.TextChoices):
    """Why a household got this contact person. Issue 5 (one contact person) adds handover steps."""

    FIRST = "first", _("Eerste toewijzing")
    HANDOVER = "handover", _("Overdracht aan een andere klantregisseur")
    CASELOAD_BALANCE = "caseload_balance", _("Verdeling van de caseload")
    STAFF_LEFT = "staff_left", _("Klantregisseur vertrokken")
    CLIENT_REQUEST = "client_request", _("Op verzoek van de cliënt")


class CoverReason(models.TextChoices):
    # No "illness": a colleague's sickness is health data about staff, and covering needs no more
    # than "absent" (DPIA R22).
    LEAVE = "leave", _("Verlof")
    OTHER = "other", _("Andere afwezigheid")
