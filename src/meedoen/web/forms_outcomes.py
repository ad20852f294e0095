"""The form of an outcome a coach records (docs/outcomes.md): a job, an education started or
finished, volunteer work.

Like the other household forms (web/forms_household.py), it parses what was typed — dates, hours
in Dutch notation (12,5) — and says in Dutch what and where when it cannot. Whether the values
make sense (hours only for a job, not in the future, the enrolment is the client's own) is the
service's check (outcomes/services.py), shared with the API; its messages come back beside the
fields they name.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.outcomes.constants import RECORDED_KINDS, ContractType
from meedoen.outcomes.inputs import OutcomeInput
from meedoen.outcomes.models import OutcomeEvent
from meedoen.web.forms_household import (
    _choice,
    _date,
    _label_message,
    _ServiceErrorsMixin,
    _text,
    _version,
)

HOURS_LABEL = _("Uren per week")


def _line(label: Any, max_length: int, *, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        error_messages={
            "max_length": _label_message(
                label, _("gebruik hoogstens %(max)s tekens.") % {"max": max_length}
            )
        },
    )


class OutcomeForm(_ServiceErrorsMixin):
    SERVICE_FIELDS = {"enrolment_id": "enrolment"}

    kind = _choice(_("Soort uitkomst"), [(k.value, k.label) for k in RECORDED_KINDS])
    occurred_on = _date(_("Begonnen of afgerond op"))
    hours_per_week = forms.CharField(
        label=HOURS_LABEL,
        required=False,
        max_length=10,
        help_text=_(
            "Alleen bij betaald werk. Bijvoorbeeld 20 of 12,5. Vanaf 16 uur telt het als een "
            "baan van 16 uur of meer."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    contract_type = _choice(
        _("Soort contract"),
        [("", _("Onbekend")), *ContractType.choices],
        widget=forms.Select,
        required=False,
        help_text=_("Alleen bij betaald werk."),
    )
    employer_name = _line(_("Werkgever"), 200, help_text=_("Alleen bij betaald werk, als bekend."))
    sector = _line(_("Sector"), 100, help_text=_("Alleen bij betaald werk, bijvoorbeeld zorg."))
    description = _line(
        _("Omschrijving"),
        200,
        help_text=_(
            "Bij werk de functie, bij een opleiding de naam en de school, bij vrijwilligerswerk "
            "de organisatie."
        ),
    )
    ended_on = _date(_("Geëindigd op"), required=False)
    enrolment = _choice(
        _("Na deelname aan een instrument"),
        [],
        widget=forms.Select,
        required=False,
        help_text=_("Alleen als de uitkomst uit een deelname van deze cliënt voortkwam."),
    )
    note = _text(_("Toelichting"), rows=3)

    def __init__(self, *args: Any, enrolments: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ended = self.fields["ended_on"]
        ended.help_text = _("Alleen als het al voorbij is. Bijvoorbeeld 31-12-2025.")
        enrolment = self.fields["enrolment"]
        assert isinstance(enrolment, forms.ChoiceField)
        enrolment.choices = [("", _("Geen")), *enrolments]

    def clean_hours_per_week(self) -> Decimal | None:
        raw = str(self.cleaned_data.get("hours_per_week") or "").strip()
        if not raw:
            return None
        try:
            return Decimal(raw.replace(",", "."))
        except InvalidOperation:
            raise forms.ValidationError(
                _label_message(HOURS_LABEL, _("vul een getal in, zoals 20 of 12,5."))
            ) from None

    def to_input(self) -> OutcomeInput:
        data = self.cleaned_data
        return OutcomeInput(
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            hours_per_week=data["hours_per_week"],
            contract_type=data["contract_type"],
            sector=data["sector"],
            employer_name=data["employer_name"],
            description=data["description"],
            ended_on=data["ended_on"],
            enrolment_id=uuid.UUID(data["enrolment"]) if data["enrolment"] else None,
            note=data["note"],
        )


class OutcomeEditForm(OutcomeForm):
    version = _version()


class OutcomeDeleteForm(forms.Form):
    version = _version()


def outcome_initial(outcome: OutcomeEvent) -> dict[str, Any]:
    hours = outcome.hours_per_week
    return {
        "version": outcome.version,
        "kind": outcome.kind,
        "occurred_on": outcome.occurred_on,
        "hours_per_week": (
            f"{hours:.1f}".rstrip("0").rstrip(".").replace(".", ",") if hours is not None else ""
        ),
        "contract_type": outcome.contract_type,
        "sector": outcome.sector,
        "employer_name": outcome.employer_name,
        "description": outcome.description,
        "ended_on": outcome.ended_on,
        "enrolment": str(outcome.enrolment_id) if outcome.enrolment_id else "",
        "note": outcome.note,
    }
