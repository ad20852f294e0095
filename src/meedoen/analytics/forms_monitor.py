"""The monitor's filter (GET) and the yearly target (POST). Messages in Dutch, naming the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.analytics.monitor import HORIZONS, MonitorDimension

_DATE_ATTRS = {
    "type": "date",
    "class": "utrecht-textbox utrecht-textbox--html-input utrecht-form-field__input",
}
_NUMBER_ATTRS = {
    "class": "utrecht-textbox utrecht-textbox--html-input utrecht-form-field__input",
    "inputmode": "numeric",
}
# A period longer than this is no cohort any more; it also bounds the work of one page view.
MAX_PERIOD_YEARS = 5


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar year two years back: its 12-month horizon has passed for everyone."""
    return dt.date(today.year - 2, 1, 1), dt.date(today.year - 2, 12, 31)


class MonitorFilterForm(forms.Form):
    van = forms.DateField(
        label=_("Bereikt vanaf"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs=_DATE_ATTRS, format="%Y-%m-%d"),
        error_messages={
            "invalid": _("Bereikt vanaf: vul een datum in als 1-1-2024."),
            "required": _("Bereikt vanaf: vul een datum in."),
        },
    )
    tot = forms.DateField(
        label=_("Tot en met"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs=_DATE_ATTRS, format="%Y-%m-%d"),
        error_messages={
            "invalid": _("Tot en met: vul een datum in als 31-12-2024."),
            "required": _("Tot en met: vul een datum in."),
        },
    )
    indeling = forms.ChoiceField(
        label=_("Indeling"),
        choices=MonitorDimension.choices,
        error_messages={"invalid_choice": _("Indeling: kies een indeling uit de lijst.")},
    )
    termijn = forms.TypedChoiceField(
        label=_("Termijn na de indexdatum"),
        choices=[(str(m), _("%(months)s maanden") % {"months": m}) for m in HORIZONS],
        coerce=int,
        error_messages={"invalid_choice": _("Termijn: kies 6, 12 of 24 maanden.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("van"), cleaned.get("tot")
        if start and end:
            if end < start:
                self.add_error("tot", _("Tot en met: die datum ligt vóór de datum vanaf."))
            elif (end - start).days > MAX_PERIOD_YEARS * 366:
                self.add_error(
                    "tot",
                    _("Tot en met: kies een periode van hoogstens %(years)s jaar.")
                    % {"years": MAX_PERIOD_YEARS},
                )
        return cleaned


def filter_form(data: Any, today: dt.date) -> MonitorFilterForm:
    """Bound to the query string, with the defaults filled in for what it leaves out."""
    start, end = default_period(today)
    values = {
        "van": start.isoformat(),
        "tot": end.isoformat(),
        "indeling": MonitorDimension.WIJK.value,
        "termijn": "12",
    }
    for name in values:
        if name in data:
            values[name] = data.get(name)
    return MonitorFilterForm(values)


class MonitorTargetForm(forms.Form):
    jaar = forms.IntegerField(
        label=_("Jaar"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs=_NUMBER_ATTRS),
        error_messages={
            "required": _("Jaar: vul een jaar in, bijvoorbeeld 2026."),
            "invalid": _("Jaar: vul een jaar in cijfers in, bijvoorbeeld 2026."),
            "min_value": _("Jaar: kies een jaar tussen 2000 en 2100."),
            "max_value": _("Jaar: kies een jaar tussen 2000 en 2100."),
        },
    )
    doel = forms.IntegerField(
        label=_("Doel: aantal naar werk uit de bijstand"),
        help_text=_("Het totaal voor het jaar, bijvoorbeeld het aantal van vorig jaar plus 500."),
        min_value=0,
        max_value=1_000_000,
        widget=forms.NumberInput(attrs=_NUMBER_ATTRS),
        error_messages={
            "required": _("Doel: vul een aantal in."),
            "invalid": _("Doel: vul een heel getal in, zonder punten, bijvoorbeeld 2500."),
            "min_value": _("Doel: vul een aantal in van 0 tot 1.000.000."),
            "max_value": _("Doel: vul een aantal in van 0 tot 1.000.000."),
        },
    )
