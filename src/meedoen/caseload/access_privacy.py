"""The privacy officer's narrow door to a client: identity only, never casework content.

The privacy officer (FG) supervises who looked at a file; they do no casework, so
``clients_visible_to`` shows them nothing. To answer "who looked at client K0012345?" they need
the client's id, name and client number — and nothing else. These functions return exactly that
(``ClientIdentity``), for a client of the officer's own municipality, found by the exact client
number or by id. A BSN, address, household or benefit never leaves here. Every lookup is audited,
found or not, like any other access to a client.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from meedoen.accounts.constants import Role
from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import ClientNotVisible, _as_uuid
from meedoen.clients.models import Client

PURPOSE = "privacy_supervision"


@dataclass(frozen=True)
class ClientIdentity:
    id: Any
    client_number: str
    name: str


def actor_is_privacy_officer(actor: Any) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if not getattr(actor, "is_active", False):
        return False
    if actor.municipality_id is None:
        return False
    return bool(actor.role == Role.PRIVACY_OFFICER)


def _identity(actor: Any, **lookup: Any) -> ClientIdentity | None:
    if not actor_is_privacy_officer(actor):
        return None
    row = (
        Client.objects.filter(municipality_id=actor.municipality_id, **lookup)
        .values_list("pk", "client_number", "first_names", "name_prefix", "surname")
        .first()
    )
    if row is None:
        return None
    pk, number, first_names, prefix, surname = row
    name = " ".join(part for part in (first_names, prefix, surname) if part)
    return ClientIdentity(id=pk, client_number=number, name=name)


def client_find_for_privacy_officer(
    *, actor: Any, client_number: str, origin: Origin
) -> ClientIdentity | None:
    """The client with exactly this client number in the officer's municipality, or None."""
    found = _identity(actor, client_number=client_number.strip())
    audit_record(
        actor=actor,
        action="clients.client.lookup",
        origin=origin,
        subject_id=found.id if found else None,
        purpose=PURPOSE,
        result=Result.ALLOWED if found else Result.DENIED,
        # Not the number itself: it is typed input and may be someone else's.
        detail={"by": "client_number"},
    )
    return found


def client_get_for_privacy_officer(
    *, actor: Any, client_id: object, origin: Origin
) -> ClientIdentity:
    """The identity of one client of the officer's municipality; ClientNotVisible (404) otherwise.

    Only a denial is audited here; the caller audits what it then shows (the access log).
    """
    pk = _as_uuid(client_id)
    found = _identity(actor, pk=pk) if pk else None
    if found is None:
        audit_record(
            actor=actor,
            action="clients.client.lookup",
            origin=origin,
            subject_id=pk,
            purpose=PURPOSE,
            result=Result.DENIED,
        )
        raise ClientNotVisible
    return found


SUBJECT_ACCESS_PURPOSE = "subject_access"


def client_get_for_subject_access(*, actor: Any, client_id: object, origin: Origin) -> Client:
    """The whole client record, for the privacy officer answering a data-subject access request
    (AVG art. 15) of a client of their own municipality; ClientNotVisible (404) otherwise.

    The one place the officer gets more than the identity: the export goes to the person
    themselves. Audited as a read with purpose "subject_access"; the caller audits the export.
    """
    pk = _as_uuid(client_id)
    client = None
    if pk is not None and actor_is_privacy_officer(actor):
        client = (
            Client.objects.filter(municipality_id=actor.municipality_id, pk=pk)
            .select_related("municipality")
            .first()
        )
    audit_record(
        actor=actor,
        action="clients.client.read",
        origin=origin,
        obj=client,
        subject_id=pk,
        purpose=SUBJECT_ACCESS_PURPOSE,
        result=Result.ALLOWED if client else Result.DENIED,
    )
    if client is None:
        raise ClientNotVisible
    return client
