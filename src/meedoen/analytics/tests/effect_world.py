"""A small population for effect evaluations: plan members with a work goal, a first profile,
some of them started in a job coach instrument, and paid jobs afterwards. Selection into the
instrument and the chance of a job both depend on the ladder rung, so the naive difference is
biased; the instrument adds `effect` to the chance of a job. Written straight to the models
(test set-up, not a product path); deterministic for a seed."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone

from meedoen.accounts.models import Municipality
from meedoen.clients.constants import Gender
from meedoen.clients.tests.factories import ClientFactory
from meedoen.instruments.constants import EnrolmentStatus, InstrumentKind
from meedoen.instruments.models import Enrolment, Instrument
from meedoen.outcomes.constants import OutcomeKind, OutcomeSource
from meedoen.outcomes.models import OutcomeEvent
from meedoen.plans.models import Goal, Plan
from meedoen.profiles.models import Conversation, ProfileSnapshot


def _valid_bsns() -> Iterator[str]:
    """BSNs of the 9999xxxxx test range that pass the 11-proef, from the top of the range, so
    they do not meet those of clients.tests.factories.test_bsn (which counts from the bottom,
    and slows down as its counter grows)."""
    for candidate in range(999999999, 999900000, -1):
        digits = str(candidate)
        total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
        if (total - int(digits[8])) % 11 == 0:
            yield digits


_BSNS = _valid_bsns()


@dataclass(frozen=True)
class EffectWorld:
    instrument: Instrument
    treated: int
    members: int


def effect_world(
    municipality: Municipality,
    *,
    members: int = 160,
    effect: float = 0.3,
    seed: int = 7,
    name: str = "Jobcoach Test",
    today: dt.date | None = None,
) -> EffectWorld:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    instrument = Instrument.objects.create(
        municipality=municipality, name=name, kind=InstrumentKind.JOB_COACH, capacity=None
    )
    make = ClientFactory(municipality)
    plans, goals, conversations, profiles, enrolments, jobs = [], [], [], [], [], []
    index_of = {}
    treated = 0
    for i in range(members):
        client = make(
            bsn=next(_BSNS),
            date_of_birth=dt.date(1960 + rng.randrange(40), 1 + rng.randrange(12), 1),
            gender=Gender.FEMALE if rng.random() < 0.5 else Gender.MALE,
        )
        index = today - dt.timedelta(days=500 + rng.randrange(200))
        ladder = rng.randint(1, 5)
        plan = Plan(
            municipality=municipality,
            household=client.household,
            review_interval_months=3,
            next_review_on=index + dt.timedelta(days=90),
        )
        plans.append(plan)
        index_of[plan.pk] = index
        goals.append(
            Goal(
                plan=plan,
                member=client,
                domain="werk_opleiding",
                what="Werk vinden",
                due_on=index + dt.timedelta(days=180),
            )
        )
        conversation = Conversation(
            municipality=municipality,
            client=client,
            date=index - dt.timedelta(days=7),
            place="kantoor",
            conducted_by_name="Test",
        )
        conversations.append(conversation)
        profiles.append(
            ProfileSnapshot(
                conversation=conversation,
                ladder_current=ladder,
                ladder_potential=min(6, ladder + 1),
            )
        )
        # Closer to work: more often in the job coach, and more often a job anyway.
        is_treated = rng.random() < 0.15 + 0.1 * ladder
        if is_treated:
            treated += 1
            enrolments.append(
                Enrolment(
                    instrument=instrument,
                    client=client,
                    household=client.household,
                    status=EnrolmentStatus.STARTED,
                    requested_at=timezone.now() - dt.timedelta(days=400),
                    started_on=index + dt.timedelta(days=30),
                    created_by_name="Test",
                )
            )
        if rng.random() < 0.05 + 0.08 * ladder + (effect if is_treated else 0.0):
            jobs.append(
                OutcomeEvent(
                    municipality=municipality,
                    client=client,
                    kind=OutcomeKind.JOB_STARTED,
                    occurred_on=index + dt.timedelta(days=120),
                    hours_per_week=20,
                    source=OutcomeSource.DEMO,
                )
            )
        del i
    Plan.objects.bulk_create(plans)
    Goal.objects.bulk_create(goals)
    Conversation.objects.bulk_create(conversations)
    ProfileSnapshot.objects.bulk_create(profiles)
    Enrolment.objects.bulk_create(enrolments)
    OutcomeEvent.objects.bulk_create(jobs)
    # The plan (and its goals) began on the index date: created_at is set on insert.
    for plan in plans:
        moment = timezone.make_aware(dt.datetime.combine(index_of[plan.pk], dt.time(10)))
        Plan.objects.filter(pk=plan.pk).update(created_at=moment)
        Goal.objects.filter(plan=plan).update(created_at=moment)
    return EffectWorld(instrument=instrument, treated=treated, members=members)
