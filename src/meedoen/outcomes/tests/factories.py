"""Outcome test data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from meedoen.outcomes.constants import OutcomeKind
from meedoen.outcomes.inputs import OutcomeInput


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def job_input(**overrides: Any) -> OutcomeInput:
    """A job of 20 hours a week, started a month ago."""
    values: dict[str, Any] = {
        "kind": OutcomeKind.JOB_STARTED,
        "occurred_on": days_ago(30),
        "hours_per_week": Decimal("20"),
        "contract_type": "fixed_term",
        "sector": "Horeca",
        "employer_name": "Bakkerij De Korf",
        "description": "Medewerker bediening",
        "note": "Via de jobcoach; geheime-notitie-uitkomst.",
    }
    values.update(overrides)
    return OutcomeInput(**values)
