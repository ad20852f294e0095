"""The conversation form: one long form in sections that becomes a ConversationInput and a
ProfileInput for profiles.services.

This form only parses what was typed (dates, numbers, lists one per line, language names, ISCO
codes from "5120 Koks") and says in Dutch what and where when it cannot. Whether the values make
sense — all 13 ZRM domains or none, "onbekend" only in a first conversation, the potential rung not
below the current one — is the service's check (profiles.validation), shared with the API; its
messages come back keyed by the API's field path and `add_service_errors` puts each beside its
field here. Nothing is saved unless both agree.

Without JavaScript, lists that grow (work experience, preferred occupations) get a fixed number
of empty rows after the filled ones; more rows come after saving and correcting the conversation.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.widgets import Input
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from meedoen.core.iso import language_code, language_name
from meedoen.profiles.constants import (
    LADDER_RUNG_HELP,
    SPECIAL_OBSTACLES,
    ZRM_DOMAIN_HELP,
    ZRM_SCORE_HELP,
    ConversationPlace,
    DrivingLicence,
    EducationLevel,
    HelpCategory,
    LadderRung,
    LanguageLevel,
    ObstacleCategory,
    ParticipantRole,
    Sector,
    Severity,
    TravelMeans,
    WorkReadiness,
    ZrmDomain,
    ZrmScore,
)
from meedoen.profiles.inputs import (
    ConversationInput,
    HelpNeedInput,
    ObstacleInput,
    ProfileInput,
    WorkExperienceInput,
)
from meedoen.profiles.isco import isco_choices, isco_is_valid, occupations
from meedoen.profiles.validation import HOURS_MAX, LIST_MAX, TEXT_MAX, TRAVEL_RADIUS_MAX

# Empty rows offered after the filled ones (work experience, preferred occupations).
EXTRA_ROWS = 2
UNKNOWN = "onbekend"  # the ZRM radio "unknown" (no score), first conversation only
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
_ISCO_TYPED = re.compile(r"^\s*(\d{4})\b")
_SEPARATOR = re.compile(r"[,;]")

NOT_FILLED = _("niet ingevuld")


def _label_message(label: Any, message: Any) -> Any:
    # "Uren per week: vul een heel getal in." — what and where in one sentence.
    return format_lazy("{}: {}", label, message)


def _integer(label: Any, low: int, high: int) -> forms.IntegerField:
    out_of_range = _label_message(
        label,
        format_lazy(_("vul een getal in van {} tot en met {}."), low, high),
    )
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        error_messages={
            "invalid": _label_message(label, _("vul een heel getal in.")),
            "min_value": out_of_range,
            "max_value": out_of_range,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


def _date(label: Any, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _label_message(label, _("vul een datum in.")),
            "invalid": _label_message(label, _("vul een datum in als 31-12-2025.")),
        },
    )


def _text(label: Any, *, rows: int = 3, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=False,  # the service trims; counting length on what was typed
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _line(
    label: Any, *, help_text: Any = "", datalist: str = "", max_length: int | None = None
) -> forms.CharField:
    attrs = {"list": datalist} if datalist else {}
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        max_length=max_length,
        widget=forms.TextInput(attrs=attrs),
        error_messages={
            "max_length": _label_message(
                label, format_lazy(_("gebruik hoogstens {} tekens."), max_length)
            )
        },
    )


def _choice(
    label: Any,
    choices: Iterable[tuple[Any, Any]],
    *,
    widget: type[forms.Widget] = forms.RadioSelect,
    required: bool = False,
    empty: Any = None,
    help_text: Any = "",
) -> forms.ChoiceField:
    options = [(str(value), text) for value, text in choices]
    if empty is not None:
        options = [("", empty), *options]
    message = _label_message(label, _("kies een van de mogelijkheden."))
    return forms.ChoiceField(
        label=label,
        choices=options,
        required=required,
        help_text=help_text,
        widget=widget,
        error_messages={"required": message, "invalid_choice": message},
    )


def _multiple(label: Any, choices: Iterable[tuple[Any, Any]], help_text: Any = "") -> Any:
    message = _label_message(label, _("kies uit de lijst."))
    return forms.MultipleChoiceField(
        label=label,
        choices=list(choices),
        required=False,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": message, "invalid_list": message},
    )


def _lines(text: str) -> list[str]:
    """One item per line; empty lines are left out."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _occupation_text(code: str) -> str:
    """ "5120 Koks": what the occupation box shows, and what the browser's list offers."""
    occupation = occupations().get(code)
    return f"{code} {occupation.title}" if occupation else code


def occupation_code(typed: str) -> str:
    """The ISCO-08 code in what was typed: "5120", "5120 Koks", or a title from the list.

    What cannot be read as one is returned trimmed, so the service names the row ("kies een beroep
    uit de lijst") without echoing it.
    """
    match = _ISCO_TYPED.match(typed)
    if match:
        return match.group(1)
    folded = " ".join(typed.split()).casefold()
    for code, occupation in occupations().items():
        if folded in (occupation.title.casefold(), occupation.title_en.casefold()):
            return code
    return typed.strip()


def languages_text(codes: Iterable[str]) -> str:
    names = []
    for code in codes:
        name = language_name(code)
        names.append(code if _SEPARATOR.search(name) else name)
    return ", ".join(names)


@dataclass(frozen=True)
class ObstacleRow:
    code: str
    label: Any
    special: bool
    severity: forms.BoundField
    addressed: forms.BoundField
    note: forms.BoundField


@dataclass(frozen=True)
class HelpRow:
    code: str
    label: Any
    needed: forms.BoundField
    note: forms.BoundField


@dataclass(frozen=True)
class ZrmRow:
    code: str
    label: Any
    help: Any
    field: forms.BoundField


@dataclass(frozen=True)
class ExperienceRow:
    number: int
    occupation: forms.BoundField
    description: forms.BoundField
    years: forms.BoundField
    last_year: forms.BoundField


@dataclass(frozen=True)
class SummaryError:
    anchor: str  # the id of the input to jump to
    message: Any


class ConversationForm(forms.Form):
    """The whole conversation with its profile. Build it with `rows_for()` and `initial_for()`."""

    version = forms.IntegerField(
        min_value=1,
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": _("Het formulier is onvolledig. Open de pagina opnieuw."),
            "min_value": _("Het formulier is onvolledig. Open de pagina opnieuw."),
        },
    )

    def __init__(
        self,
        *args: Any,
        first: bool,
        editing: bool = False,
        rows: Rows | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.first = first
        self.editing = editing
        rows = rows or Rows(experience=EXTRA_ROWS, occupation=EXTRA_ROWS)
        self.experience_count = max(1, min(rows.experience, LIST_MAX))
        self.occupation_count = max(1, min(rows.occupation, LIST_MAX))
        self._build_fields()
        for form_field in self.fields.values():
            _style(form_field.widget)

    # --- fields ----------------------------------------------------------------------------

    def _build_fields(self) -> None:
        f = self.fields
        this_year = timezone.localdate().year
        # The conversation.
        f["date"] = _date(_("Datum van het gesprek"), required=True)
        f["place"] = _choice(_("Plaats van het gesprek"), ConversationPlace.choices, required=True)
        f["participants"] = _multiple(
            _("Wie waren er nog meer bij?"),
            ParticipantRole.choices,
            help_text=_("Alleen de rol: namen van anderen zijn niet nodig en worden niet bewaard."),
        )
        f["notes"] = _text(
            _("Verslag"),
            rows=5,
            help_text=_(
                "Wat er besproken en afgesproken is. Alleen zichtbaar voor wie de cliënt begeleidt."
            ),
        )
        # Talents, wishes, ambitions.
        f["talents"] = _text(
            _("Talenten"), help_text=_("Waar is iemand goed in, wat doet iemand graag?")
        )
        f["skills"] = _text(
            _("Vaardigheden"),
            rows=3,
            help_text=_("Eén vaardigheid per regel, bijvoorbeeld: koken."),
        )
        f["wishes"] = _text(_("Wensen en behoeften"))
        f["ambition_short"] = _text(_("Ambitie op korte termijn"), rows=2)
        f["ambition_long"] = _text(_("Ambitie op lange termijn"), rows=2)
        # Obstacles: one row per category (each category at most once).
        for code, label in ObstacleCategory.choices:
            f[f"obstacle_{code}_severity"] = _choice(
                format_lazy(_("Ernst van belemmering {}"), label),
                Severity.choices,
                widget=forms.Select,
                empty=_("geen belemmering"),
            )
            f[f"obstacle_{code}_addressed"] = forms.BooleanField(
                label=_("Wordt aangepakt"), required=False
            )
            f[f"obstacle_{code}_note"] = _line(
                format_lazy(_("Toelichting bij belemmering {}"), label), max_length=TEXT_MAX
            )
        f["no_obstacles"] = forms.BooleanField(
            label=_("Besproken: er zijn geen belemmeringen"), required=False
        )
        # Practical help needed now.
        for code, _label in HelpCategory.choices:
            f[f"help_{code}"] = forms.BooleanField(label=_label, required=False)
            f[f"help_{code}_note"] = _line(
                format_lazy(_("Toelichting bij hulp: {}"), _label), max_length=TEXT_MAX
            )
        # ZRM: a radio group per domain; "onbekend" only in the first conversation.
        scores: list[tuple[Any, Any]] = list(ZrmScore.choices)
        if self.first:
            scores.append((UNKNOWN, _("onbekend")))
        for code, label in ZrmDomain.choices:
            f[f"zrm_{code}"] = _choice(label, scores, help_text=ZRM_DOMAIN_HELP[code])
        f["zrm_skip"] = forms.BooleanField(
            label=_("De leefgebieden zijn in dit gesprek niet besproken"),
            required=False,
            help_text=_("Dan worden de scores hieronder niet opgeslagen."),
        )
        # Participatieladder.
        rungs = [
            (value, format_lazy("{} — {}", label, LADDER_RUNG_HELP[value]))
            for value, label in LadderRung.choices
        ]
        f["ladder_current"] = _choice(_("Huidige trede"), rungs, empty=NOT_FILLED)
        f["ladder_potential"] = _choice(
            _("Haalbare trede"),
            rungs,
            empty=NOT_FILLED,
            help_text=_(
                "De trede die iemand met begeleiding kan bereiken; niet lager dan de huidige."
            ),
        )
        # Work profile.
        f["work_readiness"] = _choice(_("Werkfit"), WorkReadiness.choices, empty=NOT_FILLED)
        f["work_readiness_reason"] = _text(
            _("Toelichting werkfit"),
            rows=2,
            help_text=_("Nodig bij „nog niet werkfit”: waarom nog niet?"),
        )
        f["education_level"] = _choice(
            _("Hoogste opleiding"), EducationLevel.choices, widget=forms.Select, empty=NOT_FILLED
        )
        f["diplomas"] = _text(
            _("Diploma's en certificaten"),
            rows=2,
            help_text=_("Eén per regel, bijvoorbeeld: mbo 2 Logistiek, VCA."),
        )
        for row in range(self.experience_count):
            number = row + 1
            f[f"experience_{row}_occupation"] = _line(
                format_lazy(_("Werkervaring {}: beroep"), number),
                datalist="isco-beroepen",
            )
            f[f"experience_{row}_description"] = _line(
                format_lazy(_("Werkervaring {}: omschrijving"), number)
            )
            f[f"experience_{row}_years"] = _integer(
                format_lazy(_("Werkervaring {}: aantal jaren"), number), 0, 60
            )
            f[f"experience_{row}_last_year"] = _integer(
                format_lazy(_("Werkervaring {}: laatst in (jaar)"), number), 1950, this_year
            )
        for row in range(self.occupation_count):
            f[f"occupation_{row}"] = _line(
                format_lazy(_("Gewenst beroep {}"), row + 1), datalist="isco-beroepen"
            )
        f["preferred_sectors"] = _multiple(_("Gewenste sectoren"), Sector.choices)
        f["hours_per_week"] = _integer(_("Uren per week beschikbaar"), 0, HOURS_MAX)
        f["travel_radius_km"] = _integer(_("Reisafstand in km"), 0, TRAVEL_RADIUS_MAX)
        f["travel_means"] = _multiple(_("Vervoer"), TravelMeans.choices)
        f["driving_licences"] = _multiple(_("Rijbewijzen"), DrivingLicence.choices)
        f["dutch_level"] = _choice(
            _("Niveau Nederlands"), LanguageLevel.choices, widget=forms.Select, empty=NOT_FILLED
        )
        f["other_languages"] = _line(
            _("Andere talen"),
            help_text=_(
                "Namen of taalcodes, gescheiden door komma's, bijvoorbeeld: Arabisch, Engels."
            ),
        )
        f["available_from"] = _date(_("Beschikbaar vanaf"))

    # --- groups for the template -------------------------------------------------------------

    @property
    def obstacle_rows(self) -> list[ObstacleRow]:
        return [
            ObstacleRow(
                code=code,
                label=label,
                special=code in SPECIAL_OBSTACLES,
                severity=self[f"obstacle_{code}_severity"],
                addressed=self[f"obstacle_{code}_addressed"],
                note=self[f"obstacle_{code}_note"],
            )
            for code, label in ObstacleCategory.choices
        ]

    @property
    def help_rows(self) -> list[HelpRow]:
        return [
            HelpRow(
                code=code, label=label, needed=self[f"help_{code}"], note=self[f"help_{code}_note"]
            )
            for code, label in HelpCategory.choices
        ]

    @property
    def zrm_rows(self) -> list[ZrmRow]:
        return [
            ZrmRow(code=code, label=label, help=ZRM_DOMAIN_HELP[code], field=self[f"zrm_{code}"])
            for code, label in ZrmDomain.choices
        ]

    @property
    def experience_rows(self) -> list[ExperienceRow]:
        return [
            ExperienceRow(
                number=row + 1,
                occupation=self[f"experience_{row}_occupation"],
                description=self[f"experience_{row}_description"],
                years=self[f"experience_{row}_years"],
                last_year=self[f"experience_{row}_last_year"],
            )
            for row in range(self.experience_count)
        ]

    @property
    def occupation_fields(self) -> list[forms.BoundField]:
        return [self[f"occupation_{row}"] for row in range(self.occupation_count)]

    @property
    def isco_options(self) -> list[tuple[str, str]]:
        return isco_choices()

    @property
    def zrm_score_help(self) -> list[tuple[Any, Any]]:
        return [(label, ZRM_SCORE_HELP[value]) for value, label in ZrmScore.choices]

    @property
    def error_summary(self) -> list[SummaryError]:
        """Every message, in the order of the form, each with the input it is about."""
        summary = [SummaryError(anchor="", message=m) for m in self.non_field_errors()]
        for name in self.fields:
            for message in self.errors.get(name, []):
                summary.append(SummaryError(anchor=anchor_of(self[name]), message=message))
        return summary

    # --- to the service ------------------------------------------------------------------------

    def clean_other_languages(self) -> list[str]:
        codes: list[str] = []
        unknown: list[str] = []
        for part in _SEPARATOR.split(self.cleaned_data["other_languages"]):
            typed = " ".join(part.split())
            if not typed:
                continue
            code = language_code(typed)
            if code is None:
                unknown.append(typed[:40])
            elif code not in codes:
                codes.append(code)
        if unknown:
            raise ValidationError(
                _(
                    "Andere talen: deze taal kennen we niet: %(names)s. Schrijf de Nederlandse "
                    "naam, zoals Arabisch of Tigrinya, of de taalcode, zoals ar of ti, en scheid "
                    "talen met een komma."
                )
                % {"names": ", ".join(f"„{name}”" for name in unknown[:3])}
            )
        return codes

    def clean(self) -> dict[str, Any]:
        """What only this form can say, because only it shows the rows as they are numbered on
        the page: a belemmering without its severity, an occupation not in the list."""
        cleaned = super().clean() or {}
        if self.editing and not cleaned.get("version") and "version" not in self.errors:
            self.add_error("version", _("Het formulier is onvolledig. Open de pagina opnieuw."))
        for code, label in ObstacleCategory.choices:
            severity = f"obstacle_{code}_severity"
            if severity in self.errors or cleaned.get(severity):
                continue
            if (
                cleaned.get(f"obstacle_{code}_addressed")
                or cleaned.get(f"obstacle_{code}_note", "").strip()
            ):
                self.add_error(
                    severity,
                    format_lazy(
                        _(
                            "Belemmering {}: kies de ernst (licht, matig of ernstig), of maak "
                            "de toelichting en „wordt aangepakt” leeg."
                        ),
                        label,
                    ),
                )
        for row in range(self.experience_count):
            name = f"experience_{row}_occupation"
            typed = cleaned.get(name, "")
            other = any(
                cleaned.get(f"experience_{row}_{column}") not in (None, "")
                for column in ("description", "years", "last_year")
            )
            if typed.strip() and not isco_is_valid(occupation_code(typed)):
                self.add_error(
                    name,
                    format_lazy(
                        _(
                            "Werkervaring {}: kies een beroep uit de lijst, of typ de code van 4 "
                            "cijfers."
                        ),
                        row + 1,
                    ),
                )
            elif not typed.strip() and other:
                self.add_error(
                    name,
                    format_lazy(
                        _("Werkervaring {}: vul het beroep in, of maak de hele regel leeg."),
                        row + 1,
                    ),
                )
        for row in range(self.occupation_count):
            name = f"occupation_{row}"
            typed = cleaned.get(name, "")
            if typed.strip() and not isco_is_valid(occupation_code(typed)):
                self.add_error(
                    name,
                    format_lazy(
                        _(
                            "Gewenst beroep {}: kies een beroep uit de lijst, of typ de code van 4 "
                            "cijfers."
                        ),
                        row + 1,
                    ),
                )
        return cleaned

    def to_inputs(self) -> tuple[ConversationInput, ProfileInput]:
        """The service's inputs from a valid form; remembers which row became which list item."""
        data = self.cleaned_data
        conversation = ConversationInput(
            date=data["date"],
            place=data["place"],
            participants=list(data["participants"]),
            notes=data["notes"],
        )
        obstacles: list[ObstacleInput] = []
        self._obstacle_codes: list[str] = []
        for code in ObstacleCategory.values:
            severity = data[f"obstacle_{code}_severity"]
            note = data[f"obstacle_{code}_note"]
            addressed = data[f"obstacle_{code}_addressed"]
            if not severity and not note.strip() and not addressed:
                continue
            # A note or "wordt aangepakt" without a severity: the service asks for the severity.
            obstacles.append(
                ObstacleInput(
                    category=code,
                    severity=int(severity) if severity else 0,
                    addressed=addressed,
                    note=note,
                )
            )
            self._obstacle_codes.append(code)
        help_needs: list[HelpNeedInput] = []
        self._help_codes: list[str] = []
        for code in HelpCategory.values:
            note = data[f"help_{code}_note"]
            if data[f"help_{code}"] or note.strip():
                help_needs.append(HelpNeedInput(category=code, note=note))
                self._help_codes.append(code)
        zrm: dict[str, int | None] = {}
        if not data["zrm_skip"]:
            for code in ZrmDomain.values:
                value = data[f"zrm_{code}"]
                if value == UNKNOWN:
                    zrm[code] = None
                elif value:
                    zrm[code] = int(value)
        experience: list[WorkExperienceInput] = []
        self._experience_rows: list[int] = []
        for row in range(self.experience_count):
            typed = data[f"experience_{row}_occupation"]
            description = data[f"experience_{row}_description"]
            years = data[f"experience_{row}_years"]
            last_year = data[f"experience_{row}_last_year"]
            if (
                not typed.strip()
                and not description.strip()
                and years is None
                and last_year is None
            ):
                continue
            experience.append(
                WorkExperienceInput(
                    isco_code=occupation_code(typed),
                    description=description,
                    years=years,
                    last_year=last_year,
                )
            )
            self._experience_rows.append(row)
        occupations_wanted: list[str] = []
        self._occupation_rows: list[int] = []
        for row in range(self.occupation_count):
            typed = data[f"occupation_{row}"]
            if typed.strip():
                occupations_wanted.append(occupation_code(typed))
                self._occupation_rows.append(row)
        profile = ProfileInput(
            talents=data["talents"],
            skills=_lines(data["skills"]),
            wishes=data["wishes"],
            ambition_short=data["ambition_short"],
            ambition_long=data["ambition_long"],
            obstacles=obstacles,
            no_obstacles=data["no_obstacles"],
            help_needs=help_needs,
            zrm=zrm,
            ladder_current=_int_or_none(data["ladder_current"]),
            ladder_potential=_int_or_none(data["ladder_potential"]),
            work_readiness=data["work_readiness"],
            work_readiness_reason=data["work_readiness_reason"],
            education_level=data["education_level"],
            diplomas=_lines(data["diplomas"]),
            work_experience=experience,
            preferred_occupations=occupations_wanted,
            preferred_sectors=list(data["preferred_sectors"]),
            hours_per_week=data["hours_per_week"],
            travel_radius_km=data["travel_radius_km"],
            travel_means=list(data["travel_means"]),
            driving_licences=list(data["driving_licences"]),
            dutch_level=data["dutch_level"],
            other_languages=list(data["other_languages"]),
            available_from=data["available_from"],
        )
        return conversation, profile

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the service's messages (keyed by the API's field path) beside their fields."""
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(None, message)
            return
        for path, messages in error.message_dict.items():
            name = self._field_for(path)
            for message in messages:
                # add_error refuses a name that is not a field; None puts it above the form.
                self.add_error(name if name in self.fields else None, message)

    def _field_for(self, path: str) -> str | None:
        parts = path.split(".")
        if parts[0] != "profile":
            return parts[0]  # date, place, participants(.n), notes
        name = parts[1] if len(parts) > 1 else ""
        index = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else None
        part = parts[3] if len(parts) > 3 else ""
        if name == "obstacles":
            if index is None or index >= len(self._obstacle_codes):
                return None
            code = self._obstacle_codes[index]
            return f"obstacle_{code}_note" if part == "note" else f"obstacle_{code}_severity"
        if name == "help_needs":
            if index is None or index >= len(self._help_codes):
                return None
            code = self._help_codes[index]
            return f"help_{code}_note" if part == "note" else f"help_{code}"
        if name == "zrm":
            if len(parts) > 2:
                return f"zrm_{parts[2]}"
            # "Fill in all 13": point at the first domain left empty.
            for code in ZrmDomain.values:
                if not self.cleaned_data.get(f"zrm_{code}"):
                    return f"zrm_{code}"
            return f"zrm_{ZrmDomain.values[0]}"
        if name == "work_experience":
            rows = self._experience_rows
            row = rows[index] if index is not None and index < len(rows) else 0
            column = {"isco_code": "occupation"}.get(part, part or "occupation")
            return f"experience_{row}_{column}"
        if name == "preferred_occupations":
            rows = self._occupation_rows
            row = rows[index] if index is not None and index < len(rows) else 0
            return f"occupation_{row}"
        return name


# The NL Design System classes per kind of widget (radio and checkbox groups are drawn by
# web/profile/_choices.html itself).
_WIDGET_CLASSES: tuple[tuple[type[forms.Widget], str], ...] = (
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input"),
    (Input, "utrecht-textbox utrecht-textbox--html-input"),
)


def _style(widget: forms.Widget) -> None:
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple | forms.HiddenInput):
        return
    for kind, classes in _WIDGET_CLASSES:
        if isinstance(widget, kind):
            widget.attrs["class"] = f"{classes} utrecht-form-field__input"
            return


def _int_or_none(value: str) -> int | None:
    return int(value) if value else None


def anchor_of(field: forms.BoundField) -> str:
    """The id of the first input of a field: a radio or checkbox group's first option."""
    if isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"{field.auto_id}_0"
    return str(field.auto_id)


@dataclass(frozen=True)
class Rows:
    """How many rows of work experience and of preferred occupations the form shows."""

    experience: int
    occupation: int


def rows_for(data: Any = None, profile: ProfileInput | None = None) -> Rows:
    """How many rows of work experience and preferred occupations the form gets.

    From posted data: as many as were sent (the page showed them). Else: the filled ones of
    `profile`, plus EXTRA_ROWS empty ones.
    """
    if data is not None:
        experience = _posted_rows(data, re.compile(r"^experience_(\d+)_occupation$"))
        occupation = _posted_rows(data, re.compile(r"^occupation_(\d+)$"))
        return Rows(experience=experience, occupation=occupation)
    filled_experience = len(profile.work_experience) if profile else 0
    filled_occupations = len(profile.preferred_occupations) if profile else 0
    return Rows(
        experience=filled_experience + EXTRA_ROWS, occupation=filled_occupations + EXTRA_ROWS
    )


def _posted_rows(data: Any, pattern: re.Pattern[str]) -> int:
    numbers = [int(m.group(1)) for key in data if (m := pattern.match(key))]
    return min(max(numbers, default=EXTRA_ROWS - 1) + 1, LIST_MAX)


def initial_for(
    *,
    conversation: ConversationInput | None,
    profile: ProfileInput | None,
    version: int | None = None,
) -> dict[str, Any]:
    """The form's values: a conversation to correct, or the latest profile to start a follow-up."""
    initial: dict[str, Any] = {}
    if version is not None:
        initial["version"] = version
    if conversation is not None:
        initial.update(
            date=conversation.date,
            place=conversation.place,
            participants=list(conversation.participants),
            notes=conversation.notes,
        )
    if profile is None:
        return initial
    initial.update(
        talents=profile.talents,
        skills="\n".join(profile.skills),
        wishes=profile.wishes,
        ambition_short=profile.ambition_short,
        ambition_long=profile.ambition_long,
        no_obstacles=profile.no_obstacles,
        ladder_current=_str_or_empty(profile.ladder_current),
        ladder_potential=_str_or_empty(profile.ladder_potential),
        work_readiness=profile.work_readiness,
        work_readiness_reason=profile.work_readiness_reason,
        education_level=profile.education_level,
        diplomas="\n".join(profile.diplomas),
        preferred_sectors=list(profile.preferred_sectors),
        hours_per_week=profile.hours_per_week,
        travel_radius_km=profile.travel_radius_km,
        travel_means=list(profile.travel_means),
        driving_licences=list(profile.driving_licences),
        dutch_level=profile.dutch_level,
        other_languages=languages_text(profile.other_languages),
        available_from=profile.available_from,
    )
    for obstacle in profile.obstacles:
        initial[f"obstacle_{obstacle.category}_severity"] = str(obstacle.severity)
        initial[f"obstacle_{obstacle.category}_addressed"] = obstacle.addressed
        initial[f"obstacle_{obstacle.category}_note"] = obstacle.note
    for need in profile.help_needs:
        initial[f"help_{need.category}"] = True
        initial[f"help_{need.category}_note"] = need.note
    for domain, score in profile.zrm.items():
        initial[f"zrm_{domain}"] = UNKNOWN if score is None else str(score)
    for row, item in enumerate(profile.work_experience):
        initial[f"experience_{row}_occupation"] = _occupation_text(item.isco_code)
        initial[f"experience_{row}_description"] = item.description
        initial[f"experience_{row}_years"] = item.years
        initial[f"experience_{row}_last_year"] = item.last_year
    for row, code in enumerate(profile.preferred_occupations):
        initial[f"occupation_{row}"] = _occupation_text(code)
    return initial


def _str_or_empty(value: int | None) -> str:
    return "" if value is None else str(value)


def follow_up_initial(profile: ProfileInput, *, today: dt.date) -> dict[str, Any]:
    """A new conversation after an earlier one: the latest profile, today's date, and nothing of
    the earlier conversation itself (its place, who was there and its report are not copied)."""
    initial = initial_for(conversation=None, profile=profile)
    initial["date"] = today
    return initial


def profile_field_labels() -> dict[str, Any]:
    """Labels of the top-level inputs, for the conflict page's comparison."""
    return {
        "date": _("Datum van het gesprek"),
        "place": _("Plaats van het gesprek"),
        "participants": _("Wie waren er nog meer bij?"),
        "notes": _("Verslag"),
        "talents": _("Talenten"),
        "skills": _("Vaardigheden"),
        "wishes": _("Wensen en behoeften"),
        "ambition_short": _("Ambitie op korte termijn"),
        "ambition_long": _("Ambitie op lange termijn"),
        "obstacles": _("Belemmeringen"),
        "no_obstacles": _("Geen belemmeringen"),
        "help_needs": _("Praktische hulp"),
        "zrm": _("Leefgebieden (ZRM)"),
        "ladder_current": _("Huidige trede"),
        "ladder_potential": _("Haalbare trede"),
        "work_readiness": _("Werkfit"),
        "work_readiness_reason": _("Toelichting werkfit"),
        "education_level": _("Hoogste opleiding"),
        "diplomas": _("Diploma's en certificaten"),
        "work_experience": _("Werkervaring"),
        "preferred_occupations": _("Gewenste beroepen"),
        "preferred_sectors": _("Gewenste sectoren"),
        "hours_per_week": _("Uren per week beschikbaar"),
        "travel_radius_km": _("Reisafstand in km"),
        "travel_means": _("Vervoer"),
        "driving_licences": _("Rijbewijzen"),
        "dutch_level": _("Niveau Nederlands"),
        "other_languages": _("Andere talen"),
        "available_from": _("Beschikbaar vanaf"),
    }
