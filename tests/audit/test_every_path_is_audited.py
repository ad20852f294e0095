"""Every read and write path of personal data writes an audit row, and no audit row holds a BSN.

One case per path that reads or writes personal data today. A new path belongs in `PATHS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from rest_framework.test import APIClient

from meedoen.accounts.models import User
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin, subject_pseudonym
from meedoen.clients.models import Client
from meedoen.clients.tests.factories import test_bsn as make_bsn
from meedoen.dataexchange.services import import_file
from meedoen.dataexchange.tests.delivery import bsn as delivery_bsn
from meedoen.dataexchange.tests.delivery import csv_bytes, person
from meedoen.profiles.inputs import ConversationInput, ProfileInput
from meedoen.profiles.models import Conversation
from meedoen.profiles.services import conversation_record


@dataclass(frozen=True)
class Path:
    action: str
    # (http clients, the client under test, personas) -> response status
    run: Callable[[Any, Any, Any], int]
    status: int = 200
    about_client: bool = True  # whether the row names the client (subject pseudonym)


def _web_detail(http, client, users):
    return http.web(users.coach).get(reverse("web:client_detail", args=[client.pk])).status_code


def _web_bsn_reveal(http, client, users):
    url = reverse("web:client_bsn_reveal", args=[client.pk])
    return http.web(users.coach).post(url).status_code


def _api_detail(http, client, users):
    return http.api(users.coach).get(f"/api/v1/clients/{client.pk}/").status_code


def _api_household(http, client, users):
    return http.api(users.coach).get(f"/api/v1/households/{client.household_id}/").status_code


def _api_list(http, client, users):
    return http.api(users.coach).get("/api/v1/clients/").status_code


def _api_bsn_search(http, client, users):
    api = http.api(users.coach)
    return api.post("/api/v1/clients/search/", {"bsn": users.bsn}, format="json").status_code


def _web_contact_edit(http, client, users):
    url = reverse("web:client_contact_edit", args=[client.pk])
    version = Client.objects.values_list("version", flat=True).get(pk=client.pk)
    body = {"version": version, "phone": "06 12121212", "email": "", "languages": "Nederlands"}
    response = http.web(users.coach).post(url, body)
    return 200 if response.status_code == 303 else response.status_code


def _api_contact_edit(http, client, users):
    api = http.api(users.coach)
    url = f"/api/v1/clients/{client.pk}/contact/"
    etag = api.get(url)["ETag"]
    return api.patch(url, {"phone": "06 34343434"}, format="json", HTTP_IF_MATCH=etag).status_code


def _see_other(response) -> int:
    return 200 if response.status_code == 303 else response.status_code


def _web_staff_list(http, client, users):
    return http.web(users.functional_admin).get(reverse("web:staff_list")).status_code


def _web_staff_create(http, client, users):
    body = {
        "username": "pad-nieuw",
        "first_name": "Nieuwe",
        "last_name": "Collega",
        "email": "pad-nieuw@denhaag.nl",
        "role": "coach",
        "team": str(users.coach.team_id),
    }
    return _see_other(http.web(users.functional_admin).post(reverse("web:staff_create"), body))


def _web_staff_update(http, client, users):
    coach = User.objects.get(pk=users.coach.pk)
    body = {
        "version": coach.version,
        "first_name": "Anna",
        "last_name": f"Jansen {coach.version}",
        "email": "coach@denhaag.nl",
        "role": coach.role,
        "team": str(coach.team_id),
    }
    url = reverse("web:staff_edit", args=[coach.pk])
    return _see_other(http.web(users.functional_admin).post(url, body))


def _web_staff_otp_reset(http, client, users):
    url = reverse("web:staff_otp_reset", args=[users.coach.pk])
    return _see_other(http.web(users.functional_admin).post(url))


def _web_team_create(http, client, users):
    url = reverse("web:team_list")
    return _see_other(http.web(users.functional_admin).post(url, {"name": "Team Padvinders"}))


def _conversation_of(client, users):
    """The client's conversation, recorded here if the client has none yet."""
    existing = Conversation.objects.filter(client_id=client.pk).order_by("date", "id").first()
    if existing is not None:
        return existing
    return conversation_record(
        actor=users.coach,
        client=client,
        conversation=ConversationInput(date=dt.date(2024, 3, 1), place="kantoor"),
        profile=ProfileInput(ladder_current=2, ladder_potential=3),
        origin=Origin(channel="test"),
    )


def _web_conversation_form(http, client, users):
    return (
        http.web(users.coach).get(reverse("web:conversation_create", args=[client.pk])).status_code
    )


def _web_conversation_create(http, client, users):
    url = reverse("web:conversation_create", args=[client.pk])
    body = {"date": "2025-03-04", "place": "huisbezoek", "notes": "Verslag"}
    return _see_other(http.web(users.coach).post(url, body))


def _web_conversation_read(http, client, users):
    url = reverse("web:conversation_detail", args=[_conversation_of(client, users).pk])
    return http.web(users.coach).get(url).status_code


def _web_conversation_update(http, client, users):
    conversation = _conversation_of(client, users)
    conversation.refresh_from_db()
    url = reverse("web:conversation_edit", args=[conversation.pk])
    body = {"version": conversation.version, "date": "2024-03-01", "place": "telefoon"}
    return _see_other(http.web(users.coach).post(url, body))


def _web_profile_overview(http, client, users):
    return http.web(users.coach).get(reverse("web:profile_overview")).status_code


def _import_apply(http, client, users):
    run = import_file(
        actor=users.functional_admin,
        municipality=users.functional_admin.municipality,
        file_name="levering.csv",
        content=csv_bytes([person(8101), person(8102)]),
        origin=Origin(channel="web", ip_address="192.0.2.7"),
    )
    return 200 if run.status == "applied" else 500


PATHS = {
    "web client detail": Path("clients.client.read", _web_detail),
    "web BSN reveal": Path("clients.client.bsn_reveal", _web_bsn_reveal),
    "API client detail": Path("clients.client.read", _api_detail),
    "API household detail": Path("clients.household.read", _api_household, about_client=False),
    "API client list": Path("clients.client.list", _api_list, about_client=False),
    "API BSN search": Path("clients.client.search", _api_bsn_search),
    "web contact edit": Path("clients.client.update", _web_contact_edit),
    "API contact edit": Path("clients.client.update", _api_contact_edit),
    "import apply": Path("dataexchange.import.apply", _import_apply, about_client=False),
    # Conversations and profiles in the web UI (web.views_profile).
    "web conversation form": Path("profiles.profile.read", _web_conversation_form),
    "web conversation create": Path("profiles.conversation.create", _web_conversation_create),
    "web conversation read": Path("profiles.conversation.read", _web_conversation_read),
    "web conversation update": Path("profiles.conversation.update", _web_conversation_update),
    "web in kaart overview": Path(
        "profiles.overview.read", _web_profile_overview, about_client=False
    ),
    # User management (staff data, no client): web.views_staff.
    "web staff list": Path("accounts.user.list", _web_staff_list, about_client=False),
    "web staff create": Path("accounts.user.create", _web_staff_create, about_client=False),
    "web staff update": Path("accounts.user.update", _web_staff_update, about_client=False),
    "web staff 2FA reset": Path(
        "accounts.user.otp_reset", _web_staff_otp_reset, about_client=False
    ),
    "web team create": Path("accounts.team.create", _web_team_create, about_client=False),
}


class _Http:
    def web(self, user):
        http = HttpClient(HTTP_ACCEPT_LANGUAGE="nl")
        http.force_login(user)
        return http

    def api(self, user):
        api = APIClient(HTTP_ACCEPT_LANGUAGE="nl")
        api.force_login(user)
        return api


@dataclass
class _Users:
    coach: Any
    functional_admin: Any
    bsn: str


@pytest.fixture
def scene(coach, functional_admin, client_factory):
    bsn = make_bsn(8001)
    client = client_factory(bsn=bsn)
    return client, _Users(coach=coach, functional_admin=functional_admin, bsn=bsn)


@pytest.mark.parametrize("name", list(PATHS))
def test_path_writes_an_audit_row(name, scene):
    path = PATHS[name]
    client, users = scene
    before = AuditEvent.objects.count()
    assert path.run(_Http(), client, users) == path.status
    rows = AuditEvent.objects.order_by("id")[before:]
    matching = [row for row in rows if row.action == path.action]
    assert matching, f"{name} wrote no {path.action} row (wrote {[r.action for r in rows]})"
    row = matching[-1]
    assert row.result == "allowed"
    assert row.actor_name
    if path.about_client:
        assert row.subject_pseudonym == subject_pseudonym(client.pk)


def test_no_audit_row_contains_a_bsn(scene):
    client, users = scene
    http = _Http()
    for path in PATHS.values():
        assert path.run(http, client, users) == path.status
    # The denied paths too: another municipality's BSN typed into the search.
    http.api(users.coach).post("/api/v1/clients/search/", {"bsn": make_bsn(8002)}, format="json")
    bsns = {users.bsn, make_bsn(8002), delivery_bsn(8101), delivery_bsn(8102)}
    rows = list(AuditEvent.objects.values())
    assert len(rows) >= len(PATHS)
    for row in rows:
        text = " ".join(str(value) for value in row.values())
        assert not [bsn for bsn in bsns if bsn in text], row["action"]
