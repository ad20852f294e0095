"""Recording, correcting and removing outcomes: the door, validation in Dutch, concurrency and
the audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.caseload.access import ClientNotVisible
from meedoen.core.concurrency import ConflictError
from meedoen.instruments.tests.factories import enrolment_factory, instrument_factory
from meedoen.outcomes.constants import OutcomeKind, OutcomeSource
from meedoen.outcomes.models import OutcomeEvent
from meedoen.outcomes.services import outcome_delete, outcome_record, outcome_update
from meedoen.outcomes.tests.factories import days_ago, job_input

ORIGIN = Origin(channel="test")


def _errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return {k: [str(m) for m in v] for k, v in excinfo.value.message_dict.items()}


@pytest.mark.django_db
def test_coach_records_a_job_with_an_audit_row_without_free_text(coach, client_factory):
    client = client_factory()
    outcome = outcome_record(actor=coach, client=client, data=job_input(), origin=ORIGIN)
    outcome.refresh_from_db()
    assert outcome.kind == OutcomeKind.JOB_STARTED
    assert outcome.hours_per_week == Decimal("20.0")
    assert outcome.is_substantial_job
    assert outcome.source == OutcomeSource.COACH
    assert outcome.municipality_id == client.municipality_id
    assert (outcome.created_by, outcome.created_by_name) == (coach, "coach")
    row = AuditEvent.objects.get(action="outcomes.outcome.record")
    assert row.object_id == str(outcome.pk)
    assert row.detail["kind"] == "job_started"
    assert row.detail["substantial_job"] is True
    for secret in ("Bakkerij", "geheime-notitie", "Medewerker"):
        assert secret not in str(row.detail)


@pytest.mark.django_db
def test_a_job_under_sixteen_hours_is_not_substantial(coach, client_factory):
    outcome = outcome_record(
        actor=coach,
        client=client_factory(),
        data=job_input(hours_per_week=Decimal("15.5")),
        origin=ORIGIN,
    )
    assert not outcome.is_substantial_job


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": "benefit_ended"}, "kind", "Kies de soort uitkomst uit de lijst."),
        ({"occurred_on": None}, "occurred_on", "Vul de datum in."),
        ({"occurred_on": days_ago(-1)}, "occurred_on", "De datum ligt in de toekomst"),
        (
            {"occurred_on": dt.date(1969, 12, 31)},
            "occurred_on",
            "De datum ligt voor de geboortedatum van de cliënt (01-01-1970).",
        ),
        ({"hours_per_week": Decimal("0")}, "hours_per_week", "van meer dan 0 tot en met 60"),
        ({"hours_per_week": Decimal("60.5")}, "hours_per_week", "van meer dan 0 tot en met 60"),
        ({"hours_per_week": Decimal("12.25")}, "hours_per_week", "hoogstens één decimaal"),
        (
            {"kind": "education_started", "hours_per_week": Decimal("8")},
            "hours_per_week",
            "Uren per week horen alleen bij betaald werk",
        ),
        (
            {"kind": "volunteering_started", "hours_per_week": None, "contract_type": "permanent"},
            "contract_type",
            "hoort alleen bij betaald werk",
        ),
        ({"contract_type": "forever"}, "contract_type", "Kies het soort contract uit de lijst"),
        ({"ended_on": days_ago(31)}, "ended_on", "De einddatum ligt voor de begindatum"),
        ({"ended_on": days_ago(-3)}, "ended_on", "De einddatum ligt in de toekomst"),
        ({"employer_name": "x" * 201}, "employer_name", "hoogstens 200 tekens"),
    ],
)
def test_bad_input_says_what_and_where_and_writes_nothing(
    coach, client_factory, overrides, field, message
):
    client = client_factory()
    with pytest.raises(ValidationError) as excinfo:
        outcome_record(actor=coach, client=client, data=job_input(**overrides), origin=ORIGIN)
    errors = _errors(excinfo)
    assert field in errors, errors
    assert any(message in m for m in errors[field]), errors
    assert not OutcomeEvent.objects.exists()
    assert not AuditEvent.objects.filter(action="outcomes.outcome.record").exists()


@pytest.mark.django_db
def test_the_enrolment_must_be_the_clients_own(coach, client_factory, municipality):
    client = client_factory()
    partner = client_factory(household=client.household)
    instrument = instrument_factory(municipality)
    theirs = enrolment_factory(instrument, partner)
    with pytest.raises(ValidationError) as excinfo:
        outcome_record(
            actor=coach, client=client, data=job_input(enrolment_id=theirs.pk), origin=ORIGIN
        )
    assert "enrolment" in _errors(excinfo)
    own = enrolment_factory(instrument, client)
    outcome = outcome_record(
        actor=coach, client=client, data=job_input(enrolment_id=own.pk), origin=ORIGIN
    )
    assert outcome.enrolment_id == own.pk


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["other_team_coach", "analyst", "privacy_officer"])
def test_who_may_not_see_the_client_gets_a_404_and_an_audited_refusal(
    request, client_factory, persona
):
    actor = request.getfixturevalue(persona)
    client = client_factory()
    with pytest.raises(ClientNotVisible):
        outcome_record(actor=actor, client=client, data=job_input(), origin=ORIGIN)
    assert not OutcomeEvent.objects.exists()
    denied = AuditEvent.objects.get(action="outcomes.outcome.record")
    assert denied.result == Result.DENIED


@pytest.mark.django_db
def test_the_team_lead_may_record_for_the_team(team_lead, client_factory):
    outcome = outcome_record(
        actor=team_lead, client=client_factory(), data=job_input(), origin=ORIGIN
    )
    assert outcome.created_by == team_lead


@pytest.mark.django_db
def test_update_changes_fields_and_guards_the_version(coach, client_factory):
    client = client_factory()
    outcome = outcome_record(actor=coach, client=client, data=job_input(), origin=ORIGIN)
    changed = outcome_update(
        actor=coach,
        outcome=outcome,
        expected_version=1,
        data=job_input(hours_per_week=Decimal("32"), contract_type="permanent"),
        origin=ORIGIN,
    )
    assert changed == ["contract_type", "hours_per_week"]
    outcome.refresh_from_db()
    assert (outcome.version, outcome.hours_per_week) == (2, Decimal("32.0"))
    row = AuditEvent.objects.get(action="outcomes.outcome.update")
    assert row.detail["fields"] == ["contract_type", "hours_per_week"]
    # Unchanged: nothing written, no audit row.
    assert (
        outcome_update(
            actor=coach,
            outcome=outcome,
            expected_version=2,
            data=job_input(hours_per_week=Decimal("32"), contract_type="permanent"),
            origin=ORIGIN,
        )
        == []
    )
    assert AuditEvent.objects.filter(action="outcomes.outcome.update").count() == 1
    stale = OutcomeEvent.objects.get(pk=outcome.pk)
    stale.version = 1
    with pytest.raises(ConflictError):
        outcome_update(
            actor=coach, outcome=stale, expected_version=1, data=job_input(), origin=ORIGIN
        )
    outcome.refresh_from_db()
    assert outcome.hours_per_week == Decimal("32.0")


@pytest.mark.django_db
def test_update_of_another_coachs_client_is_refused(coach, other_team_coach, client_factory):
    outcome = outcome_record(actor=coach, client=client_factory(), data=job_input(), origin=ORIGIN)
    with pytest.raises(ClientNotVisible):
        outcome_update(
            actor=other_team_coach,
            outcome=outcome,
            expected_version=1,
            data=job_input(hours_per_week=Decimal("40")),
            origin=ORIGIN,
        )
    outcome.refresh_from_db()
    assert outcome.version == 1


@pytest.mark.django_db
def test_delete_removes_a_mistake_audited_and_refuses_a_stale_version(
    coach, other_team_coach, client_factory
):
    client = client_factory()
    outcome = outcome_record(actor=coach, client=client, data=job_input(), origin=ORIGIN)
    with pytest.raises(ClientNotVisible):
        outcome_delete(actor=other_team_coach, outcome=outcome, expected_version=1, origin=ORIGIN)
    outcome_update(
        actor=coach,
        outcome=outcome,
        expected_version=1,
        data=job_input(sector="Zorg"),
        origin=ORIGIN,
    )
    with pytest.raises(ConflictError):
        outcome_delete(actor=coach, outcome=outcome, expected_version=1, origin=ORIGIN)
    assert OutcomeEvent.objects.filter(pk=outcome.pk).exists()
    outcome_delete(actor=coach, outcome=outcome, expected_version=2, origin=ORIGIN)
    assert not OutcomeEvent.objects.exists()
    row = AuditEvent.objects.get(action="outcomes.outcome.delete", result=Result.ALLOWED)
    assert row.object_id == str(outcome.pk)
    assert row.detail["kind"] == "job_started"
