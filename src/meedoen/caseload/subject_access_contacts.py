"""The contact log of one client, as sections of the data-subject access export (AVG art. 15).

Registered with privacy.subject_access from CaseloadConfig.ready(). What counts as the person's:

- contact moments they took part in, and the household's entries that name no participant
  (a letter or message to the household as a whole) while they were a member — every version,
  corrections included, because every stored version is data about them;
- appointments of their household while they were a member;
- relapses recorded about them, or about their whole household while they were a member.

Contact moments with only another member are that member's and stay out.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from meedoen.caseload.constants import ContactKind, ContactPurpose, OtherParticipant, PracticalHelp
from meedoen.caseload.models import Appointment, ContactMoment, ContactParticipant, Relapse
from meedoen.clients.models import Client, HouseholdMembership
from meedoen.privacy.subject_access import ExtraSection


def _during_membership(client: Client, *, date_field: str) -> Q:
    """Rows of the client's households dated while the client was a member."""
    during = Q(pk__in=[])
    for m in HouseholdMembership.objects.filter(client=client):
        span = Q(household_id=m.household_id) & Q(**{f"{date_field}__gte": m.start_date})
        if m.end_date is not None:
            span &= Q(**{f"{date_field}__lt": m.end_date})
        during |= span
    return during


def _labels(codes: list[str], choices: type) -> str:
    names = dict(choices.choices)  # type: ignore[attr-defined]
    return ", ".join(str(names.get(code, code)) for code in codes)


def contact_log_section(*, client: Client) -> ExtraSection:
    participants = ContactParticipant.objects.filter(contact_id=OuterRef("pk"))
    took_part = Exists(participants.filter(client_id=client.pk))
    household_wide = ~Exists(participants) & _during_membership(
        client, date_field="occurred_at__date"
    )
    contacts = ContactMoment.objects.filter(took_part | household_wide).order_by(
        "-occurred_at", "-created_at"
    )
    kinds, purposes = dict(ContactKind.choices), dict(ContactPurpose.choices)
    return ExtraSection(
        title=str(_("Contactmomenten")),
        intro=str(
            _(
                "Het contact dat de gemeente met u had, of met uw huishouden als geheel. Een "
                "gecorrigeerd contactmoment staat er met alle versies."
            )
        ),
        columns={
            "occurred_at": str(_("Datum en tijd")),
            "kind": str(_("Soort contact")),
            "purpose": str(_("Aanleiding")),
            "duration_minutes": str(_("Duur (minuten)")),
            "other_participants": str(_("Verder aanwezig")),
            "summary": str(_("Samenvatting")),
            "practical_help": str(_("Praktische hulp")),
            "agreements": str(_("Afspraken")),
            "coach": str(_("Klantregisseur")),
            "correction_reason": str(_("Correctie van een eerdere versie, reden")),
        },
        rows=[
            {
                "occurred_at": c.occurred_at.isoformat(),
                "kind": str(kinds.get(c.kind, c.kind)),
                "purpose": str(purposes.get(c.purpose, c.purpose)),
                "duration_minutes": c.duration_minutes,
                "other_participants": _labels(c.other_participants, OtherParticipant),
                "summary": c.summary,
                "practical_help": _labels(c.practical_help, PracticalHelp),
                "agreements": c.agreements,
                "coach": ", ".join(n for n in (c.coach_name, c.second_coach_name) if n),
                "correction_reason": c.correction_reason or None,
            }
            for c in contacts
        ],
    )


def appointments_section(*, client: Client) -> ExtraSection:
    appointments = (
        Appointment.objects.filter(_during_membership(client, date_field="created_at__date"))
        .select_related("coach")
        .order_by("-starts_at")
    )
    return ExtraSection(
        title=str(_("Afspraken")),
        intro=str(_("De afspraken met uw huishouden terwijl u erbij hoorde.")),
        columns={
            "starts_at": str(_("Datum en tijd")),
            "kind": str(_("Soort contact")),
            "location": str(_("Plaats")),
            "note": str(_("Toelichting")),
            "status": str(_("Status")),
            "coach": str(_("Klantregisseur")),
        },
        rows=[
            {
                "starts_at": a.starts_at.isoformat(),
                "kind": a.get_kind_display(),
                "location": a.location,
                "note": a.note,
                "status": a.get_status_display(),
                "coach": a.coach.display_name,
            }
            for a in appointments
        ],
    )


def relapses_section(*, client: Client) -> ExtraSection:
    relapses = Relapse.objects.filter(
        Q(client_id=client.pk)
        | (Q(client__isnull=True) & _during_membership(client, date_field="date"))
    ).order_by("-date")
    return ExtraSection(
        title=str(_("Terugval")),
        intro=str(_("Terugval die over u, of over uw hele huishouden, is vastgelegd.")),
        columns={
            "date": str(_("Datum")),
            "note": str(_("Wat er gebeurde")),
            "recorded_by": str(_("Vastgelegd door")),
        },
        rows=[
            {"date": r.date.isoformat(), "note": r.note, "recorded_by": r.recorded_by_name}
            for r in relapses
        ],
    )
