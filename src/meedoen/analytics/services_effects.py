"""Effect evaluations (issue 7): request one, run it, store the report (docs/effect-reports.md).

An analyst requests an evaluation of an instrument on an outcome; the request is checked,
audited and queued (analytics.tasks); the job builds the pseudonymised dataset
(analytics.effect_dataset), runs the estimators (meedoen.effects) and stores the report in one
write. Bad input (too few participants, no overlap …) ends the evaluation as "mislukt" with the
engine's Dutch message; nothing else is written. The console command evaluate_instruments runs
the same steps synchronously.
"""

from __future__ import annotations

import logging
import re
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meedoen.accounts.models import Municipality
from meedoen.analytics.constants import MIN_CELL, EffectMethod, EvaluationStatus
from meedoen.analytics.effect_dataset import (
    EFFECT_OUTCOMES,
    EffectDatasetError,
    build_dataset,
)
from meedoen.analytics.models import EffectEvaluation
from meedoen.analytics.services import _require_analyst
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import analysis_population
from meedoen.effects.estimate import evaluate
from meedoen.effects.table import EffectInputError
from meedoen.instruments.models import Instrument

logger = logging.getLogger(__name__)

EFFECT_PURPOSE = "analytics.effect"
# What an analyst may choose: the engine needs some repetitions for an interval at all, and
# more than a thousand adds time without a visibly better interval.
BOOTSTRAP_MIN = 50
BOOTSTRAP_MAX = 1000
DEFAULT_BOOTSTRAP = 200
HORIZONS = (6, 12, 24)
ALL_METHODS = tuple(m.value for m in EffectMethod)
# The headline of an evaluation (catalogue, list), in the engine's order (effects.estimate
# PRIMARY_ORDER): the doubly robust estimate when it was run, as it stays right when either the
# propensity or the outcome model is off.
HEADLINE_ORDER = ("aipw", "ipw", "matching")
# Progress: building the dataset is the first part of the bar, the estimators the rest.
DATASET_DONE = 10
# Seconds between progress writes: the web page refreshes every few seconds anyway.
PROGRESS_INTERVAL = 1.0


@dataclass(frozen=True)
class EvaluationInput:
    instrument_id: Any
    outcome: str
    methods: Sequence[str] = ALL_METHODS
    horizon_months: int | None = None
    bootstrap: int = DEFAULT_BOOTSTRAP
    seed: int = 0


def _validated(
    *, municipality: Municipality, data: EvaluationInput
) -> tuple[Instrument, list[str]]:
    """The instrument and the methods in the engine's order; a Dutch message per wrong field."""
    errors: dict[str, list[str]] = {}
    instrument = (
        Instrument.objects.filter(municipality=municipality, pk=data.instrument_id).first()
        if data.instrument_id
        else None
    )
    if instrument is None:
        errors["instrument"] = [_("Kies een instrument uit de catalogus van uw gemeente.")]
    if data.outcome not in EFFECT_OUTCOMES:
        errors["outcome"] = [_("Kies een uitkomst uit de lijst.")]
    methods = [m for m in ALL_METHODS if m in set(data.methods)]
    if not methods or len(methods) != len(set(data.methods)):
        errors["methods"] = [_("Kies minstens één methode uit de lijst.")]
    if data.horizon_months is not None and data.horizon_months not in HORIZONS:
        errors["horizon_months"] = [
            _("Kies een termijn van %(options)s maanden.")
            % {"options": ", ".join(str(h) for h in HORIZONS)}
        ]
    if not BOOTSTRAP_MIN <= data.bootstrap <= BOOTSTRAP_MAX:
        errors["bootstrap"] = [
            _("Het aantal herhalingen moet tussen %(low)s en %(high)s liggen.")
            % {"low": BOOTSTRAP_MIN, "high": BOOTSTRAP_MAX}
        ]
    if data.seed < 0:
        errors["seed"] = [_("Het startgetal mag niet negatief zijn.")]
    if errors:
        raise ValidationError(errors)
    assert instrument is not None  # checked above
    return instrument, methods


def effect_evaluation_create(
    *,
    actor: Any,
    municipality: Municipality,
    data: EvaluationInput,
    origin: Origin,
    enqueue: bool = True,
) -> EffectEvaluation:
    """Record an evaluation (queued) and, with `enqueue`, hand it to the worker on commit.

    Audited as analytics.effect_evaluation.request. The console command passes no actor and
    runs the evaluation itself (`enqueue=False`).
    """
    from meedoen.analytics.tasks import effect_evaluation_task

    instrument, methods = _validated(municipality=municipality, data=data)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        evaluation = EffectEvaluation.objects.create(
            municipality=municipality,
            instrument=instrument,
            outcome=data.outcome,
            horizon_months=data.horizon_months,
            methods=methods,
            bootstrap=data.bootstrap,
            seed=data.seed,
            requested_by=actor if is_user else None,
            requested_by_name=actor.get_full_name() or actor.get_username() if is_user else "",
            requested_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="analytics.effect_evaluation.request",
            origin=origin,
            obj=evaluation,
            purpose=EFFECT_PURPOSE,
            detail={
                "instrument": str(instrument.pk),
                "outcome": data.outcome,
                "methods": methods,
                "horizon_months": data.horizon_months,
                "bootstrap": data.bootstrap,
            },
            municipality_code=municipality.code,
        )
        if enqueue:
            evaluation_id = str(evaluation.pk)
            transaction.on_commit(lambda: effect_evaluation_task.enqueue(evaluation_id))
    return evaluation


def effect_evaluation_request(
    *, actor: Any, data: EvaluationInput, origin: Origin
) -> EffectEvaluation:
    """The analyst's request from the web page: for anyone else it does not exist (404)."""
    _require_analyst(
        actor=actor,
        action="analytics.effect_evaluation.request",
        origin=origin,
        purpose=EFFECT_PURPOSE,
    )
    return effect_evaluation_create(
        actor=actor, municipality=actor.municipality, data=data, origin=origin
    )


class _Progress:
    """Turns the engine's (done, total) into 10 to 99 % on the row, at most once a second."""

    def __init__(self, evaluation_id: Any) -> None:
        self.evaluation_id = evaluation_id
        self.written = DATASET_DONE
        self.at = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        percent = DATASET_DONE + int((99 - DATASET_DONE) * done / max(total, 1))
        percent = min(99, max(DATASET_DONE, percent))
        now = time.monotonic()
        if percent > self.written and now - self.at >= PROGRESS_INTERVAL:
            EffectEvaluation.objects.filter(
                pk=self.evaluation_id, status=EvaluationStatus.RUNNING
            ).update(progress=percent, updated_at=timezone.now())
            self.written, self.at = percent, now


def _headline(report: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    for method in HEADLINE_ORDER:
        if isinstance(report.get(method), dict):
            return method, report[method]
    return "", None


def _is_binary(values: Any) -> bool:
    array = np.asarray(values, dtype=float)
    return bool(array.size) and bool(np.isin(array, (0.0, 1.0)).all())


def _json_safe(value: Any) -> Any:
    """NaN and infinity become null: PostgreSQL's jsonb refuses them (a diagnostic the engine
    could not compute, e.g. balance after matching when nobody was matched)."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, float | np.floating):
        number = float(value)
        return number if np.isfinite(number) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


# "7 deelnemers": a number of people below the small-cell threshold in a message.
_SMALL_COUNT = re.compile(r"\b([1-9]) (deelnemers?|niet-deelnemers?|mensen|personen)\b")


def _small_counts_hidden(message: str) -> str:
    """The engine's messages name group sizes; fewer than 10 people read "minder dan 10", as
    every count an analyst sees (analytics.constants.MIN_CELL)."""
    return _SMALL_COUNT.sub(
        lambda m: _("minder dan %(min)s %(what)s") % {"min": MIN_CELL, "what": m.group(2)}, message
    )


def effect_evaluation_run(*, evaluation_id: Any) -> EffectEvaluation | None:
    """Run a queued evaluation: dataset → estimators → report, stored in one write.

    Runs outside a transaction so its progress is visible meanwhile. Returns None when the
    evaluation is gone or was already taken by another worker.
    """
    now = timezone.now()
    claimed = EffectEvaluation.objects.filter(
        pk=evaluation_id, status=EvaluationStatus.QUEUED
    ).update(status=EvaluationStatus.RUNNING, started_at=now, progress=0, updated_at=now)
    if not claimed:
        return None
    evaluation = EffectEvaluation.objects.select_related(
        "municipality", "instrument", "requested_by"
    ).get(pk=evaluation_id)
    values: dict[str, Any]
    # Through the door: the requesting analyst's population; the console command has none.
    requester = evaluation.requested_by
    population = analysis_population(actor=requester) if requester is not None else None
    try:
        dataset = build_dataset(
            municipality=evaluation.municipality,
            instrument=evaluation.instrument,
            outcome=evaluation.outcome,
            horizon_months=evaluation.horizon_months,
            population=population,
        )
        EffectEvaluation.objects.filter(pk=evaluation.pk).update(
            progress=DATASET_DONE, updated_at=timezone.now()
        )
        report = evaluate(
            dataset.X,
            dataset.treatment,
            dataset.outcome,
            covariate_names=list(dataset.covariate_names),
            methods=tuple(evaluation.methods),
            placebo=dataset.placebo,
            bootstrap=evaluation.bootstrap,
            seed=evaluation.seed,
            progress=_Progress(evaluation.pk),
        ).to_dict()
        n_treated = int(np.asarray(dataset.treatment).sum())
        report["dataset"] = {
            "n_population": int(dataset.n_population),
            # The group sizes turn the engine's histogram shares back into counts (suppressed
            # on the page).
            "n_treated": n_treated,
            "n_control": len(dataset.treatment) - n_treated,
            "horizon_months": dataset.horizon_months,
            "population_definition": str(dataset.population_definition),
            "outcome_definition": str(dataset.outcome_definition),
            "index_date_rule": str(dataset.index_date_rule),
            "placebo_name": str(dataset.placebo_name or ""),
            "outcome_binary": _is_binary(dataset.outcome),
            "n_covariates": len(dataset.covariate_names),
        }
        report = _json_safe(report)
        method, headline = _headline(report)
        values = {
            "status": EvaluationStatus.DONE,
            "result": report,
            "verdict": str(report.get("verdict") or ""),
            "headline_method": method,
            "estimate": headline.get("estimate") if headline else None,
            "ci_low": headline.get("ci_low") if headline else None,
            "ci_high": headline.get("ci_high") if headline else None,
            "progress": 100,
        }
    except (EffectInputError, EffectDatasetError) as exc:
        values = {"status": EvaluationStatus.FAILED, "error": _small_counts_hidden(str(exc))}
    except Exception as exc:
        # Only the type and the code lines: a message could quote data.
        logger.error(
            "Effect evaluation %s failed with %s\n%s",
            evaluation.pk,
            type(exc).__name__,
            "".join(traceback.format_tb(exc.__traceback__)),
        )
        values = {
            "status": EvaluationStatus.FAILED,
            "error": _(
                "De effectmeting is mislukt door een onverwachte fout. Probeer het later opnieuw; "
                "blijft het misgaan, meld het dan bij de functioneel beheerder."
            ),
        }
    finished = timezone.now()
    with transaction.atomic():
        EffectEvaluation.objects.filter(pk=evaluation.pk).update(
            **values, finished_at=finished, updated_at=finished
        )
        audit_record(
            actor=None,
            action="analytics.effect_evaluation.run",
            origin=Origin(channel="task"),
            obj=evaluation,
            purpose=EFFECT_PURPOSE,
            detail={"status": str(values["status"]), "outcome": evaluation.outcome},
            municipality_code=evaluation.municipality.code,
        )
    evaluation.refresh_from_db()
    return evaluation
