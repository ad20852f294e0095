from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    """Life of an import run: uploaded → analysing → invalid | ready → applying → applied.

    Any step may end in failed (an unexpected error); a ready run that will not be applied can be
    discarded. The transitions are made in services.py by conditional updates, so that two
    workers or two clicks cannot both move a run on. A run in a final state never changes again.
    """

    UPLOADED = "uploaded", _("geüpload, wacht op controle")
    ANALYSING = "analysing", _("wordt gecontroleerd")
    INVALID = "invalid", _("afgekeurd")
    READY = "ready", _("klaar om toe te passen")
    APPLYING = "applying", _("wordt toegepast")
    APPLIED = "applied", _("toegepast")
    FAILED = "failed", _("mislukt")
    DISCARDED = "discarded", _("verworpen")


RUNNING_STATUSES = frozenset({ImportStatus.UPLOADED, ImportStatus.ANALYSING, ImportStatus.APPLYING})
