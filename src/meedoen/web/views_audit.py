"""The privacy officer's pages: the audit log and, per client, "who looked at this file".

Only the privacy officer (FG) of a municipality reaches these pages; for everyone else they do not
exist (404). They show the officer's own municipality's audit chain. Reading them is itself
audited. The officer finds a client by exact client number through caseload.access_privacy, which
returns the client's identity only — no casework content.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from meedoen.accounts.constants import Role
from meedoen.audit.actions import audit_action_label
from meedoen.audit.models import AuditEvent
from meedoen.audit.selectors import AuditFilter, audit_event_list, audit_events_for_subject
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access_privacy import (
    PURPOSE,
    actor_is_privacy_officer,
    client_find_for_privacy_officer,
    client_get_for_privacy_officer,
)
from meedoen.web.forms_audit import AuditLogFilterForm, ClientNumberForm

PAGE_SIZE = 50

CHANNEL_LABELS = {"web": _("website"), "api": _("API"), "command": _("opdrachtregel")}


def privacy_officer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not actor_is_privacy_officer(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _rows(events: list[AuditEvent]) -> list[dict[str, Any]]:
    roles = dict(Role.choices)
    return [
        {
            "event": event,
            "action_label": audit_action_label(event.action),
            "role_label": roles.get(event.actor_role, event.actor_role),
            "channel": CHANNEL_LABELS.get(
                (event.detail or {}).get("channel", ""), (event.detail or {}).get("channel", "")
            ),
        }
        for event in events
    ]


def _page(events: list[AuditEvent]) -> tuple[list[AuditEvent], int | None]:
    """The page and the id to continue before, if there is a next page."""
    if len(events) > PAGE_SIZE:
        events = events[:PAGE_SIZE]
        return events, events[-1].id
    return events, None


@privacy_officer_required
def audit_log(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = AuditLogFilterForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if request.GET and valid else {}
    filters = AuditFilter(
        date_from=data.get("van"),
        date_to=data.get("tot"),
        actor_name=data.get("medewerker", ""),
        action_prefix=data.get("actie", ""),
        result=data.get("resultaat", ""),
        subject_pseudonym=data.get("client", ""),
    )
    events: list[AuditEvent] = []
    next_id = None
    if valid:
        events, next_id = _page(
            audit_event_list(
                municipality_code=user.municipality.code,
                filters=filters,
                before_id=data.get("voor"),
                limit=PAGE_SIZE,
            )
        )
        audit_record(
            actor=user,
            action="audit.log.read",
            origin=Origin.from_request(request),
            purpose=PURPOSE,
            # The names of the filters used, not their values (a name, a pseudonym).
            detail={
                "count": len(events),
                "filters": sorted(k for k, v in data.items() if v and k != "voor"),
            },
        )
    query = {k: v for k, v in request.GET.items() if k != "voor" and v}
    return render(
        request,
        "web/audit_log.html",
        {
            "form": form,
            "rows": _rows(events),
            "next_url": f"?{urlencode({**query, 'voor': next_id})}" if next_id else "",
            "first_url": f"?{urlencode(query)}" if data.get("voor") else "",
        },
    )


@privacy_officer_required
@require_http_methods(["GET", "POST"])
def audit_client_search(request: HttpRequest) -> HttpResponse:
    # POST, then a redirect to the client's page by id: the client number stays out of URLs and
    # server logs, like every other identifier typed into a search.
    form = ClientNumberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = client_find_for_privacy_officer(
            actor=request.user,
            client_number=form.cleaned_data["klantnummer"],
            origin=Origin.from_request(request),
        )
        if found is not None:
            url = reverse("web:audit_client_log", args=[found.id])
            return HttpResponseRedirect(url, status=303)
        form.add_error(
            "klantnummer",
            _("Er is geen cliënt met dit klantnummer in uw gemeente. Controleer het nummer."),
        )
    return render(request, "web/audit_client_search.html", {"form": form})


@privacy_officer_required
def audit_client_log(request: HttpRequest, client_id: str) -> HttpResponse:
    user: Any = request.user
    origin = Origin.from_request(request)
    identity = client_get_for_privacy_officer(actor=user, client_id=client_id, origin=origin)
    before = request.GET.get("voor", "")
    events = audit_events_for_subject(
        subject_id=identity.id, municipality_code=user.municipality.code
    )
    if before.isdigit():
        events = events.filter(id__lt=int(before))
    page, next_id = _page(list(events[: PAGE_SIZE + 1]))
    audit_record(
        actor=user,
        action="audit.access_log.read",
        origin=origin,
        subject_id=identity.id,
        purpose=PURPOSE,
        detail={"count": len(page)},
    )
    return render(
        request,
        "web/audit_client_log.html",
        {
            "identity": identity,
            "rows": _rows(page),
            "next_url": f"?{urlencode({'voor': next_id})}" if next_id else "",
            "first_url": "?" if before else "",
        },
    )
