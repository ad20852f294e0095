"""Forms of the household page: log a contact moment, correct one, plan and close an appointment,
record a relapse.

The forms parse what was typed (a date and a time in separate inputs that work without
JavaScript, numbers, checkbox lists) and say in Dutch what and where when they cannot. Whether the
values make sense is the service's check (caseload/contacts.py), shared with the API; its
messages come back per field and `add_service_errors` puts each beside its field, prefixed with
the field's label so the error summary says where.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from meedoen.accounts.constants import CASEWORK_ROLES
from meedoen.accounts.models import User
from meedoen.caseload.constants import (
    AppointmentStatus,
    ContactKind,
    ContactPurpose,
    OtherParticipant,
    PracticalHelp,
)
from meedoen.caseload.inputs import AppointmentInput, AppointmentOutcome, ContactInput, RelapseInput
from meedoen.web.forms_profile import SummaryError, anchor_of

DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]
VERSION_ERROR = _("Het formulier is onvolledig. Open de pagina opnieuw.")


def _label_message(label: Any, message: Any) -> Any:
    return format_lazy("{}: {}", label, message)


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Bijvoorbeeld 31-12-2025."),
        error_messages={
            "required": _label_message(label, _("vul een datum in.")),
            "invalid": _label_message(label, _("vul een datum in als 31-12-2025.")),
        },
    )


def _time(label: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Bijvoorbeeld 14:30."),
        error_messages={
            "required": _label_message(label, _("vul een tijd in.")),
            "invalid": _label_message(label, _("vul een tijd in als 14:30.")),
        },
    )


def _choice(
    label: Any, choices: Iterable[tuple[Any, Any]], *, widget: Any = forms.RadioSelect, **kw: Any
) -> forms.ChoiceField:
    message = _label_message(label, _("kies een van de mogelijkheden."))
    return forms.ChoiceField(
        label=label,
        choices=list(choices),
        widget=widget,
        error_messages={"required": message, "invalid_choice": message},
        **kw,
    )


def _multiple(label: Any, choices: Iterable[tuple[Any, Any]]) -> forms.MultipleChoiceField:
    message = _label_message(label, _("kies uit de lijst."))
    return forms.MultipleChoiceField(
        label=label,
        choices=list(choices),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": message, "invalid_list": message},
    )


def _text(label: Any, *, required: bool = False, rows: int = 4, help_text: Any = "") -> Any:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": _label_message(label, _("vul dit in."))},
    )


def _duration() -> forms.IntegerField:
    label = _("Duur in minuten")
    return forms.IntegerField(
        label=label,
        required=False,
        help_text=_("Van 1 tot en met 600. Leeg bij een brief of bericht."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _label_message(label, _("vul een heel getal in."))},
    )


def _version() -> forms.IntegerField:
    return forms.IntegerField(
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "required": VERSION_ERROR,
            "invalid": VERSION_ERROR,
            "min_value": VERSION_ERROR,
        },
    )


def member_choices(members: Iterable[Any]) -> list[tuple[str, str]]:
    """The current members (HouseholdMembership rows with their client) as choices."""
    return [(str(m.client_id), f"{m.client.full_name} ({m.get_role_display()})") for m in members]


def second_coach_choices(
    *, municipality_id: uuid.UUID, exclude_id: int | None
) -> list[tuple[str, Any]]:
    users = User.objects.filter(
        municipality_id=municipality_id, is_active=True, role__in=CASEWORK_ROLES
    ).order_by("last_name", "first_name", "username")
    if exclude_id is not None:
        users = users.exclude(pk=exclude_id)
    return [("", _("Geen"))] + [(str(u.pk), u.display_name) for u in users]


def aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


class _ServiceErrorsMixin(forms.Form):
    # Service field -> form field, where they differ.
    SERVICE_FIELDS: dict[str, str] = {}

    @property
    def error_summary(self) -> list[SummaryError]:
        summary = [SummaryError(anchor="", message=m) for m in self.non_field_errors()]
        for name in self.fields:
            for message in self.errors.get(name, []):
                summary.append(SummaryError(anchor=anchor_of(self[name]), message=message))
        return summary

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(None, message)
            return
        for key, messages in error.message_dict.items():
            name = self.SERVICE_FIELDS.get(key, key)
            if name in self.fields:
                label = self.fields[name].label
                for message in messages:
                    self.add_error(name, str(_label_message(label, message)))
            else:
                for message in messages:
                    self.add_error(None, message)


class ContactForm(_ServiceErrorsMixin):
    """A contact moment; with `correction=True` also the reason of the correction."""

    SERVICE_FIELDS = {"occurred_at": "date"}

    date = _date(_("Datum"))
    time = _time(_("Tijd"))
    kind = _choice(_("Soort contact"), ContactKind.choices)
    purpose = _choice(
        _("Aanleiding"), ContactPurpose.choices, widget=forms.Select, initial=ContactPurpose.REGULAR
    )
    duration_minutes = _duration()
    participants = _multiple(_("Wie van het huishouden was erbij"), [])
    other_participants = _multiple(
        _("Wie was er nog meer bij (alleen de rol)"), OtherParticipant.choices
    )
    summary = _text(_("Samenvatting"), required=True, rows=6)
    practical_help = _multiple(_("Praktische hulp gegeven"), PracticalHelp.choices)
    agreements = _text(_("Gemaakte afspraken"))
    second_coach = _choice(
        _("Tweede klantregisseur"),
        [],
        widget=forms.Select,
        required=False,
        help_text=_("Bij een warme overdracht: de collega die meekwam."),
    )

    def __init__(
        self,
        *args: Any,
        members: Iterable[Any] = (),
        coaches: list[tuple[str, Any]] | None = None,
        correction: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        participants = self.fields["participants"]
        assert isinstance(participants, forms.MultipleChoiceField)
        participants.choices = member_choices(members)
        second = self.fields["second_coach"]
        assert isinstance(second, forms.ChoiceField)
        second.choices = coaches or [("", _("Geen"))]
        if correction:
            self.fields["correction_reason"] = forms.CharField(
                label=_("Reden van de correctie"),
                max_length=300,
                help_text=_("Wat was er niet goed? De oorspronkelijke versie blijft bewaard."),
                error_messages={
                    "required": _label_message(_("Reden van de correctie"), _("vul dit in.")),
                    "max_length": _label_message(
                        _("Reden van de correctie"), _("gebruik hoogstens 300 tekens.")
                    ),
                },
            )

    def to_input(self) -> ContactInput:
        data = self.cleaned_data
        return ContactInput(
            occurred_at=aware(data["date"], data["time"]),
            kind=data["kind"],
            purpose=data["purpose"],
            summary=data["summary"],
            duration_minutes=data["duration_minutes"],
            participant_ids=list(data["participants"]),
            other_participants=list(data["other_participants"]),
            practical_help=list(data["practical_help"]),
            agreements=data["agreements"],
            second_coach_id=int(data["second_coach"]) if data.get("second_coach") else None,
        )


def contact_initial(contact: Any) -> dict[str, Any]:
    local = timezone.localtime(contact.occurred_at)
    return {
        "date": local.date(),
        "time": local.time().replace(second=0, microsecond=0),
        "kind": contact.kind,
        "purpose": contact.purpose,
        "duration_minutes": contact.duration_minutes,
        "participants": [str(p.client_id) for p in contact.participants.all()],
        "other_participants": list(contact.other_participants),
        "summary": contact.summary,
        "practical_help": list(contact.practical_help),
        "agreements": contact.agreements,
        "second_coach": str(contact.second_coach_id or ""),
    }


class AppointmentForm(_ServiceErrorsMixin):
    SERVICE_FIELDS = {"starts_at": "date"}

    version = _version()
    date = _date(_("Datum"))
    time = _time(_("Tijd"))
    kind = _choice(_("Soort contact"), ContactKind.choices)
    purpose = _choice(
        _("Aanleiding"), ContactPurpose.choices, widget=forms.Select, initial=ContactPurpose.REGULAR
    )
    location = forms.CharField(
        label=_("Plaats"),
        required=False,
        max_length=200,
        help_text=_("Bijvoorbeeld het adres van het wijkcentrum. Leeg bij een huisbezoek."),
        error_messages={
            "max_length": _label_message(_("Plaats"), _("gebruik hoogstens 200 tekens."))
        },
    )
    note = _text(_("Toelichting"), rows=3)
    second_coach = _choice(
        _("Tweede klantregisseur"),
        [],
        widget=forms.Select,
        required=False,
        help_text=_("Bij een warme overdracht: de collega die meekomt."),
    )

    def __init__(
        self,
        *args: Any,
        coaches: list[tuple[str, Any]] | None = None,
        edit: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        second = self.fields["second_coach"]
        assert isinstance(second, forms.ChoiceField)
        second.choices = coaches or [("", _("Geen"))]
        if not edit:
            del self.fields["version"]

    def to_input(self) -> AppointmentInput:
        data = self.cleaned_data
        return AppointmentInput(
            starts_at=aware(data["date"], data["time"]),
            kind=data["kind"],
            purpose=data["purpose"],
            location=data["location"],
            note=data["note"],
            second_coach_id=int(data["second_coach"]) if data.get("second_coach") else None,
        )


def appointment_initial(appointment: Any) -> dict[str, Any]:
    local = timezone.localtime(appointment.starts_at)
    return {
        "version": appointment.version,
        "date": local.date(),
        "time": local.time().replace(second=0, microsecond=0),
        "kind": appointment.kind,
        "purpose": appointment.purpose,
        "location": appointment.location,
        "note": appointment.note,
        "second_coach": str(appointment.second_coach_id or ""),
    }


CLOSING = [
    (AppointmentStatus.DONE.value, _("Gehouden: leg het contact vast")),
    (AppointmentStatus.CANCELLED.value, AppointmentStatus.CANCELLED.label),
    (AppointmentStatus.NO_SHOW.value, AppointmentStatus.NO_SHOW.label),
]


class AppointmentCloseForm(_ServiceErrorsMixin):
    """How the appointment ended; when held, what happened (the contact it becomes)."""

    version = _version()
    status = _choice(_("Hoe is de afspraak afgelopen"), CLOSING)
    duration_minutes = _duration()
    participants = _multiple(_("Wie van het huishouden was erbij"), [])
    other_participants = _multiple(
        _("Wie was er nog meer bij (alleen de rol)"), OtherParticipant.choices
    )
    summary = _text(
        _("Samenvatting"), rows=5, help_text=_("Alleen nodig als de afspraak is gehouden.")
    )
    practical_help = _multiple(_("Praktische hulp gegeven"), PracticalHelp.choices)
    agreements = _text(_("Gemaakte afspraken"), rows=3)

    def __init__(self, *args: Any, members: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        participants = self.fields["participants"]
        assert isinstance(participants, forms.MultipleChoiceField)
        participants.choices = member_choices(members)
        # Unique ids: the edit form on the same page has fields of the same names.
        self.auto_id = "afsluiten_%s"

    def to_outcome(self) -> AppointmentOutcome:
        data = self.cleaned_data
        return AppointmentOutcome(
            status=data["status"],
            summary=data["summary"],
            duration_minutes=data["duration_minutes"],
            participant_ids=list(data["participants"]),
            other_participants=list(data["other_participants"]),
            practical_help=list(data["practical_help"]),
            agreements=data["agreements"],
        )


class RelapseForm(_ServiceErrorsMixin):
    date = _date(_("Datum"))
    client = _choice(
        _("Wie"),
        [],
        widget=forms.Select,
        required=False,
        help_text=_("Leeg als het het hele huishouden betreft."),
    )
    note = _text(_("Wat er gebeurde"), required=True, rows=4)

    def __init__(self, *args: Any, members: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        client = self.fields["client"]
        assert isinstance(client, forms.ChoiceField)
        client.choices = [("", _("Het hele huishouden")), *member_choices(members)]

    def to_input(self) -> RelapseInput:
        data = self.cleaned_data
        return RelapseInput(date=data["date"], note=data["note"], client_id=data["client"] or None)
