"""A client's recorded outcomes, as a section of the data-subject access export.

Registered with privacy.subject_access from OutcomesConfig.ready(): privacy sits below outcomes.
Only what a coach recorded about this person (a job, an education, volunteer work), with the
note, as it is written about them. The derived outcomes are already in the export where they
are kept: benefit periods, profiles and the plan's goals.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from meedoen.clients.models import Client
from meedoen.outcomes.models import OutcomeEvent
from meedoen.privacy.subject_access import ExtraSection


def outcomes_section(*, client: Client) -> ExtraSection:
    outcomes = (
        OutcomeEvent.objects.filter(client_id=client.pk)
        .select_related("enrolment__instrument")
        .order_by("-occurred_on", "-created_at")
    )
    return ExtraSection(
        title=str(_("Uitkomsten")),
        intro=str(
            _(
                "Wat uw klantregisseur heeft vastgelegd over werk, opleiding en vrijwilligerswerk: "
                "wanneer het begon, de uren en het soort contract, de werkgever of opleiding, en "
                "wat erover is genoteerd."
            )
        ),
        columns={
            "kind": str(_("Soort")),
            "occurred_on": str(_("Datum")),
            "hours_per_week": str(_("Uren per week")),
            "contract_type": str(_("Soort contract")),
            "sector": str(_("Sector")),
            "employer": str(_("Werkgever")),
            "description": str(_("Omschrijving")),
            "ended_on": str(_("Geëindigd op")),
            "instrument": str(_("Na deelname aan")),
            "note": str(_("Toelichting")),
            "source": str(_("Bron")),
            "created_by": str(_("Vastgelegd door")),
        },
        rows=[
            {
                "kind": str(o.get_kind_display()),
                "occurred_on": o.occurred_on.isoformat(),
                "hours_per_week": float(o.hours_per_week) if o.hours_per_week is not None else None,
                "contract_type": str(o.get_contract_type_display()) if o.contract_type else "",
                "sector": o.sector,
                "employer": o.employer_name,
                "description": o.description,
                "ended_on": o.ended_on.isoformat() if o.ended_on else None,
                "instrument": o.enrolment.instrument.name if o.enrolment else "",
                "note": o.note,
                "source": str(o.get_source_display()),
                "created_by": o.created_by_name,
            }
            for o in outcomes
        ],
    )
