"""The import pages: upload, progress, preview, apply, earlier runs. Functional admins only.

Anyone else gets a 404, as for a client they may not see. The pages work without JavaScript
(a refresh while a run is busy); with htmx the status part of the page polls instead.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meedoen.audit.services import Origin, audit_record
from meedoen.dataexchange import selectors, services
from meedoen.dataexchange.columns import COLUMNS, template_csv, template_xlsx
from meedoen.dataexchange.forms import UploadForm

PAGE_SIZE = 20
# Errors shown on the page; the command line and the stored run have more.
ERRORS_SHOWN = 200
# Seconds between refreshes of a busy run.
REFRESH_SECONDS = 2


def _require_importer(request: HttpRequest) -> None:
    if not selectors.actor_may_import(request.user):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def run_list(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["bestand"]
            run = services.import_run_upload(
                actor=request.user,
                municipality=request.user.municipality,  # type: ignore[union-attr, arg-type]
                file_name=upload.name,
                content=upload.read(),
                reference_date=form.cleaned_data["peildatum"],
                origin=Origin.from_request(request),
            )
            return HttpResponseRedirect(
                reverse("dataexchange:run_detail", args=[run.pk]), status=303
            )
    else:
        form = UploadForm()
    runs = selectors.import_run_list(runs=selectors.import_runs_visible_to(actor=request.user))
    page = Paginator(runs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "dataexchange/run_list.html",
        {"form": form, "page": page, "columns": COLUMNS},
        status=400 if form.errors else 200,
    )


@login_required
def run_detail(request: HttpRequest, run_id: str) -> HttpResponse:
    _require_importer(request)
    run = selectors.import_run_get_for_actor(actor=request.user, run_id=run_id)
    if run.changes and not run.is_running:
        # The preview and the result name client numbers: a read of (a little) personal data.
        audit_record(
            actor=request.user,
            action="dataexchange.import.read",
            origin=Origin.from_request(request),
            obj=run,
        )
    errors = (run.errors or [])[:ERRORS_SHOWN]
    samples = [
        (kind, label, run.changes.get(kind, []))
        for kind, label in (
            ("new", _("nieuw")),
            ("changed", _("gewijzigd")),
            ("ended", _("uitkering beëindigd")),
        )
    ]
    return render(
        request,
        "dataexchange/run_detail.html",
        {
            "run": run,
            "errors": errors,
            "errors_hidden": max(0, run.error_count - len(errors)),
            "samples": [s for s in samples if s[2]],
            "same_file": selectors.import_run_same_file_applied(run=run),
            "refresh_seconds": REFRESH_SECONDS,
            "total_after": run.new_count + run.changed_count + run.unchanged_count,
        },
    )


@login_required
@require_POST
def run_apply(request: HttpRequest, run_id: str) -> HttpResponse:
    _require_importer(request)
    run = selectors.import_run_get_for_actor(actor=request.user, run_id=run_id)
    try:
        services.import_run_request_apply(
            run=run, actor=request.user, origin=Origin.from_request(request)
        )
    except services.ImportRunStateError:
        messages.warning(request, _("Deze import kan niet (meer) worden toegepast."))
    return HttpResponseRedirect(reverse("dataexchange:run_detail", args=[run.pk]), status=303)


@login_required
@require_POST
def run_discard(request: HttpRequest, run_id: str) -> HttpResponse:
    _require_importer(request)
    run = selectors.import_run_get_for_actor(actor=request.user, run_id=run_id)
    try:
        services.import_run_discard(
            run=run, actor=request.user, origin=Origin.from_request(request)
        )
        messages.success(request, _("De import is verworpen; het bestand is gewist."))
    except services.ImportRunStateError:
        messages.warning(request, _("Deze import kan niet (meer) worden verworpen."))
    return HttpResponseRedirect(reverse("dataexchange:run_detail", args=[run.pk]), status=303)


@login_required
def template_download(request: HttpRequest, file_format: str) -> HttpResponse:
    _require_importer(request)
    if file_format == "csv":
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    elif file_format == "xlsx":
        response = HttpResponse(
            template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="levering-sjabloon.{file_format}"'
    return response
