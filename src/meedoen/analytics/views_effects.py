"""Effect evaluations (/analyse/effecten/): the list with the request form, one report (while
it runs a progress bar), and the report as PDF. Analysts only; a 404 for everyone else, and for
another municipality's evaluation (audited). The pages work without JavaScript: a running
evaluation's page refreshes itself; with htmx only its status part is fetched again."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from meedoen.analytics.effect_dataset import EFFECT_OUTCOMES
from meedoen.analytics.effect_pdf import effect_report_filename, effect_report_pdf
from meedoen.analytics.effect_report import effect_report
from meedoen.analytics.forms_effects import EvaluationRequestForm
from meedoen.analytics.selectors_effects import evaluation_get_for_actor, evaluation_list
from meedoen.analytics.services import _require_analyst
from meedoen.analytics.services_effects import EFFECT_PURPOSE, effect_evaluation_request
from meedoen.audit.services import Origin, audit_record
from meedoen.instruments.models import Instrument

PAGE_SIZE = 20
# Seconds between refreshes of a running evaluation.
REFRESH_SECONDS = 3


def _instrument_choices(request: HttpRequest) -> list[tuple[str, str]]:
    # Only analysts get here (_require): their municipality is set.
    municipality_id = request.user.municipality_id  # type: ignore[union-attr]
    rows = (
        Instrument.objects.filter(municipality_id=municipality_id)  # type: ignore[misc]
        .order_by("name")
        .values_list("pk", "name")
    )
    return [(str(pk), name) for pk, name in rows]


def _require(request: HttpRequest, action: str) -> Origin:
    origin = Origin.from_request(request)
    _require_analyst(actor=request.user, action=action, origin=origin, purpose=EFFECT_PURPOSE)
    return origin


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_list_view(request: HttpRequest) -> HttpResponse:
    origin = _require(request, "analytics.effect_evaluation.read")
    instruments = _instrument_choices(request)
    if request.method == "POST":
        form = EvaluationRequestForm(request.POST, instruments=instruments)
        if form.is_valid():
            try:
                evaluation = effect_evaluation_request(
                    actor=request.user, data=form.to_input(), origin=origin
                )
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    for message in messages:
                        form.add_error(name if name in form.fields else None, message)
            else:
                return HttpResponseRedirect(
                    reverse("analytics:effect_detail", args=[evaluation.pk]), status=303
                )
    else:
        form = EvaluationRequestForm(instruments=instruments)
    page = Paginator(evaluation_list(actor=request.user), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    evaluations = list(page.object_list)
    for evaluation in evaluations:
        spec = EFFECT_OUTCOMES.get(evaluation.outcome)
        evaluation.outcome_label = str(spec[0]) if spec else evaluation.outcome
    return render(
        request,
        "analytics/effect_list.html",
        {
            "form": form,
            "page": page,
            "evaluations": evaluations,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "query": "",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def evaluation_detail_view(request: HttpRequest, evaluation_id: str) -> HttpResponse:
    origin = _require(request, "analytics.effect_evaluation.read")
    evaluation = evaluation_get_for_actor(actor=request.user, evaluation_id=evaluation_id)
    report = None
    if evaluation.status == "done":
        report = effect_report(evaluation)
        audit_record(
            actor=request.user,
            action="analytics.effect_evaluation.read",
            origin=origin,
            obj=evaluation,
            purpose=EFFECT_PURPOSE,
        )
    return render(
        request,
        "analytics/effect_detail.html",
        {"evaluation": evaluation, "report": report, "refresh_seconds": REFRESH_SECONDS},
    )


@login_required
@require_safe
def evaluation_pdf_view(request: HttpRequest, evaluation_id: str) -> HttpResponse:
    origin = _require(request, "analytics.effect_evaluation.read")
    evaluation = evaluation_get_for_actor(actor=request.user, evaluation_id=evaluation_id)
    if evaluation.status != "done":
        return render(
            request,
            "analytics/effect_detail.html",
            {"evaluation": evaluation, "report": None, "refresh_seconds": REFRESH_SECONDS},
            status=409,
        )
    content = effect_report_pdf(evaluation=evaluation)
    audit_record(
        actor=request.user,
        action="analytics.effect_evaluation.read",
        origin=origin,
        obj=evaluation,
        purpose=EFFECT_PURPOSE,
        detail={"format": "pdf"},
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{effect_report_filename(evaluation)}"'
    return response
