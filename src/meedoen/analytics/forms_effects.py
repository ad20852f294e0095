"""The form on /analyse/effecten/: which instrument, which outcome, which methods."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.analytics.constants import EffectMethod
from meedoen.analytics.effect_dataset import EFFECT_OUTCOMES
from meedoen.analytics.services_effects import (
    ALL_METHODS,
    BOOTSTRAP_MAX,
    BOOTSTRAP_MIN,
    DEFAULT_BOOTSTRAP,
    HORIZONS,
    EvaluationInput,
)


def outcome_choices() -> list[tuple[str, str]]:
    return [(code, str(spec[0])) for code, spec in EFFECT_OUTCOMES.items()]


class EvaluationRequestForm(forms.Form):
    instrument = forms.ChoiceField(label=_("Instrument"))
    outcome = forms.ChoiceField(label=_("Uitkomst"))
    horizon_months = forms.TypedChoiceField(
        label=_("Termijn"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("de termijn die bij de uitkomst hoort"))]
        + [(str(h), _("%(months)s maanden na de start") % {"months": h}) for h in HORIZONS],
        help_text=_("Hoe lang na de start van het instrument de uitkomst wordt gemeten."),
    )
    methods = forms.MultipleChoiceField(
        label=_("Methoden"),
        choices=EffectMethod.choices,
        initial=list(ALL_METHODS),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één methode.")},
    )
    bootstrap = forms.IntegerField(
        label=_("Aantal herhalingen voor het betrouwbaarheidsinterval"),
        min_value=BOOTSTRAP_MIN,
        max_value=BOOTSTRAP_MAX,
        initial=DEFAULT_BOOTSTRAP,
        help_text=_("Meer herhalingen geven een nauwkeuriger interval, maar duren langer."),
        error_messages={
            "required": _("Vul het aantal herhalingen in."),
            "invalid": _("Vul een heel getal in."),
            "min_value": _("Vul minstens %(limit_value)s in."),
            "max_value": _("Vul hoogstens %(limit_value)s in."),
        },
    )

    def __init__(self, *args: Any, instruments: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instrument = self.fields["instrument"]
        outcome = self.fields["outcome"]
        assert isinstance(instrument, forms.ChoiceField)  # declared above
        assert isinstance(outcome, forms.ChoiceField)  # declared above
        instrument.choices = [("", _("Kies een instrument")), *instruments]
        instrument.error_messages["required"] = _("Kies een instrument.")
        outcome.choices = outcome_choices()
        self.fields["outcome"].error_messages["required"] = _("Kies een uitkomst.")

    def to_input(self) -> EvaluationInput:
        data = self.cleaned_data
        return EvaluationInput(
            instrument_id=data["instrument"],
            outcome=data["outcome"],
            methods=tuple(data["methods"]),
            horizon_months=data["horizon_months"],
            bootstrap=data["bootstrap"],
        )
