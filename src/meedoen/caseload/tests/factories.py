"""Clients whose household is in a coach's caseload (test set-up, straight to the models)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from meedoen.accounts.models import Municipality
from meedoen.caseload.constants import AssignmentReason
from meedoen.caseload.models import Assignment
from meedoen.clients.models import Client
from meedoen.clients.tests.factories import ClientFactory

_DEFAULT = object()


class AssignedClientFactory(ClientFactory):
    """A ClientFactory whose new households get an open assignment to `coach`.

    `client_factory(coach=other)` assigns to someone else, `client_factory(coach=None)` leaves the
    household unassigned. A client added to an existing `household=` keeps that household's
    assignment.
    """

    def __init__(self, municipality: Municipality, *, coach: Any = None) -> None:
        super().__init__(municipality)
        self.coach = coach

    def __call__(self, **overrides: Any) -> Client:
        coach = overrides.pop("coach", _DEFAULT)
        coach = self.coach if coach is _DEFAULT else coach
        new_household = overrides.get("household") is None
        client = super().__call__(**overrides)
        if new_household and coach is not None:
            assign(household=client.household, coach=coach)
        return client


def assign(*, household: Any, coach: Any, start_date: dt.date = dt.date(2020, 1, 1)) -> Assignment:
    """Make `coach` the household's contact person (closing the open assignment, if any)."""
    Assignment.objects.open().filter(household=household).update(end_date=start_date)
    return Assignment.objects.create(
        household=household, coach=coach, start_date=start_date, reason=AssignmentReason.FIRST
    )
