"""The filters of the caseload list (/mijn-caseload/): a GET form, so a filter can be bookmarked;
it holds no personal data (a signal code, a sort order and a coach's account id)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from meedoen.caseload.worklist import Signal, Sort


class WorklistFilterForm(forms.Form):
    signaal = forms.ChoiceField(
        label=_("Signaal"),
        required=False,
        choices=[("", _("Alle huishoudens"))]
        + [(code, Signal.LABELS[code]) for code in Signal.ALL],
    )
    sorteer = forms.ChoiceField(
        label=_("Volgorde"),
        required=False,
        choices=[
            (Sort.OLDEST_CONTACT, _("Langst geen contact eerst")),
            (Sort.NEWEST_CONTACT, _("Meest recente contact eerst")),
        ],
    )

    def __init__(self, *args: Any, coaches: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if coaches:
            # Only for a team lead: the coaches of the team, or the whole team.
            self.fields["klantregisseur"] = forms.ChoiceField(
                label=_("Klantregisseur"),
                required=False,
                choices=[("", _("Hele team"))]
                + [(str(coach.pk), coach.display_name) for coach in coaches],
            )
