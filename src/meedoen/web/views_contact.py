"""Changing a client's contact details (telephone, e-mail, languages), from the client page.

The client comes through the access door, so only who may see the client may change them. The
form carries the version it showed; when someone else (or an import) changed the client since,
the service refuses (core/concurrency.py) and this page answers 409 with the current values beside
what the user typed — nothing is overwritten, and the user can redo the change on the current
values.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from meedoen.audit.services import Origin
from meedoen.caseload.access import client_get_for_actor
from meedoen.clients.models import Client
from meedoen.clients.services import client_contact_update
from meedoen.core.concurrency import ConflictError
from meedoen.web.forms_contact import ClientContactForm, languages_text
from meedoen.web.shortcuts import form_add_errors, service_error_messages

PURPOSE = "casework"
TEMPLATE = "web/client_contact_edit.html"


def _initial(client: Client) -> dict[str, Any]:
    return {
        "version": client.version,
        "phone": client.phone,
        "email": client.email,
        "languages": languages_text(client.languages or []),
    }


@login_required
@require_http_methods(["GET", "POST"])
def client_contact_edit(request: HttpRequest, client_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    client = client_get_for_actor(
        actor=request.user, client_id=client_id, purpose=PURPOSE, origin=origin
    )
    if request.method == "GET":
        form = ClientContactForm(initial=_initial(client))
        return render(request, TEMPLATE, {"client": client, "form": form})

    form = ClientContactForm(request.POST, current_languages=client.languages or [])
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = client_contact_update(
                actor=request.user,
                client=client,
                expected_version=data["version"],
                origin=origin,
                phone=data["phone"],
                email=data["email"],
                languages=data["languages"],
            )
        except ConflictError:
            return _conflict(request, client_id, form, origin)
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            messages.success(
                request,
                _("De contactgegevens zijn opgeslagen.")
                if changed
                else _("Er was niets gewijzigd; er is niets opgeslagen."),
            )
            url = reverse("web:client_detail", kwargs={"client_id": client.pk}) + "#contact"
            return HttpResponseRedirect(url, status=303)
    return render(request, TEMPLATE, {"client": client, "form": form}, status=400)


def _conflict(
    request: HttpRequest, client_id: str, typed_form: ClientContactForm, origin: Origin
) -> HttpResponse:
    # Read again through the door: the page shows the values as they are now (an audited read).
    client = client_get_for_actor(
        actor=request.user, client_id=client_id, purpose=PURPOSE, origin=origin
    )
    typed = typed_form.data
    rows = [
        (_("Telefoon"), client.phone, typed.get("phone", "")),
        (_("E-mail"), client.email, typed.get("email", "")),
        (_("Talen"), languages_text(client.languages or []), typed.get("languages", "")),
    ]
    comparison = [
        {"label": label, "current": current, "typed": " ".join(str(mine).split())}
        for label, current, mine in rows
    ]
    return render(
        request,
        TEMPLATE,
        {
            "client": client,
            # A fresh form on the current values and version: saving it again is a new decision.
            "form": ClientContactForm(initial=_initial(client)),
            "conflict": comparison,
        },
        status=409,
    )
