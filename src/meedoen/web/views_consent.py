"""Consent on the client page: record one, withdraw one. POST only; the page itself is
web.views.client_detail. The client comes through the access door, so only casework roles who
may see the client reach the privacy services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from meedoen.audit.services import Origin
from meedoen.caseload.access import client_get_for_actor
from meedoen.privacy import selectors as privacy_selectors
from meedoen.privacy.services import consent_give, consent_withdraw
from meedoen.web.forms_consent import ConsentGiveForm, ConsentWithdrawForm
from meedoen.web.shortcuts import form_add_errors, service_error_messages
from meedoen.web.views import client_detail_render


def _back(client_id: object) -> HttpResponse:
    url = reverse("web:client_detail", kwargs={"client_id": client_id}) + "#toestemmingen"
    return HttpResponseRedirect(url, status=303)


@login_required
@require_http_methods(["POST"])
def consent_give_view(request: HttpRequest, client_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    client = client_get_for_actor(
        actor=request.user, client_id=client_id, purpose="consent", origin=origin
    )
    form = ConsentGiveForm(request.POST, municipality_id=client.municipality_id)
    if form.is_valid():
        data = form.cleaned_data
        try:
            consent_give(
                actor=request.user,
                client=client,
                purpose=data["purpose"],
                data_categories=data["data_categories"],
                organisation=data["organisation"],
                organisation_code=data["organisation_code"],
                channel=data["channel"],
                valid_until=data["valid_until"],
                origin=origin,
                organisation_id=data["registry"].pk if data["registry"] else None,
            )
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            messages.success(request, _("De toestemming is vastgelegd."))
            return _back(client.pk)
    return client_detail_render(request, client_id, consent_form=form, status=400)


@login_required
@require_http_methods(["POST"])
def consent_withdraw_view(request: HttpRequest, client_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    client = client_get_for_actor(
        actor=request.user, client_id=client_id, purpose="consent", origin=origin
    )
    form = ConsentWithdrawForm(request.POST)
    consent = (
        privacy_selectors.consent_get_for_client(
            client=client, consent_id=request.POST.get("consent", "")
        )
        if form.is_valid()
        else None
    )
    if not form.is_valid() and "channel" in form.errors:
        messages.error(request, str(form.errors["channel"][0]))
    elif consent is None:
        messages.error(request, _("Deze toestemming is niet gevonden bij deze cliënt."))
    else:
        try:
            consent_withdraw(
                actor=request.user,
                consent=consent,
                channel=form.cleaned_data["channel"],
                origin=origin,
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("De toestemming is ingetrokken, met ingang van nu."))
    return _back(client.pk)
