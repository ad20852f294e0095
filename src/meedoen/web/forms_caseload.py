"""Forms of the team lead's caseload pages (web.views_caseload). They check input shape; who may
do it and what is allowed is the services' check (caseload/handover.py, caseload/services.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.forms.widgets import Input
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from meedoen.caseload.constants import AssignmentReason, ContactKind, CoverReason, Intensity
from meedoen.web.forms_contact import ClientContactForm
from meedoen.web.forms_profile import DATE_FORMATS, SummaryError, anchor_of

_WIDGET_CLASSES: tuple[tuple[type[forms.Widget], str], ...] = (
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input"),
    (Input, "utrecht-textbox utrecht-textbox--html-input"),
)


class StyledForm(forms.Form):
    """NL Design System classes on the widgets, and an error summary linking to the fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.HiddenInput):
                continue
            for kind, classes in _WIDGET_CLASSES:
                if isinstance(widget, kind):
                    widget.attrs["class"] = f"{classes} utrecht-form-field__input"
                    break

    @property
    def error_summary(self) -> list[SummaryError]:
        summary = [SummaryError(anchor="", message=m) for m in self.non_field_errors()]
        for name in self.fields:
            for message in self.errors.get(name, []):
                summary.append(SummaryError(anchor=anchor_of(self[name]), message=message))
        return summary

    def _choice(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field


def _date_field(label: Any, *, required: bool) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Bijvoorbeeld 31-12-2025."),
        error_messages={
            "required": _("Vul een datum in."),
            "invalid": _("Vul een datum in als 31-12-2025."),
        },
    )


OTHER = "anders"


class AssignForm(StyledForm):
    """Choose the new contact person: a suggestion, or another coach of the municipality."""

    coach = forms.ChoiceField(
        label=_("Nieuwe klantregisseur"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies een klantregisseur.")},
    )
    other_coach = forms.ChoiceField(
        label=_("Andere klantregisseur"),
        required=False,
        help_text=_("Alleen als u hierboven „Een andere klantregisseur” kiest."),
    )
    reason = forms.ChoiceField(label=_("Reden"))
    handover_note = forms.CharField(
        label=_("Overdrachtsnotitie"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Wat de nieuwe klantregisseur moet weten: lopende afspraken, aandachtspunten, wat "
            "wel en niet werkte."
        ),
    )
    introduction_date = _date_field(_("Datum kennismaking"), required=False)
    introduction_time = forms.TimeField(
        label=_("Tijd kennismaking"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Bijvoorbeeld 10:30."),
        error_messages={"invalid": _("Vul een tijd in als 10:30.")},
    )
    introduction_kind = forms.ChoiceField(
        label=_("Soort kennismaking"),
        choices=ContactKind.choices,
        initial=ContactKind.HOME_VISIT,
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        suggested: Iterable[tuple[str, str]] = (),
        others: Iterable[tuple[str, str]] = (),
        handover: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.handover = handover
        self._choice("coach").choices = [*suggested, (OTHER, _("Een andere klantregisseur"))]
        self._choice("other_coach").choices = [("", _("— kies —")), *others]
        if handover:
            reasons = [c for c in AssignmentReason.choices if c[0] != AssignmentReason.FIRST]
            self.fields["reason"].initial = AssignmentReason.HANDOVER
        else:
            reasons = [c for c in AssignmentReason.choices if c[0] == AssignmentReason.FIRST]
            self.fields["handover_note"].label = _("Notitie voor de klantregisseur (optioneel)")
        self._choice("reason").choices = reasons

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("coach") == OTHER:
            if not data.get("other_coach"):
                self.add_error("other_coach", _("Kies de andere klantregisseur."))
            data["coach_id"] = data.get("other_coach")
        else:
            data["coach_id"] = data.get("coach")
        if self.handover and not (data.get("handover_note") or "").strip():
            # The service says the same; checked here too so all errors show at once.
            self.add_error(
                "handover_note", _("Schrijf een overdrachtsnotitie voor de nieuwe klantregisseur.")
            )
        data["introduction_kind"] = data.get("introduction_kind") or ContactKind.HOME_VISIT
        day, time = data.get("introduction_date"), data.get("introduction_time")
        if day and not time:
            self.add_error("introduction_time", _("Vul ook de tijd van de kennismaking in."))
        elif time and not day:
            self.add_error("introduction_date", _("Vul ook de datum van de kennismaking in."))
        data["introduction_at"] = (
            timezone.make_aware(dt.datetime.combine(day, time)) if day and time else None
        )
        return data


class IntensityForm(StyledForm):
    intensity = forms.ChoiceField(
        label=_("Intensiteit van de begeleiding"),
        choices=Intensity.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Weegt mee in de caseload (laag ½, normaal 1, hoog 2) en bepaalt na hoeveel weken "
            "zonder contact het huishouden opvalt."
        ),
        error_messages={"required": _("Kies een intensiteit.")},
    )


def _count(label: Any, maximum: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=maximum,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Vul een getal in."),
            "invalid": _("Vul een heel getal in."),
            "min_value": format_lazy(_("Vul een getal in van 1 tot en met {}."), maximum),
            "max_value": format_lazy(_("Vul een getal in van 1 tot en met {}."), maximum),
        },
    )


class PolicyForm(StyledForm):
    caseload_target = _count(_("Streefcaseload per klantregisseur (volledige werkweek)"), 500)
    contact_weeks_low = _count(_("Weken zonder contact bij intensiteit laag"), 52)
    contact_weeks_normal = _count(_("Weken zonder contact bij intensiteit normaal"), 52)
    contact_weeks_high = _count(_("Weken zonder contact bij intensiteit hoog"), 52)


class CoachProfileForm(StyledForm):
    languages = forms.CharField(
        label=_("Gesproken talen"),
        required=False,
        max_length=500,
        help_text=_(
            "Namen of taalcodes, gescheiden door komma's, bijvoorbeeld: Nederlands, Arabisch, "
            "Turks."
        ),
    )
    hours_factor = forms.CharField(
        label=_("Deeltijdfactor"),
        max_length=5,
        help_text=_("1,00 is een volledige werkweek; 0,80 is vier dagen."),
        error_messages={"required": _("Vul een getal in, zoals 1,00 of 0,80.")},
    )
    accepts_new = forms.BooleanField(
        label=_("Neemt nieuwe huishoudens aan"),
        required=False,
        help_text=_("Uit bij langdurige afwezigheid of vertrek: dan geen suggesties meer."),
    )

    def clean_languages(self) -> list[str]:
        # The contact details form reads typed language names the same way.
        reader = ClientContactForm(data={"version": 1, "languages": self.cleaned_data["languages"]})
        reader.is_valid()
        if "languages" in reader.errors:
            raise forms.ValidationError(list(reader.errors["languages"]))
        return list(reader.cleaned_data["languages"])


class CoverForm(StyledForm):
    absent_coach = forms.ChoiceField(label=_("Afwezige klantregisseur"))
    covering_coach = forms.ChoiceField(label=_("Vervanger"))
    start_date = _date_field(_("Vanaf"), required=True)
    end_date = _date_field(_("Tot (niet meegerekend)"), required=False)
    reason = forms.ChoiceField(label=_("Reden"), choices=CoverReason.choices)

    def __init__(self, *args: Any, staff: Iterable[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— kies —")), *staff]
        self._choice("absent_coach").choices = choices
        self._choice("covering_coach").choices = choices
        self.fields["end_date"].help_text = _("Leeg: tot u de vervanging beëindigt.")
