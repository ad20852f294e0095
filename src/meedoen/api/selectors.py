"""Querysets shaped for the API serializers: each response in a fixed number of queries.

They only add select_related/prefetch_related to querysets that came through the access door
(caseload.access); they never widen what the actor may see.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When

from meedoen.clients.constants import HouseholdRole
from meedoen.clients.models import Household, HouseholdMembership, Residence

# Applicant first, then partner, children, others — how a household is read out loud.
_ROLE_ORDER = Case(
    *(
        When(role=role, then=Value(position))
        for position, role in enumerate(
            [HouseholdRole.APPLICANT, HouseholdRole.PARTNER, HouseholdRole.CHILD]
        )
    ),
    default=Value(9),
    output_field=IntegerField(),
)


def _current_memberships() -> Prefetch:
    return Prefetch(
        "memberships",
        queryset=HouseholdMembership.objects.filter(end_date__isnull=True)
        .select_related("client")
        .order_by(_ROLE_ORDER, "client__date_of_birth", "id"),
        to_attr="current_memberships",
    )


def household_list_queryset(*, households: QuerySet[Household]) -> QuerySet[Household]:
    return households.select_related("address").prefetch_related(_current_memberships())


def household_detail_queryset() -> QuerySet[Household]:
    """For household_get_for_actor(queryset=...): members, member history and moves."""
    return Household.objects.select_related("address").prefetch_related(
        _current_memberships(),
        Prefetch(
            "memberships",
            queryset=HouseholdMembership.objects.select_related("client").order_by(
                "-start_date", _ROLE_ORDER, "id"
            ),
            to_attr="all_memberships",
        ),
        Prefetch(
            "residences",
            queryset=Residence.objects.select_related("address").order_by("-start_date", "id"),
        ),
    )
