"""Recorded outcomes in the data-subject export, and erased with the client by the retention run."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from meedoen.audit.services import Origin
from meedoen.clients.models import BenefitPeriod, Client, HouseholdMembership
from meedoen.outcomes.models import OutcomeEvent
from meedoen.outcomes.services import outcome_record
from meedoen.outcomes.tests.factories import job_input
from meedoen.privacy.models import ErasureRecord
from meedoen.privacy.services import retention_run
from meedoen.privacy.subject_access import subject_access_export_json

ORIGIN = Origin(channel="test")


@pytest.mark.django_db
def test_subject_access_export_holds_the_persons_outcomes(coach, client_factory):
    main = client_factory()
    partner = client_factory(household=main.household)
    outcome_record(actor=coach, client=main, data=job_input(), origin=ORIGIN)
    outcome_record(
        actor=coach,
        client=partner,
        data=job_input(
            kind="education_started",
            hours_per_week=None,
            contract_type="",
            sector="",
            employer_name="",
            description="ROC Mondriaan",
        ),
        origin=ORIGIN,
    )
    rows = json.loads(subject_access_export_json(client=main))["outcomes"]
    assert len(rows) == 1
    (row,) = rows
    assert row["kind"] == "Betaald werk begonnen"
    assert row["hours_per_week"] == 20.0
    assert row["contract_type"] == "Tijdelijk contract"
    assert row["employer"] == "Bakkerij De Korf"
    assert row["note"] == "Via de jobcoach; geheime-notitie-uitkomst."
    assert row["created_by"] == "coach"


@pytest.mark.django_db
def test_retention_run_erases_the_clients_outcomes_and_keeps_others(coach, client_factory):
    gone = client_factory()
    kept = client_factory()
    outcome_record(
        actor=coach,
        client=gone,
        data=job_input(occurred_on=dt.date(2018, 6, 1)),
        origin=ORIGIN,
    )
    mine = outcome_record(actor=coach, client=kept, data=job_input(), origin=ORIGIN)
    # The client left the benefit and the household long ago: past the 7-year term.
    ended = dt.date(2019, 5, 31)
    BenefitPeriod.objects.filter(client=gone).update(end_date=ended, end_reason="werk")
    HouseholdMembership.objects.filter(client=gone).update(end_date=ended)
    Client.objects.filter(pk=gone.pk).update(household=None)

    report = retention_run(dry_run=False, today=dt.date(2026, 6, 1))

    assert len(report.items) == 1
    assert not Client.objects.filter(pk=gone.pk).exists()
    assert list(OutcomeEvent.objects.all()) == [mine]
    assert ErasureRecord.objects.get().counts["outcomes.outcomeevent"] == 1
