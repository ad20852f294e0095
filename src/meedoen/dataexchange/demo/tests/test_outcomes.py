"""Demo outcomes and the benefit: a job (or a funded education) ends the open benefit of some
clients a month or two later, a few come back when the job ends; dates consistent, one open
period per client, deterministic with the seed, idempotent. The jobs themselves and the planted
truth are tested in tests/effects/test_demo_outcomes.py."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db.models import Min

from meedoen.clients.constants import BenefitEndReason
from meedoen.clients.models import BenefitPeriod
from meedoen.dataexchange.demo.caseloads import demo_caseloads_assign
from meedoen.dataexchange.demo.conversations import demo_conversations_create
from meedoen.dataexchange.demo.instruments import demo_instruments_create
from meedoen.dataexchange.demo.outcomes import (
    EXIT_DELAY_DAYS,
    REENTRY_AFTER_DAYS,
    demo_outcomes_create,
)
from meedoen.dataexchange.demo.partners import demo_partners_create
from meedoen.dataexchange.demo.plans import demo_plans_create
from meedoen.dataexchange.demo.services import (
    demo_deliveries_load,
    demo_municipality_get_or_create,
    demo_world_generate,
)
from meedoen.outcomes.constants import OutcomeKind
from meedoen.outcomes.models import OutcomeEvent, PlantedEffect
from meedoen.profiles.models import Conversation

TODAY = dt.date(2026, 11, 23)
SEED = 2


def _build(*, clients: int, seed: int):
    municipality = demo_municipality_get_or_create(code="0518")
    deliveries, traits = demo_world_generate(
        clients=clients, seed=seed, today=TODAY, municipality_code="0518"
    )
    demo_deliveries_load(municipality=municipality, deliveries=deliveries)
    demo_caseloads_assign(municipality=municipality, today=TODAY)
    demo_conversations_create(municipality=municipality, traits=traits, seed=seed, today=TODAY)
    demo_partners_create(municipality=municipality, seed=seed, today=TODAY)
    demo_instruments_create(municipality=municipality)
    demo_plans_create(municipality=municipality, seed=seed, today=TODAY)
    return municipality


def _periods() -> dict[tuple[str, dt.date], tuple[str, dt.date | None, str]]:
    """(client number, start) → (benefit type, end, reason): ids differ between runs."""
    return {
        (number, start): (kind, end, reason)
        for number, start, kind, end, reason in BenefitPeriod.objects.values_list(
            "client__client_number", "start_date", "benefit_type", "end_date", "end_reason"
        )
    }


def _events() -> list[tuple]:
    return sorted(
        OutcomeEvent.objects.values_list(
            "client__client_number", "kind", "occurred_on", "hours_per_week", "ended_on"
        )
    )


@pytest.mark.django_db(transaction=True)
def test_benefit_ends_after_a_job_and_some_come_back():
    municipality = _build(clients=700, seed=SEED)
    before = _periods()
    stats = demo_outcomes_create(municipality=municipality, seed=SEED, today=TODAY)
    after = _periods()

    ended = {key: after[key] for key in before if after[key] != before[key]}
    new = {key: value for key, value in after.items() if key not in before}
    # Only open periods were ended, nothing else about them changed.
    for key, (kind, end, _reason) in ended.items():
        assert before[key] == (kind, None, "")
        assert end is not None
        assert key[1] <= end <= TODAY
    reasons = [reason for _kind, _end, reason in ended.values()]
    assert reasons.count(BenefitEndReason.WORK) == stats.exits_work > 5
    assert reasons.count(BenefitEndReason.EDUCATION) == stats.exits_education
    assert reasons.count(BenefitEndReason.PARTNER_INCOME) == stats.exits_partner
    assert len(new) == stats.reentries > 0
    # A few come back, most do not.
    assert stats.reentries < (stats.exits_work + stats.exits_partner) / 2

    jobs: dict[str, list[tuple[dt.date, Decimal | None, dt.date | None]]] = defaultdict(list)
    education: dict[str, list[dt.date]] = defaultdict(list)
    for number, kind, on, hours, job_end in OutcomeEvent.objects.values_list(
        "client__client_number", "kind", "occurred_on", "hours_per_week", "ended_on"
    ):
        if kind == OutcomeKind.JOB_STARTED:
            jobs[number].append((on, hours, job_end))
        elif kind == OutcomeKind.EDUCATION_STARTED:
            education[number].append(on)
    first_conversation = dict(
        Conversation.objects.values("client__client_number")
        .annotate(first=Min("date"))
        .values_list("client__client_number", "first")
    )
    households = dict(
        BenefitPeriod.objects.values_list("client__client_number", "client__household_id")
    )
    low, high = EXIT_DELAY_DAYS
    work_exits: dict[object, dt.date] = {}
    hours_of_exits = []
    for (number, start), (_kind, end, reason) in ended.items():
        assert end is not None
        # Never before the first conversation: the guidance came first.
        if number in first_conversation:
            assert end > first_conversation[number]
        if reason == BenefitEndReason.WORK:
            # Only after a job found while on this benefit, a month or two before.
            found = [
                (on, hours)
                for on, hours, _e in jobs[number]
                if start <= on and low <= (end - on).days <= high
            ]
            assert found, (number, end)
            hours_of_exits.append(max(hours or 0 for _on, hours in found))
            work_exits[households[number]] = end
        elif reason == BenefitEndReason.EDUCATION:
            assert any(start <= on and low <= (end - on).days <= high for on in education[number])
    # Mostly jobs of 16 hours or more.
    assert sum(h >= 16 for h in hours_of_exits) >= 0.75 * len(hours_of_exits)
    # The partner's period ends on the same day as the one who found work.
    for (number, _start), (_kind, end, reason) in ended.items():
        if reason == BenefitEndReason.PARTNER_INCOME:
            assert work_exits[households[number]] == end

    # A re-entry: the same kind of benefit, months after the exit, after the job ended.
    for (number, start), (kind, end, reason) in new.items():
        assert end is None
        assert reason == ""
        assert start <= TODAY
        previous = [(s, v) for (n, s), v in ended.items() if n == number]
        assert len(previous) == 1
        _start, (previous_kind, exit_day, previous_reason) = previous[0]
        assert exit_day is not None
        assert previous_kind == kind
        assert REENTRY_AFTER_DAYS[0] <= (start - exit_day).days <= REENTRY_AFTER_DAYS[1]
        if previous_reason == BenefitEndReason.WORK:
            # The job ended between the exit and the new application.
            assert any(
                job_end is not None and exit_day <= job_end <= start
                for _on, _hours, job_end in jobs[number]
            ), number
        else:
            assert previous_reason == BenefitEndReason.PARTNER_INCOME
    # One open period per client (the database's constraint holds it too).
    open_ones = [number for (number, _s), (_k, end, _r) in after.items() if end is None]
    assert len(open_ones) == len(set(open_ones))

    # Idempotent: a second run changes nothing.
    events = _events()
    demo_outcomes_create(municipality=municipality, seed=SEED, today=TODAY)
    assert _periods() == after
    assert _events() == events

    # Deterministic: with its events deleted, a new run takes its own exits back first and
    # makes the same exits, re-entries and job ends again.
    OutcomeEvent.objects.all().delete()
    PlantedEffect.objects.all().delete()
    demo_outcomes_create(municipality=municipality, seed=SEED, today=TODAY)
    assert _periods() == after
    assert _events() == events
