"""A client's enrolments in instruments, as a section of the data-subject access export.

Registered with privacy.subject_access from InstrumentsConfig.ready(): privacy sits below
instruments. Every enrolment of this person, whichever household they lived in at the time; the
notes are included, as they are written about them.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from meedoen.clients.models import Client
from meedoen.instruments.models import Enrolment
from meedoen.privacy.subject_access import ExtraSection


def enrolments_section(*, client: Client) -> ExtraSection:
    enrolments = (
        Enrolment.objects.filter(client_id=client.pk)
        .select_related("instrument")
        .order_by("-requested_at")
    )
    return ExtraSection(
        title=str(_("Deelname aan instrumenten")),
        intro=str(
            _(
                "Trainingen, cursussen, trajecten en andere instrumenten waarvoor u bent "
                "aangemeld: de status, de data, het resultaat en wat erover is genoteerd."
            )
        ),
        columns={
            "instrument": str(_("Instrument")),
            "provider": str(_("Aanbieder")),
            "status": str(_("Status")),
            "requested_on": str(_("Aangemeld op")),
            "started_on": str(_("Gestart op")),
            "ended_on": str(_("Geëindigd op")),
            "stop_reason": str(_("Reden van stoppen")),
            "result": str(_("Resultaat")),
            "note": str(_("Toelichting bij de aanmelding")),
            "end_note": str(_("Toelichting bij het einde")),
            "created_by": str(_("Aangemeld door")),
        },
        rows=[
            {
                "instrument": e.instrument.name,
                "provider": e.instrument.provider_name,
                "status": str(e.get_status_display()),
                "requested_on": timezone.localdate(e.requested_at).isoformat(),
                "started_on": e.started_on.isoformat() if e.started_on else None,
                "ended_on": e.ended_on.isoformat() if e.ended_on else None,
                "stop_reason": str(e.get_stop_reason_display()) if e.stop_reason else "",
                "result": str(e.get_result_display()) if e.result else "",
                "note": e.note,
                "end_note": e.end_note,
                "created_by": e.created_by_name,
            }
            for e in enrolments
        ],
    )
