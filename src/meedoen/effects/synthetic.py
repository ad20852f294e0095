"""Synthetic data with a known effect on the treated, for tests and the benchmark.

Selection into treatment depends on the covariates (people higher on the participation ladder,
with better ZRM scores and a shorter benefit spell take part more often) and so does the
outcome: the naive difference overstates the effect. The effect itself varies with the ladder
rung, so the effect on the treated (ATT) differs from the effect on everyone; `true_att` is the
average of the individual effects over the treated of the sample drawn.

`broken=True` adds a confounder the covariates do not contain (say, motivation): it raises both
the chance to take part and the outcomes, including the placebo outcome measured before the
start, so no estimator can remove it and the placebo check should flag it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np

WIJKEN = ("Centrum", "Laak", "Escamp", "Schilderswijk")


@dataclass
class Synthetic:
    X: np.ndarray
    t: np.ndarray
    y: np.ndarray
    placebo: np.ndarray
    covariate_names: list[str]
    true_att: float
    # The raw table as a CSV would hold it: the wijk as text, not one-hot.
    columns: dict[str, list[str]]

    def to_csv(self, *, delimiter: str = ",") -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        names = list(self.columns)
        writer.writerow(names)
        writer.writerows(zip(*(self.columns[name] for name in names), strict=True))
        return out.getvalue()


def make_synthetic(
    n: int = 2000,
    *,
    seed: int = 0,
    effect: float = 1.0,
    binary: bool = False,
    broken: bool = False,
    extra_covariates: int = 0,
) -> Synthetic:
    """`effect` is the average individual effect (continuous: in outcome units; binary: on the
    log-odds scale). `extra_covariates` adds standard-normal columns that matter a little for
    both selection and outcome, to reach realistic widths (the benchmark uses 30)."""
    rng = np.random.default_rng(seed)
    age = rng.uniform(18, 67, n)
    benefit_years = rng.gamma(2.0, 2.0, n)
    zrm = np.clip(rng.normal(3.0, 0.7, n), 1, 5)
    ladder = np.clip(np.round(rng.normal(3.0, 1.2, n)), 1, 6)
    female = rng.binomial(1, 0.5, n).astype(float)
    wijk = rng.integers(0, len(WIJKEN), n)
    extra = rng.normal(0, 1, (n, extra_covariates))
    hidden = rng.normal(0, 1, n) if broken else np.zeros(n)

    age_z = (age - 42) / 14
    years_z = (benefit_years - 4) / 2.8
    zrm_z = (zrm - 3) / 0.7
    ladder_z = (ladder - 3) / 1.2
    wijk_effect = np.array([0.0, -0.3, 0.2, -0.4])[wijk]
    extra_weight = 0.6 / np.sqrt(max(extra_covariates, 1))
    extra_sum = extra.sum(axis=1) * extra_weight

    selection = (
        -1.0
        + 0.7 * ladder_z
        + 0.5 * zrm_z
        - 0.5 * years_z
        - 0.3 * age_z
        + 0.2 * female
        + wijk_effect
        + 0.5 * extra_sum
        + 1.0 * hidden
    )
    t = rng.binomial(1, 1 / (1 + np.exp(-selection))).astype(float)
    baseline = (
        0.9 * ladder_z
        + 0.6 * zrm_z
        - 0.5 * years_z
        - 0.2 * age_z
        + 0.1 * female
        - 0.8 * wijk_effect
        + 0.5 * extra_sum
        + 0.8 * hidden
    )
    # The effect grows with the ladder rung: those who take part gain more than the average.
    individual = effect * (1 + 0.3 * ladder_z)
    if binary:
        base = -0.8 + baseline
        p0 = 1 / (1 + np.exp(-base))
        p1 = 1 / (1 + np.exp(-(base + individual)))
        y = rng.binomial(1, np.where(t == 1, p1, p0)).astype(float)
        true_att = float((p1 - p0)[t == 1].mean())
        placebo = rng.binomial(1, 1 / (1 + np.exp(-(-0.8 + baseline)))).astype(float)
    else:
        y = 2.0 + baseline + individual * t + rng.normal(0, 1, n)
        true_att = float(individual[t == 1].mean())
        placebo = 1.0 + baseline + rng.normal(0, 1, n)

    X = np.column_stack(
        [age, benefit_years, zrm, ladder, female]
        + [(wijk == k).astype(float) for k in range(1, len(WIJKEN))]
        + [extra[:, k] for k in range(extra_covariates)]
    )
    names = ["leeftijd", "jaren_uitkering", "zrm", "trede", "vrouw"]
    names += [f"wijk={WIJKEN[k]}" for k in range(1, len(WIJKEN))]
    names += [f"x{k + 1}" for k in range(extra_covariates)]
    # One-hot leaves out the first level in sorted order; keep the synthetic names in that form.
    columns: dict[str, list[str]] = {
        "deelname": [str(int(v)) for v in t],
        "uitkomst": [f"{v:.6g}" for v in y],
        "voormeting": [f"{v:.6g}" for v in placebo],
        "leeftijd": [f"{v:.3f}" for v in age],
        "jaren_uitkering": [f"{v:.3f}" for v in benefit_years],
        "zrm": [f"{v:.3f}" for v in zrm],
        "trede": [str(int(v)) for v in ladder],
        "vrouw": [str(int(v)) for v in female],
        "wijk": [WIJKEN[k] for k in wijk],
    }
    for k in range(extra_covariates):
        columns[f"x{k + 1}"] = [f"{v:.6g}" for v in extra[:, k]]
    return Synthetic(
        X=X,
        t=t,
        y=y,
        placebo=placebo,
        covariate_names=names,
        true_att=true_att,
        columns=columns,
    )


CSV_COVARIATES = ["leeftijd", "jaren_uitkering", "zrm", "trede", "vrouw", "wijk"]
