"""The analyst's actions: read the overview, export a pseudonymised dataset. Both are audited,
and so is a refusal; for anyone who is not an analyst they do not exist (404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils import timezone

from meedoen.analytics.constants import Purpose
from meedoen.analytics.datasets import dataset_csv, dataset_rows, dataset_xlsx
from meedoen.analytics.profile_insight import ProfileInsight, profile_insight
from meedoen.analytics.selectors import Overview, analysis_overview
from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import actor_may_analyse, analysis_population

OVERVIEW_PURPOSE = "analytics.overview"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class AnalysisNotAllowed(Http404):
    """The actor is not an analyst: the page or file does not exist for them."""


@dataclass(frozen=True)
class DatasetFile:
    content: bytes
    content_type: str
    file_name: str
    rows: int


def _require_analyst(*, actor: Any, action: str, origin: Origin, purpose: str) -> None:
    if actor_may_analyse(actor):
        return
    audit_record(actor=actor, action=action, origin=origin, purpose=purpose, result=Result.DENIED)
    raise AnalysisNotAllowed


def analysis_overview_read(
    *, actor: Any, origin: Origin, reference_date: dt.date | None = None
) -> Overview:
    """The overview per wijk for the analyst's municipality, audited as analytics.overview.read."""
    action = "analytics.overview.read"
    _require_analyst(actor=actor, action=action, origin=origin, purpose=OVERVIEW_PURPOSE)
    overview = analysis_overview(
        population=analysis_population(actor=actor),
        reference_date=reference_date or timezone.localdate(),
    )
    audit_record(actor=actor, action=action, origin=origin, purpose=OVERVIEW_PURPOSE)
    return overview


def profile_insight_read(
    *, actor: Any, origin: Origin, reference_date: dt.date | None = None
) -> ProfileInsight:
    """Obstacles per wijk and doelgroep and the ZRM distribution (issue 4), suppressed.

    Part of the overview page: reading it is audited as analytics.profiles.read, beside the
    overview's own row, so the privacy officer sees that profile figures were looked at.
    """
    action = "analytics.profiles.read"
    _require_analyst(actor=actor, action=action, origin=origin, purpose=OVERVIEW_PURPOSE)
    insight = profile_insight(
        population=analysis_population(actor=actor),
        reference_date=reference_date or timezone.localdate(),
    )
    audit_record(actor=actor, action=action, origin=origin, purpose=OVERVIEW_PURPOSE)
    return insight


def dataset_export(
    *,
    actor: Any,
    file_format: str,
    origin: Origin,
    purpose: str = Purpose.DATASET,
    reference_date: dt.date | None = None,
) -> DatasetFile:
    """The pseudonymised dataset of the analyst's municipality as CSV or XLSX.

    Audited as analytics.dataset.export with the purpose, the format and the number of rows —
    nothing that identifies a client.
    """
    action = "analytics.dataset.export"
    _require_analyst(actor=actor, action=action, origin=origin, purpose=purpose)
    if file_format not in CONTENT_TYPES:
        raise Http404
    day = reference_date or timezone.localdate()
    rows = dataset_rows(
        population=analysis_population(actor=actor), purpose=purpose, reference_date=day
    )
    if file_format == "csv":
        content = dataset_csv(rows)
    else:
        content = dataset_xlsx(rows, purpose=purpose, reference_date=day)
    audit_record(
        actor=actor,
        action=action,
        origin=origin,
        purpose=purpose,
        detail={"format": file_format, "rows": len(rows)},
    )
    code = actor.municipality.code
    return DatasetFile(
        content=content,
        content_type=CONTENT_TYPES[file_format],
        file_name=f"meedoen-dataset-{code}-{day.isoformat()}.{file_format}",
        rows=len(rows),
    )
