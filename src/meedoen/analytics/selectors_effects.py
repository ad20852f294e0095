"""Reads of effect evaluations: the analyst's list and report, and the catalogue's summary.

An evaluation holds figures about groups only; still, the reports are the analysts' (they read
the municipality's whole population to make them): for anyone else a report does not exist. The
catalogue (web) shows the headline of the latest finished evaluation to its own readers.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from meedoen.analytics.constants import EvaluationStatus
from meedoen.analytics.models import EffectEvaluation
from meedoen.caseload.access import actor_may_analyse

# The columns the list and the catalogue need: never the (large) result JSON.
SUMMARY_FIELDS = (
    "id",
    "municipality_id",
    "instrument_id",
    "outcome",
    "horizon_months",
    "methods",
    "status",
    "progress",
    "verdict",
    "headline_method",
    "estimate",
    "ci_low",
    "ci_high",
    "requested_by_name",
    "requested_at",
    "finished_at",
)


class EvaluationNotVisible(Http404):
    """Not an analyst, another municipality's evaluation, or no such evaluation: all a 404."""


def actor_may_read_effect_reports(actor: Any) -> bool:
    """Who opens the reports: the analysts (the same rule as the rest of /analyse/)."""
    return actor_may_analyse(actor)


def evaluations_visible_to(*, actor: Any) -> QuerySet[EffectEvaluation]:
    if not actor_may_read_effect_reports(actor):
        return EffectEvaluation.objects.none()
    return EffectEvaluation.objects.filter(municipality_id=actor.municipality_id)


def evaluation_list(*, actor: Any) -> QuerySet[EffectEvaluation]:
    """Newest first, with the instrument's name; one query per page."""
    return (
        evaluations_visible_to(actor=actor)
        .select_related("instrument")
        .only(*SUMMARY_FIELDS, "instrument__name")
        .order_by("-requested_at")
    )


def evaluation_get_for_actor(*, actor: Any, evaluation_id: object) -> EffectEvaluation:
    try:
        pk = (
            evaluation_id if isinstance(evaluation_id, uuid.UUID) else uuid.UUID(str(evaluation_id))
        )
    except ValueError:
        raise EvaluationNotVisible from None
    evaluation = (
        evaluations_visible_to(actor=actor)
        .select_related("instrument", "municipality")
        .filter(pk=pk)
        .first()
    )
    if evaluation is None:
        raise EvaluationNotVisible
    return evaluation


def latest_finished_evaluations(
    *, instrument_ids: Iterable[object]
) -> dict[uuid.UUID, EffectEvaluation]:
    """Per instrument its newest finished evaluation (any outcome), in one query.

    The caller has already limited the instruments to those the reader may see (the catalogue).
    """
    ids = list(instrument_ids)
    if not ids:
        return {}
    newest = (
        EffectEvaluation.objects.filter(
            instrument_id=OuterRef("instrument_id"), status=EvaluationStatus.DONE
        )
        .order_by("-finished_at", "-requested_at")
        .values("pk")[:1]
    )
    rows = EffectEvaluation.objects.filter(
        instrument_id__in=ids, status=EvaluationStatus.DONE, pk=Subquery(newest)
    ).only(*SUMMARY_FIELDS)
    return {row.instrument_id: row for row in rows}
