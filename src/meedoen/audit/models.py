from django.db import models
from django.utils.translation import gettext_lazy as _

from meedoen.audit.constants import Result


class AuditEvent(models.Model):
    """One row per read or write of personal data. Append-only: never updated, never deleted.

    The actor is denormalised (name and role as they were) so the row survives the user's deletion.
    No BSN and no free text from case files ever goes in here; the subject is a keyed pseudonym.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("tijdstip"), db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=32, blank=True)
    municipality_code = models.CharField(max_length=4, blank=True)
    action = models.CharField(_("actie"), max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    subject_pseudonym = models.CharField(max_length=64, blank=True, db_index=True)
    purpose = models.CharField(max_length=64, blank=True)
    result = models.CharField(max_length=16, choices=Result.choices, default=Result.ALLOWED)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditregels")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action}"
