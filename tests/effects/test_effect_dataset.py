"""The effect dataset: covariates from before the start only, the placebo apart, no identifiers,
a fixed number of queries whatever the population."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meedoen.analytics.effect_dataset import (
    PLACEBO_NAME,
    EffectDatasetError,
    build_dataset,
)
from meedoen.clients.models import Client
from meedoen.dataexchange.demo.outcomes import demo_outcomes_create
from meedoen.instruments.models import Instrument
from meedoen.outcomes.constants import OutcomeKind, OutcomeSource
from meedoen.outcomes.models import OutcomeEvent
from meedoen.plans.constants import GoalStatus
from meedoen.plans.models import Goal
from tests.effects.test_demo_outcomes import TODAY, _build


@pytest.fixture
def demo(db):
    municipality, stats = _build(clients=500, seed=5)
    demo_outcomes_create(municipality=municipality, seed=5, today=TODAY, plan_truth=stats.truth)
    instrument = (
        Instrument.objects.filter(enrolments__started_on__isnull=False, municipality=municipality)
        .order_by("name")
        .first()
    )
    return municipality, instrument


def _dataset(municipality, instrument, outcome="job_started", **kwargs):
    return build_dataset(
        municipality=municipality,
        instrument=instrument,
        outcome=outcome,
        reference_date=TODAY,
        **kwargs,
    )


def test_shape_placebo_and_no_identifiers(demo):
    municipality, instrument = demo
    data = _dataset(municipality, instrument)
    n = data.n_population
    assert n > 20
    assert data.n_treated >= 1
    assert data.X.shape == (n, len(data.covariate_names))
    assert data.treatment.shape == data.outcome.shape == (n,)
    assert set(np.unique(data.treatment)) <= {0.0, 1.0}
    assert data.placebo is not None
    assert data.placebo.shape == (n,)
    # The placebo (a job before the start) is not a covariate, nor anything about jobs before.
    assert data.placebo_name == PLACEBO_NAME
    assert all("betaald werk" not in name for name in data.covariate_names)
    assert "leeftijd" in data.covariate_names
    # No identifiers: no client number, id or name in any text, only numbers in the arrays.
    texts = " ".join(
        str(value)
        for value in dataclasses.asdict(data).values()
        if not isinstance(value, np.ndarray)
    ) + " ".join(data.covariate_names)
    for pk, number, _surname in Client.objects.values_list("id", "client_number", "surname"):
        assert str(pk) not in texts
        assert pk.hex not in texts
        assert number not in texts.split()
    for array in (data.X, data.treatment, data.outcome, data.placebo):
        assert array.dtype == np.float64
    # Population and design are explained in Dutch.
    assert instrument.name in data.population_definition
    assert "startdatum" in data.index_date_rule


def test_covariates_use_nothing_after_the_start(demo):
    municipality, instrument = demo
    before = _dataset(municipality, instrument, outcome="goal_achieved")
    # After the index: an achieved goal, education started.
    members = list(Goal.objects.values_list("member_id", flat=True).distinct())
    goal = Goal.objects.filter(achieved_on__isnull=True).order_by("id").first()
    assert goal is not None
    Goal.objects.filter(pk=goal.pk).update(
        status=GoalStatus.ACHIEVED, achieved_on=TODAY - dt.timedelta(days=1)
    )
    for member_id in members[:30]:
        OutcomeEvent.objects.create(
            municipality=municipality,
            client_id=member_id,
            kind=OutcomeKind.EDUCATION_STARTED,
            occurred_on=TODAY - dt.timedelta(days=2),
            source=OutcomeSource.COACH,
        )
    after = _dataset(municipality, instrument, outcome="goal_achieved")
    assert after.covariate_names == before.covariate_names
    np.testing.assert_array_equal(after.X, before.X)
    np.testing.assert_array_equal(after.treatment, before.treatment)
    assert after.outcome.sum() >= before.outcome.sum()


def test_unknown_outcome_is_a_dutch_error(demo):
    municipality, instrument = demo
    with pytest.raises(EffectDatasetError, match="Onbekende uitkomst"):
        _dataset(municipality, instrument, outcome="geluk")
    with pytest.raises(EffectDatasetError, match="minstens 1 maand"):
        _dataset(municipality, instrument, horizon_months=0)


def test_fixed_number_of_queries_at_two_sizes(demo):
    municipality, instrument = demo
    clients = Client.objects.filter(municipality=municipality).order_by("client_number")
    counts, sizes = [], []
    for population in (clients.filter(pk__in=list(clients.values_list("pk", flat=True)[:250])),
                       clients):  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            data = _dataset(municipality, instrument, population=population)
        counts.append(len(queries))
        sizes.append(data.n_population)
    assert sizes[0] < sizes[1]
    assert counts[0] == counts[1] <= 12


def test_horizon_keeps_only_complete_follow_up(demo):
    municipality, instrument = demo
    full = _dataset(municipality, instrument, outcome="job_started")
    twelve = _dataset(municipality, instrument, outcome="job_started_12m")
    assert twelve.n_population < full.n_population
    assert twelve.horizon_months == 12
    assert full.horizon_months is None
    assert "12 maanden" in twelve.outcome_definition
