"""The partner organisations around one client, as a section of the data-subject access export.

Registered with privacy.subject_access from PartnersConfig.ready(): privacy sits below partners.
Involvements of the client's households (for the whole household or for this person) and every
record of information about this person shared with an organisation.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from meedoen.clients.models import Client, HouseholdMembership
from meedoen.partners.models import InformationShare, Involvement
from meedoen.privacy.constants import DataCategory
from meedoen.privacy.subject_access import ExtraSection


def involvements_section(*, client: Client) -> ExtraSection:
    household_ids = set(
        HouseholdMembership.objects.filter(client=client).values_list("household_id", flat=True)
    )
    if client.household_id:
        household_ids.add(client.household_id)
    # The household's involvements for everyone, and those for this person; not another
    # member's own.
    involvements = (
        Involvement.objects.filter(household_id__in=household_ids)
        .filter(Q(client__isnull=True) | Q(client=client))
        .select_related("organisation", "person")
        .order_by("-start_date")
    )
    return ExtraSection(
        title=str(_("Betrokken organisaties")),
        intro=str(
            _(
                "Partnerorganisaties die bij u of uw huishouden betrokken zijn of waren, en "
                "waarvoor."
            )
        ),
        columns={
            "organisation": str(_("Organisatie")),
            "topic": str(_("Waarvoor")),
            "contact_person": str(_("Contactpersoon")),
            "for_whom": str(_("Voor wie")),
            "start_date": str(_("Vanaf")),
            "end_date": str(_("Tot")),
        },
        rows=[
            {
                "organisation": i.organisation.name,
                "topic": str(i.get_topic_display()),
                "contact_person": i.person.name if i.person else "",
                "for_whom": str(_("u")) if i.client_id else str(_("het hele huishouden")),
                "start_date": i.start_date.isoformat(),
                "end_date": i.end_date.isoformat() if i.end_date else None,
            }
            for i in involvements
        ],
    )


def shares_section(*, client: Client) -> ExtraSection:
    labels = dict(DataCategory.choices)
    shares = (
        InformationShare.objects.filter(client=client)
        .select_related("involvement__organisation")
        .order_by("-shared_at")
    )
    return ExtraSection(
        title=str(_("Gegevens gedeeld met organisaties")),
        intro=str(
            _(
                "Wanneer uw gegevens met uw toestemming zijn gedeeld met een partnerorganisatie, "
                "welke soorten gegevens en wat er is gedeeld."
            )
        ),
        columns={
            "shared_at": str(_("Gedeeld op")),
            "organisation": str(_("Organisatie")),
            "data_categories": str(_("Soorten gegevens")),
            "summary": str(_("Wat is gedeeld")),
            "shared_by": str(_("Gedeeld door")),
        },
        rows=[
            {
                "shared_at": s.shared_at.isoformat(timespec="seconds"),
                "organisation": s.involvement.organisation.name,
                "data_categories": ", ".join(
                    str(labels.get(code, code)) for code in s.data_categories or []
                ),
                "summary": s.summary,
                "shared_by": s.shared_by_name,
            }
            for s in shares
        ],
    )
