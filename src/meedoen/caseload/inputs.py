"""What a caller hands to the contact-log services (caseload/contacts.py).

Plain dataclasses, so a web form, the API and the demo generator build the same thing. Types are
the caller's concern (forms and serializers parse them); the services check the meaning and
answer in Dutch, per field.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from meedoen.caseload.constants import ContactPurpose


@dataclass
class ContactInput:
    """One contact moment as the coach tells it."""

    occurred_at: dt.datetime
    kind: str
    summary: str
    purpose: str = ContactPurpose.REGULAR
    duration_minutes: int | None = None
    # Household members who took part (client ids); they must be current members.
    participant_ids: list[uuid.UUID] = field(default_factory=list)
    # OtherParticipant codes: roles, never names.
    other_participants: list[str] = field(default_factory=list)
    # PracticalHelp codes.
    practical_help: list[str] = field(default_factory=list)
    agreements: str = ""
    second_coach_id: int | None = None


@dataclass
class AppointmentInput:
    """A planned contact."""

    starts_at: dt.datetime
    kind: str
    purpose: str = ContactPurpose.REGULAR
    location: str = ""
    note: str = ""
    second_coach_id: int | None = None


@dataclass
class AppointmentOutcome:
    """How an appointment ended. For `done` the contact it became: the appointment gives time,
    kind and purpose, this gives what happened."""

    status: str
    summary: str = ""
    duration_minutes: int | None = None
    participant_ids: list[uuid.UUID] = field(default_factory=list)
    other_participants: list[str] = field(default_factory=list)
    practical_help: list[str] = field(default_factory=list)
    agreements: str = ""


@dataclass
class RelapseInput:
    date: dt.date
    note: str
    client_id: uuid.UUID | None = None
