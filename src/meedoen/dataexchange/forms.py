from __future__ import annotations

import os

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meedoen.dataexchange.services import reference_date_problem

ALLOWED_EXTENSIONS = (".csv", ".txt", ".xlsx")


class UploadForm(forms.Form):
    bestand = forms.FileField(
        label=_("Bestand"),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "utrecht-form-field__input",
                "accept": ".csv,.txt,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
        help_text=_(
            "Een volledige levering uit de uitkeringsadministratie: CSV (UTF-8 of Windows-1252, "
            "gescheiden door ; of ,) of Excel (.xlsx)."
        ),
    )
    peildatum = forms.DateField(
        label=_("Peildatum"),
        help_text=_(
            "De datum waarop het bestand de stand weergeeft. Wie niet in het bestand staat, krijgt "
            "zijn uitkering op deze datum beëindigd."
        ),
        widget=forms.DateInput(
            attrs={
                "type": "date",
                "class": "utrecht-textbox utrecht-textbox--html-input utrecht-form-field__input",
            },
            format="%Y-%m-%d",
        ),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("initial", {"peildatum": timezone.localdate()})
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean_bestand(self) -> object:
        upload = self.cleaned_data["bestand"]
        name = os.path.basename(upload.name or "")
        if not name.lower().endswith(ALLOWED_EXTENSIONS):
            raise forms.ValidationError(_("Kies een CSV- of XLSX-bestand (.csv, .txt of .xlsx)."))
        if upload.size > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise forms.ValidationError(
                _("Het bestand is te groot (meer dan %(mb)s MB).")
                % {"mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)}
            )
        if not upload.size:
            raise forms.ValidationError(_("Het bestand is leeg."))
        return upload

    def clean_peildatum(self) -> object:
        value = self.cleaned_data["peildatum"]
        problem = reference_date_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value
