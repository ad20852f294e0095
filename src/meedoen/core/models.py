"""Abstract base model shared by every domain model. No domain lives here."""

import uuid

from django.db import models


class BaseModel(models.Model):
    """UUID primary key (also the public id) and creation/update timestamps.

    UUIDs are generated in Python, so bulk imports can write related rows in one pass
    (PostgreSQL COPY) without a round trip to learn the new ids (ADR 0003).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
