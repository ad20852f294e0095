"""The authorization matrix: every URL pattern, for every persona and every data scenario.

`EXPECTED` names, for every route of the project, who may succeed and for which object. The test
walks the URL configuration itself, so a new route without an entry fails ("add it to the matrix").

Personas are the fixtures of the root conftest.py. Data scenarios, seen from the persona `coach`:

- own: a household in the coach's caseload;
- same_team: in the caseload of a colleague in the same team;
- other_team: in the caseload of a coach in another team of the same municipality;
- other_municipality: in the caseload of a coach of the second municipality.

Import runs have no caseload; their scenarios are own municipality and other municipality.

For every cell the test checks the status code, that the response (body, Location header, and the
page a 303 leads to) holds no marker of an object the persona may not see, that allowed pages
show what they should, and that a request which is not allowed wrote nothing (row counts and the
newest `updated_at` of every domain table are unchanged; audit rows are expected).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from meedoen.accounts.models import Team, User
from meedoen.analytics.models import EffectEvaluation
from meedoen.audit.services import Origin
from meedoen.caseload.constants import AssignmentReason
from meedoen.caseload.contacts import appointment_plan, contact_moment_record
from meedoen.caseload.inputs import AppointmentInput, ContactInput
from meedoen.caseload.services import assignment_create
from meedoen.clients.models import Client
from meedoen.clients.tests.factories import ClientFactory
from meedoen.clients.tests.factories import test_bsn as make_bsn
from meedoen.dataexchange.services import import_run_create
from meedoen.instruments.inputs import EnrolmentRequestInput
from meedoen.instruments.models import Category, Instrument
from meedoen.instruments.services import enrolment_request
from meedoen.outcomes.inputs import OutcomeInput
from meedoen.outcomes.services import outcome_record
from meedoen.partners.models import Involvement, Organisation, PartnerPerson
from meedoen.plans.inputs import GoalInput, StepInput
from meedoen.plans.models import Plan
from meedoen.plans.services import goal_add, plan_open, step_add
from meedoen.plans.services_agreement import agreement_create
from meedoen.portal.models import PortalAccount
from meedoen.profiles.inputs import ConversationInput, ProfileInput
from meedoen.profiles.services import conversation_record

ANONYMOUS = "anonymous"
PERSONAS = (
    ANONYMOUS,
    "coach",
    "colleague",
    "other_team_coach",
    "team_lead",
    "analyst",
    "privacy_officer",
    "functional_admin",
    "other_municipality_coach",
    # A client with a portal account (ADR 0015) for the `own` scenario's client: the portal
    # shows them their own goals and steps; every staff route gives them nothing.
    "client_user",
)
CLIENT_USER = "client_user"
# What of the own scenario the portal may show its client: their goals, steps and appointment.
PORTAL_KINDS = {"goal", "step", "appointment"}
CLIENT_SCENARIOS = ("own", "same_team", "other_team", "other_municipality")
IMPORT_SCENARIOS = ("own_municipality", "other_municipality")
SCENARIOS = {
    "client": CLIENT_SCENARIOS,
    "household": CLIENT_SCENARIOS,
    "conversation": CLIENT_SCENARIOS,  # a conversation with the scenario's client (profiles)
    # The contact log (H1): a contact moment and a planned appointment of the scenario's household.
    "contact": CLIENT_SCENARIOS,
    "appointment": CLIENT_SCENARIOS,
    "import": IMPORT_SCENARIOS,
    # User management: a staff account and a team of the municipality, and of the other one.
    "staff": IMPORT_SCENARIOS,
    "team": IMPORT_SCENARIOS,
    # Partner organisations (H3): the registry of each municipality, a person there; and an
    # organisation involved with the scenario's household.
    "organisation": IMPORT_SCENARIOS,
    "person": IMPORT_SCENARIOS,
    "involvement": CLIENT_SCENARIOS,
    # Caseload management (issue 5, H2): the coach whose caseload the scenario's household is in.
    "coach": CLIENT_SCENARIOS,
    # The household plan (issue 6): a goal of the scenario's client, and a step of that goal.
    "goal": CLIENT_SCENARIOS,
    "step": CLIENT_SCENARIOS,
    # The plan's voluntary agreement (issue 6), made from the scenario's plan.
    "agreement": CLIENT_SCENARIOS,
    # Instruments (issue 6): the catalogue and a category of each municipality, read like the
    # partner registry; and the enrolment of the scenario's client in their municipality's one.
    "instrument": IMPORT_SCENARIOS,
    "instrument_category": IMPORT_SCENARIOS,
    "enrolment": CLIENT_SCENARIOS,
    # Outcomes (issue 7): a job recorded by the coach for the scenario's client.
    "outcome": CLIENT_SCENARIOS,
    # Effect evaluations (issue 7): one finished evaluation per municipality, the analyst's.
    "evaluation": IMPORT_SCENARIOS,
}

# Whose caseload each client scenario is in.
CASELOAD_OF = {
    "own": "coach",
    "same_team": "colleague",
    "other_team": "other_team_coach",
    "other_municipality": "other_municipality_coach",
}
TEAM = {"coach", "colleague"}


def sees_client(persona: str, scenario: str) -> bool:
    """Need-to-know: a coach sees their own caseload, a team lead their team's; nobody else."""
    if persona == "team_lead":
        return CASELOAD_OF[scenario] in TEAM
    return CASELOAD_OF[scenario] == persona


def sees_identity(persona: str, scenario: str) -> bool:
    """Name and client number: also the privacy officer, for clients of their own municipality
    (to answer "who looked at this file"), never the file's content."""
    if persona == "privacy_officer":
        return scenario != "other_municipality"
    return sees_client(persona, scenario)


def sees_import(persona: str, scenario: str) -> bool:
    """Import runs: the functional admin of the same municipality only."""
    return persona == "functional_admin" and scenario == "own_municipality"


# Partner registry (partners.selectors): read by coaches, team leads and functional admins of the
# organisation's municipality; changed by the team lead and the functional admin.
PARTNER_READERS = {
    "coach",
    "colleague",
    "other_team_coach",
    "team_lead",
    "functional_admin",
    "other_municipality_coach",
}
PARTNER_MANAGERS = {"team_lead", "functional_admin"}


def _home(persona: str) -> str:
    return "other_municipality" if persona == "other_municipality_coach" else "own_municipality"


def sees_partner(persona: str, scenario: str) -> bool:
    return persona in PARTNER_READERS and scenario == _home(persona)


def manages_partner(persona: str, scenario: str | None) -> bool:
    return persona in PARTNER_MANAGERS and scenario == _home(persona)


def sees(persona: str, kind: str, scenario: str) -> bool:
    if persona == CLIENT_USER:
        return kind in PORTAL_KINDS and scenario == "own"
    # Import runs, staff accounts and teams: the functional admin of the same municipality only.
    if kind in ("import", "staff", "team"):
        return sees_import(persona, scenario)
    if kind in ("organisation", "person", "instrument", "instrument_category"):
        return sees_partner(persona, scenario)
    if kind == "evaluation":
        return persona == "analyst" and scenario == "own_municipality"
    return sees_client(persona, scenario)


# Expected outcomes: a status code, or LOGIN (302 to the login page).
LOGIN = "login"
PORTAL_LOGIN = "portal-login"
ADMIN_LOGIN = "admin-login"
Outcome = int | str
Rule = Callable[[str, "str | None"], Outcome]


def everyone(status: int) -> Rule:
    return lambda persona, scenario: status


def login_page(rule: Outcome | Rule) -> Rule:
    """A page behind the login for staff and clients alike (the TOTP steps): anonymous goes to
    the login page."""
    inner = rule if callable(rule) else everyone(rule)  # type: ignore[arg-type]
    return lambda persona, scenario: LOGIN if persona == ANONYMOUS else inner(persona, scenario)


def page(staff: Outcome | Rule) -> Rule:
    """A staff web page behind the login: anonymous goes to the login page; for a client's
    portal account it does not exist (portal.middleware)."""
    staff_rule = staff if callable(staff) else everyone(staff)  # type: ignore[arg-type]
    return login_page(lambda p, s: 404 if p == CLIENT_USER else staff_rule(p, s))


def api(staff: Outcome | Rule) -> Rule:
    """An API endpoint behind authentication: anonymous gets 403 (session auth has no challenge),
    and so does a client's portal account (portal.middleware)."""
    staff_rule = staff if callable(staff) else everyone(staff)  # type: ignore[arg-type]
    return lambda persona, scenario: (
        403 if persona in (ANONYMOUS, CLIENT_USER) else staff_rule(persona, scenario)
    )


def public_api(status: int) -> Rule:
    """The API's schema and docs hold no data and are public, but not for a client's portal
    account: the API is staff's (portal.middleware)."""
    return lambda persona, scenario: 403 if persona == CLIENT_USER else status


def portal(client_rule: Outcome | Rule, staff: Outcome = 404) -> Rule:
    """A portal page (/mijn/): anonymous goes to the portal's login; the client user gets
    `client_rule`; for staff it does not exist (`staff`, 404 unless the method is refused
    first)."""
    inner = client_rule if callable(client_rule) else everyone(client_rule)  # type: ignore[arg-type]
    return lambda persona, scenario: (
        PORTAL_LOGIN
        if persona == ANONYMOUS
        else inner(persona, scenario)
        if persona == CLIENT_USER
        else staff
    )


def own_scenario(allowed: Outcome) -> Rule:
    """The client user's own goal or step (the own scenario); anyone else's is a 404."""
    return lambda persona, scenario: allowed if scenario == "own" else 404


def visible(kind: str, allowed: Outcome, denied: Outcome = 404) -> Rule:
    """An object route: `allowed` for who may see the scenario's object, else 404."""
    return lambda persona, scenario: (
        allowed if scenario is not None and sees(persona, kind, scenario) else denied
    )


def officer(allowed: Outcome) -> Rule:
    """Privacy officer pages: for everyone else they do not exist."""
    return lambda persona, scenario: allowed if persona == "privacy_officer" else 404


def importer(allowed: Outcome) -> Rule:
    """Import pages without an object: the functional admin only; for the rest they do not exist."""
    return lambda persona, scenario: allowed if persona == "functional_admin" else 404


def staff_admin(allowed: Outcome) -> Rule:
    """User management pages without an object: the functional admin only, else 404."""
    return lambda persona, scenario: allowed if persona == "functional_admin" else 404


def caseworker(allowed: Outcome) -> Rule:
    """Pages of counts over one's own clients (web "In kaart"): the casework roles of either
    municipality, each over the clients they may see; for everyone else they do not exist."""
    return lambda persona, scenario: allowed if persona in CASEWORKERS else 404


CASEWORKERS = {"coach", "colleague", "other_team_coach", "team_lead", "other_municipality_coach"}


def team_lead_only(allowed: Outcome) -> Rule:
    """Caseload management pages without an object (issue 5, H2): the team lead, else 404."""
    return lambda persona, scenario: allowed if persona == "team_lead" else 404


def team_lead_sees(kind: str, allowed: Outcome) -> Rule:
    """Caseload management of an object: the team lead who may see it, else 404."""
    return lambda persona, scenario: (
        allowed if persona == "team_lead" and sees(persona, kind, scenario or "") else 404
    )


def coach_settings(persona: str, scenario: str | None) -> Outcome:
    """A coach's profile: the team lead of the coach's team, or a functional admin of the coach's
    municipality."""
    if persona == "team_lead":
        return 200 if scenario in ("own", "same_team") else 404
    if persona == "functional_admin":
        return 200 if scenario != "other_municipality" else 404
    return 404


# Who may run an effect estimation on their own table (api/effects.py).
EFFECT_EVALUATORS = {"analyst", "functional_admin"}


def analyst_only(allowed: Outcome) -> Rule:
    """Analyst pages (counts and pseudonymised data of the analyst's own municipality): for
    everyone else they do not exist. No name, number or BSN of any cell's client may show."""
    return lambda persona, scenario: allowed if persona == "analyst" else 404


@dataclasses.dataclass(frozen=True)
class Route:
    get: Rule | None
    post: Rule | None = None
    # The kind of object the cells are about ("client", "household", "import"), or None.
    kind: str | None = None
    # Whether the object's id is in the URL (else the scenario only shapes the POST body).
    in_url: bool = True
    kwargs: dict[str, str] = dataclasses.field(default_factory=dict)
    body: Callable[[Any, str | None], dict[str, Any]] | None = None
    json: bool = False
    # List pages: everything the persona may see must be on the page (and nothing else).
    lists: tuple[str, ...] = ()
    # The FG's sanctioned view of a client (caseload.access_privacy): name and client number of
    # the cell's client (the first two markers) and nothing else of it.
    identity_only: bool = False
    # The FG answering a data-subject access request (caseload.access_privacy): the whole file of
    # the cell's client of their own municipality, for the person themselves.
    subject_access: bool = False
    # What an allowed 200 must show, when not the object's first marker: API sub-resources of a
    # client answer with ids, not the client's name.
    shown: Callable[[World, str], str] | None = None
    # PATCH (API edits): sent as JSON with `body` and these request headers (e.g. If-Match).
    patch: Rule | None = None
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    # DELETE (API removals): sent with the same request headers.
    delete: Rule | None = None
    # Analyst pages about instruments (effect evaluations) name the instruments of the
    # analyst's own municipality: no client data, and no leak.
    names_instruments: bool = False


def _version(world: World, kind: str, scenario: str | None) -> int:
    """The version of the cell's object now (earlier cells may have changed it)."""
    obj = world.objects[kind, scenario]
    return type(obj).objects.values_list("version", flat=True).get(pk=obj.pk)


def _staff_edit_body(world: World, scenario: str | None) -> dict[str, Any]:
    """The account's own values with its current version: saving changes nothing."""
    staff = world.objects["staff", scenario]
    return {
        "version": _version(world, "staff", scenario),
        "first_name": staff.first_name,
        "last_name": staff.last_name,
        "email": staff.email,
        "role": staff.role,
        "team": "",
    }


_NEW = itertools.count(1)


def _org_scenario(client_scenario: str | None) -> str:
    """The registry of the client scenario's municipality."""
    return "other_municipality" if client_scenario == "other_municipality" else "own_municipality"


def _contact_body() -> dict[str, Any]:
    """A letter logged yesterday: needs no duration or participant."""
    return {
        "date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "time": "10:00",
        "kind": "letter",
        "purpose": "regular",
        "summary": "Matrix brief",
    }


def _appointment_body(world: World, scenario: str | None) -> dict[str, Any]:
    """The appointment as it is, with its current version: saving changes nothing."""
    appointment = world.objects["appointment", scenario]
    starts = timezone.localtime(appointment.starts_at)
    return {
        "action": "save",
        "version": _version(world, "appointment", scenario),
        "date": starts.date().isoformat(),
        "time": starts.strftime("%H:%M"),
        "kind": appointment.kind,
        "purpose": appointment.purpose,
        "location": appointment.location,
        "note": appointment.note,
    }


def _plan_version(world: World, scenario: str | None) -> int:
    """The version of the scenario's plan now (allowed cells add goals and steps to it)."""
    goal = world.objects["goal", scenario]
    return Plan.objects.values_list("version", flat=True).get(pk=goal.plan_id)


def _in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _goal_edit_body(world: World, scenario: str | None) -> dict[str, Any]:
    """The goal as it is, with the plan's current version: saving changes nothing."""
    goal = world.objects["goal", scenario]
    return {
        "version": _plan_version(world, scenario),
        "domain": goal.domain,
        "what": goal.what,
        "due_on": goal.due_on.isoformat(),
        "status": goal.status,
        "obstacle": goal.obstacle,
        "ambition": goal.ambition,
    }


def _step_body() -> dict[str, Any]:
    return {"description": "Matrix stap", "owner_kind": "client", "due_on": _in_days(10)}


def _outcome_body(world: World, scenario: str | None) -> dict[str, Any]:
    """The outcome as it is, with its current version: saving changes nothing."""
    outcome = world.objects["outcome", scenario]
    return {
        "version": _version(world, "outcome", scenario),
        "kind": outcome.kind,
        "occurred_on": outcome.occurred_on.isoformat(),
        "hours_per_week": "20",
        "contract_type": outcome.contract_type,
        "employer_name": outcome.employer_name,
        "description": outcome.description,
    }


def _current_version(world: World, scenario: str | None) -> int:
    return Client.objects.values_list("version", flat=True).get(
        pk=world.objects["client", scenario].pk
    )


EXPECTED: dict[str, Route] = {
    # Django admin, one entry: nobody in these roles is staff, so it is the admin's own login.
    # A client's portal account gets a 404 there (portal.middleware).
    "admin": Route(get=lambda p, s: 404 if p == CLIENT_USER else ADMIN_LOGIN),
    "set_language": Route(
        get=everyone(302), post=everyone(302), body=lambda w, s: {"language": "nl"}
    ),
    # Web pages.
    # A client's portal account is sent on to the portal's home (/mijn/).
    "web:home": Route(get=login_page(lambda p, s: 302 if p == CLIENT_USER else 200)),
    "web:login": Route(
        get=lambda p, s: 200 if p == ANONYMOUS else 302,
        # A wrong password: the form again with an error, nobody logged in.
        post=lambda p, s: 200 if p == ANONYMOUS else 302,
        body=lambda w, s: {"username": "coach", "password": "fout-wachtwoord"},
    ),
    # The second step of the login. These personas have no authenticator yet: the code step
    # sends them to enrolment; enrolment shows the QR code; a code that is not six digits is a
    # form error.
    # A client may link an app too (optional for them, ADR 0015).
    "web:otp_verify": Route(get=login_page(302), post=login_page(302)),
    "web:otp_enrol": Route(
        get=login_page(200), post=login_page(400), body=lambda w, s: {"code": "x"}
    ),
    "web:logout": Route(get=everyone(405), post=everyone(302)),
    # Single sign-on (accounts/views_oidc.py): always routed, 404 while it is off, as it is here
    # (MEEDOEN_OIDC_CLIENT_ID unset). The flow itself is tested in accounts/tests/test_oidc.py.
    "web:oidc_login": Route(get=everyone(404)),
    "web:oidc_callback": Route(get=everyone(404)),
    "web:client_list": Route(
        get=page(200),
        post=page(303),
        kind="client",
        in_url=False,
        body=lambda w, s: {"q": w.bsn[s]},
        lists=("client",),
    ),
    "web:client_detail": Route(get=page(visible("client", 200)), kind="client"),
    # The full BSN, only in the answer to a POST (the BSN leak test checks where it appears).
    "web:client_bsn_reveal": Route(
        get=page(visible("client", 405, 405)), post=page(visible("client", 200)), kind="client"
    ),
    # Consent on the client page: POST only. A valid consent is recorded; withdrawing an unknown
    # consent is a message on the page. Both 303 back to the client page.
    "web:consent_give": Route(
        get=page(visible("client", 405, 405)),
        post=page(visible("client", 303)),
        kind="client",
        body=lambda w, s: {
            "purpose": "onderzoek",
            "data_categories": "contact",
            "organisation": "Werkplein Matrix",
            "channel": "gesprek",
        },
    ),
    "web:consent_withdraw": Route(
        get=page(visible("client", 405, 405)),
        post=page(visible("client", 303)),
        kind="client",
        body=lambda w, s: {"consent": "00000000-0000-0000-0000-000000000000", "channel": "papier"},
    ),
    # Import pages.
    "dataexchange:run_list": Route(
        get=page(importer(200)), post=page(importer(400)), lists=("import",)
    ),
    "dataexchange:template": Route(get=page(importer(200)), kwargs={"file_format": "csv"}),
    "dataexchange:run_detail": Route(get=page(visible("import", 200)), kind="import"),
    # The run is only uploaded, so apply and discard are refused with a message (303, no change).
    # A GET is refused before the object is looked up: the same 405 for every object.
    "dataexchange:run_apply": Route(
        get=page(405), post=page(visible("import", 303)), kind="import"
    ),
    "dataexchange:run_discard": Route(
        get=page(405), post=page(visible("import", 303)), kind="import"
    ),
    # The privacy officer's audit pages: the log, and per client of their own municipality who
    # looked at the file (found by client number, by POST). For everyone else they do not exist.
    "web:audit_log": Route(get=page(officer(200))),
    "web:audit_client_search": Route(
        get=page(officer(200)),
        # An unknown number (another municipality's client) is the form again with an error.
        post=page(lambda p, s: officer(303 if s != "other_municipality" else 200)(p, s)),
        kind="client",
        in_url=False,
        body=lambda w, s: {"klantnummer": w.objects["client", s].client_number},
        identity_only=True,
    ),
    "web:audit_client_log": Route(
        get=page(lambda p, s: 200 if p == "privacy_officer" and sees_identity(p, s) else 404),
        kind="client",
        identity_only=True,
    ),
    # Contact details (web.views_contact): the form, and saving it with the version it showed
    # (read fresh per cell, as earlier cells changed it) — 303 back to the client page.
    "web:client_contact_edit": Route(
        get=page(visible("client", 200)),
        post=page(visible("client", 303)),
        kind="client",
        body=lambda w, s: {
            "version": _current_version(w, s),
            "phone": "06 98765432",
            "email": "",
            "languages": "Nederlands",
        },
    ),
    # Conversations and profiles (web.views_profile). Recording one: a valid conversation without
    # a profile (303 to the client page). Correcting one with its current version, keeping its
    # report and ladder (303 to the conversation). The overview per wijk shows counts, no names.
    "web:conversation_create": Route(
        get=page(visible("client", 200)),
        post=page(visible("client", 303)),
        kind="client",
        body=lambda w, s: {"date": "2025-03-04", "place": "kantoor"},
    ),
    "web:conversation_detail": Route(
        get=page(visible("conversation", 200)), post=page(405), kind="conversation"
    ),
    "web:conversation_edit": Route(
        get=page(visible("conversation", 200)),
        post=page(visible("conversation", 303)),
        kind="conversation",
        body=lambda w, s: {
            "version": _version(w, "conversation", s),
            "date": "2024-03-01",
            "place": "kantoor",
            "notes": w.markers["conversation", s][2],
            "ladder_current": "2",
            "ladder_potential": "3",
        },
    ),
    "web:profile_overview": Route(get=page(caseworker(200)), post=page(405)),
    # The caseload list with signals (part H4): a team lead sees the whole team by default.
    "web:my_caseload": Route(get=page(caseworker(200)), post=page(405), lists=("household",)),
    # Data-subject access export (web.views_privacy), POST only; the JSON variant is checked here.
    # Casework roles for a client they see; the FG for any client of their municipality.
    "web:client_subject_access": Route(
        get=page(405),
        post=page(visible("client", 200)),
        kind="client",
        kwargs={"file_format": "json"},
    ),
    "web:audit_client_subject_access": Route(
        get=page(officer(405)),
        post=page(lambda p, s: 200 if p == "privacy_officer" and sees_identity(p, s) else 404),
        kind="client",
        kwargs={"file_format": "json"},
        subject_access=True,
    ),
    # User management (web.views_staff): the functional admin of the account's municipality only;
    # an account or team of the other municipality is a 404 for them too. Saving the form as it
    # is changes nothing; the actions each have a confirmation page (GET) and do it on POST.
    "web:staff_list": Route(
        get=page(staff_admin(200)), post=page(staff_admin(405)), lists=("staff", "team")
    ),
    "web:staff_create": Route(
        get=page(staff_admin(200)),
        post=page(staff_admin(303)),
        body=lambda w, s: {
            "username": "matrix-nieuw",
            "first_name": "Nieuwe",
            "last_name": "Collega",
            "email": "matrix-nieuw@denhaag.nl",
            "role": "coach",
            "team": str(w.objects["team", "own_municipality"].pk),
        },
    ),
    "web:staff_edit": Route(
        get=page(visible("staff", 200)),
        post=page(visible("staff", 303)),
        kind="staff",
        body=_staff_edit_body,
    ),
    "web:staff_deactivate": Route(
        get=page(visible("staff", 200)),
        post=page(visible("staff", 303)),
        kind="staff",
        body=lambda w, s: {"version": _version(w, "staff", s)},
    ),
    "web:staff_reactivate": Route(
        get=page(visible("staff", 200)),
        post=page(visible("staff", 303)),
        kind="staff",
        body=lambda w, s: {"version": _version(w, "staff", s)},
    ),
    "web:staff_otp_reset": Route(
        get=page(visible("staff", 200)), post=page(visible("staff", 303)), kind="staff"
    ),
    "web:staff_password_link": Route(
        get=page(visible("staff", 200)), post=page(visible("staff", 303)), kind="staff"
    ),
    # An empty name is a form error: nothing written.
    "web:team_list": Route(
        get=page(staff_admin(200)), post=page(staff_admin(400)), lists=("team",)
    ),
    "web:team_edit": Route(
        get=page(visible("team", 200)),
        post=page(visible("team", 303)),
        kind="team",
        body=lambda w, s: {
            "version": _version(w, "team", s),
            "name": w.objects["team", s].name,
        },
    ),
    # The set-password link (accounts.views_password) is public; a wrong link is a page saying so.
    "web:password_set": Route(
        get=everyone(200),
        post=everyone(200),
        kwargs={"uidb64": "MQ", "token": "ongeldig-token"},
    ),
    # The analyst's overview and pseudonymised dataset (meedoen.analytics); GET only.
    "analytics:overview": Route(get=page(analyst_only(200)), post=page(405)),
    "analytics:dataset_export": Route(
        get=page(analyst_only(200)), post=page(405), kwargs={"file_format": "csv"}
    ),
    # The programme monitor (issue 7): counts only; the analyst sets the yearly target (303).
    "analytics:monitor": Route(get=page(analyst_only(200)), post=page(405)),
    "analytics:monitor_export": Route(
        get=page(analyst_only(200)), post=page(405), kwargs={"file_format": "csv"}
    ),
    "analytics:monitor_target": Route(
        get=page(405),
        post=page(analyst_only(303)),
        body=lambda w, s: {"jaar": 2025, "doel": 500},
    ),
    # Effect evaluations (issue 7): the analyst's own municipality only. An empty request is a
    # form error (400, nothing queued); a finished report as page and PDF.
    "analytics:effect_list": Route(
        get=page(analyst_only(200)),
        post=page(analyst_only(400)),
        body=lambda w, s: {},
        lists=("evaluation",),
        names_instruments=True,
    ),
    "analytics:effect_detail": Route(
        get=page(visible("evaluation", 200)),
        post=page(405),
        kind="evaluation",
        names_instruments=True,
    ),
    "analytics:effect_pdf": Route(
        get=page(visible("evaluation", 200)),
        post=page(405),
        kind="evaluation",
        shown=lambda w, s: "%PDF",
    ),
    # The API. The schema and its documentation pages are public: they hold no data.
    "api:schema": Route(get=public_api(200)),
    "api:docs": Route(get=public_api(200)),
    "api:redoc": Route(get=public_api(200)),
    # Effect estimation on an uploaded CSV (api/effects.py, issue 7): analysts and functional
    # admins; a POST without a file is a 400. For the other staff roles it does not exist.
    "api:effect-evaluate": Route(
        get=api(lambda p, s: 405 if p in EFFECT_EVALUATORS else 404),
        post=api(lambda p, s: 400 if p in EFFECT_EVALUATORS else 404),
    ),
    "api:api-root": Route(get=api(200)),
    "api:client-list": Route(get=api(200), post=api(405), lists=("client",)),
    "api:client-detail": Route(get=api(visible("client", 200)), kind="client"),
    "api:client-search": Route(
        get=api(405),
        post=api(200),
        kind="client",
        in_url=False,
        body=lambda w, s: {"bsn": w.bsn[s]},
        json=True,
    ),
    # Contact details as a resource of their own: GET with ETag, PATCH with If-Match (here *).
    # The door comes first: a client one may not see is a 404, never a 428 or 412.
    "api:client-contact": Route(
        get=api(visible("client", 200)),
        post=api(405),
        patch=api(visible("client", 200)),
        kind="client",
        body=lambda w, s: {"phone": "06 98765432"},
        headers={"If-Match": "*"},
        shown=lambda w, s: '"phone":',
    ),
    "api:household-list": Route(get=api(200), lists=("household",)),
    # The caller's caseload with signals (part H4): empty for roles without casework.
    "api:caseload": Route(get=api(200), post=api(405), lists=("household",)),
    "api:caseload-signals": Route(get=api(200), post=api(405)),
    "api:household-detail": Route(get=api(visible("household", 200)), kind="household"),
    "api:import-list": Route(get=api(importer(200)), post=api(importer(400)), lists=("import",)),
    "api:import-detail": Route(get=api(visible("import", 200)), kind="import"),
    "api:import-apply": Route(
        get=api(importer(405)), post=api(visible("import", 409)), kind="import"
    ),
    # Conversations and profiles (api/profiles.py). A valid POST records a conversation (201).
    "api:client-conversations": Route(
        get=api(visible("client", 200)),
        post=api(visible("client", 201)),
        kind="client",
        body=lambda w, s: {"date": "2025-03-04", "place": "kantoor"},
        json=True,
        shown=lambda w, s: str(w.objects["conversation", s].pk),
    ),
    "api:client-profile": Route(
        get=api(visible("client", 200)),
        kind="client",
        shown=lambda w, s: str(w.objects["client", s].pk),
    ),
    "api:client-profile-history": Route(
        get=api(visible("client", 200)),
        kind="client",
        shown=lambda w, s: str(w.objects["conversation", s].pk),
    ),
    "api:conversation-detail": Route(
        get=api(visible("conversation", 200)),
        kind="conversation",
        shown=lambda w, s: w.markers["conversation", s][2],
    ),
    # The household page and contact log (web.views_household, api/contacts.py, part H1). A
    # valid POST logs a letter, plans an appointment or records a relapse (303, 201). A
    # correction with an empty form is refused (400) for who may see it: a successful one would
    # supersede the scenario's contact for the next persona. Saving an appointment as it is
    # changes nothing (303).
    "web:household_detail": Route(
        get=page(visible("household", 200)), post=page(405), kind="household"
    ),
    "web:contact_create": Route(
        get=page(visible("household", 200)),
        post=page(visible("household", 303)),
        kind="household",
        body=lambda w, s: _contact_body(),
    ),
    "web:contact_detail": Route(get=page(visible("contact", 200)), post=page(405), kind="contact"),
    "web:contact_correct": Route(
        get=page(visible("contact", 200)), post=page(visible("contact", 400)), kind="contact"
    ),
    "web:appointment_create": Route(
        get=page(visible("household", 200)),
        post=page(visible("household", 303)),
        kind="household",
        body=lambda w, s: {
            "date": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
            "time": "09:00",
            "kind": "office",
            "purpose": "regular",
        },
    ),
    "web:appointment_edit": Route(
        get=page(visible("appointment", 200)),
        post=page(visible("appointment", 303)),
        kind="appointment",
        body=_appointment_body,
    ),
    "web:relapse_create": Route(
        get=page(visible("household", 200)),
        post=page(visible("household", 303)),
        kind="household",
        body=lambda w, s: {"date": timezone.localdate().isoformat(), "note": "Matrix terugval"},
    ),
    "api:household-contacts": Route(
        get=api(visible("household", 200)),
        post=api(visible("household", 201)),
        kind="household",
        body=lambda w, s: {
            "occurred_at": (timezone.now() - dt.timedelta(days=1)).isoformat(),
            "kind": "letter",
            "summary": "Matrix brief",
        },
        json=True,
        shown=lambda w, s: str(w.objects["contact", s].pk),
    ),
    "api:contact-detail": Route(
        get=api(visible("contact", 200)),
        post=api(405),
        kind="contact",
        shown=lambda w, s: w.markers["contact", s][2],
    ),
    "api:contact-correction": Route(
        get=api(405), post=api(visible("contact", 400)), kind="contact", json=True
    ),
    "api:household-appointments": Route(
        get=api(visible("household", 200)),
        post=api(visible("household", 201)),
        kind="household",
        body=lambda w, s: {
            "starts_at": (timezone.now() + dt.timedelta(days=1)).isoformat(),
            "kind": "office",
        },
        json=True,
        shown=lambda w, s: str(w.objects["appointment", s].pk),
    ),
    "api:appointment-detail": Route(
        get=api(visible("appointment", 200)),
        post=api(405),
        patch=api(visible("appointment", 200)),
        kind="appointment",
        body=lambda w, s: {"note": "Matrix toelichting"},
        headers={"If-Match": "*"},
        shown=lambda w, s: w.markers["appointment", s][2],
    ),
    "api:household-relapses": Route(
        get=api(visible("household", 200)),
        post=api(visible("household", 201)),
        kind="household",
        body=lambda w, s: {"date": timezone.localdate().isoformat(), "note": "Matrix terugval"},
        json=True,
        shown=lambda w, s: '"results":',
    ),
    # The household plan (issue 6: web.views_plan, api/plans.py). Valid POSTs add a goal or a
    # step (303, 201). Opening an existing plan, saving a goal or the interval as they are
    # changes nothing (303, 200). A step set to the status it has is refused (400), an empty
    # review too; API writes that need If-Match get none here (428): nothing is written.
    "web:plan_detail": Route(
        get=page(visible("household", 200)), post=page(visible("household", 303)), kind="household"
    ),
    "web:plan_goal_create": Route(
        get=page(visible("household", 200)),
        post=page(visible("household", 303)),
        kind="household",
        body=lambda w, s: {
            "member": str(w.objects["client", s].pk),
            "domain": "werk_opleiding",
            "what": "Matrix doel",
            "due_on": _in_days(30),
        },
    ),
    "web:plan_goal_edit": Route(
        get=page(visible("goal", 200)),
        post=page(visible("goal", 303)),
        kind="goal",
        body=_goal_edit_body,
    ),
    "web:plan_step_create": Route(
        get=page(visible("goal", 200)),
        post=page(visible("goal", 303)),
        kind="goal",
        body=lambda w, s: _step_body(),
    ),
    "web:plan_step_status": Route(
        get=page(405),
        post=page(visible("step", 400)),
        kind="step",
        body=lambda w, s: {"version": _plan_version(w, s), "status": "open"},
    ),
    "web:plan_review_create": Route(
        get=page(visible("household", 200)), post=page(visible("household", 400)), kind="household"
    ),
    "web:plan_review_interval": Route(
        get=page(405),
        post=page(visible("household", 303)),
        kind="household",
        body=lambda w, s: {"version": _plan_version(w, s), "review_interval_months": 3},
    ),
    "web:plan_history": Route(
        get=page(visible("household", 200)),
        post=page(405),
        kind="household",
        shown=lambda w, s: w.objects["household", s].reference,
    ),
    # The voluntary agreement (web.views_plan_agreement): making one is a 303 (made now, or the
    # one already made from this version); the PDF is a 200 whose text is compressed, so it is
    # recognised by its header; a signature without a date is refused (400), nothing written.
    "web:plan_agreement_create": Route(
        get=page(405), post=page(visible("household", 303)), kind="household"
    ),
    "web:plan_agreement_pdf": Route(
        get=page(visible("agreement", 200)),
        post=page(405),
        kind="agreement",
        shown=lambda w, s: "%PDF",
    ),
    "web:plan_agreement_signed": Route(
        get=page(405), post=page(visible("agreement", 400)), kind="agreement"
    ),
    "api:household-plan": Route(
        get=api(visible("household", 200)),
        post=api(visible("household", 200)),
        patch=api(visible("household", 200)),
        kind="household",
        body=lambda w, s: {"review_interval_months": 3},
        json=True,
        headers={"If-Match": "*"},
        shown=lambda w, s: w.markers["goal", s][2],
    ),
    "api:household-plan-goals": Route(
        get=api(405),
        post=api(visible("household", 201)),
        kind="household",
        body=lambda w, s: {
            "member": str(w.objects["client", s].pk),
            "domain": "werk_opleiding",
            "what": "Matrix doel",
            "due_on": _in_days(30),
        },
        json=True,
    ),
    "api:household-plan-reviews": Route(
        get=api(405), post=api(visible("household", 428)), kind="household", json=True
    ),
    "api:household-plan-versions": Route(
        get=api(visible("household", 200)),
        post=api(405),
        kind="household",
        shown=lambda w, s: '"results":',
    ),
    "api:household-plan-as-of": Route(
        get=api(visible("household", 200)),
        post=api(405),
        kind="household",
        shown=lambda w, s: w.markers["goal", s][2],
    ),
    "api:goal-detail": Route(
        get=api(visible("goal", 200)),
        post=api(405),
        patch=api(visible("goal", 200)),
        kind="goal",
        headers={"If-Match": "*"},
        shown=lambda w, s: w.markers["goal", s][2],
    ),
    "api:goal-steps": Route(
        get=api(405),
        post=api(visible("goal", 201)),
        kind="goal",
        body=lambda w, s: _step_body(),
        json=True,
    ),
    "api:step-status": Route(
        get=api(405),
        post=api(visible("step", 428)),
        kind="step",
        body=lambda w, s: {"status": "open"},
        json=True,
    ),
    # The agreement API (api/plan_agreements.py). The goals added by the cells above moved each
    # plan on, so the first persona who may see a household makes a new agreement (201) and the
    # team lead, after them, gets that same one back (200).
    "api:household-plan-agreements": Route(
        get=api(visible("household", 200)),
        post=api(
            lambda p, s: (200 if p == "team_lead" else 201) if sees(p, "household", s) else 404
        ),
        kind="household",
        json=True,
        shown=lambda w, s: '"plan_version":',
    ),
    "api:agreement-pdf": Route(
        get=api(visible("agreement", 200)),
        post=api(405),
        kind="agreement",
        shown=lambda w, s: "%PDF",
    ),
    "api:agreement-signed": Route(
        get=api(405), post=api(visible("agreement", 400)), kind="agreement", json=True
    ),
    # Caseload management (issue 5, H2: web.views_caseload, api/caseload.py). Team pages exist
    # only for the team lead. The POSTs that would move a household are sent without a choice
    # (a form error, nothing written), so later cells keep their caseloads; the intensity is
    # saved unchanged, the policy and a coach profile are saved with their default values.
    "web:caseload_team": Route(get=page(team_lead_only(200)), post=page(team_lead_only(405))),
    "web:assignment_queue": Route(get=page(team_lead_only(200)), post=page(team_lead_only(405))),
    "web:household_assign": Route(
        get=page(team_lead_sees("household", 200)),
        post=page(team_lead_sees("household", 400)),
        kind="household",
        body=lambda w, s: {},
    ),
    "web:assignment_intensity": Route(
        get=page(visible("household", 200)),
        post=page(visible("household", 303)),
        kind="household",
        body=lambda w, s: {"intensity": "normal"},
    ),
    "web:caseload_redistribute": Route(
        get=page(team_lead_sees("coach", 200)),
        post=page(team_lead_sees("coach", 400)),
        kind="coach",
        body=lambda w, s: {},
        shown=lambda w, s: w.markers["household", s][2],
    ),
    "web:caseload_policy": Route(
        get=page(team_lead_only(200)),
        post=page(team_lead_only(303)),
        body=lambda w, s: {
            "caseload_target": 50,
            "contact_weeks_low": 8,
            "contact_weeks_normal": 4,
            "contact_weeks_high": 2,
        },
    ),
    "web:coach_profile": Route(
        get=page(coach_settings),
        post=page(lambda p, s: 303 if coach_settings(p, s) == 200 else 404),
        kind="coach",
        body=lambda w, s: {"languages": "", "hours_factor": "1,00", "accepts_new": "on"},
        shown=lambda w, s: w.users[CASELOAD_OF[s]].username,
    ),
    "web:cover_create": Route(get=page(team_lead_only(200)), post=page(team_lead_only(400))),
    # No cover exists in these cells: an unknown cover is a 404 for everyone.
    "web:cover_end": Route(
        get=page(404), post=page(404), kwargs={"cover_id": "00000000-0000-0000-0000-000000000000"}
    ),
    "api:team-caseload": Route(get=api(team_lead_only(200)), post=api(405)),
    "api:team-queue": Route(get=api(team_lead_only(200)), post=api(405)),
    "api:household-suggestions": Route(
        get=api(team_lead_sees("household", 200)),
        kind="household",
        shown=lambda w, s: str(w.objects["household", s].pk),
    ),
    "api:household-assignments": Route(
        get=api(visible("household", 200)),
        post=api(team_lead_sees("household", 400)),
        kind="household",
        body=lambda w, s: {},
        json=True,
        shown=lambda w, s: str(w.objects["household", s].pk),
    ),
    # Partner organisations (web.views_partners, api/partners.py). The registry: readers of the
    # municipality see it, the team lead and functional admin change it; for everyone else it does
    # not exist. A new organisation gets a new name each time (names are unique).
    "web:partner_list": Route(
        get=page(lambda p, s: 200 if p in PARTNER_READERS else 404),
        post=page(405),
        lists=("organisation",),
    ),
    "web:partner_create": Route(
        get=page(lambda p, s: 200 if p in PARTNER_MANAGERS else 404),
        post=page(lambda p, s: 303 if p in PARTNER_MANAGERS else 404),
        body=lambda w, s: {"name": f"Matrix nieuw {next(_NEW)}", "kind": "other"},
    ),
    "web:partner_detail": Route(
        get=page(visible("organisation", 200)), post=page(405), kind="organisation"
    ),
    "web:partner_edit": Route(
        get=page(lambda p, s: 200 if manages_partner(p, s) else 404),
        post=page(lambda p, s: 303 if manages_partner(p, s) else 404),
        kind="organisation",
        body=lambda w, s: {
            "version": _version(w, "organisation", s),
            "name": w.objects["organisation", s].name,
            "kind": "other",
            "is_active": "on",
        },
    ),
    "web:partner_person_create": Route(
        get=page(lambda p, s: 200 if manages_partner(p, s) else 404),
        post=page(lambda p, s: 303 if manages_partner(p, s) else 404),
        kind="organisation",
        body=lambda w, s: {"name": "Matrix Nieuwe Contactpersoon"},
    ),
    "web:partner_person_edit": Route(
        get=page(lambda p, s: 200 if manages_partner(p, s) else 404),
        post=page(lambda p, s: 303 if manages_partner(p, s) else 404),
        kind="person",
        body=lambda w, s: {
            "version": _version(w, "person", s),
            "name": w.objects["person", s].name,
            "is_active": "on",
        },
    ),
    # Involvements hang off a household: the door decides (404 otherwise).
    "web:involvement_create": Route(
        get=page(visible("household", 200)),
        post=page(visible("household", 303)),
        kind="household",
        body=lambda w, s: {
            "organisation": str(w.objects["organisation", _org_scenario(s)].pk),
            "topic": "debts",
            "start_date": "2025-01-01",
        },
    ),
    "web:involvement_edit": Route(
        get=page(visible("involvement", 200)),
        post=page(visible("involvement", 303)),
        kind="involvement",
        body=lambda w, s: {
            "version": _version(w, "involvement", s),
            "topic": "debts",
            "start_date": "2024-06-01",
            "note": w.markers["involvement", s][1],
        },
    ),
    # Without a consent, sharing is refused (the form again with the reason, nothing written).
    "web:information_share": Route(
        get=page(visible("involvement", 200)),
        post=page(visible("involvement", 400)),
        kind="involvement",
        body=lambda w, s: {
            "client": str(w.objects["client", s].pk),
            "data_categories": "contact",
            "summary": "Adres",
        },
    ),
    "api:partner-organisation-list": Route(
        get=api(lambda p, s: 200 if p in PARTNER_READERS else 404),
        post=api(
            lambda p, s: 201 if p in PARTNER_MANAGERS else 403 if p in PARTNER_READERS else 404
        ),
        body=lambda w, s: {"name": f"Matrix API {next(_NEW)}", "kind": "other"},
        json=True,
        lists=("organisation",),
    ),
    "api:partner-organisation-detail": Route(
        get=api(visible("organisation", 200)),
        post=api(405),
        patch=api(
            lambda p, s: 200 if manages_partner(p, s) else 403 if sees_partner(p, s or "") else 404
        ),
        kind="organisation",
        body=lambda w, s: {"phone": "070 1234567"},
        headers={"If-Match": "*"},
    ),
    "api:household-involvements": Route(
        get=api(visible("household", 200)),
        post=api(visible("household", 201)),
        kind="household",
        body=lambda w, s: {
            "organisation": str(w.objects["organisation", _org_scenario(s)].pk),
            "topic": "housing",
            "start_date": "2025-01-01",
        },
        json=True,
        shown=lambda w, s: str(w.objects["involvement", s].pk),
    ),
    # Instruments (web.views_instruments, api/instruments.py, issue 6). The catalogue is read
    # like the partner registry and changed by its managers; a new instrument or category gets
    # a new name each time. Enrolments hang off a client: the door decides. The POSTs that would
    # enrol or move an enrolment are sent incomplete (a form error, nothing written), so later
    # cells keep the same waiting list.
    "web:instrument_list": Route(
        get=page(lambda p, s: 200 if p in PARTNER_READERS else 404),
        post=page(405),
        lists=("instrument",),
    ),
    "web:instrument_create": Route(
        get=page(lambda p, s: 200 if p in PARTNER_MANAGERS else 404),
        post=page(lambda p, s: 303 if p in PARTNER_MANAGERS else 404),
        body=lambda w, s: {"name": f"Matrix instrument {next(_NEW)}", "kind": "other"},
    ),
    "web:instrument_detail": Route(
        get=page(visible("instrument", 200)), post=page(405), kind="instrument"
    ),
    "web:instrument_edit": Route(
        get=page(lambda p, s: 200 if manages_partner(p, s) else 404),
        post=page(lambda p, s: 303 if manages_partner(p, s) else 404),
        kind="instrument",
        body=lambda w, s: {
            "version": _version(w, "instrument", s),
            "name": w.objects["instrument", s].name,
            "kind": "job_coach",
            "provider_name": "Aanbieder Matrix",
            "capacity": "1",
            "categories": str(w.objects["instrument_category", s].pk),
            "is_active": "on",
        },
    ),
    "web:instrument_category_list": Route(
        get=page(lambda p, s: 200 if p in PARTNER_MANAGERS else 404),
        post=page(lambda p, s: 303 if p in PARTNER_MANAGERS else 404),
        body=lambda w, s: {"name": f"Matrix categorie {next(_NEW)}"},
    ),
    "web:instrument_category_edit": Route(
        get=page(lambda p, s: 200 if manages_partner(p, s) else 404),
        post=page(lambda p, s: 303 if manages_partner(p, s) else 404),
        kind="instrument_category",
        body=lambda w, s: {
            "version": _version(w, "instrument_category", s),
            "name": w.objects["instrument_category", s].name,
            "is_active": "on",
        },
    ),
    "web:household_enrolments": Route(
        get=page(visible("household", 200)),
        post=page(visible("household", 400)),
        kind="household",
        body=lambda w, s: {"client": str(w.objects["client", s].pk), "instrument": ""},
    ),
    "web:enrolment_detail": Route(
        get=page(visible("enrolment", 200)),
        post=page(visible("enrolment", 400)),
        kind="enrolment",
        body=lambda w, s: {"action": "stop", "stoppen-version": _version(w, "enrolment", s)},
    ),
    "api:instrument-list": Route(
        get=api(lambda p, s: 200 if p in PARTNER_READERS else 404),
        post=api(405),
        lists=("instrument",),
    ),
    "api:instrument-detail": Route(
        get=api(visible("instrument", 200)), post=api(405), kind="instrument"
    ),
    "api:household-enrolments": Route(
        get=api(visible("household", 200)),
        post=api(visible("household", 400)),
        kind="household",
        body=lambda w, s: {"client": str(w.objects["client", s].pk)},
        json=True,
        shown=lambda w, s: str(w.objects["enrolment", s].pk),
    ),
    "api:enrolment-detail": Route(
        get=api(visible("enrolment", 200)),
        post=api(405),
        patch=api(visible("enrolment", 400)),
        kind="enrolment",
        body=lambda w, s: {"status": "stopped_early"},
        headers={"If-Match": "*"},
        shown=lambda w, s: w.markers["enrolment", s][2],
    ),
    # Outcomes (web.views_outcomes, api/outcomes.py, issue 7): hang off a client, the door
    # decides. Writes that would change later cells are sent incomplete (400), unchanged (303
    # "nothing changed") or with a stale version (409 on the page, 412 in the API): nothing
    # written, and the door answers before any precondition is looked at.
    "web:outcome_create": Route(
        get=page(visible("client", 200)),
        post=page(visible("client", 400)),
        kind="client",
        body=lambda w, s: {"kind": "", "occurred_on": ""},
    ),
    "web:outcome_edit": Route(
        get=page(visible("outcome", 200)),
        post=page(visible("outcome", 303)),
        kind="outcome",
        body=lambda w, s: _outcome_body(w, s),
    ),
    "web:outcome_delete": Route(
        get=page(visible("outcome", 200)),
        post=page(visible("outcome", 409)),
        kind="outcome",
        body=lambda w, s: {"version": 999},
    ),
    "api:client-outcomes": Route(
        get=api(visible("client", 200)),
        post=api(visible("client", 400)),
        kind="client",
        body=lambda w, s: {"kind": ""},
        json=True,
        shown=lambda w, s: str(w.objects["outcome", s].pk),
    ),
    "api:outcome-detail": Route(
        get=api(visible("outcome", 200)),
        post=api(405),
        patch=api(visible("outcome", 412)),
        delete=api(visible("outcome", 412)),
        kind="outcome",
        body=lambda w, s: {"hours_per_week": "30"},
        headers={"If-Match": '"999-stale"'},
        shown=lambda w, s: w.markers["outcome", s][2],
    ),
    # The client portal (meedoen.portal, ADR 0015): only the client user, and only their own
    # goals and steps. Adding a goal or a step of their own succeeds (303); undoing a step that
    # is still open is refused (400), so nothing changes for later cells.
    "portal:login": Route(
        get=lambda p, s: 200 if p == ANONYMOUS else 302,
        post=lambda p, s: 200 if p == ANONYMOUS else 302,
        body=lambda w, s: {"username": "client", "password": "fout-wachtwoord"},
    ),
    "portal:home": Route(get=portal(200), post=portal(405, staff=405)),
    "portal:goal_create": Route(
        get=portal(200),
        post=portal(303),
        body=lambda w, s: {
            "domain": "financien",
            "what": "Matrix eigen doel",
            "due_on": _in_days(30),
        },
    ),
    "portal:step_create": Route(
        get=portal(own_scenario(200)),
        post=portal(own_scenario(303)),
        kind="goal",
        body=lambda w, s: {"description": "Matrix eigen stap", "due_on": _in_days(7)},
        shown=lambda w, s: w.markers["goal", s][2],
    ),
    "portal:step_done": Route(
        get=portal(405, staff=405),
        post=portal(own_scenario(400)),
        kind="step",
        body=lambda w, s: {"version": _plan_version(w, s), "done": "0"},
    ),
    # No agreement exists in these cells: an unknown one is a 404 for the client too.
    "portal:agreement_accept": Route(
        get=portal(405, staff=405),
        post=portal(404),
        kwargs={"agreement_id": "00000000-0000-0000-0000-000000000000"},
    ),
}


# The URL configuration ----------------------------------------------------------------------


def _walk(patterns: list[Any], namespace: str = "", kwargs: frozenset[str] = frozenset()):
    """(route name, URL keyword arguments) of every pattern; the admin counts as one route."""
    for entry in patterns:
        found = kwargs | set(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                yield "admin", frozenset()
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner, found)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else f"<unnamed {entry.pattern}>"
            yield name, found


def project_routes() -> dict[str, set[str]]:
    """Every route name with the URL keyword arguments of its patterns (format suffix aside)."""
    routes: dict[str, set[str]] = {}
    for name, kwargs in _walk(get_resolver().url_patterns):
        routes.setdefault(name, set()).update(kwargs - {"format"})
    return routes


def test_every_route_is_in_the_matrix():
    routes = project_routes()
    missing = sorted(set(routes) - set(EXPECTED))
    assert not missing, f"Add these routes to EXPECTED in {__file__}: {missing}"
    stale = sorted(set(EXPECTED) - set(routes))
    assert not stale, f"These routes no longer exist; remove them from EXPECTED: {stale}"
    # The walk finds what the project has: web, import, API router routes and the admin.
    assert {"web:client_detail", "api:client-detail", "api:import-apply", "admin"} <= set(routes)


# The data ----------------------------------------------------------------------------------


@dataclasses.dataclass
class World:
    users: dict[str, Any]
    objects: dict[tuple[str, str], Any]  # (kind, scenario) -> object
    # Strings that only that object's data contains: identity (name, client number) first, then
    # content (household reference, BSN) for clients and households.
    markers: dict[tuple[str, str], list[str]]
    bsn: dict[str, str]


SURNAMES = {
    "own": "Aaltjesdijk",
    "same_team": "Bremerhof",
    "other_team": "Cortenbosch",
    "other_municipality": "Dinxperloo",
}


@pytest.fixture
def world(request, municipality, other_municipality, coach, colleague, other_team_coach) -> World:
    users = {persona: request.getfixturevalue(persona) for persona in PERSONAS[1:]}
    origin = Origin(channel="test")
    objects: dict[tuple[str, str], Any] = {}
    markers: dict[tuple[str, str], list[str]] = {}
    bsns: dict[str, str] = {}
    for n, scenario in enumerate(CLIENT_SCENARIOS, start=1):
        target = other_municipality if scenario == "other_municipality" else municipality
        bsn = make_bsn(7000 + n)
        client = ClientFactory(target)(
            bsn=bsn, surname=SURNAMES[scenario], client_number=f"K70000{n:02d}"
        )
        household = client.household
        household.reference = f"H70000{n:02d}"
        household.save(update_fields=["reference"])
        assignment_create(
            household=household,
            coach=users[CASELOAD_OF[scenario]],
            start_date=dt.date(2024, 1, 1),
            reason=AssignmentReason.FIRST,
            actor=None,
            origin=origin,
        )
        objects["client", scenario] = client
        objects["household", scenario] = household
        objects["coach", scenario] = users[CASELOAD_OF[scenario]]
        markers["coach", scenario] = []  # staff; what may show is the household's markers
        # A conversation with the client, by their coach; its report text is its own marker.
        report = f"Gespreksverslag-{scenario}-7319"
        objects["conversation", scenario] = conversation_record(
            actor=users[CASELOAD_OF[scenario]],
            client=client,
            conversation=ConversationInput(date=dt.date(2024, 3, 1), place="kantoor", notes=report),
            profile=ProfileInput(ladder_current=2, ladder_potential=3),
            origin=origin,
        )
        markers["conversation", scenario] = [SURNAMES[scenario], client.client_number, report]
        # A contact moment and a planned appointment of the household (the contact log, H1).
        summary = f"Contactverslag-{scenario}-4411"
        objects["contact", scenario] = contact_moment_record(
            actor=users[CASELOAD_OF[scenario]],
            household=household,
            data=ContactInput(
                occurred_at=timezone.now() - dt.timedelta(hours=1),
                kind="phone",
                duration_minutes=10,
                participant_ids=[client.pk],
                summary=summary,
            ),
            origin=origin,
        )
        markers["contact", scenario] = [SURNAMES[scenario], client.client_number, summary]
        place = f"Afspraakplek-{scenario}-5522"
        objects["appointment", scenario] = appointment_plan(
            actor=users[CASELOAD_OF[scenario]],
            household=household,
            data=AppointmentInput(
                starts_at=timezone.now() + dt.timedelta(days=2), kind="office", location=place
            ),
            origin=origin,
        )
        markers["appointment", scenario] = [SURNAMES[scenario], client.client_number, place]
        # The household plan with a goal of the client and a step (issue 6).
        plan = plan_open(actor=users[CASELOAD_OF[scenario]], household=household, origin=origin)
        goal_text = f"Plandoel-{scenario}-6621"
        objects["goal", scenario] = goal_add(
            actor=users[CASELOAD_OF[scenario]],
            plan=plan,
            data=GoalInput(
                member_id=client.pk,
                domain="werk_opleiding",
                what=goal_text,
                due_on=timezone.localdate() + dt.timedelta(days=60),
            ),
            origin=origin,
        )
        markers["goal", scenario] = [SURNAMES[scenario], client.client_number, goal_text]
        step_text = f"Planstap-{scenario}-6622"
        objects["step", scenario] = step_add(
            actor=users[CASELOAD_OF[scenario]],
            goal=objects["goal", scenario],
            data=StepInput(
                description=step_text,
                owner_kind="client",
                due_on=timezone.localdate() + dt.timedelta(days=14),
            ),
            origin=origin,
        )
        markers["step", scenario] = [SURNAMES[scenario], client.client_number, step_text]
        objects["agreement", scenario], _made = agreement_create(
            actor=users[CASELOAD_OF[scenario]], plan=plan, origin=origin
        )
        markers["agreement", scenario] = [SURNAMES[scenario], client.client_number]
        if scenario == "own":
            # The client user's portal account opens this client's file.
            PortalAccount.objects.filter(user=users[CLIENT_USER]).update(client=client)
        markers["client", scenario] = markers["household", scenario] = [
            SURNAMES[scenario],
            client.client_number,
            household.reference,
            bsn,
        ]
        bsns[scenario] = bsn
    for scenario in IMPORT_SCENARIOS:
        target = other_municipality if scenario == "other_municipality" else municipality
        run = import_run_create(
            actor=None,
            municipality=target,
            file_name=f"levering-{scenario}-matrix.csv",
            content=f"klantnummer;bsn\r\n{scenario}\r\n".encode(),
            origin=origin,
            keep_content=False,
        )
        objects["import", scenario] = run
        markers["import", scenario] = [run.file_name]
        # User management: a team and an account without a caseload in each municipality.
        place = "Ommeren" if scenario == "own_municipality" else "Zuidhorn"
        staff_team = Team.objects.create(municipality=target, name=f"Team Matrix{place}")
        staff = User.objects.create_user(
            username=f"matrix-{place.lower()}",
            first_name="Stafmedewerker",
            last_name=f"Matrix{place}",
            email=f"matrix.{place.lower()}@voorbeeld.nl",
            municipality=target,
            role="analyst",
        )
        objects["team", scenario] = staff_team
        objects["staff", scenario] = staff
        markers["team", scenario] = [staff_team.name]
        markers["staff", scenario] = [staff.last_name, staff.email]
        # Partner registry: an organisation with a contact person in each municipality.
        organisation = Organisation.objects.create(
            municipality=target, name=f"Partnerorganisatie {place}", kind="debt_counselling"
        )
        person = PartnerPerson.objects.create(
            organisation=organisation, name=f"Contactpersoon {place}-Wit"
        )
        objects["organisation", scenario] = organisation
        objects["person", scenario] = person
        markers["organisation", scenario] = [organisation.name]
        markers["person", scenario] = [person.name]
    # An organisation of the household's municipality involved with each scenario's household;
    # its note is its own marker (the household's reference shows on its pages too).
    for scenario in CLIENT_SCENARIOS:
        household = objects["household", scenario]
        note = f"Betrokkenheid-{scenario}-4471"
        objects["involvement", scenario] = Involvement.objects.create(
            household=household,
            organisation=objects["organisation", _org_scenario(scenario)],
            topic="debts",
            note=note,
            start_date=dt.date(2024, 6, 1),
        )
        markers["involvement", scenario] = [household.reference, note]
    _instrument_world(users, objects, markers, origin)
    _outcome_world(users, objects, markers, origin)
    _evaluation_world(objects, markers)
    return World(users=users, objects=objects, markers=markers, bsn=bsns)


def _instrument_world(
    users: dict[str, Any],
    objects: dict[tuple[str, str], Any],
    markers: dict[tuple[str, str], list[str]],
    origin: Origin,
) -> None:
    """Instruments (issue 6): one place and a category per municipality; each scenario's client
    enrolled by their coach in their municipality's instrument. The own client takes the place,
    same_team and other_team wait (1 and 2): the waiting list may name only whom one may see."""
    for scenario, target in (
        ("own_municipality", objects["organisation", "own_municipality"].municipality),
        ("other_municipality", objects["organisation", "other_municipality"].municipality),
    ):
        place = "Ommeren" if scenario == "own_municipality" else "Zuidhorn"
        category = Category.objects.create(municipality=target, name=f"Instrumentgroep {place}")
        instrument = Instrument.objects.create(
            municipality=target,
            name=f"Instrument {place}-Traject",
            kind="job_coach",
            provider_name="Aanbieder Matrix",
            capacity=1,
        )
        instrument.categories.add(category)
        objects["instrument", scenario] = instrument
        objects["instrument_category", scenario] = category
        markers["instrument", scenario] = [instrument.name]
        markers["instrument_category", scenario] = [category.name]
    for scenario in CLIENT_SCENARIOS:
        client = objects["client", scenario]
        note = f"Aanmelding-{scenario}-6634"
        objects["enrolment", scenario] = enrolment_request(
            actor=users[CASELOAD_OF[scenario]],
            client=client,
            instrument=objects["instrument", _org_scenario(scenario)],
            data=EnrolmentRequestInput(note=note),
            origin=origin,
        )
        markers["enrolment", scenario] = [SURNAMES[scenario], client.client_number, note]


def _evaluation_world(
    objects: dict[tuple[str, str], Any], markers: dict[tuple[str, str], list[str]]
) -> None:
    """A finished effect evaluation of each municipality's instrument (issue 7), with a small
    stored result. Its marker is the requester's name, on its list row and its report."""
    result = {
        "aipw": {
            "estimate": 0.1,
            "ci_low": 0.02,
            "ci_high": 0.18,
            "n_treated": 40,
            "n_control": 90,
        },
        "naive_difference": {"estimate": 0.2, "ci_low": 0.1, "ci_high": 0.3},
        "balance": {"leeftijd": {"before": 0.3, "after": 0.05, "after_weighting": 0.04}},
        "overlap": {},
        "placebo": None,
        "mde": 0.08,
        "verdict": "credible",
        "reasons": [],
        "dataset": {"n_population": 130, "n_treated": 40, "n_control": 90},
    }
    for scenario in IMPORT_SCENARIOS:
        instrument = objects["instrument", scenario]
        requester = f"Analist Matrix-{scenario}-8813"
        objects["evaluation", scenario] = EffectEvaluation.objects.create(
            municipality=instrument.municipality,
            instrument=instrument,
            outcome="job_started_12m",
            methods=["aipw"],
            status="done",
            progress=100,
            result=result,
            verdict="credible",
            headline_method="aipw",
            estimate=0.1,
            ci_low=0.02,
            ci_high=0.18,
            requested_by_name=requester,
            requested_at=timezone.now(),
            finished_at=timezone.now(),
        )
        markers["evaluation", scenario] = [requester]


def _outcome_world(
    users: dict[str, Any],
    objects: dict[tuple[str, str], Any],
    markers: dict[tuple[str, str], list[str]],
    origin: Origin,
) -> None:
    """Outcomes (issue 7): each scenario's client has a job recorded by their coach."""
    for scenario in CLIENT_SCENARIOS:
        client = objects["client", scenario]
        employer = f"Werkgever-{scenario}-7712"
        objects["outcome", scenario] = outcome_record(
            actor=users[CASELOAD_OF[scenario]],
            client=client,
            data=OutcomeInput(
                kind="job_started",
                occurred_on=timezone.localdate() - dt.timedelta(days=5),
                hours_per_week=Decimal("20"),
                employer_name=employer,
            ),
            origin=origin,
        )
        markers["outcome", scenario] = [SURNAMES[scenario], client.client_number, employer]


def _domain_tables() -> list[tuple[str, bool]]:
    tables = []
    for model in apps.get_models():
        label = model._meta.app_label
        module = model.__module__
        if model._meta.proxy or not model._meta.managed:
            continue
        if label == "audit":
            continue  # audit rows for denials are expected
        if module.startswith("meedoen.") or label == "django_tasks_db":
            fields = {f.name for f in model._meta.concrete_fields}
            tables.append((model._meta.db_table, "updated_at" in fields))
    return sorted(tables)


def domain_state(tables: list[tuple[str, bool]]) -> tuple[Any, ...]:
    """What the domain tables (and queued jobs) hold, in one query: on PostgreSQL the rows this
    transaction inserted, updated and deleted per table (pg_stat_xact_user_tables: a catalogue
    read, and stricter than counting — late in a run, counting scanned tables full of dead
    tuples from earlier tests and made the matrix the slowest part of CI); on SQLite the row
    counts and newest change of every table."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables "
                "WHERE relname = ANY(%s) ORDER BY relname",
                [[table for table, _ in tables]],
            )
            return tuple(cursor.fetchall())
    quote = connection.ops.quote_name
    parts = []
    for table, has_updated in tables:
        parts.append(f"(SELECT COUNT(*) FROM {quote(table)})")  # noqa: S608
        if has_updated:
            parts.append(f"(SELECT MAX(updated_at) FROM {quote(table)})")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(cursor.fetchone())


# The matrix ----------------------------------------------------------------------------------


@dataclasses.dataclass
class Cell:
    route: str
    method: str
    persona: str
    scenario: str | None

    def __str__(self) -> str:
        where = f" [{self.scenario}]" if self.scenario else ""
        return f"{self.method} {self.route} as {self.persona}{where}"


def _url(
    name: str, route: Route, world: World, scenario: str | None, routes: dict[str, set[str]]
) -> str:
    if name == "admin":
        return "/beheer/"
    kwargs = dict(route.kwargs)
    if route.kind and route.in_url:
        (id_kwarg,) = routes[name] - set(kwargs)
        kwargs[id_kwarg] = str(world.objects[route.kind, scenario].pk)
    return reverse(name, kwargs=kwargs)


def _hidden_markers(
    world: World, persona: str, key: tuple[str, str], identity_view: bool
) -> list[str]:
    kind, scenario = key
    if sees(persona, kind, scenario):
        return []
    markers = world.markers[key]
    if persona == CLIENT_USER and scenario == "own" and kind in ("client", "household"):
        return markers[2:]  # their own name may show; their household reference and BSN not
    if identity_view and kind != "import" and sees_identity(persona, scenario):
        return markers[2:]  # the name and client number may show, the content not
    return markers


def _status_ok(expected: Outcome, response: Any) -> bool:
    if expected == PORTAL_LOGIN:
        return response.status_code == 302 and response["Location"].startswith(
            reverse("portal:login")
        )
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
    if expected == ADMIN_LOGIN:
        return response.status_code == 302 and response["Location"].startswith("/beheer/login/")
    return response.status_code == expected


def _text(response: Any) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode(errors="replace") + "\n" + response.get("Location", "")


# The routes are checked in shards, so that pytest-xdist spreads the matrix over the cores
# instead of one worker walking every cell at the end of the run.
MATRIX_SHARDS = 4


@pytest.mark.django_db
@pytest.mark.parametrize("shard", range(MATRIX_SHARDS))
def test_authorization_matrix(world, django_capture_on_commit_callbacks, shard):
    routes = project_routes()
    tables = _domain_tables()
    problems: list[str] = []
    cells = 0
    all_objects = list(world.objects)
    # One logged-in session per persona while it only reads: logging in ~2,000 times per shard
    # cost more than the requests themselves.
    sessions: dict[str, HttpClient] = {}

    def session_for(persona: str) -> HttpClient:
        if persona not in sessions:
            http = HttpClient(HTTP_ACCEPT_LANGUAGE="nl")
            if persona != ANONYMOUS:
                http.force_login(world.users[persona])
            sessions[persona] = http
        return sessions[persona]

    for name, route in list(EXPECTED.items())[shard::MATRIX_SHARDS]:
        scenarios: tuple[str | None, ...] = SCENARIOS[route.kind] if route.kind else (None,)
        for method, rule in (
            ("GET", route.get),
            ("POST", route.post),
            ("PATCH", route.patch),
            ("DELETE", route.delete),
        ):
            if rule is None:
                continue
            for persona in PERSONAS:
                http = session_for(persona)
                for scenario in scenarios:
                    cell = Cell(name, method, persona, scenario)
                    expected = rule(persona, scenario)
                    allowed = expected in (200, 201, 204, 303) or (
                        route.kind is not None and expected == 409
                    )
                    before = None if allowed else domain_state(tables)
                    url = _url(name, route, world, scenario, routes)
                    cells += 1
                    with django_capture_on_commit_callbacks(execute=False) as callbacks:
                        body = route.body(world, scenario) if route.body else {}
                        if method == "GET":
                            response = http.get(url)
                        elif method == "PATCH":
                            response = http.patch(
                                url, body, content_type="application/json", headers=route.headers
                            )
                        elif method == "DELETE":
                            response = http.delete(url, headers=route.headers)
                        else:
                            response = (
                                http.post(url, body, content_type="application/json")
                                if route.json
                                else http.post(url, body)
                            )
                    if not _status_ok(expected, response):
                        problems.append(
                            f"{cell}: expected {expected}, got {response.status_code} "
                            f"{response.get('Location', '')}"
                        )
                    text = _text(response)
                    if response.status_code == 303 and response["Location"].startswith("/"):
                        text += _text(http.get(response["Location"]))
                    # What the persona typed may come back in a form; that is no leak.
                    echoed = set(body.values()) if method in ("POST", "PATCH") else set()
                    for key in all_objects:
                        # The FG's identity view: name and number of the cell's client only.
                        identity = route.identity_only and key[1] == scenario
                        # The person's own export names the organisations involved with them.
                        theirs = key[1] == scenario or key in (
                            ("organisation", _org_scenario(scenario)),
                            ("instrument", _org_scenario(scenario)),
                        )
                        if (
                            route.subject_access
                            and theirs
                            and persona == "privacy_officer"
                            and sees_identity(persona, scenario)
                        ):
                            continue
                        if (
                            route.names_instruments
                            and persona == "analyst"
                            and key == ("instrument", "own_municipality")
                        ):
                            continue
                        for marker in _hidden_markers(world, persona, key, identity):
                            if marker in text and marker not in echoed:
                                problems.append(f"{cell}: shows {key} ({marker})")
                    if expected == 200 and route.kind and route.in_url:
                        shown = (
                            route.shown(world, scenario)
                            if route.shown
                            else world.markers[route.kind, scenario][0]
                        )
                        if shown not in text:
                            problems.append(f"{cell}: allowed but does not show {shown}")
                    for kind in route.lists if expected == 200 else ():
                        for scen in SCENARIOS[kind]:
                            shown = world.markers[kind, scen][0]
                            if sees(persona, kind, scen) and shown not in text:
                                problems.append(f"{cell}: list misses {(kind, scen)}")
                    if not allowed and callbacks:
                        problems.append(f"{cell}: queued {len(callbacks)} job(s)")
                    if not allowed and domain_state(tables) != before:
                        problems.append(f"{cell}: wrote to the database")
                if method != "GET":
                    # A write may have changed the session (logout, language, password): the
                    # next cell of this persona starts from a fresh login.
                    sessions.pop(persona, None)

    assert cells > 300 // MATRIX_SHARDS
    assert not problems, f"{len(problems)} of {cells} cells wrong:\n" + "\n".join(problems)
