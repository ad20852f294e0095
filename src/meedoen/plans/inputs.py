"""What a caller hands to the plan services (plans/services.py).

Plain dataclasses, so a web form, the API, the portal and the demo generator build the same thing.
Types are the caller's concern; the services check the meaning and answer in Dutch, per field.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from meedoen.plans.constants import AuthorKind


@dataclass
class GoalInput:
    """A new goal for one member of the household."""

    member_id: uuid.UUID
    domain: str
    what: str
    due_on: dt.date
    # Optional links to the profile: an ObstacleCategory code and the ambition it serves.
    obstacle: str = ""
    ambition: str = ""
    author_kind: str = AuthorKind.COACH


@dataclass
class GoalUpdate:
    """The editable fields of a goal, all of them (a form, not a patch). The member is fixed."""

    domain: str
    what: str
    due_on: dt.date
    status: str
    obstacle: str = ""
    ambition: str = ""


@dataclass
class StepInput:
    description: str
    owner_kind: str
    due_on: dt.date
    # Required when the owner is a partner organisation, empty otherwise.
    organisation_id: uuid.UUID | None = None
    author_kind: str = AuthorKind.COACH
    # Optional: an open enrolment (instruments.Enrolment) of the goal's member this step is about.
    enrolment_id: uuid.UUID | None = None


@dataclass
class OutcomeInput:
    goal_id: uuid.UUID
    result: str
    note: str = ""


@dataclass
class ReviewInput:
    """An evaluatiemoment: an outcome for every goal that is still running."""

    held_on: dt.date
    note: str = ""
    outcomes: list[OutcomeInput] = field(default_factory=list)
