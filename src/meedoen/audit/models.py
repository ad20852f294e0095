from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils.translation import gettext_lazy as _

from meedoen.audit.constants import Result


class AppendOnlyError(Exception):
    """An attempt to change or delete an audit row outside the sanctioned redaction path."""


def _refuse(what: str) -> NoReturn:
    # Not user-facing: a programming error, raised before anything reaches the database.
    raise AppendOnlyError(
        f"The audit trail is append-only: {what} is refused. Use audit_record / audit_redact."
    )


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    """Refuses bulk changes. Redaction goes through `_redaction_update` (audit.services only)."""

    def update(self, **kwargs: Any) -> int:
        _refuse("QuerySet.update()")

    def delete(self) -> NoReturn:
        _refuse("QuerySet.delete()")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        _refuse("QuerySet.bulk_update()")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("QuerySet.bulk_create() (it would bypass the hash chain)")

    def _redaction_update(self, **kwargs: Any) -> int:
        return super().update(**kwargs)


class AuditEvent(models.Model):
    """One row per read or write of personal data. Append-only: never updated, never deleted.

    The actor is denormalised (name and role as they were) so the row survives the user's deletion.
    No BSN and no free text from case files ever goes in here; the subject is a keyed pseudonym.

    Rows form one hash chain per municipality (`municipality_code`; "" is the installation's own
    chain for events without a municipality): `seq` counts 1, 2, 3 … without gaps within a chain,
    `prev_hash` is the previous row's `hash`. The personal fields (ip_address, user_agent, detail)
    are covered through `content_hash` so they can be redacted without breaking the chain.
    See meedoen.audit.chain and docs/privacy/audit.md.
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
    # The chain.
    seq = models.BigIntegerField()
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)
    content_salt = models.CharField(max_length=32, blank=True)
    content_hash = models.CharField(max_length=64)
    # Redaction (retention, erasure): the personal fields are blanked, the hashes stay.
    redacted_at = models.DateTimeField(null=True, blank=True)
    redaction_reason = models.CharField(max_length=200, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditregels")
        ordering = ["-id"]
        constraints = [
            # Also the index verification walks and the privacy officer's list filters on.
            models.UniqueConstraint(fields=["municipality_code", "seq"], name="audit_chain_seq")
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse("changing a saved row")
        if not self.hash:
            _refuse("saving a row outside the hash chain")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("Model.delete()")


class AuditChainHead(models.Model):
    """The newest link of one chain: the row every append locks, so appends are serialised.

    Created and locked by audit_record in one upsert; moved on by a database trigger on insert into
    the audit table (migration 0002). An append therefore costs one extra query. `audit_verify`
    compares each chain's last row with its head, which detects rows deleted from a chain's end.
    The key is the municipality code; "" is the installation's own chain.
    """

    municipality_code = models.CharField(max_length=4, primary_key=True, blank=True)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("kop van de auditketen")
        verbose_name_plural = _("koppen van de auditketens")

    def __str__(self) -> str:
        return f"{self.municipality_code or '-'}: {self.last_seq}"
