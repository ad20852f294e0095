from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentReason(models.TextChoices):
    """Why a household got this contact person."""

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


class Intensity(models.TextChoices):
    """How much attention a household needs now. Weighs in the caseload and sets how long a
    household may go without contact before it shows as a signal (CaseloadPolicy)."""

    LOW = "low", _("Laag")
    NORMAL = "normal", _("Normaal")
    HIGH = "high", _("Hoog")


# Caseload weight per intensity: a household needing intensive guidance counts as two.
INTENSITY_WEIGHTS = {Intensity.LOW: 0.5, Intensity.NORMAL: 1.0, Intensity.HIGH: 2.0}
DEFAULT_CASELOAD_TARGET = 50
# Weeks without contact before the signal shows, per intensity (the default: 4 weeks).
DEFAULT_CONTACT_WEEKS = {Intensity.LOW: 8, Intensity.NORMAL: 4, Intensity.HIGH: 2}


class ContactKind(models.TextChoices):
    HOME_VISIT = "home_visit", _("Huisbezoek")
    PHONE = "phone", _("Telefonisch")
    OFFICE = "office", _("Op kantoor")
    NEIGHBOURHOOD = "neighbourhood", _("Op een locatie in de wijk")
    VIDEO = "video", _("Videobellen")
    MESSAGE = "message", _("Bericht (e-mail, chat, sms)")
    LETTER = "letter", _("Brief")


# Kinds where coach and client actually spoke: these reset the missing-contact signal. A letter
# or an unanswered message is logged but does not count as contact.
TWO_WAY_CONTACT_KINDS = frozenset(
    {
        ContactKind.HOME_VISIT,
        ContactKind.PHONE,
        ContactKind.OFFICE,
        ContactKind.NEIGHBOURHOOD,
        ContactKind.VIDEO,
    }
)


class ContactPurpose(models.TextChoices):
    REGULAR = "regular", _("Regulier contact")
    INTRODUCTION = "introduction", _("Kennismaking (warme overdracht)")
    CONVERSATION = "conversation", _("Gesprek om in kaart te brengen")
    OUTREACH = "outreach", _("Outreach: eerste keer bereiken")
    AFTERCARE = "aftercare", _("Nazorg na werkaanvaarding")


class PracticalHelp(models.TextChoices):
    """Practical help given during a contact (the seeds: "praktische hulp bij paperassen")."""

    PAPERWORK = "paperwork", _("Post en formulieren")
    DEBTS = "debts", _("Schulden en betalingsregelingen")
    BENEFITS = "benefits", _("Uitkering en toeslagen")
    HOUSING = "housing", _("Huisvesting")
    HEALTH_CARE = "health_care", _("Zorg en gezondheid regelen")
    CHILDCARE = "childcare", _("Kinderopvang")
    DIGITAL = "digital", _("Digitale zaken (DigiD, online formulieren)")
    TRANSPORT = "transport", _("Vervoer")
    REFERRAL = "referral", _("Doorverwijzing naar een partnerorganisatie")
    OTHER = "other", _("Iets anders")


class OtherParticipant(models.TextChoices):
    """Who else took part, by role only: names of third parties are not needed (minimisation)."""

    PARTNER_ORGANISATION = "partner_organisation", _("Medewerker partnerorganisatie")
    COLLEAGUE = "colleague", _("Collega van de gemeente")
    INTERPRETER = "interpreter", _("Tolk")
    CONFIDANT = "confidant", _("Vertrouwenspersoon of maatje")
    FAMILY = "family", _("Familielid buiten het huishouden")
    OTHER = "other", _("Iemand anders")


class AppointmentStatus(models.TextChoices):
    PLANNED = "planned", _("Gepland")
    DONE = "done", _("Gehouden")
    CANCELLED = "cancelled", _("Afgezegd")
    NO_SHOW = "no_show", _("Niet verschenen")
