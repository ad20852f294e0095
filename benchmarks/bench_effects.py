"""The effect estimators (meedoen.effects, issue 7): accuracy over many seeds, speed at Den Haag
scale, and agreement with an independent reference implementation.

(a) accuracy: RUNS synthetic data sets of N persons (meedoen.effects.synthetic: selection on the
    covariates, a heterogeneous effect, so the ATT differs from the average effect); per method
    the bias (% of the true ATT) and the share of 95% intervals that cover the true ATT. Bars:
    coverage >= 90%, |bias| <= 5% of the effect. Also: how often the placebo check flags a
    sound design (should be about 5%) and a broken one (hidden confounder; should be high).
(b) speed: one full report (three methods, 200 bootstrap draws, balance, overlap, placebo) at
    27,000 persons with 30 covariates. Bar: <= 10 s wall clock on the 2-core machine. The CPU
    time is printed too: on a machine shared with other work the wall clock is not the engine's.
(c) reference: statsmodels' TreatmentEffect (IPW and regression adjustment for the treated,
    its own logit and OLS, GMM standard errors) on the same data sets: the mean absolute
    difference from our estimates, and its own coverage. Needs the `bench` extra
    (make install-dev); skipped with a note when statsmodels is absent.

Figures go into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meedoen.config.settings")
os.environ.setdefault("MEEDOEN_DEBUG", "1")

METHODS = ("matching", "ipw", "aipw")
BAR_COVERAGE = 0.90
BAR_BIAS_PERCENT = 5.0
BAR_SECONDS = 10.0


def _setup() -> None:
    import django

    django.setup()


def accuracy(runs: int, n: int, *, binary: bool) -> dict[str, dict[str, float]]:
    from meedoen.effects.estimate import evaluate
    from meedoen.effects.synthetic import make_synthetic

    errors: dict[str, list[float]] = {m: [] for m in (*METHODS, "naive")}
    covered: dict[str, list[bool]] = {m: [] for m in (*METHODS, "naive")}
    truths: list[float] = []
    flags = 0
    for seed in range(runs):
        data = make_synthetic(n, seed=seed, binary=binary, effect=1.0)
        report = evaluate(
            data.X,
            data.t,
            data.y,
            covariate_names=data.covariate_names,
            placebo=data.placebo,
            bootstrap=200,
            seed=seed,
        )
        truths.append(data.true_att)
        results = {**report.methods, "naive": report.naive_difference}
        for name, result in results.items():
            errors[name].append(result.estimate - data.true_att)
            covered[name].append(result.ci_low <= data.true_att <= result.ci_high)
        flags += report.placebo_flag
    truth = float(np.mean(truths))
    table = {
        name: {
            "bias_percent": 100 * float(np.mean(errors[name])) / truth,
            "rmse": float(np.sqrt(np.mean(np.square(errors[name])))),
            "coverage": float(np.mean(covered[name])),
        }
        for name in errors
    }
    table["_"] = {"truth": truth, "placebo_flag_rate": flags / runs}
    return table


def broken_flag_rate(runs: int, n: int) -> float:
    from meedoen.effects.estimate import evaluate
    from meedoen.effects.synthetic import make_synthetic

    flags = 0
    for seed in range(runs):
        data = make_synthetic(n, seed=10_000 + seed, broken=True)
        report = evaluate(
            data.X,
            data.t,
            data.y,
            covariate_names=data.covariate_names,
            placebo=data.placebo,
            bootstrap=200,
            seed=seed,
        )
        flags += report.placebo_flag
    return flags / runs


def speed(n: int) -> dict[str, float]:
    from meedoen.effects.estimate import evaluate
    from meedoen.effects.synthetic import make_synthetic

    data = make_synthetic(n, seed=7, extra_covariates=22)
    assert data.X.shape[1] == 30
    wall, cpu = time.perf_counter(), time.process_time()
    report = evaluate(
        data.X,
        data.t,
        data.y,
        covariate_names=data.covariate_names,
        placebo=data.placebo,
        bootstrap=200,
        seed=0,
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {
        "wall": wall,
        "cpu": cpu,
        "truth": data.true_att,
        "aipw": report.methods["aipw"].estimate,
        "verdict": report.verdict,  # type: ignore[dict-item]
        "load": os.getloadavg()[0],
    }


def reference(runs: int, n: int) -> dict[str, float] | None:
    try:
        import statsmodels.api as sm
        from statsmodels.treatment.treatment_effects import TreatmentEffect
    except ImportError:
        return None
    from meedoen.effects.estimate import evaluate
    from meedoen.effects.synthetic import make_synthetic

    diffs: dict[str, list[float]] = {"ipw": [], "aipw_vs_ra": [], "matching_vs_ra": []}
    covered = {"sm_ipw": 0, "sm_ra": 0}
    for seed in range(runs):
        data = make_synthetic(n, seed=seed)
        exog = sm.add_constant(data.X)
        select = sm.Logit(data.t, exog).fit(disp=False)
        effect = TreatmentEffect(sm.OLS(data.y, exog), data.t.astype(int), results_select=select)
        sm_ipw = effect.ipw(effect_group=1)
        sm_ra = effect.ra(effect_group=1)
        ours = evaluate(
            data.X, data.t, data.y, covariate_names=data.covariate_names, bootstrap=200, seed=seed
        ).methods
        ipw_ref = float(sm_ipw.effect[0])
        ra_ref = float(sm_ra.effect[0])
        diffs["ipw"].append(abs(ours["ipw"].estimate - ipw_ref))
        diffs["aipw_vs_ra"].append(abs(ours["aipw"].estimate - ra_ref))
        diffs["matching_vs_ra"].append(abs(ours["matching"].estimate - ra_ref))
        for key, res in (("sm_ipw", sm_ipw), ("sm_ra", sm_ra)):
            low, high = np.asarray(res.conf_int())[0]
            covered[key] += bool(low <= data.true_att <= high)
    return {
        **{f"mean_abs_diff_{k}": float(np.mean(v)) for k, v in diffs.items()},
        **{f"coverage_{k}": v / runs for k, v in covered.items()},
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench_effects")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--speed-n", type=int, default=27000)
    parser.add_argument("--reference-runs", type=int, default=50)
    args, _rest = parser.parse_known_args(argv)
    _setup()
    status = 0

    for binary in (False, True):
        runs = args.runs if not binary else max(args.runs // 2, 1)
        started = time.perf_counter()
        table = accuracy(runs, args.n, binary=binary)
        seconds = time.perf_counter() - started
        extra = table.pop("_")
        kind = "binary" if binary else "continuous"
        print(
            f"(a) accuracy, {kind} outcome: {runs} runs of n={args.n}, true ATT "
            f"{extra['truth']:.4f} on average, {seconds:.0f} s"
        )
        print(f"    {'method':<10} {'bias %':>8} {'RMSE':>8} {'coverage':>9}")
        for name, row in table.items():
            ok = name == "naive" or (
                row["coverage"] >= BAR_COVERAGE and abs(row["bias_percent"]) <= BAR_BIAS_PERCENT
            )
            status |= 0 if ok else 1
            mark = "" if name == "naive" else ("  ok" if ok else "  OVER BAR")
            print(
                f"    {name:<10} {row['bias_percent']:>8.2f} {row['rmse']:>8.4f} "
                f"{row['coverage']:>9.3f}{mark}"
            )
        print(f"    placebo flags a sound design in {extra['placebo_flag_rate']:.1%} of runs")
    broken_runs = max(args.runs // 4, 1)
    print(
        f"    placebo flags a broken design (hidden confounder) in "
        f"{broken_flag_rate(broken_runs, args.n):.1%} of {broken_runs} runs"
    )

    figures = speed(args.speed_n)
    ok = figures["wall"] <= BAR_SECONDS
    status |= 0 if ok else 1
    print(
        f"(b) speed: full report at n={args.speed_n}, 30 covariates, 200 bootstrap, placebo: "
        f"{figures['wall']:.2f} s wall, {figures['cpu']:.2f} s CPU (load average "
        f"{figures['load']:.1f}) {'ok' if ok else 'OVER BAR'} (bar {BAR_SECONDS:.0f} s); "
        f"AIPW {figures['aipw']:.4f} vs true {figures['truth']:.4f}, verdict {figures['verdict']}"
    )

    ref = reference(args.reference_runs, args.n)
    if ref is None:
        print("(c) reference: statsmodels not installed (make install-dev); skipped")
    else:
        print(
            f"(c) reference: statsmodels TreatmentEffect, {args.reference_runs} runs of n={args.n}"
        )
        for key, value in ref.items():
            print(f"    {key:<28} {value:.4f}")
    return status


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
