"""The programme monitor pages (/analyse/monitor/): thin views over services_monitor."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from meedoen.analytics.constants import HIDDEN_CELL_LABEL, MIN_CELL, SMALL_CELL_LABEL
from meedoen.analytics.forms_monitor import MonitorFilterForm, MonitorTargetForm, filter_form
from meedoen.analytics.monitor import DURABLE_MONTHS, TO_WORK_YEARS
from meedoen.analytics.services_monitor import (
    MonitorQuery,
    TargetError,
    monitor_access_check,
    monitor_export,
    monitor_read,
    monitor_target_set,
)
from meedoen.audit.services import Origin


def _query(form: MonitorFilterForm) -> MonitorQuery:
    data = form.cleaned_data
    return MonitorQuery(
        period_start=data["van"],
        period_end=data["tot"],
        dimension=data["indeling"],
        horizon=data["termijn"],
    )


def _page(
    request: HttpRequest,
    *,
    form: MonitorFilterForm,
    target_form: MonitorTargetForm | None = None,
    status: int = 200,
) -> HttpResponse:
    origin = Origin.from_request(request)
    result = None
    if form.is_valid():
        result = monitor_read(actor=request.user, origin=origin, query=_query(form))
    else:
        monitor_access_check(actor=request.user, origin=origin, action="analytics.monitor.read")
        status = 400
    query_string = urlencode(
        {name: form.data.get(name, "") for name in ("van", "tot", "indeling", "termijn")}
    )
    context: dict[str, Any] = {
        "form": form,
        "monitor": result,
        "target_form": target_form
        or MonitorTargetForm(initial={"jaar": timezone.localdate().year}),
        "query_string": query_string,
        "min_cell": MIN_CELL,
        "small_label": SMALL_CELL_LABEL,
        "hidden_label": HIDDEN_CELL_LABEL,
        "durable_months": DURABLE_MONTHS,
        "to_work_years": TO_WORK_YEARS,
    }
    return render(request, "analytics/monitor.html", context, status=status)


@login_required
@require_safe
def monitor_page(request: HttpRequest) -> HttpResponse:
    return _page(request, form=filter_form(request.GET, timezone.localdate()))


@login_required
@require_safe
def monitor_download(request: HttpRequest, file_format: str) -> HttpResponse:
    form = filter_form(request.GET, timezone.localdate())
    if not form.is_valid():
        return _page(request, form=form)
    exported = monitor_export(
        actor=request.user,
        origin=Origin.from_request(request),
        query=_query(form),
        file_format=file_format,
    )
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.file_name}"'
    return response


@login_required
@require_POST
def monitor_target(request: HttpRequest) -> HttpResponse:
    """Set the year's "naar werk" target; back to the monitor's section on success."""
    origin = Origin.from_request(request)
    form = MonitorTargetForm(request.POST)
    if not form.is_valid():
        monitor_access_check(
            actor=request.user, origin=origin, action="analytics.monitor_target.update"
        )
        return _page(
            request,
            form=filter_form({}, timezone.localdate()),
            target_form=form,
            status=400,
        )
    try:
        target = monitor_target_set(
            actor=request.user,
            origin=origin,
            year=form.cleaned_data["jaar"],
            to_work_target=form.cleaned_data["doel"],
        )
    except TargetError as error:
        for field, message in error.errors.items():
            form.add_error(field, message)
        return _page(
            request, form=filter_form({}, timezone.localdate()), target_form=form, status=400
        )
    messages.success(
        request,
        _("Het doel voor %(year)s is opgeslagen: %(target)s naar werk.")
        % {"year": target.year, "target": target.to_work_target},
    )
    # 303: the browser follows with a GET, so a reload does not post the target again.
    return HttpResponseRedirect(reverse("analytics:monitor") + "#naar-werk", status=303)
