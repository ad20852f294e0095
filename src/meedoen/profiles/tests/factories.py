"""Test input for conversations and profiles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from meedoen.profiles.constants import ZRM_DOMAINS
from meedoen.profiles.inputs import (
    ConversationInput,
    HelpNeedInput,
    ObstacleInput,
    ProfileInput,
    WorkExperienceInput,
)


def conversation_input(**overrides: Any) -> ConversationInput:
    values: dict[str, Any] = {
        "date": dt.date(2025, 3, 4),
        "place": "huisbezoek",
        "participants": ["tolk"],
        "notes": "Gesprek aan de keukentafel; geheime-notitie-tekst.",
    }
    values.update(overrides)
    return ConversationInput(**values)


def zrm(score: int | None = 3, **per_domain: int | None) -> dict[str, int | None]:
    return {domain: per_domain.get(domain, score) for domain in ZRM_DOMAINS}


def full_profile(**overrides: Any) -> ProfileInput:
    """A profile with every part filled: completeness 100%."""
    values: dict[str, Any] = {
        "talents": "Kookt graag voor de buurt; talent-tekst.",
        "skills": ["koken", "Arabisch tolken"],
        "wishes": "Werk overdag, dicht bij huis.",
        "ambition_short": "Taalcursus afmaken.",
        "ambition_long": "Eigen cateringbedrijf.",
        "obstacles": [
            ObstacleInput(category="schulden", severity=2, addressed=True, note="Bij Kredietbank"),
            ObstacleInput(category="taal", severity=1),
        ],
        "help_needs": [
            HelpNeedInput(category="administratie", note="Brieven van de Belastingdienst")
        ],
        "zrm": zrm(3),
        "ladder_current": 2,
        "ladder_potential": 4,
        "work_readiness": "met_ondersteuning",
        "work_readiness_reason": "Eerst de schulden op orde.",
        "education_level": "mbo2",
        "diplomas": ["mbo 2 Keuken"],
        "work_experience": [
            WorkExperienceInput(isco_code="5120", description="Kok in een restaurant", years=3)
        ],
        "preferred_occupations": ["5120", "9412"],
        "preferred_sectors": ["horeca_toerisme"],
        "hours_per_week": 24,
        "travel_radius_km": 10,
        "travel_means": ["fiets", "ov"],
        "driving_licences": ["B"],
        "dutch_level": "A2",
        "other_languages": ["ar"],
        "available_from": dt.date(2025, 4, 1),
    }
    values.update(overrides)
    return ProfileInput(**values)
