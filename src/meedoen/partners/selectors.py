"""Reads of the partner registry and of the involvements around a household.

Who may read the registry: the casework roles (coach, team lead) and the functional admin of the
organisation's municipality (`actor_may_read_partners`); who may change it: the functional admin
and the team lead (`actor_may_manage_partners`). Staff of another municipality never see its
organisations: an organisation they may not see is a 404 (`OrganisationNotVisible`).

Partners sits beside caseload in the layering and may not import it, so nothing here decides who
may see a household: the caller obtains the household through ``caseload.access`` (the one door)
and passes it in. An involvement found by its id is only shown after the caller has passed the
door with ``involvement.household_id``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from meedoen.accounts.constants import Role
from meedoen.clients.models import Client, Household
from meedoen.partners.models import Involvement, Organisation, PartnerPerson
from meedoen.privacy.constants import ConsentPurpose, DataCategory
from meedoen.privacy.models import Consent

READ_ROLES = frozenset({Role.COACH, Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN})
MANAGE_ROLES = frozenset({Role.TEAM_LEAD, Role.FUNCTIONAL_ADMIN})


class OrganisationNotVisible(Http404):
    """An organisation that does not exist or is another municipality's (indistinguishable)."""


def _staff_of_municipality(actor: Any) -> bool:
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and getattr(actor, "is_active", False)
        and getattr(actor, "municipality_id", None) is not None
    )


def actor_may_read_partners(actor: Any) -> bool:
    return _staff_of_municipality(actor) and actor.role in READ_ROLES


def actor_may_manage_partners(actor: Any) -> bool:
    return _staff_of_municipality(actor) and actor.role in MANAGE_ROLES


def _as_uuid(value: object) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def organisations_visible_to(*, actor: Any) -> QuerySet[Organisation]:
    if not actor_may_read_partners(actor):
        return Organisation.objects.none()
    return Organisation.objects.filter(municipality_id=actor.municipality_id)


def organisation_list(
    *, actor: Any, kind: str = "", query: str = "", active_only: bool = False
) -> QuerySet[Organisation]:
    """The registry page: one query, with the number of people and of households involved now."""
    organisations = organisations_visible_to(actor=actor)
    if kind:
        organisations = organisations.filter(kind=kind)
    if query:
        organisations = organisations.filter(name__icontains=query.strip())
    if active_only:
        organisations = organisations.filter(is_active=True)
    return organisations.annotate(
        people_count=Count("people", filter=Q(people__is_active=True), distinct=True),
        household_count=Count(
            "involvements__household",
            filter=Q(involvements__end_date__isnull=True),
            distinct=True,
        ),
    ).order_by("name")


def organisation_get_for_actor(*, actor: Any, organisation_id: object) -> Organisation:
    pk = _as_uuid(organisation_id)
    organisation = (
        organisations_visible_to(actor=actor)
        .annotate(
            household_count=Count(
                "involvements__household",
                filter=Q(involvements__end_date__isnull=True),
                distinct=True,
            )
        )
        .prefetch_related(Prefetch("people", queryset=PartnerPerson.objects.order_by("name")))
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if organisation is None:
        raise OrganisationNotVisible
    return organisation


def person_get_for_actor(*, actor: Any, person_id: object) -> PartnerPerson:
    pk = _as_uuid(person_id)
    person = (
        PartnerPerson.objects.select_related("organisation")
        .filter(pk=pk, organisation__in=organisations_visible_to(actor=actor))
        .first()
        if pk
        else None
    )
    if person is None:
        raise OrganisationNotVisible
    return person


def organisation_choices(*, municipality_id: Any) -> QuerySet[Organisation]:
    """Active organisations of a municipality, for a select (involvement, consent)."""
    return Organisation.objects.filter(municipality_id=municipality_id, is_active=True).order_by(
        "name"
    )


def person_choices(*, municipality_id: Any) -> QuerySet[PartnerPerson]:
    return (
        PartnerPerson.objects.filter(
            organisation__municipality_id=municipality_id,
            organisation__is_active=True,
            is_active=True,
        )
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def involvement_get(*, involvement_id: object) -> Involvement | None:
    """An involvement by id, NOT yet checked: pass the door with its household_id before use."""
    pk = _as_uuid(involvement_id)
    if pk is None:
        return None
    return (
        Involvement.objects.select_related("organisation", "person", "client", "household")
        .filter(pk=pk)
        .first()
    )


# Consent per member and organisation -------------------------------------------------------------


def consent_matches(consent: Consent, organisation: Organisation) -> bool:
    """A consent names the organisation by the registry entry, or by its code when it has one."""
    if consent.organisation_id is not None:
        return bool(consent.organisation_id == organisation.pk)
    return (
        bool(organisation.code) and consent.organisation_code.lower() == organisation.code.lower()
    )


def sharing_consents(
    *, client_ids: list[Any], at: dt.datetime | None = None
) -> dict[Any, list[Consent]]:
    """Valid partner-sharing consents per client, one query."""
    at = at or timezone.now()
    day = timezone.localdate(at)
    by_client: dict[Any, list[Consent]] = defaultdict(list)
    if not client_ids:
        return by_client
    consents = Consent.objects.filter(
        Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=at),
        client_id__in=client_ids,
        purpose=ConsentPurpose.PARTNER_SHARING,
        given_at__lte=at,
    ).order_by("-given_at")
    for consent in consents:
        if consent.is_valid_on(day, at):
            by_client[consent.client_id].append(consent)
    return by_client


def allowed_categories(consents: list[Consent], organisation: Organisation) -> list[str]:
    """The data categories the client's valid consents allow to share with the organisation."""
    allowed: set[str] = set()
    for consent in consents:
        if consent_matches(consent, organisation):
            allowed |= set(consent.data_categories or [])
    return [code for code in DataCategory.values if code in allowed]


@dataclass
class MemberSharing:
    client: Client
    categories: list[str]

    @property
    def allowed(self) -> bool:
        return bool(self.categories)

    @property
    def category_labels(self) -> list[str]:
        labels = dict(DataCategory.choices)
        return [str(labels[code]) for code in self.categories]


@dataclass
class InvolvementRow:
    involvement: Involvement
    sharing: list[MemberSharing] = field(default_factory=list)


def household_members(household: Household) -> list[Client]:
    """The current members (their current household is this one), oldest first."""
    return list(
        Client.objects.filter(household_id=household.pk)
        .only("id", "first_names", "name_prefix", "surname", "date_of_birth", "household_id")
        .order_by("date_of_birth")
    )


def household_involvements(household: Household) -> list[InvolvementRow]:
    """Active involvements of a household (the caller passed the door), with per current member
    which data categories may be shared with the organisation now. Three queries, whatever the
    number of involvements and members."""
    involvements = list(
        Involvement.objects.filter(household_id=household.pk, end_date__isnull=True)
        .select_related("organisation", "person", "client")
        .order_by("organisation__name", "-start_date")
    )
    if not involvements:
        return []
    members = household_members(household)
    consents = sharing_consents(client_ids=[m.pk for m in members])
    return [
        InvolvementRow(
            involvement=involvement,
            sharing=[
                MemberSharing(
                    client=member,
                    categories=allowed_categories(
                        consents.get(member.pk, []), involvement.organisation
                    ),
                )
                for member in members
            ],
        )
        for involvement in involvements
    ]
