"""The analyst's pages: thin views over analytics.services (audited; 404 for other roles)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from meedoen.analytics.constants import HIDDEN_CELL_LABEL, MIN_CELL, SMALL_CELL_LABEL, Purpose
from meedoen.analytics.datasets import DATASET_COLUMNS
from meedoen.analytics.services import (
    analysis_overview_read,
    dataset_export,
    profile_insight_read,
)
from meedoen.audit.services import Origin


@login_required
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    origin = Origin.from_request(request)
    data = analysis_overview_read(actor=request.user, origin=origin)
    return render(
        request,
        "analytics/overview.html",
        {
            "overview": data,
            "profiles": profile_insight_read(actor=request.user, origin=origin),
            "min_cell": MIN_CELL,
            "small_label": SMALL_CELL_LABEL,
            "hidden_label": HIDDEN_CELL_LABEL,
            "columns": DATASET_COLUMNS,
            "purpose": Purpose.DATASET,
        },
    )


@login_required
@require_safe
def dataset_download(request: HttpRequest, file_format: str) -> HttpResponse:
    exported = dataset_export(
        actor=request.user, file_format=file_format, origin=Origin.from_request(request)
    )
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.file_name}"'
    return response
