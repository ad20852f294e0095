"""Abstract base model shared by every domain model. No domain lives here."""

from django.db import models

from meedoen.core.ids import new_uuid


class BaseModel(models.Model):
    """UUID primary key (also the public id) and creation/update timestamps.

    UUIDs (version 7) are generated in Python, so bulk imports can write related rows in one pass
    (PostgreSQL COPY) without a round trip to learn the new ids (ADR 0003).
    """

    id = models.UUIDField(primary_key=True, default=new_uuid, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Versioned(models.Model):
    """A row that people edit: `version` goes up by one on every change (core/concurrency.py).

    An edit form or API client carries the version it read; the write is a guarded
    ``UPDATE … WHERE id = … AND version = …``, so two people never silently overwrite each other
    (docs/development/concurrency.md). ``db_default`` makes rows that bulk writers insert without
    the column (the import's COPY) start at 1 too.
    """

    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        abstract = True
