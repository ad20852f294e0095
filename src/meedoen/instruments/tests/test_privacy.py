"""Enrolments in the data-subject export, and erased with the client."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from meedoen.audit.services import Origin
from meedoen.clients.models import Client
from meedoen.instruments.constants import EnrolmentStatus as S
from meedoen.instruments.inputs import EnrolmentRequestInput, EnrolmentStopInput
from meedoen.instruments.models import Enrolment, Instrument
from meedoen.instruments.services import enrolment_request, enrolment_stop
from meedoen.instruments.tests.factories import enrolment_factory, instrument_factory
from meedoen.privacy.services import _client_erase
from meedoen.privacy.subject_access import subject_access_export_json

ORIGIN = Origin(channel="test")


@pytest.mark.django_db
def test_subject_access_export_holds_the_persons_enrolments(coach, client_factory, municipality):
    main = client_factory()
    partner = client_factory(household=main.household)
    course = instrument_factory(municipality, name="Budgetcursus", provider_name="Humanitas")
    enrolment = enrolment_request(
        actor=coach,
        client=main,
        instrument=course,
        data=EnrolmentRequestInput(note="Wil overzicht in de post"),
        origin=ORIGIN,
    )
    enrolment_stop(
        actor=coach,
        enrolment=enrolment,
        expected_version=1,
        data=EnrolmentStopInput(ended_on=timezone.localdate(), reason="other", end_note="Verhuisd"),
        origin=ORIGIN,
    )
    enrolment_factory(instrument_factory(municipality, name="Jobcoach"), partner)
    export = json.loads(subject_access_export_json(client=main))
    rows = export["instrument_enrolments"]
    assert [r["instrument"] for r in rows] == ["Budgetcursus"]
    row = rows[0]
    assert row["provider"] == "Humanitas"
    assert row["status"] == "Voortijdig gestopt"
    assert row["stop_reason"] == "Andere reden"
    assert (row["note"], row["end_note"]) == ("Wil overzicht in de post", "Verhuisd")
    assert row["created_by"] == "coach"


@pytest.mark.django_db
def test_erasure_takes_the_clients_enrolments_and_keeps_the_catalogue(client_factory, municipality):
    main = client_factory()
    partner = client_factory(household=main.household)
    instrument = instrument_factory(municipality, capacity=2)
    enrolment_factory(instrument, main, status=S.STARTED)
    enrolment_factory(instrument_factory(municipality), main, status=S.FINISHED)
    kept = enrolment_factory(instrument, partner, status=S.WAITING)
    counts = _client_erase(client=Client.objects.get(pk=main.pk))
    assert counts["instruments.enrolment"] == 2
    assert list(Enrolment.objects.all()) == [kept]
    assert Instrument.objects.count() == 2
