"""What a caller hands to the instrument services (instruments/services.py).

Plain dataclasses, so a web form, the API and the demo generator build the same thing. Types are
the caller's concern (forms and serializers parse them); the services check the meaning and
answer in Dutch, per field.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class InstrumentInput:
    """An instrument of the catalogue, as the functional admin or team lead describes it."""

    name: str
    kind: str
    description: str = ""
    # An organisation of the partner registry, or a provider outside it by name only.
    provider_id: uuid.UUID | None = None
    provider_name: str = ""
    # TargetGroup codes.
    target_groups: list[str] = field(default_factory=list)
    # Places; None: unlimited.
    capacity: int | None = None
    cost_per_participant: Decimal | None = None
    usual_duration_weeks: int | None = None
    # Categories of the same municipality.
    category_ids: list[uuid.UUID] = field(default_factory=list)
    is_active: bool = True


@dataclass
class CategoryInput:
    name: str
    is_active: bool = True


@dataclass
class EnrolmentRequestInput:
    note: str = ""


@dataclass
class EnrolmentStartInput:
    started_on: dt.date


@dataclass
class EnrolmentFinishInput:
    ended_on: dt.date
    result: str
    end_note: str = ""


@dataclass
class EnrolmentStopInput:
    ended_on: dt.date
    reason: str
    end_note: str = ""
    # What came of it all the same (found work is a reason to stop and a result); may stay empty.
    result: str = ""
