"""Conversations and profiles in the web UI (docs/profiles.md): record a conversation, look at one,
correct one, the profile section of the client page, and the "in kaart gebracht" overview per wijk.

Thin: clients and conversations come through the door (profiles.selectors over caseload.access),
writes go through profiles.services, every page leaves an audit row. A correction carries the
version it showed; when someone else saved in between, the page answers 409 with both versions
side by side and nothing is overwritten (docs/development/concurrency.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from meedoen.accounts.constants import Role
from meedoen.analytics.aggregates import Cell
from meedoen.analytics.charts import bar_chart
from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import ClientNotVisible, actor_may_do_casework, clients_visible_to
from meedoen.clients.models import Client
from meedoen.core.concurrency import ConflictError
from meedoen.profiles.inputs import ConversationInput, ProfileInput
from meedoen.profiles.models import Conversation
from meedoen.profiles.selectors import (
    client_get_for_profile,
    conversation_get_for_actor,
    conversation_is_first,
    conversation_list,
    profile_counts_by_district,
    profile_counts_total,
    profile_history,
    profile_input_for,
    profile_latest,
)
from meedoen.profiles.services import conversation_record, conversation_update
from meedoen.web.forms_profile import (
    ConversationForm,
    follow_up_initial,
    initial_for,
    profile_field_labels,
    rows_for,
)
from meedoen.web.profile_display import (
    conversation_shown,
    history_shown,
    input_value_text,
    profile_shown,
)

PURPOSE = "casework"
FORM_TEMPLATE = "web/conversation_form.html"


# --- the client page's profile section ---------------------------------------------------------


def client_profile_context(client: Client) -> dict[str, Any]:
    """The "Profiel" section of the client page (the page's read is audited by the door).

    A fixed number of queries whatever the number of conversations: the latest conversation with
    its profile (6), the history (3) and the list of conversations (1).
    """
    latest = profile_latest(client_id=client.pk)
    if latest is None:
        return {"profile_latest": None, "conversations": []}
    return {
        "profile_latest": latest,
        "profile": profile_shown(latest.profile),
        "history": history_shown(profile_history(client_id=client.pk)),
        "conversations": list(conversation_list(client_id=client.pk)),
    }


# --- record a conversation ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def conversation_create(request: HttpRequest, client_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    if request.method == "GET":
        # The form shows the latest profile to start from: audited as a read of the profile.
        client = client_get_for_profile(
            actor=request.user, client_id=client_id, action="profiles.profile.read", origin=origin
        )
        latest = profile_latest(client_id=client.pk)
        today = timezone.localdate()
        if latest is None:
            initial: dict[str, Any] = {"date": today}
            profile = None
        else:
            profile = profile_input_for(latest.profile)
            initial = follow_up_initial(profile, today=today)
        form = ConversationForm(
            initial=initial, first=latest is None, rows=rows_for(profile=profile)
        )
        return _form_page(request, client=client, form=form, latest=latest)

    client = client_get_for_profile(
        actor=request.user,
        client_id=client_id,
        action="profiles.conversation.create",
        origin=origin,
        audit_allowed=False,  # the service writes the create row
    )
    first = not conversation_list(client_id=client.pk).exists()
    form = ConversationForm(request.POST, first=first, rows=rows_for(data=request.POST))
    if form.is_valid():
        conversation_data, profile_data = form.to_inputs()
        try:
            conversation_record(
                actor=request.user,
                client=client,
                conversation=conversation_data,
                profile=profile_data,
                origin=origin,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Het gesprek is vastgelegd."))
            url = reverse("web:client_detail", kwargs={"client_id": client.pk}) + "#profiel"
            return HttpResponseRedirect(url, status=303)
    return _form_page(request, client=client, form=form, status=400)


def _form_page(
    request: HttpRequest,
    *,
    client: Client,
    form: ConversationForm,
    latest: Conversation | None = None,
    conversation: Conversation | None = None,
    conflict: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    if conversation is not None:
        action = reverse("web:conversation_edit", kwargs={"conversation_id": conversation.pk})
    else:
        action = reverse("web:conversation_create", kwargs={"client_id": client.pk})
    return render(
        request,
        FORM_TEMPLATE,
        {
            "client": client,
            "form": form,
            "latest": latest,
            "conversation": conversation,
            "conflict": conflict,
            "action": action,
        },
        status=status,
    )


# --- one conversation --------------------------------------------------------------------------


@login_required
@require_safe
def conversation_detail(request: HttpRequest, conversation_id: str) -> HttpResponse:
    conversation = conversation_get_for_actor(
        actor=request.user, conversation_id=conversation_id, origin=Origin.from_request(request)
    )
    return render(
        request,
        "web/conversation_detail.html",
        {
            "conversation": conversation,
            "client": conversation.client,
            "shown": conversation_shown(conversation),
            "profile": profile_shown(conversation.profile),
        },
    )


def _conversation_input(conversation: Conversation) -> ConversationInput:
    return ConversationInput(
        date=conversation.date,
        place=conversation.place,
        participants=list(conversation.participants),
        notes=conversation.notes,
    )


@login_required
@require_http_methods(["GET", "POST"])
def conversation_edit(request: HttpRequest, conversation_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    if request.method == "GET":
        conversation = conversation_get_for_actor(
            actor=request.user, conversation_id=conversation_id, origin=origin
        )
        return _edit_page(request, conversation)

    action = "profiles.conversation.update"
    conversation = conversation_get_for_actor(
        actor=request.user,
        conversation_id=conversation_id,
        origin=origin,
        action=action,
        audit_allowed=False,  # the service writes the update row
    )
    form = ConversationForm(
        request.POST,
        first=conversation_is_first(conversation=conversation),
        editing=True,
        rows=rows_for(data=request.POST),
    )
    if form.is_valid():
        conversation_data, profile_data = form.to_inputs()
        try:
            conversation_update(
                actor=request.user,
                conversation=conversation,
                expected_version=form.cleaned_data["version"],
                data=conversation_data,
                profile=profile_data,
                origin=origin,
            )
        except ConflictError:
            return _conflict(request, conversation_id, conversation_data, profile_data, origin)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("De correctie van het gesprek is opgeslagen."))
            url = reverse("web:conversation_detail", kwargs={"conversation_id": conversation.pk})
            return HttpResponseRedirect(url, status=303)
    return _form_page(
        request, client=conversation.client, form=form, conversation=conversation, status=400
    )


def _edit_form(conversation: Conversation) -> ConversationForm:
    profile = profile_input_for(conversation.profile)
    initial = initial_for(
        conversation=_conversation_input(conversation),
        profile=profile,
        version=conversation.version,
    )
    return ConversationForm(
        initial=initial,
        first=conversation_is_first(conversation=conversation),
        editing=True,
        rows=rows_for(profile=profile),
    )


def _edit_page(
    request: HttpRequest,
    conversation: Conversation,
    *,
    conflict: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    return _form_page(
        request,
        client=conversation.client,
        form=_edit_form(conversation),
        conversation=conversation,
        conflict=conflict,
        status=status,
    )


def _conflict(
    request: HttpRequest,
    conversation_id: str,
    typed_conversation: ConversationInput,
    typed_profile: ProfileInput,
    origin: Origin,
) -> HttpResponse:
    # Read again through the door (an audited read): the page shows the conversation as it is now,
    # what the user typed beside it for every part that differs, and a fresh form on the current
    # values and version — saving again is a new decision.
    current = conversation_get_for_actor(
        actor=request.user, conversation_id=conversation_id, origin=origin
    )
    stored = {
        **asdict(_conversation_input(current)),
        **profile_input_for(current.profile).as_dict(),
    }
    typed = {**asdict(typed_conversation), **typed_profile.as_dict()}
    comparison = []
    for name, label in profile_field_labels().items():
        now, mine = input_value_text(name, stored[name]), input_value_text(name, typed[name])
        if now != mine:
            comparison.append({"label": label, "current": now, "typed": mine})
    return _edit_page(request, current, conflict=comparison, status=409)


# --- "in kaart gebracht" per wijk ---------------------------------------------------------------


_DATE_ATTRS = {
    "type": "date",
    "class": "utrecht-textbox utrecht-textbox--html-input utrecht-form-field__input",
}


class PeriodForm(forms.Form):
    vanaf = forms.DateField(
        label=_("Gesprekken vanaf"),
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs=_DATE_ATTRS, format="%Y-%m-%d"),
        error_messages={"invalid": _("Gesprekken vanaf: vul een datum in als 1-1-2025.")},
    )
    tot = forms.DateField(
        label=_("Tot en met"),
        required=False,
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        widget=forms.DateInput(attrs=_DATE_ATTRS, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tot en met: vul een datum in als 31-12-2025.")},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("vanaf"), cleaned.get("tot")
        if since and until and until < since:
            self.add_error("tot", _("Tot en met: die datum ligt vóór de datum vanaf."))
        return cleaned


@login_required
@require_safe
def profile_overview(request: HttpRequest) -> HttpResponse:
    """How many of the clients one may see were spoken to and are in kaart gebracht, per wijk:
    a coach's own caseload, a team lead's team (and the queue). Counts, no names."""
    origin = Origin.from_request(request)
    action = "profiles.overview.read"
    if not actor_may_do_casework(request.user):
        audit_record(
            actor=request.user,
            action=action,
            origin=origin,
            purpose=PURPOSE,
            result=Result.DENIED,
        )
        raise ClientNotVisible
    form = PeriodForm(request.GET or None)
    since = until = None
    if form.is_bound and form.is_valid():
        since, until = form.cleaned_data["vanaf"], form.cleaned_data["tot"]
    rows = profile_counts_by_district(
        clients=clients_visible_to(actor=request.user), since=since, until=until
    )
    total = profile_counts_total(rows)
    audit_record(
        actor=request.user,
        action=action,
        origin=origin,
        purpose=PURPOSE,
        detail={"districts": len(rows), "period": bool(since or until)},
    )
    names = [r.district_name or str(_("Wijk onbekend")) for r in rows]
    period = _period_text(since, until)
    return render(
        request,
        "web/profile_overview.html",
        {
            "form": form,
            "is_team_lead": getattr(request.user, "role", "") == Role.TEAM_LEAD,
            "rows": list(zip(names, rows, strict=True)),
            "total": total,
            "period": period,
            "spoken_chart": bar_chart(
                chart_id="grafiek-gesproken",
                title=_("Gesproken per wijk"),
                description=_(
                    "Staafdiagram van het aantal cliënten met een lopende uitkering dat is "
                    "gesproken, per wijk%(period)s. De aantallen staan in de tabel onder de "
                    "diagrammen."
                )
                % {"period": period},
                items=[(n, Cell(value=r.spoken)) for n, r in zip(names, rows, strict=True)],
            ),
            "profiled_chart": bar_chart(
                chart_id="grafiek-in-kaart",
                title=_("In kaart gebracht per wijk"),
                description=_(
                    "Staafdiagram van het aantal cliënten met een lopende uitkering dat in kaart "
                    "is gebracht, per wijk%(period)s. De aantallen staan in de tabel onder de "
                    "diagrammen."
                )
                % {"period": period},
                items=[(n, Cell(value=r.profiled)) for n, r in zip(names, rows, strict=True)],
            ),
        },
    )


def _period_text(since: dt.date | None, until: dt.date | None) -> str:
    if since and until:
        return str(
            _(", met gesprekken van %(since)s tot en met %(until)s")
            % {"since": date_format(since, "j F Y"), "until": date_format(until, "j F Y")}
        )
    if since:
        return str(_(", met gesprekken vanaf %(since)s") % {"since": date_format(since, "j F Y")})
    if until:
        return str(
            _(", met gesprekken tot en met %(until)s") % {"until": date_format(until, "j F Y")}
        )
    return ""
