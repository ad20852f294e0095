"""What a caller hands to the outcome services (outcomes/services.py).

A plain dataclass, so the web form, the API and a test build the same thing. Types are the
caller's concern (forms and serializers parse them); the services check the meaning and answer in
Dutch, per field.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal


@dataclass
class OutcomeInput:
    """An outcome a coach records: a job, an education started or finished, volunteer work."""

    kind: str
    occurred_on: dt.date | None
    # A job only: hours per week (None when unknown), contract, sector, employer.
    hours_per_week: Decimal | None = None
    contract_type: str = ""
    sector: str = ""
    employer_name: str = ""
    # Education: the course or school; volunteering: the organisation; a job: the position.
    description: str = ""
    ended_on: dt.date | None = None
    # An enrolment of the same client that led to it, when the coach says so.
    enrolment_id: uuid.UUID | None = None
    note: str = ""
