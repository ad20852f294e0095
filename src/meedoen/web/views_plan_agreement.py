"""The voluntary agreement (vrijwillige afspraken) on the plan page (docs/plans.md "The
agreement"): make new agreements from the plan as it is, download one as a PDF, record that the
client signed it on paper.

Thin, like web.views_plan: the household through the door (an audited read), an agreement through
plans.selectors_agreement (the same door, audited), writes through plans.services_agreement.
A successful POST answers 303 to the plan's agreement section; a refusal 400 with the plan page
and the Dutch message. The PDF is rendered on each download and audited as a read.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from meedoen.audit.services import Origin
from meedoen.plans.agreement_pdf import agreement_filename, agreement_pdf
from meedoen.plans.selectors_agreement import agreement_get_for_actor
from meedoen.plans.services_agreement import agreement_create, agreement_record_signed
from meedoen.web.forms_plan import AgreementSignedForm
from meedoen.web.shortcuts import casework_household, see_other
from meedoen.web.views_plan import _existing_plan, _plan_page, _plan_url

ANCHOR = "afspraken"


@login_required
@require_POST
def plan_agreement_create(request: HttpRequest, household_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    household = casework_household(request, household_id, origin)
    plan = _existing_plan(household)
    try:
        agreement, made = agreement_create(actor=request.user, plan=plan, origin=origin)
    except ValidationError as error:
        return _plan_page(request, household, step_errors=error.messages, status=400)
    messages.success(
        request,
        (
            _("Afspraken nummer %(number)s zijn gemaakt. Download de pdf om ze te printen.")
            if made
            else _("Van deze versie van het plan waren al afspraken gemaakt: nummer %(number)s.")
        )
        % {"number": agreement.number},
    )
    return see_other(_plan_url(household.pk, ANCHOR))


@login_required
@require_safe
def plan_agreement_pdf(request: HttpRequest, agreement_id: str) -> HttpResponse:
    agreement = agreement_get_for_actor(
        actor=request.user, agreement_id=agreement_id, origin=Origin.from_request(request)
    )
    response = HttpResponse(agreement_pdf(agreement=agreement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{agreement_filename(agreement)}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def plan_agreement_signed(request: HttpRequest, agreement_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    agreement = agreement_get_for_actor(
        actor=request.user,
        agreement_id=agreement_id,
        origin=origin,
        action="plans.agreement.sign",
        audit_allowed=False,  # the service audits the write
    )
    household = agreement.plan.household
    form = AgreementSignedForm(request.POST)
    prefix = _("Afspraken nummer %(number)s") % {"number": agreement.number}
    if form.is_valid():
        try:
            agreement_record_signed(
                actor=request.user,
                agreement=agreement,
                signed_on=form.cleaned_data["signed_on"],
                origin=origin,
            )
        except ValidationError as error:
            errors = [f"{prefix}: {m}" for m in error.messages]
        else:
            messages.success(
                request,
                _("Vastgelegd: afspraken nummer %(number)s zijn op papier ondertekend.")
                % {"number": agreement.number},
            )
            return see_other(_plan_url(household.pk, ANCHOR))
    else:
        errors = [f"{prefix}: {m}" for ms in form.errors.values() for m in ms]
    return _plan_page(request, household, step_errors=errors, status=400)
