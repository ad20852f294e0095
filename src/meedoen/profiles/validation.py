"""Checks on a conversation and its profile, with Dutch messages that say what and where.

Errors are keyed by the field's path in the API's shape ("date", "profile.zrm.financien",
"profile.obstacles.2.severity") so that a form or the API can put each message beside its field.
Messages name the field and the position, never the value typed: it may be casework text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from meedoen.core.iso import LANGUAGE_CODES
from meedoen.profiles.constants import (
    ZRM_DOMAINS,
    ConversationPlace,
    DrivingLicence,
    EducationLevel,
    HelpCategory,
    LanguageLevel,
    ObstacleCategory,
    ParticipantRole,
    Sector,
    Severity,
    TravelMeans,
    WorkReadiness,
    ZrmDomain,
)
from meedoen.profiles.inputs import ConversationInput, ProfileInput
from meedoen.profiles.isco import isco_is_valid

NOTES_MAX = 10_000
TEXT_MAX = 2_000
SHORT_TEXT_MAX = 200
LIST_MAX = 30
HOURS_MAX = 60
TRAVEL_RADIUS_MAX = 250
OLDEST_CONVERSATION = dt.date(2000, 1, 1)

# Sets made once: validation runs per conversation, also for bulk loads of many thousands.
PLACES = frozenset(ConversationPlace.values)
PARTICIPANTS = frozenset(ParticipantRole.values)
OBSTACLES = frozenset(ObstacleCategory.values)
SEVERITIES = frozenset(Severity.values)
HELP = frozenset(HelpCategory.values)
READINESS = frozenset(WorkReadiness.values)
EDUCATION = frozenset(EducationLevel.values)
SECTORS = frozenset(Sector.values)
TRAVEL_MEANS = frozenset(TravelMeans.values)
LICENCES = frozenset(DrivingLicence.values)
LANGUAGE_LEVELS = frozenset(LanguageLevel.values)
ZRM_LABELS = dict(ZrmDomain.choices)


class Errors:
    """Collects messages per field path; raise() turns them into one ValidationError."""

    def __init__(self) -> None:
        self.messages: dict[str, list[Any]] = {}

    def add(self, path: str, message: Any) -> None:
        self.messages.setdefault(path, []).append(message)

    def raise_if_any(self) -> None:
        if self.messages:
            raise ValidationError(self.messages)


def _text(errors: Errors, path: str, label: Any, value: str, limit: int = TEXT_MAX) -> None:
    if len(value) > limit:
        errors.add(
            path,
            _("%(field)s: gebruik hoogstens %(limit)s tekens (nu %(length)s).")
            % {"field": label, "limit": limit, "length": len(value)},
        )


def _choices(
    errors: Errors,
    path: str,
    label: Any,
    values: Iterable[str],
    allowed: frozenset[str],
    *,
    valid: Callable[[str], bool] | None = None,
) -> None:
    """A list of codes: each known, none twice, at most LIST_MAX."""
    is_valid = valid or allowed.__contains__
    seen: set[str] = set()
    values = list(values)
    if len(values) > LIST_MAX:
        errors.add(
            path, _("%(field)s: kies hoogstens %(limit)s.") % {"field": label, "limit": LIST_MAX}
        )
    for position, code in enumerate(values, start=1):
        if not isinstance(code, str) or not is_valid(code):
            errors.add(
                f"{path}.{position - 1}",
                _("%(field)s, keuze %(position)s: dit staat niet in de lijst.")
                % {"field": label, "position": position},
            )
        elif code in seen:
            errors.add(
                f"{path}.{position - 1}",
                _("%(field)s, keuze %(position)s: staat er al eerder in.")
                % {"field": label, "position": position},
            )
        seen.add(code)


def _short_texts(errors: Errors, path: str, label: Any, values: list[str]) -> None:
    if len(values) > LIST_MAX:
        errors.add(
            path, _("%(field)s: noem er hoogstens %(limit)s.") % {"field": label, "limit": LIST_MAX}
        )
    for position, value in enumerate(values, start=1):
        if not isinstance(value, str) or not value.strip():
            errors.add(
                f"{path}.{position - 1}",
                _("%(field)s, regel %(position)s: vul iets in of laat de regel weg.")
                % {"field": label, "position": position},
            )
        elif len(value) > SHORT_TEXT_MAX:
            errors.add(
                f"{path}.{position - 1}",
                _("%(field)s, regel %(position)s: gebruik hoogstens %(limit)s tekens.")
                % {"field": label, "position": position, "limit": SHORT_TEXT_MAX},
            )


def _number(errors: Errors, path: str, label: Any, value: int | None, low: int, high: int) -> None:
    if value is not None and not (low <= value <= high):
        errors.add(
            path,
            _("%(field)s: vul een getal in van %(low)s tot en met %(high)s.")
            % {"field": label, "low": low, "high": high},
        )


def validate_conversation(
    errors: Errors,
    conversation: ConversationInput,
    *,
    born: dt.date | None,
    today: dt.date | None = None,
) -> None:
    today = today or timezone.localdate()
    if conversation.date > today:
        errors.add("date", _("Datum van het gesprek: die ligt in de toekomst."))
    elif conversation.date < OLDEST_CONVERSATION or (born and conversation.date < born):
        errors.add("date", _("Datum van het gesprek: die ligt te ver in het verleden."))
    if conversation.place not in PLACES:
        errors.add(
            "place",
            _("Plaats van het gesprek: kies huisbezoek, kantoor, telefoon, wijklocatie of video."),
        )
    _choices(
        errors,
        "participants",
        _("Andere deelnemers"),
        conversation.participants,
        PARTICIPANTS,
    )
    _text(errors, "notes", _("Verslag"), conversation.notes, NOTES_MAX)


def validate_profile(
    errors: Errors, profile: ProfileInput, *, first: bool, today: dt.date | None = None
) -> None:
    """`first`: this is the client's first conversation, where a ZRM domain may be "unknown"."""
    today = today or timezone.localdate()
    p = "profile."
    _text(errors, p + "talents", _("Talenten"), profile.talents)
    _short_texts(errors, p + "skills", _("Vaardigheden"), profile.skills)
    _text(errors, p + "wishes", _("Wensen en behoeften"), profile.wishes)
    _text(errors, p + "ambition_short", _("Ambitie korte termijn"), profile.ambition_short)
    _text(errors, p + "ambition_long", _("Ambitie lange termijn"), profile.ambition_long)
    _validate_obstacles(errors, profile)
    _validate_help(errors, profile)
    _validate_zrm(errors, profile, first=first)
    _validate_ladder(errors, profile)
    _validate_work(errors, profile, today)


def _validate_obstacles(errors: Errors, profile: ProfileInput) -> None:
    path = "profile.obstacles"
    if profile.obstacles and profile.no_obstacles:
        errors.add(
            "profile.no_obstacles",
            _(
                "Belemmeringen: u vulde belemmeringen in én 'geen belemmeringen'; kies één van "
                "beide."
            ),
        )
    if len(profile.obstacles) > len(OBSTACLES):
        errors.add(path, _("Belemmeringen: elke soort belemmering mag één keer voorkomen."))
    seen: set[str] = set()
    for index, obstacle in enumerate(profile.obstacles):
        where = {"position": index + 1}
        if obstacle.category not in OBSTACLES:
            errors.add(
                f"{path}.{index}.category",
                _("Belemmering %(position)s: kies een soort uit de lijst.") % where,
            )
        elif obstacle.category in seen:
            errors.add(
                f"{path}.{index}.category",
                _("Belemmering %(position)s: deze soort staat er al; vul hem één keer in.") % where,
            )
        seen.add(obstacle.category)
        if obstacle.severity not in SEVERITIES:
            errors.add(
                f"{path}.{index}.severity",
                _("Belemmering %(position)s: kies de ernst: licht, matig of ernstig.") % where,
            )
        _text(
            errors,
            f"{path}.{index}.note",
            format_lazy(_("Belemmering {}, toelichting"), index + 1),
            obstacle.note,
        )


def _validate_help(errors: Errors, profile: ProfileInput) -> None:
    path = "profile.help_needs"
    seen: set[str] = set()
    for index, need in enumerate(profile.help_needs):
        where = {"position": index + 1}
        if need.category not in HELP:
            errors.add(
                f"{path}.{index}.category",
                _("Praktische hulp %(position)s: kies een soort hulp uit de lijst.") % where,
            )
        elif need.category in seen:
            errors.add(
                f"{path}.{index}.category",
                _("Praktische hulp %(position)s: deze soort staat er al.") % where,
            )
        seen.add(need.category)
        _text(
            errors,
            f"{path}.{index}.note",
            format_lazy(_("Praktische hulp {}, toelichting"), index + 1),
            need.note,
        )


def _validate_zrm(errors: Errors, profile: ProfileInput, *, first: bool) -> None:
    if not profile.zrm:
        return  # not assessed in this conversation
    labels = ZRM_LABELS
    unknown_domains = [d for d in profile.zrm if d not in ZRM_DOMAINS]
    if unknown_domains:
        errors.add(
            "profile.zrm",
            _("Leefgebieden (ZRM): %(count)s onbekend(e) leefgebied(en); gebruik de 13 van de ZRM.")
            % {"count": len(unknown_domains)},
        )
    missing = [d for d in ZRM_DOMAINS if d not in profile.zrm]
    if missing:
        errors.add(
            "profile.zrm",
            _(
                "Leefgebieden (ZRM): vul alle 13 leefgebieden in (een score, of 'onbekend' bij "
                "een eerste gesprek). Ontbreekt: %(domains)s."
            )
            % {"domains": ", ".join(str(labels[d]) for d in missing)},
        )
    for domain in ZRM_DOMAINS:
        if domain not in profile.zrm:
            continue
        score = profile.zrm[domain]
        where = {"domain": labels[domain]}
        if score is None:
            if not first:
                errors.add(
                    f"profile.zrm.{domain}",
                    _(
                        "Leefgebied %(domain)s: 'onbekend' kan alleen bij een eerste gesprek; "
                        "kies een score van 1 tot en met 5."
                    )
                    % where,
                )
        elif isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
            errors.add(
                f"profile.zrm.{domain}",
                _("Leefgebied %(domain)s: kies een score van 1 tot en met 5, of 'onbekend'.")
                % where,
            )


def _validate_ladder(errors: Errors, profile: ProfileInput) -> None:
    for name, label in (
        ("ladder_current", _("Participatieladder, huidige trede")),
        ("ladder_potential", _("Participatieladder, haalbare trede")),
    ):
        _number(errors, f"profile.{name}", label, getattr(profile, name), 1, 6)
    current, potential = profile.ladder_current, profile.ladder_potential
    if (current is None) != (potential is None):
        errors.add(
            "profile.ladder_potential" if potential is None else "profile.ladder_current",
            _("Participatieladder: vul de huidige én de haalbare trede in, of geen van beide."),
        )
    elif current is not None and potential is not None and potential < current:
        errors.add(
            "profile.ladder_potential",
            _("Participatieladder: de haalbare trede kan niet lager zijn dan de huidige."),
        )


def _validate_work(errors: Errors, profile: ProfileInput, today: dt.date) -> None:
    p = "profile."
    if profile.work_readiness and profile.work_readiness not in READINESS:
        errors.add(p + "work_readiness", _("Werkfit: kies werkfit, met ondersteuning of nog niet."))
    if (
        profile.work_readiness == WorkReadiness.NOT_YET
        and not profile.work_readiness_reason.strip()
    ):
        errors.add(
            p + "work_readiness_reason",
            _("Werkfit: schrijf kort op waarom iemand nog niet werkfit is."),
        )
    _text(
        errors, p + "work_readiness_reason", _("Toelichting werkfit"), profile.work_readiness_reason
    )
    if profile.education_level and profile.education_level not in EDUCATION:
        errors.add(p + "education_level", _("Opleidingsniveau: kies een niveau uit de lijst."))
    _short_texts(errors, p + "diplomas", _("Diploma's en certificaten"), profile.diplomas)
    for index, item in enumerate(profile.work_experience):
        where = {"position": index + 1}
        if not isco_is_valid(item.isco_code):
            errors.add(
                f"{p}work_experience.{index}.isco_code",
                _(
                    "Werkervaring %(position)s: kies een beroep uit de lijst (een ISCO-08-code "
                    "van 4 cijfers)."
                )
                % where,
            )
        if len(item.description) > SHORT_TEXT_MAX:
            errors.add(
                f"{p}work_experience.{index}.description",
                _(
                    "Werkervaring %(position)s: de omschrijving is te lang (hoogstens %(limit)s "
                    "tekens)."
                )
                % {**where, "limit": SHORT_TEXT_MAX},
            )
        _number(
            errors,
            f"{p}work_experience.{index}.years",
            format_lazy(_("Werkervaring {}, aantal jaren"), index + 1),
            item.years,
            0,
            60,
        )
        _number(
            errors,
            f"{p}work_experience.{index}.last_year",
            format_lazy(_("Werkervaring {}, laatst in"), index + 1),
            item.last_year,
            1950,
            today.year,
        )
    if len(profile.work_experience) > LIST_MAX:
        errors.add(
            p + "work_experience",
            _("Werkervaring: noem hoogstens %(limit)s beroepen.") % {"limit": LIST_MAX},
        )
    _choices(
        errors,
        p + "preferred_occupations",
        _("Gewenste beroepen"),
        profile.preferred_occupations,
        frozenset(),
        valid=isco_is_valid,
    )
    _choices(
        errors,
        p + "preferred_sectors",
        _("Gewenste sectoren"),
        profile.preferred_sectors,
        SECTORS,
    )
    _number(errors, p + "hours_per_week", _("Uren per week"), profile.hours_per_week, 0, HOURS_MAX)
    _number(
        errors,
        p + "travel_radius_km",
        _("Reisafstand in km"),
        profile.travel_radius_km,
        0,
        TRAVEL_RADIUS_MAX,
    )
    _choices(errors, p + "travel_means", _("Vervoer"), profile.travel_means, TRAVEL_MEANS)
    _choices(
        errors,
        p + "driving_licences",
        _("Rijbewijzen"),
        profile.driving_licences,
        LICENCES,
    )
    if profile.dutch_level and profile.dutch_level not in LANGUAGE_LEVELS:
        errors.add(
            p + "dutch_level", _("Niveau Nederlands: kies een niveau uit de lijst (A1 tot C2).")
        )
    _choices(
        errors,
        p + "other_languages",
        _("Andere talen"),
        profile.other_languages,
        LANGUAGE_CODES,
    )
    if "nl" in profile.other_languages:
        errors.add(
            p + "other_languages",
            _("Andere talen: Nederlands staat apart, bij niveau Nederlands."),
        )
    if profile.available_from is not None:
        five_years = dt.timedelta(days=5 * 366)
        if not (today - five_years <= profile.available_from <= today + five_years):
            errors.add(
                p + "available_from",
                _("Beschikbaar vanaf: kies een datum binnen vijf jaar van vandaag."),
            )
