"""Forms of the privacy officer's pages (web.views_audit)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.audit.constants import Result


class AuditLogFilterForm(forms.Form):
    van = forms.DateField(
        label=_("Van"), required=False, help_text=_("Datum, bijvoorbeeld 2025-01-31.")
    )
    tot = forms.DateField(label=_("Tot en met"), required=False)
    medewerker = forms.CharField(
        label=_("Medewerker"),
        required=False,
        max_length=150,
        help_text=_("De gebruikersnaam, precies zoals in het log."),
    )
    actie = forms.RegexField(
        label=_("Actie"),
        required=False,
        max_length=100,
        regex=r"^[a-z_.]+$",
        help_text=_("Een actiecode of het begin ervan, bijvoorbeeld clients.client."),
        error_messages={
            "invalid": _("Gebruik alleen kleine letters, punten en liggende streepjes.")
        },
    )
    resultaat = forms.ChoiceField(
        label=_("Resultaat"),
        required=False,
        choices=[("", _("Alle")), *Result.choices],
        error_messages={"invalid_choice": _("Kies een resultaat uit de lijst.")},
    )
    client = forms.RegexField(
        label=_("Cliëntpseudoniem"),
        required=False,
        max_length=64,
        regex=r"^[0-9a-f]+$",
        help_text=_("Het pseudoniem uit een eerdere regel; de naam staat nooit in het log."),
        error_messages={"invalid": _("Een pseudoniem bestaat uit cijfers en letters a tot f.")},
    )
    voor = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("van", "tot"):
            self.fields[name].error_messages["invalid"] = _(
                "Vul een datum in als jjjj-mm-dd, bijvoorbeeld 2025-01-31."
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("van"), cleaned.get("tot")
        if start and end and start > end:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return cleaned


class ClientNumberForm(forms.Form):
    klantnummer = forms.CharField(
        label=_("Klantnummer"),
        max_length=32,
        help_text=_("Het volledige klantnummer, bijvoorbeeld K0012345."),
        error_messages={"required": _("Vul een klantnummer in.")},
    )
