"""The contact persons of one client, as a section of the data-subject access export.

Registered with privacy.subject_access from CaseloadConfig.ready(): privacy sits below caseload.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from meedoen.caseload.models import Assignment
from meedoen.clients.models import Client, HouseholdMembership
from meedoen.privacy.subject_access import ExtraSection


def contact_persons_section(*, client: Client) -> ExtraSection:
    """The contact persons of the households the client belonged to, by name."""
    memberships = list(HouseholdMembership.objects.filter(client=client))
    overlap = Q(pk__in=[])
    for m in memberships:
        # Only while the client was a member: a contact person of the household before the
        # person joined was not theirs.
        during = Q(household_id=m.household_id) & (
            Q(end_date__isnull=True) | Q(end_date__gte=m.start_date)
        )
        if m.end_date is not None:
            during &= Q(start_date__lte=m.end_date)
        overlap |= during
    assignments = (
        Assignment.objects.filter(overlap)
        .select_related("coach", "household")
        .order_by("-start_date")
    )
    return ExtraSection(
        title=str(_("Uw klantregisseurs")),
        intro=str(_("De medewerkers van de gemeente die uw contactpersoon zijn of waren.")),
        columns={
            "contact_person": str(_("Naam")),
            "household_reference": str(_("Huishouden")),
            "start_date": str(_("Vanaf")),
            "end_date": str(_("Tot")),
        },
        rows=[
            {
                "contact_person": a.coach.get_full_name() or a.coach.get_username(),
                "household_reference": a.household.reference,
                "start_date": a.start_date.isoformat(),
                "end_date": a.end_date.isoformat() if a.end_date else None,
            }
            for a in assignments
        ],
    )
