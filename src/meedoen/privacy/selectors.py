"""Reads of the privacy app. Callers pass a client obtained through caseload.access."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet

from meedoen.clients.models import Client
from meedoen.privacy.models import Consent, ErasureRecord


def consent_list_for_client(*, client: Client) -> QuerySet[Consent]:
    return Consent.objects.filter(client_id=client.pk).order_by("-given_at")


def consent_get_for_client(*, client: Client, consent_id: object) -> Consent | None:
    """A consent of this client, or None (also for a consent of another client)."""
    try:
        pk = uuid.UUID(str(consent_id))
    except ValueError:
        return None
    return Consent.objects.filter(client_id=client.pk, pk=pk).first()


def erasure_record_list(*, municipality_code: str) -> QuerySet[ErasureRecord]:
    return ErasureRecord.objects.filter(municipality_code=municipality_code)
