"""The effect of a treatment on the treated (ATT), three ways, with the diagnostics that decide
whether to believe it. docs/effects.md explains the methods in plain words; ADR 0016 the choices.

Every estimator is written as a linear (influence-function) representation
``estimate - truth ~ mean(psi)``, so one multiplier bootstrap (``delta* = mean(v * psi)`` with
``v ~ N(0, 1)``, the same draws for every method) gives all intervals without refitting a model:

- matching: nearest neighbour on the logit of the propensity score, one match with replacement,
  caliper 0.2 SD of the logit, Abadie-Imbens bias adjustment (OLS of the outcome on the
  covariates among the controls). The naive bootstrap is invalid for matching (Abadie & Imbens
  2008); the multiplier bootstrap of the linear representation is the weighted bootstrap of
  Otsu & Rai (2017), whose variance equals the Abadie-Imbens (2006) variance estimator.
- ipw: ATT weights e/(1-e) for the controls, normalised (Hajek), propensity trimmed to
  [0.01, 0.99]; the influence function includes the term for the estimated logistic propensity.
- aipw: the doubly robust ATT (outcome model for the controls plus ATT weights, normalised) with
  5-fold cross-fitting; gradient boosting for both nuisance models when n >= 5,000 and both
  groups >= 500, logistic and linear regression otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.utils import formats
from django.utils.translation import gettext as _
from scipy.stats import norm
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from meedoen.effects.table import MIN_GROUP, EffectInputError, drop_constant, validate_arrays

__all__ = [
    "EffectInputError",
    "EffectReport",
    "MethodResult",
    "Reason",
    "balance_limits",
    "balance_reason",
    "effective_size",
    "evaluate",
]

METHODS = ("matching", "ipw", "aipw")
# The method whose estimate the verdict, the placebo and the MDE comparison are about: the most
# robust one that was run.
PRIMARY_ORDER = ("aipw", "ipw", "matching")
TRIM = (0.01, 0.99)
CALIPER_SD = 0.2
FOLDS = 5
FLEXIBLE_MIN_N = 5000
FLEXIBLE_MIN_GROUP = 500
# L2 strength of the logistic propensity model on standardised covariates (sklearn's C).
PS_C = 1.0
BOOTSTRAP_MIN, BOOTSTRAP_MAX = 20, 10000
BOOTSTRAP_CHUNK = 25
Z_95 = 1.959963984540054
Z_POWER_80 = 0.8416212335729143
# Verdict thresholds (docs/effects.md, "The verdict").
SMD_DOUBTFUL = 0.1
SMD_NOT_CREDIBLE = 0.25
# With few people, chance alone makes the worst of k SMDs large (28 participants and 25
# covariates: about 0.4), so each fixed limit is raised to what chance exceeds only this often:
# the quantile of the largest of k half-normal variables times the chance SD of an SMD.
SMD_CHANCE_DOUBTFUL = 0.05
SMD_CHANCE_NOT_CREDIBLE = 0.001
FEW_TREATED = 50
TRIMMED_NOT_CREDIBLE = 0.10
HISTOGRAM_BINS = 20

CREDIBLE, DOUBTFUL, NOT_CREDIBLE = "credible", "doubtful", "not_credible"
_SEVERITY = {CREDIBLE: 0, DOUBTFUL: 1, NOT_CREDIBLE: 2}

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class MethodResult:
    estimate: float
    ci_low: float
    ci_high: float
    n_treated: int
    n_control: int
    se: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "estimate": _sig(self.estimate),
            "ci_low": _sig(self.ci_low),
            "ci_high": _sig(self.ci_high),
            "n_treated": self.n_treated,
            "n_control": self.n_control,
        }


@dataclass(frozen=True)
class Reason:
    code: str
    message: str
    # The verdict this reason asks for at least (credible = information only).
    level: str = CREDIBLE

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass
class EffectReport:
    methods: dict[str, MethodResult]
    naive_difference: MethodResult
    balance: dict[str, dict[str, float]]
    overlap: dict[str, Any]
    placebo: MethodResult | None
    placebo_flag: bool
    mde: float
    verdict: str
    reasons: list[Reason]
    primary: str
    covariate_names: list[str]
    warnings: list[str] = field(default_factory=list)

    @property
    def primary_result(self) -> MethodResult:
        return self.methods[self.primary]

    def to_dict(self) -> dict[str, Any]:
        """The JSON of issue 7: one object per method that ran, then the diagnostics."""
        result: dict[str, Any] = {name: self.methods[name].to_dict() for name in self.methods}
        naive = self.naive_difference
        result["naive_difference"] = {
            "estimate": _sig(naive.estimate),
            "ci_low": _sig(naive.ci_low),
            "ci_high": _sig(naive.ci_high),
        }
        result["balance"] = {
            name: {key: round(value, 4) for key, value in values.items()}
            for name, values in self.balance.items()
        }
        result["overlap"] = self.overlap
        result["placebo"] = (
            None
            if self.placebo is None
            else {
                "estimate": _sig(self.placebo.estimate),
                "ci_low": _sig(self.placebo.ci_low),
                "ci_high": _sig(self.placebo.ci_high),
                "flag": self.placebo_flag,
            }
        )
        result["mde"] = _sig(self.mde)
        result["verdict"] = self.verdict
        result["reasons"] = [reason.to_dict() for reason in self.reasons]
        return result


def _sig(value: float) -> float:
    """Six significant digits: enough for euros and for shares, and JSON-safe."""
    return float(f"{value:.6g}")


def evaluate(
    X: Any,
    t: Any,
    y: Any,
    *,
    covariate_names: Sequence[str],
    methods: Sequence[str] = METHODS,
    placebo: Any = None,
    bootstrap: int = 200,
    seed: int = 0,
    progress: Progress | None = None,
) -> EffectReport:
    X = np.asarray(X, dtype=float)
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float)
    names = list(covariate_names)
    validate_arrays(X, t, y)
    if len(names) != X.shape[1]:
        raise EffectInputError(_("Het aantal kenmerknamen past niet bij de kenmerken."))
    unknown = [m for m in methods if m not in METHODS]
    if unknown or not methods:
        raise EffectInputError(
            _("Onbekende methode %(method)s; kies uit %(choices)s.")
            % {"method": ", ".join(unknown) or "-", "choices": ", ".join(METHODS)},
            field="method",
        )
    chosen = [m for m in METHODS if m in methods]
    if not BOOTSTRAP_MIN <= bootstrap <= BOOTSTRAP_MAX:
        raise EffectInputError(
            _("Het aantal bootstrap-herhalingen moet tussen %(min)d en %(max)d liggen.")
            % {"min": BOOTSTRAP_MIN, "max": BOOTSTRAP_MAX},
            field="bootstrap",
        )
    placebo_y = None
    if placebo is not None:
        placebo_y = np.asarray(placebo, dtype=float)
        if placebo_y.shape != y.shape or not np.isfinite(placebo_y).all():
            raise EffectInputError(
                _("De placebo-uitkomst heeft lege waarden of een ander aantal rijen."),
                field="placebo",
            )
    X, names, dropped = drop_constant(X, names)
    warnings = [
        _("Kenmerk '%(column)s' heeft overal dezelfde waarde en is weggelaten.") % {"column": n}
        for n in dropped
    ]
    validate_arrays(X, t, y)

    fit_steps = 3 + (FOLDS if "aipw" in chosen else 0)
    total = fit_steps + bootstrap
    done = 0

    def step(amount: int = 1) -> None:
        nonlocal done
        done += amount
        if progress is not None:
            progress(min(done, total), total)

    n = len(t)
    treated = t == 1
    control = ~treated
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    Z1 = np.column_stack([np.ones(n), Z])

    # The propensity score for matching, IPW, balance and overlap.
    ps_model = LogisticRegression(C=PS_C, max_iter=2000).fit(Z, t)
    logit = ps_model.decision_function(Z)
    e = 1.0 / (1.0 + np.exp(-logit))
    step()
    overlap, trimmed = _overlap(e, treated)
    kept = ~trimmed
    if (kept & treated).sum() < MIN_GROUP or (kept & control).sum() < MIN_GROUP:
        raise _no_overlap(overlap)

    caliper = CALIPER_SD * float(logit.std())
    matched_t, matched_c = _match(logit, treated, caliper)
    overlap["caliper"] = round(caliper, 4)
    overlap["share_unmatched"] = round(1 - len(matched_t) / treated.sum(), 4)
    if "matching" in chosen and len(matched_t) < MIN_GROUP:
        raise _no_overlap(overlap)
    k_weights = np.bincount(matched_c, minlength=n).astype(float)
    ipw_w = np.where(kept & control, e / (1 - e), 0.0)
    balance = _balance(X, names, treated, matched_t, k_weights, kept, ipw_w)
    # Sizes behind the primary method's balance; the weighted or re-used controls count as
    # Kish's effective sample size.
    primary = next(m for m in PRIMARY_ORDER if m in chosen)
    if primary == "matching":
        balance_sizes = (float(len(matched_t)), effective_size(k_weights))
    else:
        balance_sizes = (float((treated & kept).sum()), effective_size(ipw_w))
    step()

    outcomes = [y] + ([placebo_y] if placebo_y is not None else [])
    aipw_parts = None
    if "aipw" in chosen:
        # One OpenMP thread for the boosting: with two threads on a busy two-core server
        # (web workers, the job worker) libgomp's spin-waiting made it ten times slower.
        with threadpool_limits(limits=1, user_api="openmp"):
            aipw_parts = _cross_fit(Z, Z1, t, outcomes, seed=seed, step=step)

    def influence(method: str, v: np.ndarray, index: int) -> tuple[float, np.ndarray, int, int]:
        if method == "matching":
            return _matching_if(Z1, v, treated, matched_t, k_weights)
        if method == "ipw":
            return _ipw_if(Z1, v, treated, kept, e, ps_model)
        assert aipw_parts is not None
        e_cf, m0s = aipw_parts
        return _aipw_if(v, treated, e_cf, m0s[index])

    columns: list[tuple[str, float, np.ndarray, int, int]] = []
    for method in chosen:
        columns.append((method, *influence(method, y, 0)))
    columns.append(("naive", *_naive_if(y, treated)))
    if placebo_y is not None:
        columns.append(("placebo", *influence(primary, placebo_y, 1)))
    step()

    psi = np.column_stack([c[2] for c in columns])
    deltas = _multiplier_bootstrap(psi, bootstrap, seed, step)
    results: dict[str, MethodResult] = {}
    for (name, estimate, _psi, n_t, n_c), draws in zip(columns, deltas.T, strict=True):
        low, high = np.quantile(estimate + draws, [0.025, 0.975])
        results[name] = MethodResult(
            estimate=estimate,
            ci_low=float(low),
            ci_high=float(high),
            n_treated=n_t,
            n_control=n_c,
            se=float(draws.std()),
        )

    n1, n0 = int(treated.sum()), int(control.sum())
    pooled_var = ((n1 - 1) * y[treated].var(ddof=1) + (n0 - 1) * y[control].var(ddof=1)) / (
        n1 + n0 - 2
    )
    mde = (Z_95 + Z_POWER_80) * math.sqrt(pooled_var * (1 / n1 + 1 / n0))
    placebo_result = results.get("placebo")
    placebo_flag = bool(
        placebo_result is not None and (placebo_result.ci_low > 0 or placebo_result.ci_high < 0)
    )
    method_results = {m: results[m] for m in chosen}
    reasons = _reasons(
        method_results=method_results,
        primary=primary,
        balance=balance,
        balance_sizes=balance_sizes,
        overlap=overlap,
        placebo_given=placebo_y is not None,
        placebo_flag=placebo_flag,
        mde=mde,
        dropped=dropped,
    )
    verdict = max((r.level for r in reasons), key=_SEVERITY.__getitem__, default=CREDIBLE)
    if verdict == CREDIBLE:
        reasons.insert(
            0,
            Reason(
                "checks_passed",
                _("De groepen zijn na correctie vergelijkbaar en de controles geven geen alarm."),
            ),
        )
    return EffectReport(
        methods=method_results,
        naive_difference=results["naive"],
        balance=balance,
        overlap=overlap,
        placebo=placebo_result,
        placebo_flag=placebo_flag,
        mde=mde,
        verdict=verdict,
        reasons=reasons,
        primary=primary,
        covariate_names=names,
        warnings=warnings,
    )


def _num(value: float, decimals: int = 2) -> str:
    """A number in a message as the reader writes it (0,25 in Dutch, 0.25 in English)."""
    return formats.number_format(round(float(value), decimals), decimals)


def _no_overlap(overlap: dict[str, Any]) -> EffectInputError:
    return EffectInputError(
        _(
            "De deelnemers en de niet-deelnemers lijken te weinig op elkaar om te vergelijken: "
            "de kans op deelname loopt voor deelnemers van %(t_low)s tot %(t_high)s en voor "
            "niet-deelnemers van %(c_low)s tot %(c_high)s; na het weglaten van wie geen "
            "vergelijkbare tegenhanger heeft blijven er te weinig over (minstens %(min)d per "
            "groep nodig)."
        )
        % {
            "t_low": _num(overlap["treated"]["min"]),
            "t_high": _num(overlap["treated"]["max"]),
            "c_low": _num(overlap["control"]["min"]),
            "c_high": _num(overlap["control"]["max"]),
            "min": MIN_GROUP,
        },
        field="covariates",
    )


def _overlap(e: np.ndarray, treated: np.ndarray) -> tuple[dict[str, Any], np.ndarray]:
    control = ~treated
    trimmed = (e < TRIM[0]) | (e > TRIM[1])

    def summary(values: np.ndarray) -> dict[str, float]:
        q = np.quantile(values, [0, 0.05, 0.25, 0.5, 0.75, 0.95, 1])
        keys = ("min", "p05", "p25", "median", "p75", "p95", "max")
        return {k: round(float(v), 4) for k, v in zip(keys, q, strict=True)} | {
            "mean": round(float(values.mean()), 4)
        }

    edges = np.linspace(0, 1, HISTOGRAM_BINS + 1)
    # Shares per bin, not counts: the chart needs the shape, and a count of a few persons in
    # an outer bin is a small cell.
    hist_t = np.histogram(e[treated], bins=edges)[0] / treated.sum()
    hist_c = np.histogram(e[control], bins=edges)[0] / control.sum()
    low, high = e[control].min(), e[control].max()
    outside = ((e[treated] < low) | (e[treated] > high)).mean()
    overlap = {
        "treated": summary(e[treated]),
        "control": summary(e[control]),
        "histogram": {
            "edges": [round(float(x), 4) for x in edges],
            "treated": [round(float(x), 4) for x in hist_t],
            "control": [round(float(x), 4) for x in hist_c],
        },
        "trim_bounds": list(TRIM),
        "share_trimmed": {
            "treated": round(float(trimmed[treated].mean()), 4),
            "control": round(float(trimmed[control].mean()), 4),
        },
        "share_outside_support": round(float(outside), 4),
    }
    return overlap, trimmed


def _match(logit: np.ndarray, treated: np.ndarray, caliper: float) -> tuple[np.ndarray, np.ndarray]:
    """One nearest control (with replacement) per treated on the logit of the propensity score;
    treated without a control within the caliper stay unmatched."""
    t_index = np.flatnonzero(treated)
    c_index = np.flatnonzero(~treated)
    order = np.argsort(logit[c_index], kind="stable")
    c_sorted = c_index[order]
    c_logit = logit[c_sorted]
    position = np.searchsorted(c_logit, logit[t_index])
    left = np.clip(position - 1, 0, len(c_sorted) - 1)
    right = np.clip(position, 0, len(c_sorted) - 1)
    d_left = np.abs(logit[t_index] - c_logit[left])
    d_right = np.abs(logit[t_index] - c_logit[right])
    nearest = np.where(d_right < d_left, right, left)
    distance = np.minimum(d_left, d_right)
    ok = distance <= caliper
    return t_index[ok], c_sorted[nearest[ok]]


def _ols_fit(Z1: np.ndarray, v: np.ndarray) -> np.ndarray:
    coef, *_rest = np.linalg.lstsq(Z1, v, rcond=None)
    return coef


def _matching_if(
    Z1: np.ndarray,
    v: np.ndarray,
    treated: np.ndarray,
    matched_t: np.ndarray,
    k_weights: np.ndarray,
) -> tuple[float, np.ndarray, int, int]:
    control = ~treated
    mu0 = Z1 @ _ols_fit(Z1[control], v[control])
    residual = v - mu0
    # The bias-adjusted estimator is a weighted sum of residuals: +1 for a matched treated,
    # -K(i) for a control used K(i) times.
    is_matched = np.zeros(len(v), dtype=bool)
    is_matched[matched_t] = True
    n1 = len(matched_t)
    xi = np.where(is_matched, residual, 0.0) - k_weights * residual
    estimate = float(xi.sum() / n1)
    psi = len(v) * (xi - is_matched * estimate) / n1
    return estimate, psi, n1, int((k_weights > 0).sum())


def _ipw_if(
    Z1: np.ndarray,
    v: np.ndarray,
    treated: np.ndarray,
    kept: np.ndarray,
    e: np.ndarray,
    ps_model: LogisticRegression,
) -> tuple[float, np.ndarray, int, int]:
    n = len(v)
    t_in = treated & kept
    c_in = ~treated & kept
    w = np.where(c_in, e / (1 - e), 0.0)
    a = float(v[t_in].mean())
    c = float((w * v).sum() / w.sum())
    estimate = a - c
    psi = n * (np.where(t_in, v - a, 0.0) / t_in.sum() - w * (v - c) / w.sum())
    # The propensity is estimated: add its influence (logistic score times the derivative of
    # the estimate in the coefficients; the controls' weights e/(1-e) move with exp(x'gamma)).
    gradient = -(Z1 * (w * (v - c))[:, None]).sum(axis=0) / w.sum()
    hessian = (Z1 * (e * (1 - e))[:, None]).T @ Z1 / n
    penalty = np.eye(Z1.shape[1]) / (PS_C * n)
    penalty[0, 0] = 0.0
    direction = np.linalg.solve(hessian + penalty, gradient)
    psi = psi + (Z1 @ direction) * (treated.astype(float) - e)
    return estimate, psi, int(t_in.sum()), int(c_in.sum())


def _aipw_if(
    v: np.ndarray, treated: np.ndarray, e_cf: np.ndarray, m0: np.ndarray
) -> tuple[float, np.ndarray, int, int]:
    n = len(v)
    kept = (e_cf >= TRIM[0]) & (e_cf <= TRIM[1])
    t_in = treated & kept
    c_in = ~treated & kept
    if t_in.sum() < MIN_GROUP or c_in.sum() < MIN_GROUP:
        raise EffectInputError(
            _(
                "De deelnemers en de niet-deelnemers lijken te weinig op elkaar om te vergelijken "
                "(minstens %(min)d per groep nodig na het weglaten van wie geen vergelijkbare "
                "tegenhanger heeft)."
            )
            % {"min": MIN_GROUP},
            field="covariates",
        )
    residual = v - m0
    w = np.where(c_in, e_cf / (1 - e_cf), 0.0)
    a = float(residual[t_in].mean())
    c = float((w * residual).sum() / w.sum())
    estimate = a - c
    psi = n * (np.where(t_in, residual - a, 0.0) / t_in.sum() - w * (residual - c) / w.sum())
    return estimate, psi, int(t_in.sum()), int(c_in.sum())


def _naive_if(v: np.ndarray, treated: np.ndarray) -> tuple[float, np.ndarray, int, int]:
    n = len(v)
    n1, n0 = int(treated.sum()), int((~treated).sum())
    m1, m0 = float(v[treated].mean()), float(v[~treated].mean())
    psi = n * np.where(treated, (v - m1) / n1, -(v - m0) / n0)
    return m1 - m0, psi, n1, n0


def _flexible(n_train: int, n_treated: int, n_control: int) -> bool:
    return n_train >= FLEXIBLE_MIN_N and min(n_treated, n_control) >= FLEXIBLE_MIN_GROUP


def _boosting_params(seed: int) -> dict[str, Any]:
    # Shallow trees, early stopping on a held-out tenth: flexible enough for interactions and
    # thresholds, quick enough for 27,000 rows on two cores.
    return {
        "max_iter": 100,
        "max_bins": 63,
        "learning_rate": 0.2,
        "max_leaf_nodes": 15,
        "min_samples_leaf": 40,
        "l2_regularization": 1.0,
        "early_stopping": True,
        "validation_fraction": 0.1,
        "n_iter_no_change": 10,
        "random_state": seed,
    }


def _cross_fit(
    Z: np.ndarray,
    Z1: np.ndarray,
    t: np.ndarray,
    outcomes: list[np.ndarray],
    *,
    seed: int,
    step: Callable[[], None],
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Out-of-fold propensity and control-outcome predictions (K-fold cross-fitting), so each
    person's nuisance predictions come from models that did not see them."""
    n = len(t)
    e_cf = np.empty(n)
    m0s = [np.empty(n) for _ in outcomes]
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    for train, test in folds.split(Z, t):
        t_train = t[train]
        n1 = int(t_train.sum())
        flexible = _flexible(len(train), n1, len(train) - n1)
        if flexible:
            classifier: Any = HistGradientBoostingClassifier(**_boosting_params(seed))
        else:
            classifier = LogisticRegression(C=PS_C, max_iter=2000)
        classifier.fit(Z[train], t_train)
        e_cf[test] = classifier.predict_proba(Z[test])[:, 1]
        controls = train[t_train == 0]
        for v, m0 in zip(outcomes, m0s, strict=True):
            linear = _ols_fit(Z1[controls], v[controls])
            m0[test] = Z1[test] @ linear
            if flexible:
                # Boosting on the residuals of the linear fit: the linear part is caught exactly
                # (trees approximate a sum of many small linear effects poorly, and that error
                # does not cancel in the doubly robust estimate), the boosting adds what is left.
                regressor = HistGradientBoostingRegressor(**_boosting_params(seed))
                regressor.fit(Z[controls], v[controls] - Z1[controls] @ linear)
                m0[test] += regressor.predict(Z[test])
        step()
    return e_cf, m0s


def _multiplier_bootstrap(
    psi: np.ndarray, repetitions: int, seed: int, step: Callable[[int], None]
) -> np.ndarray:
    """Draws of estimate* - estimate = mean(v * psi), v ~ N(0, 1), shared by every column."""
    rng = np.random.default_rng(seed)
    n = psi.shape[0]
    draws = np.empty((repetitions, psi.shape[1]))
    for start in range(0, repetitions, BOOTSTRAP_CHUNK):
        size = min(BOOTSTRAP_CHUNK, repetitions - start)
        draws[start : start + size] = rng.standard_normal((size, n)) @ psi / n
        step(size)
    return draws


def _balance(
    X: np.ndarray,
    names: list[str],
    treated: np.ndarray,
    matched_t: np.ndarray,
    k_weights: np.ndarray,
    kept: np.ndarray,
    ipw_w: np.ndarray,
) -> dict[str, dict[str, float]]:
    """Standardised mean differences, always over the standard deviation before adjustment, so
    before and after are on one scale."""
    control = ~treated
    sd = np.sqrt((X[treated].var(axis=0, ddof=1) + X[control].var(axis=0, ddof=1)) / 2)
    sd = np.where(sd > 0, sd, 1.0)
    before = (X[treated].mean(axis=0) - X[control].mean(axis=0)) / sd
    if len(matched_t):
        matched_control = (k_weights @ X) / k_weights.sum()
        after = (X[matched_t].mean(axis=0) - matched_control) / sd
    else:
        after = np.full(X.shape[1], np.nan)
    weighted_control = (ipw_w @ X) / ipw_w.sum()
    after_w = (X[treated & kept].mean(axis=0) - weighted_control) / sd
    return {
        name: {
            "before": float(before[i]),
            "after": float(after[i]),
            "after_weighting": float(after_w[i]),
        }
        for i, name in enumerate(names)
    }


def effective_size(weights: np.ndarray) -> float:
    """Kish's effective sample size (sum w)^2 / sum w^2: n for equal weights, less when a few
    people carry much of the weight."""
    total = float(weights.sum())
    return total * total / float((weights * weights).sum()) if total > 0 else 0.0


@dataclass(frozen=True)
class BalanceLimits:
    doubtful: float
    not_credible: float
    # The SD of one SMD from chance alone, and the worst |SMD| of k that chance exceeds in 1 of
    # 20 sound comparisons.
    chance_sd: float
    chance_worst: float


def balance_limits(n_treated: float, n_control: float, n_covariates: int) -> BalanceLimits:
    """The limits for the worst |SMD| after adjustment: the fixed standard (0.1, 0.25), raised to
    what chance alone produces when the groups are small.

    An SMD of a covariate that does not differ between the populations has sampling SD of about
    sqrt(1/n_t + 1/n_c); the worst of k such values in absolute size is the largest of k
    half-normal variables, whose q-quantile is z at (1 + q^(1/k)) / 2. The covariates are
    treated as independent (one-hot levels are not): slightly lenient, never harsh."""
    k = max(n_covariates, 1)
    if n_treated <= 0 or n_control <= 0:
        chance_sd = math.inf
    else:
        chance_sd = math.sqrt(1 / n_treated + 1 / n_control)

    def worst(exceeded: float) -> float:
        return float(norm.ppf((1 + (1 - exceeded) ** (1 / k)) / 2)) * chance_sd

    return BalanceLimits(
        doubtful=max(SMD_DOUBTFUL, worst(SMD_CHANCE_DOUBTFUL)),
        not_credible=max(SMD_NOT_CREDIBLE, worst(SMD_CHANCE_NOT_CREDIBLE)),
        chance_sd=chance_sd,
        chance_worst=worst(SMD_CHANCE_DOUBTFUL),
    )


def balance_reason(
    balance: dict[str, dict[str, float]], *, primary: str, sizes: tuple[float, float]
) -> Reason | None:
    """`imbalance_severe` or `imbalance_moderate` when the worst |SMD| after the primary
    method's adjustment exceeds its limit (`balance_limits`), else None. `sizes` are the
    (effective) numbers of participants and non-participants behind that balance."""
    # Balance as the primary method achieves it: one-to-one matching balances less exactly than
    # weighting, and when it drifts off its estimate shows up in "methods_disagree".
    key = "after" if primary == "matching" else "after_weighting"
    worst_name, worst = "", 0.0
    for name, values in balance.items():
        if abs(values[key]) > worst:
            worst_name, worst = name, abs(values[key])
    limits = balance_limits(*sizes, len(balance))
    if worst > limits.not_credible:
        code, level, limit = "imbalance_severe", NOT_CREDIBLE, limits.not_credible
    elif worst > limits.doubtful:
        code, level, limit = "imbalance_moderate", DOUBTFUL, limits.doubtful
    else:
        return None
    message = _(
        "Na correctie verschillen de groepen nog op '%(column)s' (gestandaardiseerd "
        "verschil %(smd)s; boven %(limit)s is te veel)."
    ) % {"column": worst_name, "smd": _num(worst), "limit": _num(limit)}
    if limits.chance_worst > SMD_DOUBTFUL:
        # The limit came from chance: say so, or a reader holds the difference to 0.1.
        message += " " + _(
            "Bij groepen van deze omvang kan toeval alleen al een grootste verschil tot "
            "ongeveer %(chance)s geven; dit verschil is groter dan toeval verklaart."
        ) % {"chance": _num(limits.chance_worst)}
    return Reason(code, message, level)


def _reasons(
    *,
    method_results: dict[str, MethodResult],
    primary: str,
    balance: dict[str, dict[str, float]],
    balance_sizes: tuple[float, float],
    overlap: dict[str, Any],
    placebo_given: bool,
    placebo_flag: bool,
    mde: float,
    dropped: list[str],
) -> list[Reason]:
    reasons: list[Reason] = []
    if placebo_flag:
        reasons.append(
            Reason(
                "placebo_flagged",
                _(
                    "De placebotoets slaat aan: op een uitkomst van vóór de start verschillen de "
                    "groepen ook na correctie. Er zijn dus verschillen die de kenmerken niet "
                    "verklaren."
                ),
                NOT_CREDIBLE,
            )
        )
    elif not placebo_given:
        reasons.append(
            Reason(
                "no_placebo",
                _(
                    "Er is geen placebo-uitkomst opgegeven, dus verborgen verschillen tussen de "
                    "groepen zijn niet getoetst."
                ),
            )
        )
    imbalance = balance_reason(balance, primary=primary, sizes=balance_sizes)
    if imbalance is not None:
        reasons.append(imbalance)
    n_treated = method_results[primary].n_treated
    if n_treated < FEW_TREATED:
        reasons.append(
            Reason(
                "few_participants",
                _(
                    "Weinig deelnemers: de vergelijking rust op %(n)d deelnemers (minder dan "
                    "%(few)d). Met zo weinig mensen zijn zowel de vergelijkbaarheid van de groepen "
                    "als de geschatte uitkomst onzeker: een paar mensen meer of minder kan het "
                    "beeld flink veranderen. Zie de uitkomst als een aanwijzing, niet als bewijs."
                )
                % {"n": n_treated, "few": FEW_TREATED},
                DOUBTFUL,
            )
        )
    lost = overlap["share_unmatched" if primary == "matching" else "share_trimmed"]
    if primary != "matching":
        lost = lost["treated"]
    if lost > TRIMMED_NOT_CREDIBLE:
        reasons.append(
            Reason(
                "poor_overlap",
                _(
                    "%(share)d%% van de deelnemers heeft geen vergelijkbare niet-deelnemer en "
                    "valt buiten de vergelijking; de uitkomst geldt niet voor alle deelnemers."
                )
                % {"share": round(100 * lost)},
                NOT_CREDIBLE,
            )
        )
    if len(method_results) > 1:
        estimates = [r.estimate for r in method_results.values()]
        half_width = float(np.mean([(r.ci_high - r.ci_low) / 2 for r in method_results.values()]))
        if max(estimates) - min(estimates) > half_width:
            reasons.append(
                Reason(
                    "methods_disagree",
                    _(
                        "De methoden komen tot duidelijk verschillende schattingen (van "
                        "%(low)s tot %(high)s); de uitkomst hangt af van de gekozen aanpak."
                    )
                    % {"low": _num(min(estimates), 3), "high": _num(max(estimates), 3)},
                    DOUBTFUL,
                )
            )
    if abs(method_results[primary].estimate) < mde:
        reasons.append(
            Reason(
                "below_mde",
                _(
                    "Te weinig deelnemers om een effect van deze omvang te zien: pas vanaf "
                    "%(mde)s is een effect met redelijke zekerheid aan te tonen."
                )
                % {"mde": _num(mde, 3)},
            )
        )
    if dropped:
        reasons.append(
            Reason(
                "covariates_dropped",
                _("Weggelaten omdat ze overal dezelfde waarde hebben: %(names)s.")
                % {"names": ", ".join(dropped)},
            )
        )
    return reasons
