"""The instrument services: catalogue management, enrolments, capacity and the waiting list, the
door and the audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.caseload.access import ClientNotVisible
from meedoen.core.concurrency import ConflictError
from meedoen.instruments.constants import EnrolmentStatus as S
from meedoen.instruments.inputs import (
    CategoryInput,
    EnrolmentFinishInput,
    EnrolmentRequestInput,
    EnrolmentStartInput,
    EnrolmentStopInput,
    InstrumentInput,
)
from meedoen.instruments.models import Category, Enrolment, Instrument
from meedoen.instruments.selectors import waiting_position
from meedoen.instruments.services import (
    NotAllowed,
    category_create,
    category_update,
    enrolment_finish,
    enrolment_request,
    enrolment_start,
    enrolment_stop,
    instrument_create,
    instrument_update,
)
from meedoen.instruments.tests.factories import instrument_factory
from meedoen.partners.models import Organisation

ORIGIN = Origin(channel="test")
TODAY = timezone.localdate


@pytest.fixture
def provider(municipality):
    return Organisation.objects.create(
        municipality=municipality, name="Werkfit Re-integratie", kind="reintegration"
    )


def data(**overrides):
    values = {"name": "Sollicitatietraining Zuid", "kind": "job_application_training"}
    values.update(overrides)
    return InstrumentInput(**values)


def enrol(actor, client, instrument, note=""):
    return enrolment_request(
        actor=actor,
        client=client,
        instrument=instrument,
        data=EnrolmentRequestInput(note=note),
        origin=ORIGIN,
    )


def start(actor, enrolment, on=None):
    enrolment.refresh_from_db()
    return enrolment_start(
        actor=actor,
        enrolment=enrolment,
        expected_version=enrolment.version,
        data=EnrolmentStartInput(started_on=on or TODAY()),
        origin=ORIGIN,
    )


def finish(actor, enrolment, result="completed"):
    enrolment.refresh_from_db()
    return enrolment_finish(
        actor=actor,
        enrolment=enrolment,
        expected_version=enrolment.version,
        data=EnrolmentFinishInput(ended_on=TODAY(), result=result),
        origin=ORIGIN,
    )


def stop(actor, enrolment, reason="health", end_note="", result=""):
    enrolment.refresh_from_db()
    return enrolment_stop(
        actor=actor,
        enrolment=enrolment,
        expected_version=enrolment.version,
        data=EnrolmentStopInput(ended_on=TODAY(), reason=reason, end_note=end_note, result=result),
        origin=ORIGIN,
    )


def messages(excinfo) -> dict:
    return {k: [str(m) for m in v] for k, v in excinfo.value.message_dict.items()}


# Catalogue --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_catalogue_managed_by_admin_and_team_lead_only(
    functional_admin, team_lead, coach, analyst, privacy_officer, other_municipality_coach, provider
):
    category = category_create(
        actor=functional_admin, data=CategoryInput(name="Werkoffensief"), origin=ORIGIN
    )
    instrument = instrument_create(
        actor=functional_admin,
        data=data(
            provider_id=provider.pk,
            provider_name="ignored: the registry name wins",
            target_groups=["refugees", "over_50", "refugees"],
            capacity=12,
            cost_per_participant=Decimal("1250.50"),
            usual_duration_weeks=8,
            category_ids=[category.pk],
        ),
        origin=ORIGIN,
    )
    assert instrument.provider_name == "Werkfit Re-integratie"
    assert instrument.municipality_id == functional_admin.municipality_id
    assert sorted(instrument.target_group_rows.values_list("code", flat=True)) == [
        "over_50",
        "refugees",
    ]
    assert list(instrument.categories.all()) == [category]
    instrument_create(actor=team_lead, data=data(name="Jobcoach", kind="job_coach"), origin=ORIGIN)
    for actor in (coach, analyst, privacy_officer, other_municipality_coach, None):
        with pytest.raises(NotAllowed):
            instrument_create(actor=actor, data=data(name="Nee"), origin=ORIGIN)
        with pytest.raises(NotAllowed):
            category_create(actor=actor, data=CategoryInput(name="Nee"), origin=ORIGIN)
    assert Instrument.objects.count() == 2
    assert AuditEvent.objects.filter(action="instruments.instrument.create").count() == 2
    assert AuditEvent.objects.filter(action="instruments.category.create").count() == 1


@pytest.mark.django_db
def test_instrument_validation_names_each_field_and_writes_nothing(
    functional_admin, other_municipality, municipality
):
    instrument_factory(municipality, name="Taalcursus B1")
    foreign_provider = Organisation.objects.create(
        municipality=other_municipality, name="Elders", kind="other"
    )
    foreign_category = Category.objects.create(municipality=other_municipality, name="Elders")
    before = Instrument.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        instrument_create(
            actor=functional_admin,
            data=data(
                name="taalcursus b1",
                kind="magic",
                provider_id=foreign_provider.pk,
                target_groups=["everyone", "martians"],
                capacity=0,
                cost_per_participant=Decimal("-1"),
                usual_duration_weeks=9999,
                category_ids=[foreign_category.pk],
            ),
            origin=ORIGIN,
        )
    errors = messages(excinfo)
    assert set(errors) == {
        "name",
        "kind",
        "provider",
        "target_groups",
        "capacity",
        "cost_per_participant",
        "usual_duration_weeks",
        "categories",
    }
    assert "al een instrument met deze naam" in errors["name"][0]
    assert Instrument.objects.count() == before
    assert not AuditEvent.objects.filter(action="instruments.instrument.create").exists()

    with pytest.raises(ValidationError) as excinfo:
        instrument_create(
            actor=functional_admin,
            data=data(name="", cost_per_participant=Decimal("10.005")),
            origin=ORIGIN,
        )
    assert set(messages(excinfo)) == {"name", "cost_per_participant"}


@pytest.mark.django_db
def test_instrument_update_is_version_guarded_and_audited(functional_admin, team_lead, provider):
    category = category_create(
        actor=functional_admin, data=CategoryInput(name="Taal"), origin=ORIGIN
    )
    instrument = instrument_create(
        actor=functional_admin, data=data(target_groups=["refugees"]), origin=ORIGIN
    )
    assert (
        instrument_update(
            actor=team_lead,
            instrument=instrument,
            expected_version=1,
            data=data(target_groups=["refugees"]),
            origin=ORIGIN,
        )
        == []
    )
    changed = instrument_update(
        actor=team_lead,
        instrument=instrument,
        expected_version=1,
        data=data(
            capacity=5,
            provider_id=provider.pk,
            target_groups=["young_people"],
            category_ids=[category.pk],
            is_active=False,
        ),
        origin=ORIGIN,
    )
    assert changed == [
        "capacity",
        "categories",
        "is_active",
        "provider",
        "provider_name",
        "target_groups",
    ]
    instrument.refresh_from_db()
    assert instrument.version == 2
    assert instrument.capacity == 5
    assert not instrument.is_active
    assert list(instrument.target_group_rows.values_list("code", flat=True)) == ["young_people"]
    event = AuditEvent.objects.get(action="instruments.instrument.update")
    assert event.detail["fields"] == changed
    with pytest.raises(ConflictError):
        instrument_update(
            actor=team_lead,
            instrument=instrument,
            expected_version=1,
            data=data(capacity=6),
            origin=ORIGIN,
        )
    # An inactive provider or category stays allowed for the instrument that already has it.
    Organisation.objects.filter(pk=provider.pk).update(is_active=False)
    Category.objects.filter(pk=category.pk).update(is_active=False)
    instrument_update(
        actor=team_lead,
        instrument=instrument,
        expected_version=2,
        data=data(capacity=6, provider_id=provider.pk, category_ids=[category.pk]),
        origin=ORIGIN,
    )
    with pytest.raises(ValidationError) as excinfo:
        instrument_create(
            actor=team_lead,
            data=data(name="Nieuw", provider_id=provider.pk, category_ids=[category.pk]),
            origin=ORIGIN,
        )
    assert set(messages(excinfo)) == {"provider", "categories"}


@pytest.mark.django_db
def test_instrument_of_another_municipality_cannot_be_changed(functional_admin, other_municipality):
    from meedoen.accounts.constants import Role
    from meedoen.accounts.models import User

    foreign_admin = User.objects.create_user(
        username="beheer-rdam", municipality=other_municipality, role=Role.FUNCTIONAL_ADMIN
    )
    instrument = instrument_create(actor=functional_admin, data=data(), origin=ORIGIN)
    with pytest.raises(NotAllowed):
        instrument_update(
            actor=foreign_admin,
            instrument=instrument,
            expected_version=1,
            data=data(capacity=1),
            origin=ORIGIN,
        )
    category = Category.objects.create(municipality=functional_admin.municipality, name="X")
    with pytest.raises(NotAllowed):
        category_update(
            actor=foreign_admin,
            category=category,
            expected_version=1,
            data=CategoryInput(name="Y"),
            origin=ORIGIN,
        )


@pytest.mark.django_db
def test_category_update(functional_admin):
    category = category_create(
        actor=functional_admin, data=CategoryInput(name="Taal"), origin=ORIGIN
    )
    category_create(actor=functional_admin, data=CategoryInput(name="Werk"), origin=ORIGIN)
    with pytest.raises(ValidationError) as excinfo:
        category_update(
            actor=functional_admin,
            category=category,
            expected_version=1,
            data=CategoryInput(name="werk"),
            origin=ORIGIN,
        )
    assert set(messages(excinfo)) == {"name"}
    assert category_update(
        actor=functional_admin,
        category=category,
        expected_version=1,
        data=CategoryInput(name="Taal en lezen", is_active=False),
        origin=ORIGIN,
    ) == ["is_active", "name"]
    assert category.version == 2


# Enrolments: the happy path and the door --------------------------------------------------------


@pytest.mark.django_db
def test_enrolment_request_start_finish_is_audited_with_the_subject(coach, client_factory):
    client = client_factory()
    instrument = instrument_factory(client.municipality, capacity=None)
    enrolment = enrol(coach, client, instrument, note="Wil graag oefenen met gesprekken")
    assert enrolment.status == S.REQUESTED
    assert enrolment.household_id == client.household_id
    assert enrolment.created_by == coach
    assert waiting_position(enrolment=enrolment) is None
    enrolment = start(coach, enrolment)
    assert (enrolment.status, enrolment.started_on, enrolment.version) == (S.STARTED, TODAY(), 2)
    enrolment = finish(coach, enrolment, result="certificate")
    assert (enrolment.status, enrolment.ended_on, enrolment.result) == (
        S.FINISHED,
        TODAY(),
        "certificate",
    )
    events = AuditEvent.objects.filter(action__startswith="instruments.enrolment.").order_by("seq")
    assert [e.action.rsplit(".", 1)[1] for e in events] == ["request", "start", "finish"]
    assert all(e.result == Result.ALLOWED and e.subject_pseudonym for e in events)
    assert all(e.detail["instrument"] == str(instrument.pk) for e in events)
    # Codes only: never the note.
    assert not any("oefenen" in str(e.detail) for e in events)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who",
    [
        "other_team_coach",
        "analyst",
        "privacy_officer",
        "functional_admin",
        "other_municipality_coach",
    ],
)
def test_the_door_refuses_everyone_without_casework_on_the_household(
    request, who, coach, client_factory
):
    actor = request.getfixturevalue(who)
    client = client_factory()
    instrument = instrument_factory(client.municipality)
    with pytest.raises(ClientNotVisible):
        enrol(actor, client, instrument)
    assert not Enrolment.objects.exists()
    enrolment = enrol(coach, client, instrument)
    for attempt in (
        lambda: start(actor, enrolment),
        lambda: finish(actor, enrolment),
        lambda: stop(actor, enrolment),
    ):
        with pytest.raises(ClientNotVisible):
            attempt()
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.version) == (S.REQUESTED, 1)
    denied = AuditEvent.objects.filter(result=Result.DENIED, action__startswith="instruments.")
    assert sorted(e.action for e in denied) == [
        "instruments.enrolment.finish",
        "instruments.enrolment.request",
        "instruments.enrolment.start",
        "instruments.enrolment.stop",
    ]
    assert all(e.subject_pseudonym for e in denied)


@pytest.mark.django_db
def test_team_lead_passes_the_door(team_lead, coach, client_factory):
    client = client_factory()
    instrument = instrument_factory(client.municipality)
    enrolment = enrol(team_lead, client, instrument)
    assert start(coach, enrolment).status == S.STARTED


@pytest.mark.django_db
def test_request_checks_instrument_and_double_enrolment(
    coach, client_factory, municipality, other_municipality
):
    client = client_factory()
    foreign = instrument_factory(other_municipality)
    inactive = instrument_factory(municipality, is_active=False)
    for instrument in (foreign, inactive):
        with pytest.raises(ValidationError) as excinfo:
            enrol(coach, client, instrument)
        assert set(messages(excinfo)) == {"instrument"}
    instrument = instrument_factory(municipality)
    first = enrol(coach, client, instrument)
    with pytest.raises(ValidationError) as excinfo:
        enrol(coach, client, instrument)
    assert "al aangemeld" in messages(excinfo)["instrument"][0]
    with pytest.raises(ValidationError) as excinfo:
        enrol(coach, client, instrument_factory(municipality), note="x" * 5001)
    assert set(messages(excinfo)) == {"note"}
    # After the first ended, the same client may enrol again.
    stop(coach, first, reason="withdrawn")
    assert enrol(coach, client, instrument).status == S.REQUESTED
    assert Enrolment.objects.count() == 2


# Capacity and the waiting list ------------------------------------------------------------------


@pytest.mark.django_db
def test_waiting_list_is_first_come_first_served(coach, client_factory, municipality):
    instrument = instrument_factory(municipality, capacity=2, name="Werkervaringsplaats Zuid")
    a, b, c, d, e = (client_factory() for _ in range(5))
    ea, eb = enrol(coach, a, instrument), enrol(coach, b, instrument)
    assert (ea.status, eb.status) == (S.REQUESTED, S.REQUESTED)
    # Both places are set aside for a and b: c and d wait, in order.
    ec, ed = enrol(coach, c, instrument), enrol(coach, d, instrument)
    assert (ec.status, ed.status) == (S.WAITING, S.WAITING)
    assert (waiting_position(enrolment=ec), waiting_position(enrolment=ed)) == (1, 2)
    assert (
        AuditEvent.objects.filter(action="instruments.enrolment.request")
        .order_by("seq")
        .last()
        .detail["position"]
        == 2
    )
    start(coach, ea)
    start(coach, eb)
    # Full: nobody on the waiting list may start.
    with pytest.raises(ValidationError) as excinfo:
        start(coach, ec)
    assert (
        "Alle 2 plaatsen van Werkervaringsplaats Zuid zijn bezet"
        in messages(excinfo)["instrument"][0]
    )
    finish(coach, ea)
    # A place is free. Nothing started by itself: c is first in line, d must wait their turn.
    ec.refresh_from_db()
    assert ec.status == S.WAITING
    with pytest.raises(ValidationError) as excinfo:
        start(coach, ed)
    assert "nummer 2 op de wachtlijst" in messages(excinfo)["instrument"][0]
    # A newcomer queues behind the waiting list although a place is free.
    ee = enrol(coach, e, instrument)
    assert (ee.status, waiting_position(enrolment=ee)) == (S.WAITING, 3)
    assert start(coach, ec).status == S.STARTED
    assert waiting_position(enrolment=ed) == 1
    # d leaves the list before starting; e moves up.
    stop(coach, ed, reason="withdrawn")
    assert waiting_position(enrolment=ee) == 1
    ed.refresh_from_db()
    assert (ed.status, ed.started_on, ed.stop_reason) == (S.STOPPED_EARLY, None, "withdrawn")


@pytest.mark.django_db
def test_a_requested_enrolment_holds_its_place(coach, client_factory, municipality):
    instrument = instrument_factory(municipality, capacity=1)
    a, b = client_factory(), client_factory()
    ea = enrol(coach, a, instrument)
    eb = enrol(coach, b, instrument)
    assert eb.status == S.WAITING
    # The place is set aside for a: b, first in line, cannot take it.
    with pytest.raises(ValidationError) as excinfo:
        start(coach, eb)
    assert "nog geen plaats vrij" in messages(excinfo)["instrument"][0]
    # a gives up before starting: the place is free for b.
    stop(coach, ea, reason="withdrawn")
    assert start(coach, eb).status == S.STARTED


@pytest.mark.django_db
def test_lower_capacity_refuses_new_starts_only(
    coach, functional_admin, client_factory, municipality
):
    instrument = instrument_factory(municipality, capacity=3)
    enrolments = [enrol(coach, client_factory(), instrument) for _ in range(3)]
    start(coach, enrolments[0])
    start(coach, enrolments[1])
    instrument_update(
        actor=functional_admin,
        instrument=instrument,
        expected_version=1,
        data=InstrumentInput(name=instrument.name, kind=instrument.kind, capacity=2),
        origin=ORIGIN,
    )
    with pytest.raises(ValidationError):
        start(coach, enrolments[2])
    assert Enrolment.objects.filter(status=S.STARTED).count() == 2
    # Unlimited again: everyone may start.
    instrument.refresh_from_db()
    instrument_update(
        actor=functional_admin,
        instrument=instrument,
        expected_version=instrument.version,
        data=InstrumentInput(name=instrument.name, kind=instrument.kind, capacity=None),
        origin=ORIGIN,
    )
    assert start(coach, enrolments[2]).status == S.STARTED


# Transitions, dates, reasons --------------------------------------------------------------------


@pytest.mark.django_db
def test_transitions_dates_and_reasons_are_checked(coach, client_factory, municipality):
    client = client_factory()
    instrument = instrument_factory(municipality)
    enrolment = enrol(coach, client, instrument)
    with pytest.raises(ValidationError) as excinfo:
        finish(coach, enrolment)
    assert "aangemeld" in messages(excinfo)["status"][0]
    with pytest.raises(ValidationError) as excinfo:
        start(coach, enrolment, on=TODAY() + dt.timedelta(days=1))
    assert messages(excinfo) == {"started_on": ["De startdatum ligt in de toekomst."]}
    with pytest.raises(ValidationError) as excinfo:
        start(coach, enrolment, on=TODAY() - dt.timedelta(days=3))
    assert "voor de aanmelding" in messages(excinfo)["started_on"][0]
    start(coach, enrolment)
    with pytest.raises(ValidationError) as excinfo:
        finish(coach, enrolment, result="")
    assert set(messages(excinfo)) == {"result"}
    with pytest.raises(ValidationError) as excinfo:
        stop(coach, enrolment, reason="")
    assert set(messages(excinfo)) == {"reason"}
    with pytest.raises(ValidationError) as excinfo:
        stop(coach, enrolment, reason="other")
    assert set(messages(excinfo)) == {"end_note"}
    with pytest.raises(ValidationError) as excinfo:
        stop(coach, enrolment, reason="health", result="fame")
    assert set(messages(excinfo)) == {"result"}
    enrolment.refresh_from_db()
    with pytest.raises(ValidationError) as excinfo:
        enrolment_stop(
            actor=coach,
            enrolment=enrolment,
            expected_version=enrolment.version,
            data=EnrolmentStopInput(ended_on=TODAY() - dt.timedelta(days=2), reason="health"),
            origin=ORIGIN,
        )
    assert "voor" in messages(excinfo)["ended_on"][0]
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.version) == (S.STARTED, 2)
    stopped = stop(coach, enrolment, reason="found_work", result="found_work", end_note="Baan")
    assert (stopped.status, stopped.stop_reason, stopped.result) == (
        S.STOPPED_EARLY,
        "found_work",
        "found_work",
    )
    with pytest.raises(ValidationError):
        start(coach, stopped)
    # A stale version is a conflict, and nothing is written.
    with pytest.raises(ConflictError):
        enrolment_finish(
            actor=coach,
            enrolment=stopped,
            expected_version=1,
            data=EnrolmentFinishInput(ended_on=TODAY(), result="completed"),
            origin=ORIGIN,
        )
    assert AuditEvent.objects.filter(action="instruments.enrolment.stop").count() == 1
