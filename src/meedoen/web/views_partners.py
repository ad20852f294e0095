"""Partner organisations: the registry, involvement with a household, sharing under consent.

The registry is per municipality (partners.selectors): coaches, team leads and functional admins
read it, the functional admin and team lead change it; for everyone else, and for another
municipality's organisations, the pages do not exist (404). Involvements hang off a household:
the household — also an involvement's — comes through the access door (caseload.access), so only
who may see the household reaches them. Edits carry the version they showed: a stale one is a 409
with the current values beside what was typed (docs/development/concurrency.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from meedoen.audit.services import Origin
from meedoen.caseload.access import household_get_for_actor
from meedoen.clients.models import Household
from meedoen.core.concurrency import ConflictError
from meedoen.partners import selectors
from meedoen.partners.models import Involvement, Organisation, PartnerPerson
from meedoen.partners.services import (
    NotAllowed,
    information_share_record,
    involvement_add,
    involvement_end,
    involvement_update,
    organisation_create,
    organisation_update,
    person_create,
    person_update,
)
from meedoen.web.forms_partners import (
    InformationShareForm,
    InvolvementEditForm,
    InvolvementEndForm,
    InvolvementForm,
    OrganisationEditForm,
    OrganisationFilterForm,
    OrganisationForm,
    PersonEditForm,
    PersonForm,
)
from meedoen.web.shortcuts import form_add_errors, see_other, service_error_messages

PURPOSE = "casework"
PAGE_SIZE = 50


def _require_reader(request: HttpRequest) -> None:
    if not selectors.actor_may_read_partners(request.user):
        raise Http404


def _require_manager(request: HttpRequest) -> None:
    if not selectors.actor_may_manage_partners(request.user):
        raise Http404


# Registry ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def partner_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    form = OrganisationFilterForm(request.GET or None)
    kind = query = ""
    if form.is_bound and form.is_valid():
        kind, query = form.cleaned_data["kind"], form.cleaned_data["q"]
    organisations = selectors.organisation_list(actor=request.user, kind=kind, query=query)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("pagina"))
    params = "&".join(f"{k}={v}" for k, v in (("soort", kind), ("q", query)) if v)
    return render(
        request,
        "web/partners/organisation_list.html",
        {
            "form": form,
            "page": page,
            "organisations": list(page.object_list),
            "page_range": page.paginator.get_elided_page_range(page.number),
            "query": f"kind={kind}&q={query}&" if params else "",
            "may_manage": selectors.actor_may_manage_partners(request.user),
            "filtered": bool(kind or query),
        },
    )


def _organisation_initial(organisation: Organisation) -> dict[str, Any]:
    return {
        "version": organisation.version,
        "name": organisation.name,
        "kind": organisation.kind,
        "code": organisation.code,
        "phone": organisation.phone,
        "email": organisation.email,
        "website": organisation.website,
        "note": organisation.note,
        "is_active": organisation.is_active,
    }


@login_required
@require_http_methods(["GET", "POST"])
def partner_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    template = "web/partners/organisation_form.html"
    if request.method == "GET":
        return render(request, template, {"form": OrganisationForm()})
    form = OrganisationForm(request.POST)
    if form.is_valid():
        try:
            organisation = organisation_create(
                actor=request.user, data=form.cleaned_data, origin=Origin.from_request(request)
            )
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            messages.success(request, _("De organisatie is toegevoegd aan het register."))
            return see_other(reverse("web:partner_detail", args=[organisation.pk]))
    return render(request, template, {"form": form}, status=400)


@login_required
@require_http_methods(["GET"])
def partner_detail(request: HttpRequest, organisation_id: str) -> HttpResponse:
    organisation = selectors.organisation_get_for_actor(
        actor=request.user, organisation_id=organisation_id
    )
    return render(
        request,
        "web/partners/organisation_detail.html",
        {
            "organisation": organisation,
            "people": list(organisation.people.all()),
            "may_manage": selectors.actor_may_manage_partners(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_edit(request: HttpRequest, organisation_id: str) -> HttpResponse:
    _require_manager(request)
    organisation = selectors.organisation_get_for_actor(
        actor=request.user, organisation_id=organisation_id
    )
    template = "web/partners/organisation_form.html"
    context: dict[str, Any] = {"organisation": organisation}
    if request.method == "GET":
        form = OrganisationEditForm(initial=_organisation_initial(organisation))
        return render(request, template, context | {"form": form})
    form = OrganisationEditForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            changed = organisation_update(
                actor=request.user,
                organisation=organisation,
                expected_version=version,
                data=data,
                origin=Origin.from_request(request),
            )
        except ConflictError:
            current = selectors.organisation_get_for_actor(
                actor=request.user, organisation_id=organisation_id
            )
            return render(
                request,
                template,
                {
                    "organisation": current,
                    "form": OrganisationEditForm(initial=_organisation_initial(current)),
                    "conflict": _comparison(form, _organisation_initial(current)),
                },
                status=409,
            )
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            messages.success(
                request,
                _("De organisatie is gewijzigd.")
                if changed
                else _("Er was niets gewijzigd; er is niets opgeslagen."),
            )
            return see_other(reverse("web:partner_detail", args=[organisation.pk]))
    return render(request, template, context | {"form": form}, status=400)


def _display(form: Any, name: str, value: Any) -> str:
    field = form.fields[name]
    if isinstance(value, bool):
        return str(_("ja") if value else _("nee"))
    choices = dict(getattr(field, "choices", []) or [])
    return str(choices.get(value, value) or "")


def _comparison(typed_form: Any, current: dict[str, Any]) -> list[dict[str, Any]]:
    """Per field: what is stored now and what the user typed (not saved)."""
    rows = []
    for name, field in typed_form.fields.items():
        if name == "version" or name not in current:
            continue
        # An unticked checkbox is absent from the POST.
        typed: Any = (
            name in typed_form.data if name == "is_active" else typed_form.data.get(name, "")
        )
        rows.append(
            {
                "label": field.label,
                "current": _display(typed_form, name, current[name]),
                "typed": " ".join(_display(typed_form, name, typed).split()),
            }
        )
    return rows


def _person_initial(person: PartnerPerson) -> dict[str, Any]:
    return {
        "version": person.version,
        "name": person.name,
        "job_title": person.job_title,
        "phone": person.phone,
        "email": person.email,
        "is_active": person.is_active,
    }


@login_required
@require_http_methods(["GET", "POST"])
def partner_person_create(request: HttpRequest, organisation_id: str) -> HttpResponse:
    _require_manager(request)
    organisation = selectors.organisation_get_for_actor(
        actor=request.user, organisation_id=organisation_id
    )
    template = "web/partners/person_form.html"
    if request.method == "GET":
        return render(request, template, {"organisation": organisation, "form": PersonForm()})
    form = PersonForm(request.POST)
    if form.is_valid():
        try:
            person_create(
                actor=request.user,
                organisation=organisation,
                data=form.cleaned_data,
                origin=Origin.from_request(request),
            )
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            messages.success(request, _("De contactpersoon is toegevoegd."))
            return see_other(reverse("web:partner_detail", args=[organisation.pk]) + "#mensen")
    return render(request, template, {"organisation": organisation, "form": form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def partner_person_edit(request: HttpRequest, person_id: str) -> HttpResponse:
    _require_manager(request)
    person = selectors.person_get_for_actor(actor=request.user, person_id=person_id)
    template = "web/partners/person_form.html"
    context: dict[str, Any] = {"organisation": person.organisation, "person": person}
    if request.method == "GET":
        return render(
            request, template, context | {"form": PersonEditForm(initial=_person_initial(person))}
        )
    form = PersonEditForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            changed = person_update(
                actor=request.user,
                person=person,
                expected_version=version,
                data=data,
                origin=Origin.from_request(request),
            )
        except ConflictError:
            current = selectors.person_get_for_actor(actor=request.user, person_id=person_id)
            return render(
                request,
                template,
                {
                    "organisation": current.organisation,
                    "person": current,
                    "form": PersonEditForm(initial=_person_initial(current)),
                    "conflict": _comparison(form, _person_initial(current)),
                },
                status=409,
            )
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            messages.success(
                request,
                _("De contactpersoon is gewijzigd.")
                if changed
                else _("Er was niets gewijzigd; er is niets opgeslagen."),
            )
            return see_other(
                reverse("web:partner_detail", args=[person.organisation_id]) + "#mensen"
            )
    return render(request, template, context | {"form": form}, status=400)


# Involvements -----------------------------------------------------------------------------------


def household_partners_context(household: Household) -> dict[str, Any]:
    """The household page's section (web/partners/_household_section.html); the caller passed the
    door for `household`. A fixed number of queries (partners.selectors.household_involvements)."""
    return {
        "partner_household": household,
        "partner_involvements": selectors.household_involvements(household),
    }


def household_url(household: Household) -> str:
    """The household page (web:household_detail), where the involvements are shown."""
    try:
        return reverse("web:household_detail", args=[household.pk]) + "#betrokken-organisaties"
    except NoReverseMatch:  # pragma: no cover - the household page comes with issue 5 (H1)
        return reverse("web:involvement_create", args=[household.pk])


def _involvement_for_actor(
    request: HttpRequest, involvement_id: str, origin: Origin
) -> Involvement:
    """The involvement, after its household passed the door (404 and audited otherwise)."""
    involvement = selectors.involvement_get(involvement_id=involvement_id)
    household_get_for_actor(
        actor=request.user,
        household_id=involvement.household_id if involvement else None,
        purpose=PURPOSE,
        origin=origin,
    )
    assert involvement is not None  # the door raised otherwise
    return involvement


def _involvement_form_kwargs(
    household: Household, organisation: Organisation | None = None
) -> dict[str, Any]:
    people = selectors.person_choices(municipality_id=household.municipality_id)
    if organisation is not None:
        people = people.filter(organisation=organisation)
    return {
        "organisations": list(
            selectors.organisation_choices(municipality_id=household.municipality_id)
        ),
        "people": list(people),
        "members": selectors.household_members(household),
    }


@login_required
@require_http_methods(["GET", "POST"])
def involvement_create(request: HttpRequest, household_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    household = household_get_for_actor(
        actor=request.user, household_id=household_id, purpose=PURPOSE, origin=origin
    )
    template = "web/partners/involvement_form.html"
    kwargs = _involvement_form_kwargs(household)
    context: dict[str, Any] = {"household": household, "back_url": household_url(household)}
    if request.method == "GET":
        form = InvolvementForm(initial={"start_date": _today()}, **kwargs)
        return render(request, template, context | {"form": form})
    form = InvolvementForm(request.POST, **kwargs)
    if form.is_valid():
        try:
            involvement_add(
                actor=request.user,
                household=household,
                organisation=form.chosen_organisation(),
                data=form.service_data(),
                origin=origin,
            )
        except NotAllowed:
            raise Http404 from None
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            messages.success(request, _("De betrokken organisatie is vastgelegd."))
            return see_other(household_url(household))
    return render(request, template, context | {"form": form}, status=400)


def _today() -> dt.date:
    return timezone.localdate()


def _involvement_initial(involvement: Involvement) -> dict[str, Any]:
    return {
        "version": involvement.version,
        "topic": involvement.topic,
        "client": str(involvement.client_id) if involvement.client_id else "",
        "person": str(involvement.person_id) if involvement.person_id else "",
        "start_date": involvement.start_date,
        "note": involvement.note,
    }


def _involvement_page(
    request: HttpRequest,
    involvement: Involvement,
    *,
    form: InvolvementEditForm | None = None,
    end_form: InvolvementEndForm | None = None,
    conflict: list[dict[str, Any]] | None = None,
    status: int = 200,
) -> HttpResponse:
    household = involvement.household
    kwargs = _involvement_form_kwargs(household, involvement.organisation)
    if form is None:
        form = InvolvementEditForm(
            initial=_involvement_initial(involvement), fixed_organisation=True, **kwargs
        )
    if end_form is None:
        end_form = InvolvementEndForm(
            initial={"version": involvement.version, "end_date": _today()}, prefix="einde"
        )
    return render(
        request,
        "web/partners/involvement_form.html",
        {
            "household": household,
            "involvement": involvement,
            "form": form,
            "end_form": end_form,
            "conflict": conflict,
            "back_url": household_url(household),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def involvement_edit(request: HttpRequest, involvement_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    involvement = _involvement_for_actor(request, involvement_id, origin)
    if request.method == "GET":
        return _involvement_page(request, involvement)
    household = involvement.household
    if "einde-end_date" in request.POST:
        end_form = InvolvementEndForm(request.POST, prefix="einde")
        if end_form.is_valid():
            try:
                involvement_end(
                    actor=request.user,
                    involvement=involvement,
                    expected_version=end_form.cleaned_data["version"],
                    end_date=end_form.cleaned_data["end_date"],
                    origin=origin,
                )
            except NotAllowed:
                raise Http404 from None
            except ConflictError:
                current = _involvement_for_actor(request, involvement_id, origin)
                return _involvement_page(request, current, conflict=[], status=409)
            except ValidationError as exc:
                form_add_errors(end_form, service_error_messages(exc))
            else:
                messages.success(request, _("De betrokkenheid is beëindigd."))
                return see_other(household_url(household))
        return _involvement_page(request, involvement, end_form=end_form, status=400)

    kwargs = _involvement_form_kwargs(household, involvement.organisation)
    form = InvolvementEditForm(request.POST, fixed_organisation=True, **kwargs)
    if form.is_valid():
        try:
            changed = involvement_update(
                actor=request.user,
                involvement=involvement,
                expected_version=form.cleaned_data["version"],
                data=form.service_data(),
                origin=origin,
            )
        except NotAllowed:
            raise Http404 from None
        except ConflictError:
            current = _involvement_for_actor(request, involvement_id, origin)
            comparison = _comparison(form, _involvement_initial(current))
            return _involvement_page(request, current, conflict=comparison, status=409)
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            messages.success(
                request,
                _("De betrokkenheid is gewijzigd.")
                if changed
                else _("Er was niets gewijzigd; er is niets opgeslagen."),
            )
            return see_other(household_url(household))
    return _involvement_page(request, involvement, form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def information_share(request: HttpRequest, involvement_id: str) -> HttpResponse:
    origin = Origin.from_request(request)
    involvement = _involvement_for_actor(request, involvement_id, origin)
    household = involvement.household
    members = selectors.household_members(household)
    consents = selectors.sharing_consents(client_ids=[m.pk for m in members])
    sharing = [
        selectors.MemberSharing(
            client=m,
            categories=selectors.allowed_categories(
                consents.get(m.pk, []), involvement.organisation
            ),
        )
        for m in members
    ]
    template = "web/partners/information_share.html"
    context: dict[str, Any] = {
        "household": household,
        "involvement": involvement,
        "sharing": sharing,
        "back_url": household_url(household),
    }
    initial_client = str(involvement.client_id) if involvement.client_id else ""
    if request.method == "GET":
        form = InformationShareForm(initial={"client": initial_client}, members=members)
        return render(request, template, context | {"form": form})
    form = InformationShareForm(request.POST, members=members)
    refused = None
    if form.is_valid():
        client = form.chosen_client()
        try:
            information_share_record(
                actor=request.user,
                involvement=involvement,
                client=client,
                data_categories=form.cleaned_data["data_categories"],
                summary=form.cleaned_data["summary"],
                origin=origin,
            )
        except NotAllowed:
            raise Http404 from None
        except ValidationError as exc:
            errors = service_error_messages(exc)
            refused_messages = errors.pop("consent", None)
            if refused_messages:
                refused = {"message": refused_messages[0], "client": client}
            form_add_errors(form, errors)
        else:
            messages.success(
                request,
                _("Vastgelegd dat u gegevens van %(name)s hebt gedeeld met %(organisation)s.")
                % {"name": client.full_name, "organisation": involvement.organisation.name},
            )
            return see_other(household_url(household))
    return render(request, template, context | {"form": form, "refused": refused}, status=400)
