"""The estimators on synthetic data with a known effect on the treated (effects.synthetic)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from meedoen.effects.estimate import (
    FEW_TREATED,
    METHODS,
    SMD_DOUBTFUL,
    SMD_NOT_CREDIBLE,
    balance_limits,
    balance_reason,
    effective_size,
    evaluate,
)
from meedoen.effects.synthetic import make_synthetic
from meedoen.effects.table import EffectInputError

TOP_KEYS = {
    "matching",
    "ipw",
    "aipw",
    "naive_difference",
    "balance",
    "overlap",
    "placebo",
    "mde",
    "verdict",
    "reasons",
}
METHOD_KEYS = {"estimate", "ci_low", "ci_high", "n_treated", "n_control"}


def _run(data, **kwargs):
    kwargs.setdefault("bootstrap", 50)
    return evaluate(
        data.X,
        data.t,
        data.y,
        covariate_names=data.covariate_names,
        placebo=data.placebo,
        **kwargs,
    )


@pytest.fixture(scope="module")
def sound():
    data = make_synthetic(1500, seed=3)
    return data, _run(data, seed=3)


def test_estimators_recover_the_planted_effect_where_the_naive_difference_misses_it(sound):
    data, report = sound
    naive = report.naive_difference
    assert not naive.ci_low <= data.true_att <= naive.ci_high
    assert naive.estimate > 1.5 * data.true_att  # selection on the covariates inflates it
    for method in METHODS:
        result = report.methods[method]
        assert result.ci_low <= data.true_att <= result.ci_high, method
        assert abs(result.estimate - data.true_att) < 0.15 * data.true_att, method
    assert report.placebo is not None
    assert not report.placebo_flag
    assert report.verdict == "credible"


def test_binary_outcome_is_recovered_too():
    data = make_synthetic(1500, seed=5, binary=True)
    report = _run(data, seed=5)
    assert not report.naive_difference.ci_low <= data.true_att <= report.naive_difference.ci_high
    for method in METHODS:
        result = report.methods[method]
        assert result.ci_low <= data.true_att <= result.ci_high, method


def test_hidden_confounder_makes_the_placebo_flag_and_the_verdict_not_credible():
    data = make_synthetic(1500, seed=4, broken=True)
    report = _run(data, seed=4)
    assert report.placebo_flag
    assert report.verdict == "not_credible"
    assert "placebo_flagged" in [reason.code for reason in report.reasons]


def test_json_has_exactly_the_keys_of_the_issue(sound):
    data, report = sound
    payload = json.loads(json.dumps(report.to_dict()))
    assert set(payload) == TOP_KEYS
    for method in METHODS:
        assert set(payload[method]) == METHOD_KEYS
    assert set(payload["naive_difference"]) == {"estimate", "ci_low", "ci_high"}
    assert set(payload["placebo"]) == {"estimate", "ci_low", "ci_high", "flag"}
    assert set(payload["balance"]) == set(data.covariate_names)
    assert set(payload["balance"]["trede"]) == {"before", "after", "after_weighting"}
    # Weighting removes the imbalance on the ladder rung that drives selection.
    assert abs(payload["balance"]["trede"]["before"]) > 0.3
    assert abs(payload["balance"]["trede"]["after_weighting"]) < 0.1
    assert payload["verdict"] in {"credible", "doubtful", "not_credible"}
    assert all(set(r) == {"code", "message"} for r in payload["reasons"])
    histogram = payload["overlap"]["histogram"]
    assert len(histogram["edges"]) == len(histogram["treated"]) + 1
    assert sum(histogram["treated"]) == pytest.approx(1, abs=1e-3)
    assert payload["mde"] > 0


def test_only_the_methods_asked_for_are_in_the_report():
    data = make_synthetic(600, seed=1)
    payload = _run(data, methods=("ipw",), seed=1).to_dict()
    assert "ipw" in payload
    assert "matching" not in payload
    assert "aipw" not in payload


def test_same_seed_same_answer_other_seed_other_interval():
    data = make_synthetic(600, seed=2)
    first = _run(data, seed=11).to_dict()
    assert _run(data, seed=11).to_dict() == first
    assert _run(data, seed=12).to_dict()["aipw"]["ci_low"] != first["aipw"]["ci_low"]


def test_progress_reaches_its_total():
    data = make_synthetic(600, seed=2)
    calls: list[tuple[int, int]] = []
    _run(data, seed=1, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1][0] == calls[-1][1]
    assert [done for done, _total in calls] == sorted(done for done, _total in calls)
    assert len(calls) > 3


def test_estimate_smaller_than_the_mde_is_said():
    data = make_synthetic(400, seed=8, effect=0.0)
    report = _run(data, seed=8)
    assert abs(report.primary_result.estimate) < report.mde
    assert "below_mde" in [reason.code for reason in report.reasons]


def test_array_validation():
    data = make_synthetic(300, seed=1)
    with pytest.raises(EffectInputError, match="0 of 1"):
        evaluate(data.X, data.t * 2, data.y, covariate_names=data.covariate_names)
    few = data.t.copy()
    few[np.flatnonzero(few == 1)[5:]] = 0
    with pytest.raises(EffectInputError, match="minstens 20"):
        evaluate(data.X, few, data.y, covariate_names=data.covariate_names)
    with pytest.raises(EffectInputError, match="Onbekende methode"):
        evaluate(data.X, data.t, data.y, covariate_names=data.covariate_names, methods=("x",))


def test_no_overlap_is_refused_with_a_message():
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(-5, 0.3, 200), rng.normal(5, 0.3, 200)])
    t = np.concatenate([np.zeros(200), np.ones(200)])
    y = x + rng.normal(0, 1, 400)
    with pytest.raises(EffectInputError, match="te weinig op elkaar"):
        evaluate(x[:, None], t, y, covariate_names=["x"], bootstrap=50)


def test_constant_covariate_is_dropped_with_a_reason():
    data = make_synthetic(600, seed=2)
    X = np.column_stack([data.X, np.ones(len(data.t))])
    report = evaluate(
        X, data.t, data.y, covariate_names=[*data.covariate_names, "overal"], bootstrap=50
    )
    assert "overal" not in report.balance
    assert "covariates_dropped" in [reason.code for reason in report.reasons]


# --- The balance rule: fixed limits, raised to what chance produces with few people ---------

# The Herstelgroep case of the 2,700-client demo: 28 participants, 25 covariates, a few hundred
# non-participants' worth of weight.
SMALL = (28.0, 300.0)
LARGE = (2000.0, 5000.0)


def _balance_of(worst: float, k: int = 25, key: str = "after_weighting"):
    balance = {f"x{i}": {"after": 0.01, "after_weighting": 0.01} for i in range(k - 1)}
    balance["trede"] = {"after": 0.01, "after_weighting": 0.01, key: -worst}
    return balance


def test_effective_size_is_n_for_equal_weights_and_less_when_few_carry_the_weight():
    assert effective_size(np.ones(40)) == pytest.approx(40)
    assert effective_size(np.r_[np.zeros(10), np.ones(40)]) == pytest.approx(40)
    assert effective_size(np.r_[np.full(39, 0.1), 10.0]) < 2
    assert effective_size(np.zeros(5)) == 0


def test_limits_are_the_fixed_standard_with_many_people_and_rise_with_few():
    large = balance_limits(*LARGE, 10)
    assert (large.doubtful, large.not_credible) == (SMD_DOUBTFUL, SMD_NOT_CREDIBLE)
    small = balance_limits(*SMALL, 25)
    # Chance alone: SD about sqrt(1/28 + 1/300) = 0.20; the worst of 25 about 0.4.
    assert small.chance_sd == pytest.approx(0.197, abs=0.002)
    assert 0.5 < small.doubtful < small.not_credible < 1.0
    # More covariates, a larger chance maximum; more people, a smaller one.
    assert balance_limits(*SMALL, 40).doubtful > balance_limits(*SMALL, 5).doubtful
    assert balance_limits(200.0, 300.0, 25).doubtful < small.doubtful
    assert balance_limits(0.0, 300.0, 25).not_credible == float("inf")


@pytest.mark.parametrize(
    ("worst", "sizes", "code"),
    [
        (0.05, LARGE, None),
        (0.18, LARGE, "imbalance_moderate"),
        (0.40, LARGE, "imbalance_severe"),
        # What chance alone gives 28 participants and 25 covariates: no alarm any more.
        (0.40, SMALL, None),
        (0.70, SMALL, "imbalance_moderate"),
        (1.00, SMALL, "imbalance_severe"),
    ],
)
def test_balance_reason_per_branch(worst, sizes, code):
    reason = balance_reason(_balance_of(worst), primary="aipw", sizes=sizes)
    assert (reason and reason.code) == code
    if reason is not None:
        assert "'trede'" in reason.message
        assert reason.level == ("not_credible" if code == "imbalance_severe" else "doubtful")
        # The chance sentence appears only when chance set the limit.
        assert ("toeval" in reason.message) == (sizes == SMALL)


def test_balance_reason_follows_the_primary_method():
    balance = _balance_of(0.4, key="after")
    assert balance_reason(balance, primary="aipw", sizes=LARGE) is None
    reason = balance_reason(balance, primary="matching", sizes=LARGE)
    assert reason is not None
    assert reason.code == "imbalance_severe"


def test_few_participants_is_doubtful_but_chance_imbalance_is_not_held_against_them():
    data = make_synthetic(1500, seed=0, extra_covariates=16)
    rng = np.random.default_rng(0)
    treated = rng.choice(np.flatnonzero(data.t == 1), 28, replace=False)
    rows = np.sort(np.r_[treated, np.flatnonzero(data.t == 0)])
    report = evaluate(
        data.X[rows],
        data.t[rows],
        data.y[rows],
        covariate_names=data.covariate_names,
        placebo=data.placebo[rows],
        bootstrap=50,
        seed=0,
    )
    codes = [reason.code for reason in report.reasons]
    assert report.verdict == "doubtful"
    assert "few_participants" in codes
    assert not {"imbalance_moderate", "imbalance_severe", "checks_passed"} & set(codes)
    # Under the fixed limits this chance imbalance alone would have made it doubtful.
    worst = max(abs(values["after_weighting"]) for values in report.balance.values())
    assert worst > SMD_DOUBTFUL
    message = next(r.message for r in report.reasons if r.code == "few_participants")
    assert f"op {report.primary_result.n_treated} deelnemers" in message


def test_many_participants_no_few_participants_reason(sound):
    _data, report = sound
    assert report.primary_result.n_treated >= FEW_TREATED
    assert "few_participants" not in [reason.code for reason in report.reasons]


def test_credible_with_many_covariates_and_good_adjustment():
    data = make_synthetic(5000, seed=1, extra_covariates=20)
    report = _run(data, seed=1)
    assert report.verdict == "credible"
    assert [reason.code for reason in report.reasons] == ["checks_passed"]


def test_real_imbalance_with_many_people_still_flags():
    # Both tails of x take part; a propensity linear in x and x^2 overshoots in the tails and
    # leaves the participants far from the weighted non-participants on x^2.
    rng = np.random.default_rng(0)
    n = 4000
    x = rng.normal(0, 1, n)
    t = rng.binomial(1, np.where(np.abs(x) > 1.2, 0.8, 0.15)).astype(float)
    y = x**2 + t + rng.normal(0, 1, n)
    X = np.column_stack([x, x**2, rng.normal(0, 1, n)])
    report = evaluate(X, t, y, covariate_names=["x", "x2", "z"], bootstrap=50)
    assert report.primary_result.n_treated > 1000
    assert abs(report.balance["x2"]["after_weighting"]) > 0.5
    assert report.verdict == "not_credible"
    assert "imbalance_severe" in [reason.code for reason in report.reasons]
