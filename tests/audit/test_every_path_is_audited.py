"""Every read and write path of personal data writes an audit row, and no audit row holds a BSN.

One case per path that reads or writes personal data today. A new path belongs in `PATHS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from rest_framework.test import APIClient

from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin, subject_pseudonym
from meedoen.clients.tests.factories import test_bsn as make_bsn
from meedoen.dataexchange.services import import_file
from meedoen.dataexchange.tests.delivery import bsn as delivery_bsn
from meedoen.dataexchange.tests.delivery import csv_bytes, person


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
    "import apply": Path("dataexchange.import.apply", _import_apply, about_client=False),
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
