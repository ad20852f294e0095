import datetime as dt

import pytest

from meedoen.caseload.access import households_visible_to
from meedoen.caseload.models import Assignment
from meedoen.clients.models import Household
from meedoen.dataexchange.demo.accounts import demo_accounts_ensure
from meedoen.dataexchange.demo.caseloads import (
    CASELOAD,
    _in_queue,
    demo_caseloads_assign,
    demo_caseloads_for_accounts,
)
from meedoen.dataexchange.demo.services import (
    demo_deliveries_generate,
    demo_deliveries_load,
    demo_municipality_get_or_create,
)

TODAY = dt.date(2026, 1, 15)


@pytest.mark.django_db
def test_every_current_household_gets_a_coach_and_demo_accounts_a_caseload():
    municipality = demo_municipality_get_or_create(code="0518")
    deliveries = demo_deliveries_generate(
        clients=300, seed=3, today=TODAY, municipality_code="0518"
    )
    demo_deliveries_load(municipality=municipality, deliveries=deliveries)

    assigned = demo_caseloads_assign(municipality=municipality, today=TODAY)

    current = Household.objects.filter(current_members__isnull=False).distinct()
    # About 2% wait unassigned in the team leads' queue.
    queue = [h for h in current if _in_queue(h.reference)]
    assert 0 < len(queue) < 0.05 * current.count()
    assert assigned == current.count() - len(queue)
    assert Assignment.objects.open().count() == assigned
    loads = [
        Assignment.objects.open().filter(coach_id=coach).count()
        for coach in Assignment.objects.open().values_list("coach_id", flat=True).distinct()
    ]
    assert max(loads) <= CASELOAD
    assert demo_caseloads_assign(municipality=municipality, today=TODAY) == 0  # idempotent

    accounts = {a.username: a.user for a in demo_accounts_ensure(municipality_code="0518")}
    moved = demo_caseloads_for_accounts(users=list(accounts.values()), today=TODAY)
    assert moved["demo-klantregisseur"] > 0
    coach = accounts["demo-klantregisseur"]
    assert households_visible_to(actor=coach).count() == moved["demo-klantregisseur"]
    lead = accounts["demo-teamleider"]
    assert households_visible_to(actor=lead).count() > households_visible_to(actor=coach).count()
    assert not households_visible_to(actor=accounts["demo-analist"]).exists()
    assert not households_visible_to(actor=accounts["demo-klantregisseur-rotterdam"]).exists()
    # Running demo_accounts again changes nothing.
    assert demo_caseloads_for_accounts(users=list(accounts.values()), today=TODAY) == {}
