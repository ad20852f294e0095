"""The instrument catalogue and the enrolments of a household (docs/instruments.md).

The catalogue is per municipality (instruments.selectors): coaches, team leads and functional
admins read it, the functional admin and team lead change it; for everyone else, and for another
municipality's instruments, the pages do not exist (404). An instrument's waiting list shows
everyone's place in line but names only the clients the reader may see through the door.

Enrolments are client data: the household, and an enrolment's client, come through the door
(caseload.access); a refusal is audited and is a 404. Every read of enrolments writes one audit
row; the services audit every write. Changes carry the version they showed: a stale one is a 409
with the current values (docs/development/concurrency.md).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from meedoen.analytics.effect_report import effect_summaries
from meedoen.analytics.selectors_effects import actor_may_read_effect_reports
from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import ClientNotVisible, households_visible_to
from meedoen.caseload.selectors import as_uuid
from meedoen.clients.models import Household
from meedoen.core.concurrency import ConflictError
from meedoen.instruments import selectors
from meedoen.instruments.constants import EnrolmentStatus
from meedoen.instruments.models import Category, Enrolment
from meedoen.instruments.services import (
    NotAllowed,
    category_create,
    category_update,
    enrolment_finish,
    enrolment_request,
    enrolment_start,
    enrolment_stop,
    instrument_create,
    instrument_update,
)
from meedoen.partners.selectors import household_members, organisation_choices
from meedoen.web.forms_instruments import (
    CategoryEditForm,
    CategoryForm,
    EnrolmentFinishForm,
    EnrolmentRequestForm,
    EnrolmentStartForm,
    EnrolmentStopForm,
    InstrumentEditForm,
    InstrumentFilterForm,
    InstrumentForm,
    instrument_initial,
)
from meedoen.web.shortcuts import form_add_errors, see_other, service_error_messages

PURPOSE = "casework"
PAGE_SIZE = 25
NOTHING_CHANGED = _("Er was niets gewijzigd; er is niets opgeslagen.")


def _require_reader(request: HttpRequest) -> None:
    if not selectors.actor_may_read_catalogue(request.user):
        raise Http404


def _require_manager(request: HttpRequest) -> None:
    if not selectors.actor_may_manage_instruments(request.user):
        raise Http404


# The catalogue ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def instrument_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    categories = list(selectors.categories_visible_to(actor=request.user))
    form = InstrumentFilterForm(request.GET or None, categories=categories)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    entries = selectors.catalogue(
        actor=request.user,
        kind=filters.get("kind", ""),
        target_group=filters.get("target_group", ""),
        category_id=filters.get("category"),
        query=filters.get("q", ""),
        active_only=not filters.get("inactive"),
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("pagina"))
    params = {k: ("on" if v is True else v) for k, v in filters.items()}
    shown = list(page.object_list)
    # The measured effect per instrument (issue 7): one query for the whole page.
    effects = effect_summaries(instrument_ids=[e.instrument.pk for e in shown])
    return render(
        request,
        "web/instruments/instrument_list.html",
        {
            "form": form,
            "page": page,
            "entries": shown,
            "entry_effects": [(e, effects.get(e.instrument.pk)) for e in shown],
            "may_read_reports": actor_may_read_effect_reports(request.user),
            "page_range": page.paginator.get_elided_page_range(page.number),
            "query": f"{urlencode(params)}&" if params else "",
            "may_manage": selectors.actor_may_manage_instruments(request.user),
            "filtered": bool(filters),
        },
    )


def _form_kwargs(request: HttpRequest) -> dict[str, Any]:
    municipality_id = request.user.municipality_id  # type: ignore[union-attr]
    return {
        "organisations": list(organisation_choices(municipality_id=municipality_id)),
        "categories": list(selectors.categories_visible_to(actor=request.user)),
    }


@login_required
@require_http_methods(["GET", "POST"])
def instrument_create_view(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    template = "web/instruments/instrument_form.html"
    if request.method == "GET":
        return render(request, template, {"form": InstrumentForm(**_form_kwargs(request))})
    form = InstrumentForm(request.POST, **_form_kwargs(request))
    if form.is_valid():
        try:
            instrument = instrument_create(
                actor=request.user, data=form.to_input(), origin=Origin.from_request(request)
            )
        except NotAllowed:
            raise Http404 from None
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            messages.success(request, _("Het instrument is toegevoegd aan de catalogus."))
            return see_other(reverse("web:instrument_detail", args=[instrument.pk]))
    return render(request, template, {"form": form}, status=400)


@login_required
@require_http_methods(["GET"])
def instrument_detail(request: HttpRequest, instrument_id: str) -> HttpResponse:
    entry = selectors.catalogue_entry(actor=request.user, instrument_id=instrument_id)
    waiting = selectors.waiting_list(actor=request.user, instrument=entry.instrument)
    named = sum(1 for row in waiting.rows if row.enrolment is not None)
    if named:
        # Names of clients on the waiting list are client data: one row per page view.
        audit_record(
            actor=request.user,
            action="instruments.waiting_list.read",
            origin=Origin.from_request(request),
            obj=entry.instrument,
            purpose=PURPOSE,
            detail={"named": named, "waiting": len(waiting.rows)},
        )
    return render(
        request,
        "web/instruments/instrument_detail.html",
        {
            "entry": entry,
            "instrument": entry.instrument,
            "effect": effect_summaries(instrument_ids=[entry.instrument.pk]).get(
                entry.instrument.pk
            ),
            "may_read_reports": actor_may_read_effect_reports(request.user),
            "waiting": waiting,
            "may_manage": selectors.actor_may_manage_instruments(request.user),
        },
    )


def _display(form: Any, name: str, value: Any) -> str:
    if isinstance(value, bool):
        return str(_("ja") if value else _("nee"))
    choices = {str(k): v for k, v in (getattr(form.fields[name], "choices", None) or [])}
    if isinstance(value, list | tuple):
        return ", ".join(str(choices.get(str(v), v)) for v in value)
    if value is None:
        return ""
    return str(choices.get(str(value), value))


def _comparison(typed_form: Any, current: dict[str, Any]) -> list[dict[str, Any]]:
    """Per field: what is stored now and what the user typed (not saved)."""
    rows = []
    for name, field in typed_form.fields.items():
        if name == "version" or name not in current:
            continue
        if isinstance(field, forms.MultipleChoiceField):
            typed: Any = typed_form.data.getlist(name)
        elif name == "is_active":  # an unticked checkbox is absent from the POST
            typed = name in typed_form.data
        else:
            typed = typed_form.data.get(name, "")
        rows.append(
            {
                "label": field.label,
                "current": _display(typed_form, name, current[name]),
                "typed": " ".join(_display(typed_form, name, typed).split()),
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def instrument_edit(request: HttpRequest, instrument_id: str) -> HttpResponse:
    _require_manager(request)
    instrument = selectors.instrument_get_for_actor(actor=request.user, instrument_id=instrument_id)
    template = "web/instruments/instrument_form.html"
    kwargs = _form_kwargs(request)
    context: dict[str, Any] = {"instrument": instrument}
    if request.method == "GET":
        form = InstrumentEditForm(initial=instrument_initial(instrument), **kwargs)
        return render(request, template, context | {"form": form})
    form = InstrumentEditForm(request.POST, **kwargs)
    if form.is_valid():
        try:
            changed = instrument_update(
                actor=request.user,
                instrument=instrument,
                expected_version=form.cleaned_data["version"],
                data=form.to_input(),
                origin=Origin.from_request(request),
            )
        except NotAllowed:
            raise Http404 from None
        except ConflictError:
            current = selectors.instrument_get_for_actor(
                actor=request.user, instrument_id=instrument_id
            )
            return render(
                request,
                template,
                {
                    "instrument": current,
                    "form": InstrumentEditForm(initial=instrument_initial(current), **kwargs),
                    "conflict": _comparison(form, instrument_initial(current)),
                },
                status=409,
            )
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            messages.success(
                request, _("Het instrument is gewijzigd.") if changed else NOTHING_CHANGED
            )
            return see_other(reverse("web:instrument_detail", args=[instrument.pk]))
    return render(request, template, context | {"form": form}, status=400)


# Categories ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def category_list(request: HttpRequest) -> HttpResponse:
    """The municipality's categories, and adding one (the functional admin and team lead)."""
    _require_manager(request)
    template = "web/instruments/category_list.html"
    categories = list(selectors.categories_visible_to(actor=request.user))
    if request.method == "GET":
        return render(request, template, {"categories": categories, "form": CategoryForm()})
    form = CategoryForm(request.POST)
    if form.is_valid():
        try:
            category_create(
                actor=request.user, data=form.to_input(), origin=Origin.from_request(request)
            )
        except NotAllowed:
            raise Http404 from None
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            messages.success(request, _("De categorie is toegevoegd."))
            return see_other(reverse("web:instrument_category_list"))
    return render(request, template, {"categories": categories, "form": form}, status=400)


def _category_for_actor(request: HttpRequest, category_id: str) -> Category:
    pk = as_uuid(category_id)
    category = (
        selectors.categories_visible_to(actor=request.user).filter(pk=pk).first() if pk else None
    )
    if category is None:
        raise Http404
    return category


def _category_initial(category: Category) -> dict[str, Any]:
    return {"version": category.version, "name": category.name, "is_active": category.is_active}


@login_required
@require_http_methods(["GET", "POST"])
def category_edit(request: HttpRequest, category_id: str) -> HttpResponse:
    _require_manager(request)
    category = _category_for_actor(request, category_id)
    template = "web/instruments/category_form.html"
    if request.method == "GET":
        form = CategoryEditForm(initial=_category_initial(category))
        return render(request, template, {"category": category, "form": form})
    form = CategoryEditForm(request.POST)
    if form.is_valid():
        try:
            changed = category_update(
                actor=request.user,
                category=category,
                expected_version=form.cleaned_data["version"],
                data=form.to_input(),
                origin=Origin.from_request(request),
            )
        except NotAllowed:
            raise Http404 from None
        except ConflictError:
            current = _category_for_actor(request, category_id)
            return render(
                request,
                template,
                {
                    "category": current,
                    "form": CategoryEditForm(initial=_category_initial(current)),
                    "conflict": _comparison(form, _category_initial(current)),
                },
                status=409,
            )
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            messages.success(
                request, _("De categorie is gewijzigd.") if changed else NOTHING_CHANGED
            )
            return see_other(reverse("web:instrument_category_list"))
    return render(request, template, {"category": category, "form": form}, status=400)


# Enrolments of a household ---------------------------------------------------------------------


def _household(request: HttpRequest, household_id: str, action: str, origin: Origin) -> Household:
    """The door's rule for the household; a refusal is audited under `action` and is a 404."""
    pk = as_uuid(household_id)
    household = (
        households_visible_to(actor=request.user).filter(pk=pk).first() if pk is not None else None
    )
    if household is None:
        audit_record(
            actor=request.user,
            action=action,
            origin=origin,
            purpose=PURPOSE,
            result=Result.DENIED,
        )
        raise ClientNotVisible
    return household


def household_enrolments_url(household_id: object) -> str:
    return reverse("web:household_enrolments", args=[household_id])


def _enrolments_page(
    request: HttpRequest,
    household: Household,
    origin: Origin,
    *,
    form: EnrolmentRequestForm | None = None,
    status: int = 200,
) -> HttpResponse:
    enrolments = selectors.enrolments_for_household(household=household)
    audit_record(
        actor=request.user,
        action="instruments.enrolment.list",
        origin=origin,
        obj=household,
        purpose=PURPOSE,
        detail={"count": len(enrolments)},
    )
    if form is None:
        form = EnrolmentRequestForm(**_request_form_kwargs(request, household))
    return render(
        request,
        "web/instruments/household_enrolments.html",
        {"household": household, "enrolments": enrolments, "form": form},
        status=status,
    )


def _request_form_kwargs(request: HttpRequest, household: Household) -> dict[str, Any]:
    return {
        "members": household_members(household),
        "instruments": list(
            selectors.instruments_visible_to(actor=request.user)
            .filter(is_active=True)
            .only("id", "name", "provider_name", "municipality_id", "is_active")
            .order_by("name")
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
def household_enrolments(request: HttpRequest, household_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    if request.method == "GET":
        household = _household(request, household_id, "instruments.enrolment.list", origin)
        return _enrolments_page(request, household, origin)
    household = _household(request, household_id, "instruments.enrolment.request", origin)
    form = EnrolmentRequestForm(request.POST, **_request_form_kwargs(request, household))
    if form.is_valid():
        client = form.chosen_client()
        try:
            enrolment = enrolment_request(
                actor=request.user,
                client=client,
                instrument=form.chosen_instrument(),
                data=form.to_input(),
                origin=origin,
            )
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            if enrolment.status == EnrolmentStatus.WAITING:
                position = selectors.waiting_position(enrolment=enrolment)
                messages.success(
                    request,
                    _(
                        "Alle plaatsen zijn bezet: %(name)s staat op de wachtlijst, "
                        "als nummer %(position)s."
                    )
                    % {"name": client.full_name, "position": position},
                )
            else:
                messages.success(request, _("%(name)s is aangemeld.") % {"name": client.full_name})
            return see_other(household_enrolments_url(household.pk))
    return _enrolments_page(request, household, origin, form=form, status=400)


# One enrolment: start, finish, stop ------------------------------------------------------------

# action → (form prefix, form, service)
ACTIONS: dict[str, tuple[str, Any, Any]] = {
    "start": ("start", EnrolmentStartForm, enrolment_start),
    "finish": ("afronden", EnrolmentFinishForm, enrolment_finish),
    "stop": ("stoppen", EnrolmentStopForm, enrolment_stop),
}


def _enrolment_forms(enrolment: Enrolment) -> dict[str, Any]:
    """The forms that fit the enrolment's status now, filled with today and its version."""
    today = timezone.localdate()
    initial = {"version": enrolment.version}
    shown: dict[str, Any] = {}
    if enrolment.status in (EnrolmentStatus.REQUESTED, EnrolmentStatus.WAITING):
        shown["start"] = EnrolmentStartForm(initial=initial | {"started_on": today}, prefix="start")
    if enrolment.status == EnrolmentStatus.STARTED:
        shown["finish"] = EnrolmentFinishForm(
            initial=initial | {"ended_on": today}, prefix="afronden"
        )
    if enrolment.is_open:
        shown["stop"] = EnrolmentStopForm(initial=initial | {"ended_on": today}, prefix="stoppen")
    return shown


def _enrolment_page(
    request: HttpRequest,
    enrolment: Enrolment,
    *,
    bound: tuple[str, Any] | None = None,
    conflict: bool = False,
    status: int = 200,
) -> HttpResponse:
    shown = _enrolment_forms(enrolment)
    if bound is not None and bound[0] in shown:
        shown[bound[0]] = bound[1]
    return render(
        request,
        "web/instruments/enrolment_detail.html",
        {
            "enrolment": enrolment,
            "start_form": shown.get("start"),
            "finish_form": shown.get("finish"),
            "stop_form": shown.get("stop"),
            "conflict": [] if conflict else None,
            "back_url": household_enrolments_url(enrolment.client.household_id),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_detail(request: HttpRequest, enrolment_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    if request.method == "GET":
        enrolment = selectors.enrolment_get_for_actor(
            actor=request.user, enrolment_id=enrolment_id, origin=origin
        )
        return _enrolment_page(request, enrolment)
    requested = request.POST.get("action", "")
    name = requested if requested in ACTIONS else "stop"
    prefix, form_class, service = ACTIONS[name]
    # The service writes the audit row of the change (and of a refusal by the door).
    enrolment = selectors.enrolment_get_for_actor(
        actor=request.user,
        enrolment_id=enrolment_id,
        origin=origin,
        action=f"instruments.enrolment.{name}",
        audit_allowed=False,
    )
    form = form_class(request.POST, prefix=prefix)
    if requested not in ACTIONS:
        form.add_error(None, _("Het formulier is onvolledig. Open de pagina opnieuw."))
    elif form.is_valid():
        try:
            service(
                actor=request.user,
                enrolment=enrolment,
                expected_version=form.cleaned_data["version"],
                data=form.to_input(),
                origin=origin,
            )
        except ConflictError:
            current = selectors.enrolment_get_for_actor(
                actor=request.user, enrolment_id=enrolment_id, origin=origin
            )
            return _enrolment_page(request, current, conflict=True, status=409)
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            done = {
                "start": _("De start is vastgelegd."),
                "finish": _("De afronding is vastgelegd."),
                "stop": _("Vastgelegd dat de deelname is gestopt."),
            }
            messages.success(request, done[name])
            return see_other(household_enrolments_url(enrolment.client.household_id))
    return _enrolment_page(request, enrolment, bound=(name, form), status=400)
