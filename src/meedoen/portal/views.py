"""The portal's pages (/mijn/): thin views. The client comes from the portal's door
(portal/access.py), the writes from plans/services_client.py; every page works without
JavaScript (plain forms, POST then 303)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meedoen.accounts.views import LoginView
from meedoen.audit.services import Origin
from meedoen.caseload.access import ClientNotVisible
from meedoen.caseload.selectors import as_uuid
from meedoen.core.concurrency import ConflictError
from meedoen.plans.models import Agreement
from meedoen.plans.services_agreement import agreement_accept
from meedoen.plans.services_client import client_goal_add, client_step_add, client_step_done
from meedoen.portal.access import (
    PortalNotAvailable,
    actor_is_portal_client,
    portal_client_get,
    portal_goal_get,
)
from meedoen.portal.forms import GoalForm, PortalLoginForm, StepDoneForm, StepForm
from meedoen.portal.selectors import portal_home

LOGIN_URL = "portal:login"


class PortalLoginView(LoginView):
    """The client's login: username and password (the demo), with the staff login's lockout,
    idle-logout notice and optional TOTP step. The DigiD button shows only when the
    municipality's DigiD login through its OIDC broker is configured (docs/portal.md)."""

    template_name = "portal/login.html"
    authentication_form = PortalLoginForm

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        if user.is_authenticated and not actor_is_portal_client(user):
            return reverse(settings.LOGIN_REDIRECT_URL)  # staff: their own start page
        return reverse("portal:home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        # The staff single sign-on is not for clients.
        for key in ("sso_url", "sso_name", "sso_only", "sso_failure"):
            context.pop(key, None)
        context["digid_url"] = settings.PORTAL_DIGID_LOGIN_URL
        return context


def _home_context(request: HttpRequest, origin: Origin) -> dict[str, Any]:
    client = portal_client_get(actor=request.user, origin=origin)
    home = portal_home(client=client)
    return {"home": home, "client": client}


@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    """Mijn plan: next steps, contact person, next appointment, own goals with their steps."""
    return render(request, "portal/home.html", _home_context(request, Origin.from_request(request)))


def _home_with_error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """The plan page again, with why nothing was saved on top (400 or 409)."""
    context = _home_context(request, Origin.from_request(request))
    context["error"] = message
    return render(request, "portal/home.html", context, status=status)


@login_required(login_url=LOGIN_URL)
@require_POST
def step_done(request: HttpRequest, step_id: str) -> HttpResponse:
    """Tick off one of the client's own steps, or undo that."""
    origin = Origin.from_request(request)
    form = StepDoneForm(request.POST)
    if not form.is_valid():
        return _home_with_error(request, _("Er ging iets mis. Probeer het opnieuw."), 400)
    done = form.cleaned_data["done"]
    try:
        client_step_done(
            actor=request.user,
            step_id=step_id,
            done=done,
            expected_version=form.cleaned_data["version"],
            origin=origin,
        )
    except ClientNotVisible as error:
        raise PortalNotAvailable from error
    except ConflictError:
        return _home_with_error(
            request,
            _(
                "Uw plan is net veranderd, bijvoorbeeld door uw klantregisseur. Er is niets "
                "opgeslagen. Hieronder ziet u het plan zoals het nu is. Probeer het opnieuw."
            ),
            409,
        )
    except ValidationError as error:
        return _home_with_error(request, " ".join(error.messages), 400)
    messages.success(
        request, _("Goed gedaan! De stap is afgevinkt.") if done else _("De stap staat weer open.")
    )
    return HttpResponseRedirect(f"{reverse('portal:home')}#stap-{step_id}", status=303)


@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def goal_create(request: HttpRequest) -> HttpResponse:
    """Add a goal of one's own."""
    origin = Origin.from_request(request)
    client = portal_client_get(actor=request.user, origin=origin)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goal = client_goal_add(actor=request.user, data=form.to_input(), origin=origin)
        except ClientNotVisible as error:
            raise PortalNotAvailable from error
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Uw doel staat in uw plan."))
            return HttpResponseRedirect(f"{reverse('portal:home')}#doel-{goal.pk}", status=303)
    return render(
        request,
        "portal/goal_form.html",
        {"form": form, "client": client},
        status=400 if form.errors else 200,
    )


@login_required(login_url=LOGIN_URL)
@require_http_methods(["GET", "POST"])
def step_create(request: HttpRequest, goal_id: str) -> HttpResponse:
    """Add a step of one's own to one of one's own goals."""
    origin = Origin.from_request(request)
    client, goal = portal_goal_get(actor=request.user, goal_id=goal_id, origin=origin)
    form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            step = client_step_add(
                actor=request.user, goal=goal, data=form.to_input(), origin=origin
            )
        except ClientNotVisible as error:
            raise PortalNotAvailable from error
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Uw stap staat in uw plan."))
            return HttpResponseRedirect(f"{reverse('portal:home')}#stap-{step.pk}", status=303)
    return render(
        request,
        "portal/step_form.html",
        {"form": form, "client": client, "goal": goal},
        status=400 if form.errors else 200,
    )


@login_required(login_url=LOGIN_URL)
@require_POST
def agreement_accept_view(request: HttpRequest, agreement_id: str) -> HttpResponse:
    """ "Ik ga akkoord": accept the household's newest agreement online. The service asks the
    portal's door who the client is and refuses another household's agreement (404)."""
    origin = Origin.from_request(request)
    pk = as_uuid(agreement_id)
    agreement = Agreement.objects.filter(pk=pk).first() if pk is not None else None
    if agreement is None:
        raise PortalNotAvailable
    try:
        agreement_accept(actor=request.user, agreement=agreement, origin=origin)
    except ClientNotVisible as error:
        raise PortalNotAvailable from error
    except ValidationError as error:
        return _home_with_error(request, " ".join(error.messages), 400)
    messages.success(request, _("Dank u wel. U bent akkoord met de afspraken."))
    return HttpResponseRedirect(f"{reverse('portal:home')}#afspraken", status=303)
