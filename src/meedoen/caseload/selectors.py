"""Reads for the household page and the contact log, in a fixed number of queries.

Households come through the door (caseload/access.py); contact moments and appointments are got
through their household's visibility here, audited like the door does. Nothing here loops a query
per row: the household page costs the same number of queries for 2 or 2,000 contact moments, and
the log is read newest first on the (household, -occurred_at) index, 20 at a time.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery

from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import ClientNotVisible, households_visible_to
from meedoen.caseload.constants import TWO_WAY_CONTACT_KINDS, AppointmentStatus
from meedoen.caseload.models import (
    Appointment,
    Assignment,
    ContactMoment,
    ContactParticipant,
    Relapse,
)
from meedoen.clients.models import Household, HouseholdMembership

PURPOSE = "casework"
LOG_PAGE = 20
APPOINTMENTS_SHOWN = 20
RELAPSES_SHOWN = 50


def as_uuid(value: object) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def _participants() -> Prefetch:
    return Prefetch(
        "participants",
        queryset=ContactParticipant.objects.select_related("client")
        .only("contact_id", "client__id", "client__first_names", "client__name_prefix",
              "client__surname")
        .order_by("client__date_of_birth"),
    )  # fmt: skip


def contacts_current(household_id: uuid.UUID) -> QuerySet[ContactMoment]:
    """The log as it stands: every entry's newest version, newest first. A superseded version
    is left out; its correction points to it (`corrects_id`)."""
    return (
        ContactMoment.objects.filter(household_id=household_id, corrected_by__isnull=True)
        .prefetch_related(_participants())
        .order_by("-occurred_at", "-id")
    )


def last_contact_at(household_id: uuid.UUID) -> dt.datetime | None:
    """When a coach last spoke with the household (two-way kinds, newest versions only)."""
    return (
        ContactMoment.objects.filter(
            household_id=household_id,
            kind__in=TWO_WAY_CONTACT_KINDS,
            corrected_by__isnull=True,
        )
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )


def last_contact_subquery(household_field: str = "pk") -> Subquery:
    """`last_contact_at` as an annotation for a list of households (one subquery per list,
    served by the (household, -occurred_at) index): `qs.annotate(last=last_contact_subquery())`."""
    newest = ContactMoment.objects.filter(
        household_id=OuterRef(household_field),
        kind__in=TWO_WAY_CONTACT_KINDS,
        corrected_by__isnull=True,
    ).order_by("-occurred_at")
    return Subquery(newest.values("occurred_at")[:1])


@dataclass
class HouseholdPage:
    household: Household
    members: list[HouseholdMembership]
    assignment: Assignment | None
    assignments: list[Assignment]
    contacts: list[ContactMoment]
    contact_count: int
    superseded_count: int
    last_contact_at: dt.datetime | None
    appointments: list[Appointment]
    relapses: list[Relapse]


def household_page(household: Household) -> HouseholdPage:
    """What the household page shows, in eight queries whatever the size of the log."""
    members = list(
        HouseholdMembership.objects.filter(household_id=household.pk, end_date__isnull=True)
        .select_related("client")
        .order_by("role", "client__date_of_birth")
    )
    assignments = list(
        Assignment.objects.filter(household_id=household.pk)
        .select_related("coach", "created_by", "handover")
        .order_by("-start_date", "-created_at")
    )
    current = next((a for a in assignments if a.end_date is None), None)
    contacts = list(contacts_current(household.pk)[:LOG_PAGE])
    counts = ContactMoment.objects.filter(household_id=household.pk).aggregate(
        total=Count("id"), superseded=Count("corrected_by")
    )
    appointments = list(
        Appointment.objects.filter(household_id=household.pk, status=AppointmentStatus.PLANNED)
        .select_related("coach", "second_coach")
        .order_by("starts_at")[:APPOINTMENTS_SHOWN]
    )
    relapses = list(
        Relapse.objects.filter(household_id=household.pk)
        .select_related("client")
        .order_by("-date", "-created_at")[:RELAPSES_SHOWN]
    )
    return HouseholdPage(
        household=household,
        members=members,
        assignment=current,
        assignments=assignments,
        contacts=contacts,
        contact_count=counts["total"] - counts["superseded"],
        superseded_count=counts["superseded"],
        last_contact_at=last_contact_at(household.pk),
        appointments=appointments,
        relapses=relapses,
    )


# One contact moment or appointment, through its household's visibility -----------------------


def _denied(*, actor: Any, action: str, origin: Origin) -> None:
    audit_record(actor=actor, action=action, origin=origin, purpose=PURPOSE, result=Result.DENIED)


def contact_get_for_actor(
    *,
    actor: Any,
    contact_id: object,
    origin: Origin,
    action: str = "caseload.contact.read",
    audit_allowed: bool = True,
) -> ContactMoment:
    """One contact moment of a household the actor may see; else ClientNotVisible (audited)."""
    pk = as_uuid(contact_id)
    contact = (
        ContactMoment.objects.filter(
            pk=pk, household__in=households_visible_to(actor=actor).values("pk")
        )
        .select_related("household", "corrects")
        .prefetch_related(_participants())
        .first()
        if pk
        else None
    )
    if contact is None:
        _denied(actor=actor, action=action, origin=origin)
        raise ClientNotVisible
    if audit_allowed:
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            obj=contact,
            purpose=PURPOSE,
            detail={"household_id": str(contact.household_id)},
        )
    return contact


def contact_versions(contact: ContactMoment) -> list[ContactMoment]:
    """Every version of the entry `contact` belongs to, newest first, in two queries: the
    (id, corrects) links of the household's corrected entries, then the chain's rows."""
    links = dict(
        ContactMoment.objects.filter(household_id=contact.household_id)
        .filter(Q(corrects__isnull=False) | Q(corrected_by__isnull=False))
        .values_list("id", "corrects_id")
    )
    if contact.pk not in links:
        return [contact]
    newer = {old: new for new, old in links.items() if old is not None}
    newest = contact.pk
    while newest in newer:
        newest = newer[newest]
    chain = [newest]
    while links.get(chain[-1]) is not None:
        chain.append(links[chain[-1]])
    rows = {
        row.pk: row
        for row in ContactMoment.objects.filter(pk__in=chain).prefetch_related(_participants())
    }
    return [rows[pk] for pk in chain]


def appointment_get_for_actor(
    *,
    actor: Any,
    appointment_id: object,
    origin: Origin,
    action: str = "caseload.appointment.read",
    audit_allowed: bool = True,
) -> Appointment:
    pk = as_uuid(appointment_id)
    appointment = (
        Appointment.objects.filter(
            pk=pk, household__in=households_visible_to(actor=actor).values("pk")
        )
        .select_related("household", "coach", "second_coach", "contact")
        .first()
        if pk
        else None
    )
    if appointment is None:
        _denied(actor=actor, action=action, origin=origin)
        raise ClientNotVisible
    if audit_allowed:
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            obj=appointment,
            purpose=PURPOSE,
            detail={"household_id": str(appointment.household_id)},
        )
    return appointment
