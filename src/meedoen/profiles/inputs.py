"""What a caller hands to the services: a conversation and the profile captured in it.

Plain dataclasses, so a web form, the API and the demo generator build the same thing. Types are
the caller's concern (forms and serializers parse them); `profiles.validation` checks the meaning
and answers in Dutch, per field, without echoing what was typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ObstacleInput:
    category: str
    severity: int
    addressed: bool = False
    note: str = ""


@dataclass
class HelpNeedInput:
    category: str
    note: str = ""


@dataclass
class WorkExperienceInput:
    isco_code: str
    description: str = ""
    years: int | None = None
    last_year: int | None = None


@dataclass
class ProfileInput:
    """The whole profile as it stands after the conversation (a snapshot, not a patch)."""

    talents: str = ""
    skills: list[str] = field(default_factory=list)
    wishes: str = ""
    ambition_short: str = ""
    ambition_long: str = ""
    obstacles: list[ObstacleInput] = field(default_factory=list)
    no_obstacles: bool = False
    help_needs: list[HelpNeedInput] = field(default_factory=list)
    # Domain code -> score 1..5, or None for "unknown". Empty: the ZRM was not assessed.
    zrm: dict[str, int | None] = field(default_factory=dict)
    ladder_current: int | None = None
    ladder_potential: int | None = None
    work_readiness: str = ""
    work_readiness_reason: str = ""
    education_level: str = ""
    diplomas: list[str] = field(default_factory=list)
    work_experience: list[WorkExperienceInput] = field(default_factory=list)
    preferred_occupations: list[str] = field(default_factory=list)  # ISCO-08 codes
    preferred_sectors: list[str] = field(default_factory=list)  # Sector codes
    hours_per_week: int | None = None
    travel_radius_km: int | None = None
    travel_means: list[str] = field(default_factory=list)
    driving_licences: list[str] = field(default_factory=list)
    dutch_level: str = ""
    other_languages: list[str] = field(default_factory=list)
    available_from: dt.date | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ProfileInput:
        """From a dict shaped like the API's `profile` (nested lists of dicts)."""
        values = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        values["obstacles"] = [ObstacleInput(**o) for o in data.get("obstacles") or []]
        values["help_needs"] = [HelpNeedInput(**h) for h in data.get("help_needs") or []]
        values["work_experience"] = [
            WorkExperienceInput(**w) for w in data.get("work_experience") or []
        ]
        values["zrm"] = dict(data.get("zrm") or {})
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ConversationInput:
    date: dt.date
    place: str
    participants: list[str] = field(default_factory=list)  # ParticipantRole codes
    notes: str = ""
