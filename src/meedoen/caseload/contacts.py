"""Writes for the contact log of a household: contact moments, appointments and relapses.

The log is append-only. A contact moment is never updated or deleted by the application: a
correction is a new row that points to the row it corrects (`corrects`), and the old row stays, so
the log shows what was known when. Only the newest version of an entry can be corrected.

Appointments are plans and may change (versioned, core/concurrency.py) until they are closed:
held (`done`: the appointment becomes a contact moment), cancelled or no-show. A relapse is an
event on the household; it changes nothing else — the guidance stays open.

Every write checks the door again (the actor must see the household, caseload/access.py) and is
audited with codes and counts only: never the summary, agreements or note.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.constants import CASEWORK_ROLES
from meedoen.accounts.models import User
from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import ClientNotVisible, actor_may_do_casework, households_visible_to
from meedoen.caseload.constants import (
    TWO_WAY_CONTACT_KINDS,
    AppointmentStatus,
    ContactKind,
    ContactPurpose,
    OtherParticipant,
    PracticalHelp,
)
from meedoen.caseload.inputs import AppointmentInput, AppointmentOutcome, ContactInput, RelapseInput
from meedoen.caseload.models import Appointment, ContactMoment, ContactParticipant, Relapse
from meedoen.clients.models import Household, HouseholdMembership
from meedoen.core.concurrency import version_check, versioned_update

PURPOSE = "casework"
DURATION_MIN = 1
DURATION_MAX = 600  # ten hours: longer is a typo (minutes typed as seconds), not a contact
SUMMARY_MAX = 10_000
AGREEMENTS_MAX = 5_000
NOTE_MAX = 5_000
LOCATION_MAX = 200
REASON_MAX = 300
# How far back a contact or relapse may be logged. The log feeds "last contact" and the
# missing-contact signal of the caseload; an entry years late is a reconstruction, not a log,
# and belongs in a note. Two years covers a coach catching up after long absence.
LOG_BACK = dt.timedelta(days=2 * 366)
# How far ahead an appointment may be planned: beyond a year it is a wish, not a plan.
PLAN_AHEAD = dt.timedelta(days=366)


class Errors:
    """Collects Dutch messages per field, to raise them all at once."""

    def __init__(self) -> None:
        self.messages: dict[str, list[Any]] = {}

    def add(self, name: str, message: Any) -> None:
        self.messages.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.messages:
            raise ValidationError(self.messages)


def actor_name(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())[:150]


def _check_household(*, actor: Any, household: Household, action: str, origin: Origin) -> None:
    """The door's rule, checked again at the write; a refusal is audited and is a 404."""
    if actor_may_do_casework(actor) and (
        households_visible_to(actor=actor).filter(pk=household.pk).exists()
    ):
        return
    audit_record(
        actor=actor,
        action=action,
        origin=origin,
        obj=household,
        purpose=PURPOSE,
        result=Result.DENIED,
    )
    raise ClientNotVisible


def _check_codes(errors: Errors, name: str, values: Iterable[str], choices: Any) -> None:
    values = list(values)
    if any(value not in choices.values for value in values):
        errors.add(name, _("Kies alleen uit de lijst."))
    elif len(set(values)) != len(values):
        errors.add(name, _("Kies elke mogelijkheid hoogstens één keer."))


def _check_text(errors: Errors, name: str, value: str, maximum: int, *, required: bool) -> None:
    if required and not value.strip():
        errors.add(name, _("Vul dit in."))
    elif len(value) > maximum:
        errors.add(name, _("Gebruik hoogstens %(max)s tekens.") % {"max": maximum})


def _check_second_coach(
    errors: Errors, *, second_coach_id: int | None, coach_id: object, municipality_id: object
) -> Any:
    if second_coach_id is None:
        return None
    user = User.objects.filter(pk=second_coach_id).first()
    if (
        user is None
        or not user.is_active
        or user.role not in CASEWORK_ROLES
        or user.municipality_id != municipality_id
    ):
        errors.add("second_coach", _("Kies een actieve klantregisseur van deze gemeente."))
        return None
    if user.pk == coach_id:
        errors.add("second_coach", _("Kies als tweede klantregisseur iemand anders."))
        return None
    return user


def _memberships(household: Household) -> list[HouseholdMembership]:
    return list(HouseholdMembership.objects.filter(household_id=household.pk))


def _earliest(memberships: list[HouseholdMembership], household: Household) -> dt.date:
    starts = [m.start_date for m in memberships]
    return min(starts) if starts else timezone.localdate(household.created_at)


def _check_participants(
    errors: Errors,
    name: str,
    participant_ids: Iterable[uuid.UUID | str],
    memberships: list[HouseholdMembership],
) -> list[uuid.UUID]:
    current = {m.client_id for m in memberships if m.end_date is None}
    try:
        ids = list(dict.fromkeys(uuid.UUID(str(pk)) for pk in participant_ids))
    except ValueError:
        errors.add(name, _("Kies alleen mensen die nu tot het huishouden horen."))
        return []
    if any(pk not in current for pk in ids):
        errors.add(name, _("Kies alleen mensen die nu tot het huishouden horen."))
    return ids


def _check_when(
    errors: Errors, name: str, when: dt.date, earliest: dt.date, *, today: dt.date
) -> None:
    if when > today:
        errors.add(name, _("Deze datum ligt in de toekomst."))
    elif when < today - LOG_BACK:
        errors.add(
            name,
            _("Deze datum ligt meer dan twee jaar terug; leg dat vast als notitie, niet als log."),
        )
    elif when < earliest:
        errors.add(
            name,
            _("Het huishouden bestond toen nog niet (sinds %(date)s).")
            % {"date": earliest.strftime("%d-%m-%Y")},
        )


def _validate_contact(
    errors: Errors, data: ContactInput, *, household: Household, coach_id: object
) -> tuple[list[uuid.UUID], Any]:
    now = timezone.now()
    memberships = _memberships(household)
    if data.occurred_at > now:
        errors.add("occurred_at", _("Dit tijdstip ligt in de toekomst."))
    else:
        _check_when(
            errors,
            "occurred_at",
            timezone.localtime(data.occurred_at).date(),
            _earliest(memberships, household),
            today=timezone.localdate(now),
        )
    if data.kind not in ContactKind.values:
        errors.add("kind", _("Kies de soort contact uit de lijst."))
    if data.purpose not in ContactPurpose.values:
        errors.add("purpose", _("Kies de aanleiding uit de lijst."))
    two_way = data.kind in TWO_WAY_CONTACT_KINDS
    if data.duration_minutes is None:
        if two_way:
            errors.add("duration_minutes", _("Vul de duur in minuten in."))
    elif not DURATION_MIN <= data.duration_minutes <= DURATION_MAX:
        errors.add(
            "duration_minutes",
            _("Vul een duur in van %(min)s tot en met %(max)s minuten.")
            % {"min": DURATION_MIN, "max": DURATION_MAX},
        )
    participants = _check_participants(errors, "participants", data.participant_ids, memberships)
    if two_way and not participants and "participants" not in errors.messages:
        errors.add("participants", _("Kies wie van het huishouden erbij was."))
    _check_codes(errors, "other_participants", data.other_participants, OtherParticipant)
    _check_codes(errors, "practical_help", data.practical_help, PracticalHelp)
    _check_text(errors, "summary", data.summary, SUMMARY_MAX, required=True)
    _check_text(errors, "agreements", data.agreements, AGREEMENTS_MAX, required=False)
    second = _check_second_coach(
        errors,
        second_coach_id=data.second_coach_id,
        coach_id=coach_id,
        municipality_id=household.municipality_id,
    )
    return participants, second


def _contact_write(
    *,
    household: Household,
    data: ContactInput,
    participants: list[uuid.UUID],
    coach_id: int | None,
    coach_name: str,
    second_coach: Any,
    corrects: ContactMoment | None = None,
    reason: str = "",
) -> ContactMoment:
    contact = ContactMoment.objects.create(
        municipality_id=household.municipality_id,
        household=household,
        occurred_at=data.occurred_at,
        kind=data.kind,
        purpose=data.purpose,
        duration_minutes=data.duration_minutes,
        other_participants=list(data.other_participants),
        summary=data.summary.strip(),
        practical_help=list(data.practical_help),
        agreements=data.agreements.strip(),
        coach_id=coach_id,
        coach_name=coach_name,
        second_coach=second_coach,
        second_coach_name=actor_name(second_coach),
        corrects=corrects,
        correction_reason=reason,
    )
    ContactParticipant.objects.bulk_create(
        [ContactParticipant(contact=contact, client_id=pk) for pk in participants]
    )
    return contact


def _contact_detail(contact: ContactMoment, participants: list[uuid.UUID]) -> dict[str, Any]:
    # Codes and counts only: never the summary or the agreements.
    return {
        "household_id": str(contact.household_id),
        "kind": contact.kind,
        "purpose": contact.purpose,
        "participants": len(participants),
        "practical_help": list(contact.practical_help),
    }


def contact_moment_record(
    *, actor: Any, household: Household, data: ContactInput, origin: Origin
) -> ContactMoment:
    """Log a contact with `household`; the actor is the coach who had it.

    Raises ClientNotVisible (404, audited) when the actor may not see the household, and
    ValidationError with Dutch messages per field; nothing is written then.
    """
    action = "caseload.contact.create"
    _check_household(actor=actor, household=household, action=action, origin=origin)
    with transaction.atomic():
        errors = Errors()
        participants, second = _validate_contact(
            errors, data, household=household, coach_id=actor.pk
        )
        errors.raise_if_any()
        contact = _contact_write(
            household=household,
            data=data,
            participants=participants,
            coach_id=actor.pk,
            coach_name=actor_name(actor),
            second_coach=second,
        )
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            obj=contact,
            subject_id=participants[0] if len(participants) == 1 else None,
            purpose=PURPOSE,
            detail=_contact_detail(contact, participants),
        )
    return contact


def _superseded_error(newer: ContactMoment | None) -> ValidationError:
    if newer is None:
        return ValidationError(
            {"corrects": _("Dit contactmoment is al gecorrigeerd; corrigeer de nieuwste versie.")},
            code="superseded",
        )
    return ValidationError(
        {
            "corrects": ValidationError(
                _("Dit contactmoment is al gecorrigeerd op %(date)s; corrigeer de nieuwste versie.")
                % {"date": timezone.localtime(newer.created_at).strftime("%d-%m-%Y")},
                code="superseded",
                params={"newer": str(newer.pk)},
            )
        }
    )


def contact_moment_correct(
    *, actor: Any, original: ContactMoment, data: ContactInput, reason: str, origin: Origin
) -> ContactMoment:
    """Correct a contact moment: a new row that points to `original`, which stays as it was.

    Only the newest version may be corrected; an older one answers a ValidationError on
    `corrects` whose params name the newer version. The coach of the correction stays the coach
    who had the contact; who corrected it is in the audit trail.
    """
    action = "caseload.contact.correct"
    household = Household.objects.get(pk=original.household_id)
    _check_household(actor=actor, household=household, action=action, origin=origin)
    with transaction.atomic():
        # Lock the row so two corrections of the same version cannot both pass the check; the
        # unique `corrects` column is the last guard.
        locked = ContactMoment.objects.select_for_update().get(pk=original.pk)
        newer = ContactMoment.objects.filter(corrects_id=locked.pk).first()
        if newer is not None:
            raise _superseded_error(newer)
        errors = Errors()
        participants, second = _validate_contact(
            errors, data, household=household, coach_id=locked.coach_id
        )
        _check_text(errors, "correction_reason", reason, REASON_MAX, required=True)
        errors.raise_if_any()
        try:
            with transaction.atomic():
                contact = _contact_write(
                    household=household,
                    data=data,
                    participants=participants,
                    coach_id=locked.coach_id,
                    coach_name=locked.coach_name,
                    second_coach=second,
                    corrects=locked,
                    reason=reason.strip(),
                )
        except IntegrityError:
            raise _superseded_error(None) from None
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            obj=contact,
            subject_id=participants[0] if len(participants) == 1 else None,
            purpose=PURPOSE,
            detail={**_contact_detail(contact, participants), "corrects": str(locked.pk)},
        )
    return contact


# Appointments ----------------------------------------------------------------------------------


def _validate_appointment(
    errors: Errors,
    data: AppointmentInput,
    *,
    household: Household,
    coach_id: object,
    check_start: bool = True,
) -> Any:
    if check_start:
        today = timezone.localdate()
        day = timezone.localtime(data.starts_at).date()
        if day < today:
            errors.add("starts_at", _("Deze datum ligt in het verleden."))
        elif data.starts_at > timezone.now() + PLAN_AHEAD:
            errors.add("starts_at", _("Plan een afspraak hoogstens een jaar vooruit."))
    if data.kind not in ContactKind.values:
        errors.add("kind", _("Kies de soort contact uit de lijst."))
    if data.purpose not in ContactPurpose.values:
        errors.add("purpose", _("Kies de aanleiding uit de lijst."))
    _check_text(errors, "location", data.location, LOCATION_MAX, required=False)
    _check_text(errors, "note", data.note, NOTE_MAX, required=False)
    return _check_second_coach(
        errors,
        second_coach_id=data.second_coach_id,
        coach_id=coach_id,
        municipality_id=household.municipality_id,
    )


def appointment_plan(
    *, actor: Any, household: Household, data: AppointmentInput, origin: Origin
) -> Appointment:
    """Plan a contact with `household`; the actor is the coach who will have it."""
    action = "caseload.appointment.create"
    _check_household(actor=actor, household=household, action=action, origin=origin)
    with transaction.atomic():
        errors = Errors()
        second = _validate_appointment(errors, data, household=household, coach_id=actor.pk)
        errors.raise_if_any()
        appointment = Appointment.objects.create(
            municipality_id=household.municipality_id,
            household=household,
            coach=actor,
            second_coach=second,
            starts_at=data.starts_at,
            kind=data.kind,
            purpose=data.purpose,
            location=data.location.strip(),
            note=data.note.strip(),
        )
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            obj=appointment,
            purpose=PURPOSE,
            detail={
                "household_id": str(household.pk),
                "kind": appointment.kind,
                "purpose": appointment.purpose,
            },
        )
    return appointment


def _check_planned(appointment: Appointment) -> None:
    if appointment.status != AppointmentStatus.PLANNED:
        raise ValidationError(
            {"status": _("Deze afspraak is al afgesloten en kan niet meer veranderen.")},
            code="closed",
        )


def appointment_update(
    *,
    actor: Any,
    appointment: Appointment,
    expected_version: int,
    data: AppointmentInput,
    origin: Origin,
) -> list[str]:
    """Change a planned appointment if nobody changed it since `expected_version`; returns the
    names of the changed fields (nothing written when none). Raises ConflictError when stale."""
    action = "caseload.appointment.update"
    household = Household.objects.get(pk=appointment.household_id)
    _check_household(actor=actor, household=household, action=action, origin=origin)
    with transaction.atomic():
        version_check(appointment, expected_version)
        _check_planned(appointment)
        errors = Errors()
        second = _validate_appointment(
            errors,
            data,
            household=household,
            coach_id=appointment.coach_id,
            # An overdue appointment may still get a note; only a new time must lie ahead.
            check_start=data.starts_at != appointment.starts_at,
        )
        errors.raise_if_any()
        values = {
            "starts_at": data.starts_at,
            "kind": data.kind,
            "purpose": data.purpose,
            "location": data.location.strip(),
            "note": data.note.strip(),
            "second_coach_id": second.pk if second else None,
        }
        changed = {k: v for k, v in values.items() if getattr(appointment, k) != v}
        if not changed:
            return []
        versioned_update(appointment, expected_version=expected_version, values=changed)
        fields = sorted(name.removesuffix("_id") for name in changed)
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            obj=appointment,
            purpose=PURPOSE,
            detail={"household_id": str(household.pk), "fields": fields},
        )
    return fields


def appointment_close(
    *,
    actor: Any,
    appointment: Appointment,
    expected_version: int,
    outcome: AppointmentOutcome,
    origin: Origin,
) -> Appointment:
    """Close a planned appointment. Held (`done`): it becomes a contact moment with the
    appointment's time, kind, purpose and coaches and the outcome's summary, linked to it.
    Cancelled or no-show: no contact is logged."""
    action = "caseload.appointment.close"
    household = Household.objects.get(pk=appointment.household_id)
    _check_household(actor=actor, household=household, action=action, origin=origin)
    with transaction.atomic():
        version_check(appointment, expected_version)
        _check_planned(appointment)
        closing = {AppointmentStatus.DONE, AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW}
        if outcome.status not in closing:
            raise ValidationError({"status": _("Kies hoe de afspraak is afgelopen.")})
        contact = None
        participants: list[uuid.UUID] = []
        if outcome.status == AppointmentStatus.DONE:
            if appointment.starts_at > timezone.now():
                raise ValidationError(
                    {
                        "status": _(
                            "Deze afspraak is nog niet begonnen; hij kan nog niet gehouden zijn."
                        )
                    }
                )
            data = ContactInput(
                occurred_at=appointment.starts_at,
                kind=appointment.kind,
                purpose=appointment.purpose,
                summary=outcome.summary,
                duration_minutes=outcome.duration_minutes,
                participant_ids=list(outcome.participant_ids),
                other_participants=list(outcome.other_participants),
                practical_help=list(outcome.practical_help),
                agreements=outcome.agreements,
                second_coach_id=appointment.second_coach_id,
            )
            errors = Errors()
            participants, second = _validate_contact(
                errors, data, household=household, coach_id=appointment.coach_id
            )
            errors.raise_if_any()
            coach = User.objects.get(pk=appointment.coach_id)
            contact = _contact_write(
                household=household,
                data=data,
                participants=participants,
                coach_id=coach.pk,
                coach_name=actor_name(coach),
                second_coach=second,
            )
        versioned_update(
            appointment,
            expected_version=expected_version,
            values={"status": outcome.status, "contact": contact},
        )
        if contact is not None:
            audit_record(
                actor=actor,
                action="caseload.contact.create",
                origin=origin,
                obj=contact,
                subject_id=participants[0] if len(participants) == 1 else None,
                purpose=PURPOSE,
                detail={
                    **_contact_detail(contact, participants),
                    "appointment": str(appointment.pk),
                },
            )
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            obj=appointment,
            purpose=PURPOSE,
            detail={
                "household_id": str(household.pk),
                "status": outcome.status,
                "contact": str(contact.pk) if contact else None,
            },
        )
    return appointment


# Relapse ---------------------------------------------------------------------------------------


def relapse_record(
    *, actor: Any, household: Household, data: RelapseInput, origin: Origin
) -> Relapse:
    """Record a setback (terugval). An event only: the assignment, intensity and everything else
    stay as they are — a relapse never closes the guidance."""
    action = "caseload.relapse.create"
    _check_household(actor=actor, household=household, action=action, origin=origin)
    with transaction.atomic():
        errors = Errors()
        memberships = _memberships(household)
        _check_when(
            errors,
            "date",
            data.date,
            _earliest(memberships, household),
            today=timezone.localdate(),
        )
        member: uuid.UUID | None = None
        if data.client_id is not None:
            checked = _check_participants(errors, "client", [data.client_id], memberships)
            member = checked[0] if checked else None
        _check_text(errors, "note", data.note, NOTE_MAX, required=True)
        errors.raise_if_any()
        relapse = Relapse.objects.create(
            household=household,
            client_id=member,
            date=data.date,
            note=data.note.strip(),
            recorded_by=actor,
            recorded_by_name=actor_name(actor),
        )
        audit_record(
            actor=actor,
            action=action,
            origin=origin,
            obj=relapse,
            subject_id=member,
            purpose=PURPOSE,
            detail={"household_id": str(household.pk), "member": member is not None},
        )
    return relapse


# A profile conversation counts as contact -------------------------------------------------------

# profiles.ConversationPlace -> ContactKind (the places of a conversation are all two-way kinds).
CONVERSATION_KINDS = {
    "huisbezoek": ContactKind.HOME_VISIT,
    "kantoor": ContactKind.OFFICE,
    "telefoon": ContactKind.PHONE,
    "wijklocatie": ContactKind.NEIGHBOURHOOD,
    "video": ContactKind.VIDEO,
}
# profiles.ParticipantRole -> OtherParticipant. Partner and child are household members, who
# cannot be told apart by role alone: they are left out rather than guessed.
CONVERSATION_OTHERS = {
    "familie": OtherParticipant.FAMILY,
    "tolk": OtherParticipant.INTERPRETER,
    "vertrouwenspersoon": OtherParticipant.CONFIDANT,
    "partnerorganisatie": OtherParticipant.PARTNER_ORGANISATION,
    "collega": OtherParticipant.COLLEAGUE,
    "overig": OtherParticipant.OTHER,
}
CONVERSATION_SUMMARY = _("Gesprek om in kaart te brengen; het verslag staat bij het gesprek.")


def _conversation_moment(date: dt.date) -> dt.datetime:
    # A conversation has a date only: noon of that day, or now when that is still ahead.
    noon = timezone.make_aware(dt.datetime.combine(date, dt.time(12, 0)))
    return min(noon, timezone.now())


def contact_moment_for_conversation(
    *,
    actor: Any,
    client: Any,
    conversation_id: object,
    date: dt.date,
    place: str,
    participants: Iterable[str],
    origin: Origin,
    corrects: ContactMoment | None = None,
) -> ContactMoment:
    """The contact moment of a profile conversation (profiles.services calls this inside its
    transaction, after its own door check and validation). The report stays with the
    conversation; the log gets a fixed summary that points to it. With `corrects`: the
    conversation's date or place was corrected, so its contact moment is corrected too."""
    # The newest version: an earlier correction of the conversation may have superseded it.
    while corrects is not None:
        newer = ContactMoment.objects.filter(corrects_id=corrects.pk).first()
        if newer is None:
            break
        corrects = newer
    others = list(
        dict.fromkeys(CONVERSATION_OTHERS[p] for p in participants if p in CONVERSATION_OTHERS)
    )
    contact = ContactMoment.objects.create(
        municipality_id=client.municipality_id,
        household_id=client.household_id,
        occurred_at=_conversation_moment(date),
        kind=CONVERSATION_KINDS.get(place, ContactKind.OFFICE),
        purpose=ContactPurpose.CONVERSATION,
        other_participants=others,
        summary=str(CONVERSATION_SUMMARY),
        coach_id=corrects.coach_id if corrects else (actor.pk if actor else None),
        coach_name=corrects.coach_name if corrects else actor_name(actor),
        corrects=corrects,
        correction_reason=str(_("Het gesprek is gecorrigeerd.")) if corrects else "",
    )
    ContactParticipant.objects.create(contact=contact, client_id=client.pk)
    audit_record(
        actor=actor,
        action="caseload.contact.correct" if corrects else "caseload.contact.create",
        origin=origin,
        obj=contact,
        subject_id=client.pk,
        purpose=PURPOSE,
        detail={
            **_contact_detail(contact, [client.pk]),
            "conversation": str(conversation_id),
            **({"corrects": str(corrects.pk)} if corrects else {}),
        },
    )
    return contact
