"""Instrument test data, written straight to the models (test set-up, not a product path)."""

from __future__ import annotations

import itertools
from typing import Any

from django.utils import timezone

from meedoen.accounts.models import Municipality
from meedoen.clients.models import Client
from meedoen.instruments.constants import EnrolmentStatus, InstrumentKind
from meedoen.instruments.models import Enrolment, Instrument, InstrumentTargetGroup

_counter = itertools.count(1)


def instrument_factory(
    municipality: Municipality, *, target_groups: tuple[str, ...] = (), **overrides: Any
) -> Instrument:
    n = next(_counter)
    fields: dict[str, Any] = {
        "municipality": municipality,
        "name": f"Instrument {n}",
        "kind": InstrumentKind.JOB_APPLICATION_TRAINING,
        "provider_name": "Aanbieder (test)",
        "capacity": None,
    }
    fields.update(overrides)
    instrument = Instrument.objects.create(**fields)
    InstrumentTargetGroup.objects.bulk_create(
        [InstrumentTargetGroup(instrument=instrument, code=code) for code in target_groups]
    )
    return instrument


def enrolment_factory(
    instrument: Instrument, client: Client, *, status: str = EnrolmentStatus.REQUESTED, **kw: Any
) -> Enrolment:
    fields: dict[str, Any] = {
        "instrument": instrument,
        "client": client,
        "household_id": client.household_id,
        "status": status,
        "requested_at": timezone.now(),
        "created_by_name": "test",
    }
    if status in (EnrolmentStatus.STARTED, EnrolmentStatus.FINISHED, EnrolmentStatus.STOPPED_EARLY):
        fields["started_on"] = timezone.localdate()
    if status in (EnrolmentStatus.FINISHED, EnrolmentStatus.STOPPED_EARLY):
        fields["ended_on"] = timezone.localdate()
    if status == EnrolmentStatus.STOPPED_EARLY:
        fields["stop_reason"] = "other"
    fields.update(kw)
    return Enrolment.objects.create(**fields)
