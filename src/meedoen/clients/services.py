"""Writes to the registry by staff. Most registry data arrives through the import (dataexchange);
what staff may change here are the client's contact details.

The registry sits below caseload: callers pass a client they obtained through
``meedoen.caseload.access`` (the door decides who may see, and so edit, a client); nothing here
decides who may see a client. Every write is audited and guarded by the client's version
(core/concurrency.py): of two people editing the same version, the second gets ConflictError.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from meedoen.accounts.models import Municipality
from meedoen.audit.services import Origin, audit_record
from meedoen.clients.contact import email_clean, languages_clean, phone_clean
from meedoen.clients.models import Client
from meedoen.core.concurrency import version_check, versioned_update


def client_contact_update(
    *,
    actor: Any,
    client: Client,
    expected_version: int,
    origin: Origin,
    phone: str | None = None,
    email: str | None = None,
    languages: list[str] | None = None,
) -> list[str]:
    """Change a client's telephone, e-mail address and languages; None leaves a field as it is.

    ``expected_version`` is the version the editor saw (a hidden form field, or the API's
    If-Match). Raises ConflictError when the client has changed since — someone else's edit or
    an import — and ValidationError (Dutch, per field) on bad input; in both cases nothing is
    written. Returns the names of the fields that changed (none: nothing written, no new version).
    The audit row names those fields, never their old or new values.
    """
    version_check(client, expected_version)
    checks: dict[str, Callable[[], Any]] = {}
    if phone is not None:
        checks["phone"] = lambda: phone_clean(phone)
    if email is not None:
        checks["email"] = lambda: email_clean(email)
    if languages is not None:
        checks["languages"] = lambda: languages_clean(languages)
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, check in checks.items():
        try:
            values[name] = check()
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    changed = {name: value for name, value in values.items() if getattr(client, name) != value}
    if not changed:
        return []
    with transaction.atomic():
        # An import holds the municipality's row (FOR UPDATE) while it applies a delivery.
        # Waiting for it means an edit never lands between the import's read of the registry and
        # its write (which would undo the edit): the edit sees the version the import left and
        # gets a conflict instead. Edits do not wait for each other here for long: the audit
        # chain of the municipality serialises them anyway.
        Municipality.objects.select_for_update(no_key=True).filter(
            pk=client.municipality_id
        ).values_list("pk", flat=True).first()
        versioned_update(client, expected_version=expected_version, values=changed)
        audit_record(
            actor=actor,
            action="clients.client.update",
            origin=origin,
            obj=client,
            subject_id=client.pk,
            purpose="casework",
            detail={"fields": sorted(changed), "version": client.version},
        )
    return sorted(changed)
