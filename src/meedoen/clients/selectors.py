"""Reads over the registry. Callers pass a queryset that came through caseload/access.py."""

from __future__ import annotations

import re

from django.db.models import Prefetch, QuerySet

from meedoen.clients.bsn import bsn_from_query, bsn_hash
from meedoen.clients.models import BenefitPeriod, Client, HouseholdMembership, Residence

_POSTCODE = re.compile(r"^\s*(\d{4})\s*([a-zA-Z]{2})?\s*$")


def client_search(*, clients: QuerySet[Client], query: str) -> QuerySet[Client]:
    """Search by exact BSN, postcode (with or without letters), or name (surname or first names).

    A 9-digit query that passes the 11-proef is looked up through its keyed hash only: the BSN
    itself never reaches the database, and a partial BSN finds nothing.
    """
    query = query.strip()
    if not query:
        return clients
    bsn = bsn_from_query(query)
    if bsn:
        return clients.filter(bsn_hash=bsn_hash(bsn))
    postcode = _POSTCODE.match(query)
    if postcode:
        digits, letters = postcode.groups()
        if letters:
            return clients.filter(household__address__postcode=f"{digits}{letters.upper()}")
        return clients.filter(household__address__postcode__startswith=digits)
    result = clients
    for term in query.split():
        lowered = term.lower()
        result = result.filter(sort_name__startswith=lowered) | result.filter(
            first_names__icontains=term
        )
    return result


def client_list(
    *, clients: QuerySet[Client], query: str = "", district_code: str = ""
) -> QuerySet[Client]:
    result = client_search(clients=clients, query=query)
    if district_code:
        result = result.filter(household__address__district_code=district_code)
    return result.select_related("household__address").order_by("sort_name", "first_names", "id")


def client_detail_queryset() -> QuerySet[Client]:
    """What a client page shows, fetched in a fixed number of queries."""
    return Client.objects.select_related("household__address", "municipality").prefetch_related(
        Prefetch("benefit_periods", queryset=BenefitPeriod.objects.order_by("-start_date")),
        Prefetch(
            "household__memberships",
            queryset=HouseholdMembership.objects.filter(end_date__isnull=True)
            .select_related("client")
            .order_by("role", "client__date_of_birth"),
            to_attr="current_memberships",
        ),
        Prefetch(
            "household__residences",
            queryset=Residence.objects.select_related("address").order_by("-start_date"),
        ),
    )


def district_choices(*, clients: QuerySet[Client]) -> list[tuple[str, str]]:
    """The wijken present among these clients, for a filter."""
    rows = (
        clients.exclude(household__address__district_code="")
        .values_list("household__address__district_code", "household__address__district_name")
        .distinct()
        .order_by("household__address__district_name")
    )
    return [(code, name) for code, name in rows if code]
