"""The conversations and profiles of one client, as a section of the data-subject access export.

privacy.subject_access sits below this app, so ProfilesConfig.ready() registers this section
there. Everything the person told us is theirs to see, notes included; the JSON has
the whole profile per conversation, the PDF a readable summary.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from meedoen.clients.models import Client
from meedoen.privacy.subject_access import ExtraSection
from meedoen.profiles.constants import (
    ConversationPlace,
    LadderRung,
    ObstacleCategory,
    ParticipantRole,
    Severity,
    WorkReadiness,
    ZrmDomain,
)
from meedoen.profiles.selectors import conversation_detail_queryset, profile_input_for


def _summary(values: dict[str, Any]) -> dict[str, str]:
    domains = dict(ZrmDomain.choices)
    obstacles = dict(ObstacleCategory.choices)
    severities = dict(Severity.choices)
    rungs = dict(LadderRung.choices)
    zrm = ", ".join(
        f"{domains[d]} {score if score is not None else _('onbekend')}"
        for d, score in values["zrm"].items()
    )
    obstacle_text = "; ".join(
        f"{obstacles.get(o['category'], o['category'])} ({severities.get(o['severity'], '')}"
        f"{', ' + str(_('wordt aangepakt')) if o['addressed'] else ''})"
        for o in values["obstacles"]
    )
    ladder = ""
    if values["ladder_current"]:
        ladder = _("nu %(current)s, haalbaar %(potential)s") % {
            "current": rungs.get(values["ladder_current"], ""),
            "potential": rungs.get(values["ladder_potential"], ""),
        }
    return {
        "ladder": ladder,
        "zrm": zrm,
        "obstacles": obstacle_text,
        "talents": values["talents"],
        "wishes": values["wishes"],
        "ambitions": " / ".join(
            v for v in (values["ambition_short"], values["ambition_long"]) if v
        ),
        "work_readiness": str(dict(WorkReadiness.choices).get(values["work_readiness"], "")),
    }


def profile_subject_access_section(*, client: Client) -> ExtraSection:
    places = dict(ConversationPlace.choices)
    roles = dict(ParticipantRole.choices)
    rows = []
    for conversation in conversation_detail_queryset().filter(client=client).order_by("-date"):
        profile = profile_input_for(conversation.profile).as_dict()
        rows.append(
            {
                "date": conversation.date.isoformat(),
                "place": str(places.get(conversation.place, conversation.place)),
                "conducted_by": conversation.conducted_by_name,
                "participants": ", ".join(str(roles.get(p, p)) for p in conversation.participants),
                "notes": conversation.notes,
                **_summary(profile),
                "profile": profile,
            }
        )
    return ExtraSection(
        title=_("Uw gesprekken en uw profiel"),
        intro=_(
            "Wat u in gesprekken met uw klantregisseur vertelde en wat daarvan is opgeschreven: "
            "uw talenten, wensen, ambities, belemmeringen, hoe het gaat op de leefgebieden en "
            "op de participatieladder."
        ),
        columns={
            "date": _("Datum"),
            "place": _("Waar"),
            "conducted_by": _("Met"),
            "participants": _("Ook aanwezig"),
            "ladder": _("Participatieladder"),
            "zrm": _("Leefgebieden (ZRM)"),
            "obstacles": _("Belemmeringen"),
            "talents": _("Talenten"),
            "wishes": _("Wensen"),
            "ambitions": _("Ambities"),
            "work_readiness": _("Werkfit"),
            "notes": _("Verslag"),
        },
        rows=rows,
    )
