"""User management meets caseloads (caseload/staff.py): an account that is contact person for
households is not deactivated until a team lead has handed the caseload over."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from meedoen.accounts import services_staff as services
from meedoen.accounts.models import User
from meedoen.accounts.selectors_staff import staff_open_work
from meedoen.audit.services import Origin
from meedoen.caseload.constants import AssignmentReason
from meedoen.caseload.services import caseload_transfer
from meedoen.caseload.staff import open_assignment_count
from meedoen.caseload.tests.factories import assign

pytestmark = pytest.mark.django_db
ORIGIN = Origin(channel="test")


def test_open_assignment_count_counts_open_assignments_only(coach, colleague, client_factory):
    first = client_factory()
    client_factory()
    client_factory(coach=colleague)
    assert open_assignment_count(user=coach) == 2
    # A household handed to a colleague no longer counts for the coach.
    assign(household=first.household, coach=colleague, start_date=dt.date(2024, 1, 1))
    assert open_assignment_count(user=coach) == 1


def test_a_coach_with_a_caseload_is_deactivated_only_after_the_transfer(
    functional_admin, coach, colleague, team_lead, client_factory
):
    client_factory()
    assert [(work.code, count) for work, count in staff_open_work(user=coach)] == [("caseload", 1)]
    with pytest.raises(ValidationError) as excinfo:
        services.staff_deactivate(
            actor=functional_admin, user=coach, expected_version=1, origin=ORIGIN
        )
    assert excinfo.value.messages == [
        "Deze medewerker is nog contactpersoon van 1 huishouden. Laat een teamleider de "
        "caseload eerst overdragen aan een andere klantregisseur; daarna kan dit."
    ]
    assert User.objects.get(pk=coach.pk).is_active

    caseload_transfer(
        from_coach=coach,
        to_coach=colleague,
        start_date=dt.date.today(),
        reason=AssignmentReason.STAFF_LEFT,
        actor=team_lead,
        origin=ORIGIN,
    )
    assert staff_open_work(user=coach) == []
    assert services.staff_deactivate(
        actor=functional_admin, user=coach, expected_version=1, origin=ORIGIN
    )
