"""User management for the functional admin: staff accounts and teams of their own municipality.

For everyone else these pages do not exist (404). Thin views: the accounts come through
accounts.selectors_staff, every write goes through accounts.services_staff (which checks and
audits it). Edits carry the version they showed; a conflict answers 409 with the current values
beside what the admin typed. Every action that cannot be undone by a single click (deactivate,
reactivate, reset the second factor, a new password link) has a confirmation page: a GET shows
it, the POST does it. Works without JavaScript. The guide: docs/admin.md.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from meedoen.accounts import selectors_staff as selectors
from meedoen.accounts import services_staff as services
from meedoen.accounts.constants import Role
from meedoen.accounts.models import Team, User
from meedoen.audit.services import Origin, audit_record
from meedoen.core.concurrency import ConflictError
from meedoen.web.forms_staff import StaffFilterForm, StaffForm, TeamForm, VersionForm
from meedoen.web.shortcuts import form_add_errors, see_other, service_error_messages

PAGE_SIZE = 25
# The account whose set-password link the next view of its page shows, once. Only the id is kept
# in the session; the token is made when the page is shown (nothing secret is stored).
_LINK_SESSION_KEY = "web.staff_password_link"


def staff_admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.actor_may_manage_staff(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _teams(request: HttpRequest) -> list[Team]:
    return list(selectors.teams_manageable_by(actor=request.user).order_by("name"))


def _user_url(user: User) -> str:
    return reverse("web:staff_edit", kwargs={"user_id": user.pk})


# The list ---------------------------------------------------------------------------------


@staff_admin_required
@require_http_methods(["GET"])
def staff_list(request: HttpRequest) -> HttpResponse:
    form = StaffFilterForm(request.GET or None, teams=_teams(request))
    valid = form.is_valid() if request.GET else True
    filters = form.filters() if request.GET and valid else selectors.StaffFilter()
    users = selectors.staff_list(
        users=selectors.staff_manageable_by(actor=request.user), filters=filters
    )
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("pagina"))
    # One audit row per page shown: how many staff members, which filters (names, not values).
    audit_record(
        actor=request.user,
        action="accounts.user.list",
        origin=Origin.from_request(request),
        detail={"count": len(page.object_list), "filters": filters.names()},
    )
    query = {k: v for k, v in request.GET.items() if k in form.fields and v and valid}
    return render(
        request,
        "web/staff_list.html",
        {
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
            "query": f"{urlencode(query)}&" if query else "",
            "filtered": bool(query),
        },
        status=200 if valid else 400,
    )


# Create and edit --------------------------------------------------------------------------


def _role_help() -> list[tuple[Any, Any]]:
    return [
        (
            Role.COACH.label,
            _("Ziet de eigen caseload en die van een collega voor wie hij of zij waarneemt."),
        ),
        (
            Role.TEAM_LEAD.label,
            _("Ziet de caseloads van het eigen team en de nog niet toegewezen huishoudens."),
        ),
        (
            Role.ANALYST.label,
            _("Ziet alleen gepseudonimiseerde cijfers en datasets, geen dossiers."),
        ),
        (
            Role.PRIVACY_OFFICER.label,
            _("Ziet het auditlog en handelt inzageverzoeken af, geen dossiers."),
        ),
        (
            Role.FUNCTIONAL_ADMIN.label,
            _("Beheert gebruikers, teams en imports, geen dossiers."),
        ),
    ]


@staff_admin_required
@require_http_methods(["GET", "POST"])
def staff_create(request: HttpRequest) -> HttpResponse:
    teams = _teams(request)
    # An empty POST is a form with errors too (not the blank form again).
    form = StaffForm(request.POST if request.method == "POST" else None, teams=teams, create=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.staff_create(
                actor=request.user,
                origin=Origin.from_request(request),
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                team=data["team"],
            )
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            if not settings.OIDC_ONLY:
                request.session[_LINK_SESSION_KEY] = user.pk
            messages.success(
                request,
                _("Het account van %(name)s is aangemaakt.") % {"name": user.display_name},
            )
            return see_other(_user_url(user))
    return render(
        request,
        "web/staff_create.html",
        {"form": form, "role_help": _role_help(), "has_teams": bool(teams)},
        status=400 if form.errors else 200,
    )


def _password_link(request: HttpRequest, user: User) -> str:
    """The set-password link for `user` if it is to be shown now (once, right after it was made)."""
    if request.session.get(_LINK_SESSION_KEY) != user.pk:
        return ""
    del request.session[_LINK_SESSION_KEY]
    if not user.is_active or user.has_usable_password():
        return ""
    path = reverse(
        "web:password_set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": services.password_link_token(user=user),
        },
    )
    return request.build_absolute_uri(path)


def _edit_initial(user: User) -> dict[str, Any]:
    return {
        "version": user.version,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "team": str(user.team_id) if user.team_id else "",
    }


def _edit_context(
    request: HttpRequest, user: User, form: StaffForm, **extra: Any
) -> dict[str, Any]:
    return {
        "staff": user,
        "form": form,
        "is_self": user.pk == request.user.pk,
        "open_work": [work.summary(count) for work, count in selectors.staff_open_work(user=user)],
        "role_help": _role_help(),
        "password_link": _password_link(request, user),
        "password_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "oidc_only": settings.OIDC_ONLY,
        **extra,
    }


@staff_admin_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    origin = Origin.from_request(request)
    user = selectors.staff_get_for_actor(
        actor=request.user, user_id=user_id, origin=origin, record_read=request.method == "GET"
    )
    teams = _teams(request)
    if request.method == "GET":
        form = StaffForm(initial=_edit_initial(user), teams=teams, create=False)
        return render(request, "web/staff_edit.html", _edit_context(request, user, form))

    form = StaffForm(request.POST, teams=teams, create=False)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.staff_update(
                actor=request.user,
                user=user,
                expected_version=data["version"],
                origin=origin,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                team=data["team"],
            )
        except ConflictError:
            return _edit_conflict(request, user_id, form, teams, origin)
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            messages.success(
                request,
                _("De gegevens zijn opgeslagen.")
                if changed
                else _("Er was niets gewijzigd; er is niets opgeslagen."),
            )
            return see_other(_user_url(user))
    return render(request, "web/staff_edit.html", _edit_context(request, user, form), status=400)


def _edit_conflict(
    request: HttpRequest, user_id: int, typed_form: StaffForm, teams: list[Team], origin: Origin
) -> HttpResponse:
    # Read the account again: the page shows it as it is now (an audited read).
    user = selectors.staff_get_for_actor(
        actor=request.user, user_id=user_id, origin=origin, record_read=True
    )
    typed = typed_form.data
    roles = dict(Role.choices)
    team_names = {str(team.pk): team.name for team in teams}
    rows = [
        (_("Voornaam"), user.first_name, typed.get("first_name", "")),
        (_("Achternaam"), user.last_name, typed.get("last_name", "")),
        (_("E-mailadres"), user.email, typed.get("email", "")),
        (_("Rol"), roles.get(user.role, user.role), roles.get(typed.get("role", ""), "")),
        (
            _("Team"),
            user.team.name if user.team else "",
            team_names.get(typed.get("team", ""), ""),
        ),
        (_("Actief"), _("ja") if user.is_active else _("nee"), ""),
    ]
    comparison = [
        {"label": label, "current": current, "typed": " ".join(str(mine).split())}
        for label, current, mine in rows
    ]
    form = StaffForm(initial=_edit_initial(user), teams=teams, create=False)
    return render(
        request,
        "web/staff_edit.html",
        _edit_context(request, user, form, conflict=comparison),
        status=409,
    )


# Actions with a confirmation page ---------------------------------------------------------


def _confirm(
    request: HttpRequest,
    user: User,
    *,
    action: str,
    form: VersionForm | None = None,
    status: int = 200,
    error: str = "",
    conflict: bool = False,
) -> HttpResponse:
    texts = _CONFIRM_TEXTS[action]
    blocked: list[Any] = []
    if user.pk == request.user.pk:
        blocked = [
            _("Dit kan niet voor uw eigen account. Vraag dit aan een andere functioneel beheerder.")
        ]
    elif action == "staff_deactivate" and user.is_active:
        blocked = [work.refusal(count) for work, count in selectors.staff_open_work(user=user)]
    return render(
        request,
        "web/staff_confirm.html",
        {
            "staff": user,
            "action_url": reverse(f"web:{action}", kwargs={"user_id": user.pk}),
            "title": texts["title"],
            "explanation": texts["explanation"],
            "button": texts["button"],
            "form": form,
            "error": error,
            "blocked": blocked,
            "conflict": conflict,
        },
        status=status,
    )


_CONFIRM_TEXTS: dict[str, dict[str, Any]] = {
    "staff_deactivate": {
        "title": _("Account deactiveren"),
        "explanation": _(
            "Na het deactiveren kan deze medewerker niet meer inloggen; wie nu is ingelogd, is "
            "direct uitgelogd. Het account blijft bestaan, zodat het auditlog en de geschiedenis "
            "van toewijzingen kloppen. U kunt het later weer activeren."
        ),
        "button": _("Deactiveren"),
    },
    "staff_reactivate": {
        "title": _("Account weer activeren"),
        "explanation": _(
            "De medewerker kan weer inloggen met het eigen wachtwoord en de eigen "
            "authenticator-app, en krijgt de rechten van de rol die bij het account staat."
        ),
        "button": _("Activeren"),
    },
    "staff_otp_reset": {
        "title": _("Tweestapsverificatie opnieuw instellen"),
        "explanation": _(
            "Doe dit als de medewerker de telefoon met de authenticator-app kwijt is of een "
            "nieuwe heeft. De gekoppelde app wordt verwijderd: codes daaruit werken niet meer. "
            "Bij de volgende keer inloggen koppelt de medewerker na het wachtwoord een nieuwe app. "
            "Controleer eerst dat u echt met deze medewerker spreekt."
        ),
        "button": _("App verwijderen"),
    },
    "staff_password_link": {
        "title": _("Nieuwe wachtwoordlink maken"),
        "explanation": _(
            "Voor een vergeten wachtwoord, of als de eerste link verlopen is. Het huidige "
            "wachtwoord werkt daarna niet meer en de medewerker wordt uitgelogd. U krijgt een "
            "link te zien die één keer werkt; geef die zelf aan de medewerker, bij voorkeur "
            "persoonlijk of via het werk-e-mailadres."
        ),
        "button": _("Link maken"),
    },
}


def _version_action(
    request: HttpRequest, user_id: int, *, action: str, active: bool
) -> HttpResponse:
    origin = Origin.from_request(request)
    user = selectors.staff_get_for_actor(actor=request.user, user_id=user_id, origin=origin)
    if request.method == "GET":
        return _confirm(
            request, user, action=action, form=VersionForm(initial={"version": user.version})
        )
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _confirm(request, user, action=action, form=form, status=400)
    service = services.staff_reactivate if active else services.staff_deactivate
    try:
        done = service(
            actor=request.user,
            user=user,
            expected_version=form.cleaned_data["version"],
            origin=origin,
        )
    except ConflictError:
        user = selectors.staff_get_for_actor(actor=request.user, user_id=user_id, origin=origin)
        fresh = VersionForm(initial={"version": user.version})
        return _confirm(request, user, action=action, form=fresh, status=409, conflict=True)
    except ValidationError as exc:
        fresh = VersionForm(initial={"version": user.version})
        return _confirm(
            request, user, action=action, form=fresh, status=400, error=" ".join(exc.messages)
        )
    if active:
        message = _("Het account is weer actief.") if done else _("Het account was al actief.")
    else:
        message = (
            _("Het account is gedeactiveerd.") if done else _("Het account was al gedeactiveerd.")
        )
    messages.success(request, message)
    return see_other(_user_url(user))


@staff_admin_required
@require_http_methods(["GET", "POST"])
def staff_deactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _version_action(request, user_id, action="staff_deactivate", active=False)


@staff_admin_required
@require_http_methods(["GET", "POST"])
def staff_reactivate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _version_action(request, user_id, action="staff_reactivate", active=True)


@staff_admin_required
@require_http_methods(["GET", "POST"])
def staff_otp_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    origin = Origin.from_request(request)
    user = selectors.staff_get_for_actor(actor=request.user, user_id=user_id, origin=origin)
    if request.method == "GET":
        return _confirm(request, user, action="staff_otp_reset")
    try:
        deleted = services.staff_otp_reset(actor=request.user, user=user, origin=origin)
    except ValidationError as exc:
        return _confirm(
            request, user, action="staff_otp_reset", status=400, error=" ".join(exc.messages)
        )
    messages.success(
        request,
        _(
            "De authenticator-app is verwijderd. Bij de volgende keer inloggen koppelt de "
            "medewerker een nieuwe."
        )
        if deleted
        else _(
            "Er was geen authenticator-app gekoppeld. Bij de volgende keer inloggen koppelt de "
            "medewerker er een."
        ),
    )
    return see_other(_user_url(user))


@staff_admin_required
@require_http_methods(["GET", "POST"])
def staff_password_link(request: HttpRequest, user_id: int) -> HttpResponse:
    origin = Origin.from_request(request)
    user = selectors.staff_get_for_actor(actor=request.user, user_id=user_id, origin=origin)
    if request.method == "GET":
        return _confirm(request, user, action="staff_password_link")
    try:
        services.staff_password_link(actor=request.user, user=user, origin=origin)
    except ValidationError as exc:
        return _confirm(
            request, user, action="staff_password_link", status=400, error=" ".join(exc.messages)
        )
    request.session[_LINK_SESSION_KEY] = user.pk
    return see_other(_user_url(user) + "#wachtwoordlink")


# Teams ------------------------------------------------------------------------------------


@staff_admin_required
@require_http_methods(["GET", "POST"])
def team_list(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(
                actor=request.user,
                origin=Origin.from_request(request),
                name=form.cleaned_data["name"],
            )
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            messages.success(request, _("Het team %(name)s is aangemaakt.") % {"name": team.name})
            return see_other(reverse("web:team_list"))
    teams = selectors.team_list(teams=selectors.teams_manageable_by(actor=request.user))
    return render(
        request,
        "web/team_list.html",
        {"form": form, "teams": teams},
        status=400 if form.errors else 200,
    )


@staff_admin_required
@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, team_id: str) -> HttpResponse:
    team = selectors.team_get_for_actor(actor=request.user, team_id=team_id)
    if request.method == "GET":
        form = TeamForm(initial={"name": team.name, "version": team.version}, versioned=True)
        return render(request, "web/team_edit.html", {"team": team, "form": form})
    form = TeamForm(request.POST, versioned=True)
    if form.is_valid():
        try:
            renamed = services.team_rename(
                actor=request.user,
                team=team,
                expected_version=form.cleaned_data["version"],
                origin=Origin.from_request(request),
                name=form.cleaned_data["name"],
            )
        except ConflictError:
            current = selectors.team_get_for_actor(actor=request.user, team_id=team_id)
            conflict = [
                {
                    "label": _("Naam van het team"),
                    "current": current.name,
                    "typed": " ".join(str(form.data.get("name", "")).split()),
                }
            ]
            fresh = TeamForm(
                initial={"name": current.name, "version": current.version}, versioned=True
            )
            return render(
                request,
                "web/team_edit.html",
                {"team": current, "form": fresh, "conflict": conflict},
                status=409,
            )
        except ValidationError as exc:
            form_add_errors(form, service_error_messages(exc))
        else:
            messages.success(
                request,
                _("De naam van het team is gewijzigd.")
                if renamed
                else _("Er was niets gewijzigd; er is niets opgeslagen."),
            )
            return see_other(reverse("web:team_list"))
    return render(request, "web/team_edit.html", {"team": team, "form": form}, status=400)
