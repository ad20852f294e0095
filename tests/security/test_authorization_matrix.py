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
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from meedoen.accounts.models import Team, User
from meedoen.audit.services import Origin
from meedoen.caseload.constants import AssignmentReason
from meedoen.caseload.services import assignment_create
from meedoen.clients.models import Client
from meedoen.clients.tests.factories import ClientFactory
from meedoen.clients.tests.factories import test_bsn as make_bsn
from meedoen.dataexchange.services import import_run_create
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
)
CLIENT_SCENARIOS = ("own", "same_team", "other_team", "other_municipality")
IMPORT_SCENARIOS = ("own_municipality", "other_municipality")
SCENARIOS = {
    "client": CLIENT_SCENARIOS,
    "household": CLIENT_SCENARIOS,
    "conversation": CLIENT_SCENARIOS,  # a conversation with the scenario's client (profiles)
    "import": IMPORT_SCENARIOS,
    # User management: a staff account and a team of the municipality, and of the other one.
    "staff": IMPORT_SCENARIOS,
    "team": IMPORT_SCENARIOS,
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


def sees(persona: str, kind: str, scenario: str) -> bool:
    # Import runs, staff accounts and teams: the functional admin of the same municipality only.
    if kind in ("import", "staff", "team"):
        return sees_import(persona, scenario)
    return sees_client(persona, scenario)


# Expected outcomes: a status code, or LOGIN (302 to the login page).
LOGIN = "login"
ADMIN_LOGIN = "admin-login"
Outcome = int | str
Rule = Callable[[str, "str | None"], Outcome]


def everyone(status: int) -> Rule:
    return lambda persona, scenario: status


def page(staff: Outcome | Rule) -> Rule:
    """A web page behind the login: anonymous goes to the login page."""
    staff_rule = staff if callable(staff) else everyone(staff)  # type: ignore[arg-type]
    return lambda persona, scenario: (
        LOGIN if persona == ANONYMOUS else staff_rule(persona, scenario)
    )


def api(staff: Outcome | Rule) -> Rule:
    """An API endpoint behind authentication: anonymous gets 403 (session auth has no challenge)."""
    staff_rule = staff if callable(staff) else everyone(staff)  # type: ignore[arg-type]
    return lambda persona, scenario: 403 if persona == ANONYMOUS else staff_rule(persona, scenario)


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


def _current_version(world: World, scenario: str | None) -> int:
    return Client.objects.values_list("version", flat=True).get(
        pk=world.objects["client", scenario].pk
    )


EXPECTED: dict[str, Route] = {
    # Django admin, one entry: nobody in these roles is staff, so it is the admin's own login.
    "admin": Route(get=everyone(ADMIN_LOGIN)),
    "set_language": Route(
        get=everyone(302), post=everyone(302), body=lambda w, s: {"language": "nl"}
    ),
    # Web pages.
    "web:home": Route(get=page(200)),
    "web:login": Route(
        get=lambda p, s: 200 if p == ANONYMOUS else 302,
        # A wrong password: the form again with an error, nobody logged in.
        post=lambda p, s: 200 if p == ANONYMOUS else 302,
        body=lambda w, s: {"username": "coach", "password": "fout-wachtwoord"},
    ),
    # The second step of the login. These personas have no authenticator yet: the code step
    # sends them to enrolment; enrolment shows the QR code; a code that is not six digits is a
    # form error.
    "web:otp_verify": Route(get=page(302), post=page(302)),
    "web:otp_enrol": Route(get=page(200), post=page(400), body=lambda w, s: {"code": "x"}),
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
    # The API. The schema and its documentation pages are public: they hold no data.
    "api:schema": Route(get=everyone(200)),
    "api:docs": Route(get=everyone(200)),
    "api:redoc": Route(get=everyone(200)),
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
    return World(users=users, objects=objects, markers=markers, bsn=bsns)


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
    """Row counts and newest change of every domain table (and queued jobs), in one query."""
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
    if identity_view and kind != "import" and sees_identity(persona, scenario):
        return markers[2:]  # the name and client number may show, the content not
    return markers


def _status_ok(expected: Outcome, response: Any) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
    if expected == ADMIN_LOGIN:
        return response.status_code == 302 and response["Location"].startswith("/beheer/login/")
    return response.status_code == expected


def _text(response: Any) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode(errors="replace") + "\n" + response.get("Location", "")


@pytest.mark.django_db
def test_authorization_matrix(world, django_capture_on_commit_callbacks):
    routes = project_routes()
    tables = _domain_tables()
    problems: list[str] = []
    cells = 0
    all_objects = list(world.objects)

    for name, route in EXPECTED.items():
        scenarios: tuple[str | None, ...] = SCENARIOS[route.kind] if route.kind else (None,)
        for method, rule in (("GET", route.get), ("POST", route.post), ("PATCH", route.patch)):
            if rule is None:
                continue
            for persona in PERSONAS:
                http = HttpClient(HTTP_ACCEPT_LANGUAGE="nl")
                if persona != ANONYMOUS:
                    http.force_login(world.users[persona])
                for scenario in scenarios:
                    cell = Cell(name, method, persona, scenario)
                    expected = rule(persona, scenario)
                    allowed = expected in (200, 201, 204, 303) or (
                        route.kind is not None and expected == 409
                    )
                    before = domain_state(tables)
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
                        if (
                            route.subject_access
                            and key[1] == scenario
                            and persona == "privacy_officer"
                            and sees_identity(persona, scenario)
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
                    if method == "POST" and name == "web:logout" and persona != ANONYMOUS:
                        http.force_login(world.users[persona])

    assert cells > 300
    assert not problems, f"{len(problems)} of {cells} cells wrong:\n" + "\n".join(problems)
