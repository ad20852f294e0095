"""The record of each import from the benefit administration."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meedoen.core.models import BaseModel
from meedoen.dataexchange.constants import RUNNING_STATUSES, ImportStatus


class ImportRun(BaseModel):
    """One uploaded file and what became of it: checked, previewed, applied (or not).

    The uploaded bytes are kept in the database (``content``), sealed with a key from the
    environment, because the file holds BSNs in clear and the worker that reads it may run on
    another machine than the web server. They are erased as soon as the run reaches a final state
    (applied, invalid, failed); the checksum stays to recognise the same file later.
    Thirty days after the run last changed state, the retention job erases what is left per row
    (the sample of client numbers, the row errors) and sets ``file_erased_at``; who, when and the
    counts stay (dataexchange/retention.py). See docs/development/import.md.
    """

    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geüpload door"),
    )
    # Denormalised so the record survives the user's deletion; empty for the command line.
    uploaded_by_name = models.CharField(_("geüpload door"), max_length=150, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("toegepast door"),
    )
    applied_by_name = models.CharField(_("toegepast door"), max_length=150, blank=True)

    file_name = models.CharField(_("bestandsnaam"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("grootte (bytes)"), default=0)
    checksum = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    content = models.BinaryField(null=True, editable=False)
    reference_date = models.DateField(_("peildatum"))

    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    rows_total = models.PositiveIntegerField(_("regels"), default=0)
    rows_done = models.PositiveIntegerField(_("regels verwerkt"), default=0)
    new_count = models.PositiveIntegerField(_("nieuw"), default=0)
    changed_count = models.PositiveIntegerField(_("gewijzigd"), default=0)
    unchanged_count = models.PositiveIntegerField(_("ongewijzigd"), default=0)
    ended_count = models.PositiveIntegerField(_("beëindigd"), default=0)
    error_count = models.PositiveIntegerField(_("fouten"), default=0)
    # [{"row": 5, "column": "bsn", "message": "..."}]; the first MAX_STORED_ERRORS only.
    errors = models.JSONField(default=list, blank=True)
    # {"new": [...], "changed": [...], "ended": [...]}, each [{"client_number", "fields"}]: a
    # sample for the preview. Column names only, never values.
    changes = models.JSONField(default=dict, blank=True)
    failure = models.CharField(_("oorzaak mislukking"), max_length=200, blank=True)

    analysis_started_at = models.DateTimeField(null=True, blank=True)
    analysed_at = models.DateTimeField(_("gecontroleerd op"), null=True, blank=True)
    apply_started_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(_("toegepast op"), null=True, blank=True)
    # Set by the retention job (rule import_file_30d); the run is never changed again after it.
    file_erased_at = models.DateTimeField(_("bestand gewist op"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["municipality", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def progress_percent(self) -> int:
        if not self.rows_total:
            return 0
        return min(100, round(100 * self.rows_done / self.rows_total))
