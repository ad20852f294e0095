"""No BSN leaves its encrypted column: not in a URL, a log line, an audit row, a session, a stored
import run, a page, an API response or an analyst's export — with one exception, the answer to the
BSN reveal POST.

A small demo (generate_demo --clients 200 --seed 3) is loaded through the real import; its BSNs
come from the delivery files the same command writes with --out. Then every demo account visits
every page and endpoint it can (searches, including a BSN search by POST), and everything that
was produced is searched for the demo's BSNs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import re
import zipfile
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import Client as HttpClient
from django.urls import reverse

from meedoen.accounts.models import User
from meedoen.audit.services import Origin
from meedoen.caseload.access import clients_visible_to, households_visible_to
from meedoen.caseload.constants import AssignmentReason
from meedoen.caseload.models import Assignment
from meedoen.caseload.services import assignments_bulk_create
from meedoen.clients.bsn import bsn_decrypt
from meedoen.clients.models import Client, Household
from meedoen.dataexchange.models import ImportRun
from tests.security.test_authorization_matrix import project_routes

DEMO = ["--clients", "200", "--seed", "3", "--today", "2025-06-30"]
NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DETAILS_PER_ROLE = 5


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name}: {text} {record.args!r}")


def found(bsns: set[str], text: str) -> set[str]:
    return {token for token in NINE_DIGITS.findall(text) if token in bsns}


def body_text(response: Any) -> str:
    """The response as text; for a workbook (a zip) the text of every part inside it, since the
    compressed bytes would hide a BSN from the scan."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith(XLSX):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(archive.read(n).decode(errors="replace") for n in archive.namelist())
    return body.decode(errors="replace")


@pytest.fixture
def log_lines(caplog):
    caplog.set_level(logging.DEBUG)
    handler = Collect()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler.lines
    root.removeHandler(handler)
    root.setLevel(level)


def _ensure_caseload() -> None:
    """Give the demo coaches households if the demo did not assign any (need-to-know)."""
    if Assignment.objects.exists():
        return
    coaches = list(User.objects.filter(username__startswith="demo-klantregisseur").order_by("pk"))
    households = [h for h in Household.objects.order_by("reference") if h.municipality_id]
    pairs = [
        (household, coach)
        for household, coach in zip(
            households,
            [c for c in coaches for _ in range(40)],
            strict=False,
        )
        if coach.municipality_id == household.municipality_id
    ]
    assignments_bulk_create(
        pairs=pairs,
        start_date=dt.date(2025, 1, 1),
        reason=AssignmentReason.FIRST,
        actor=None,
        origin=Origin(channel="test"),
    )


def _database_text() -> str:
    """Every value of every row of every table, as text (the encrypted BSN column aside)."""
    parts = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if not (model is Client and f.attname == "bsn_encrypted")
        ]
        for row in model._default_manager.values_list(*names):
            parts.append(repr(row))
    for session in Session.objects.all():
        parts.append(json.dumps(session.get_decoded(), default=str))
    return "\n".join(parts)


@pytest.mark.django_db(transaction=False)
def test_no_bsn_leaks_from_the_demo(tmp_path, log_lines, caplog):
    call_command("generate_demo", *DEMO, "--out", str(tmp_path), stdout=io.StringIO())
    bsns: set[str] = set()
    for path in tmp_path.glob("*.csv"):
        for row in csv.DictReader(io.StringIO(path.read_text("utf-8")), delimiter=";"):
            bsns.add(row["bsn"])
    assert len(bsns) >= 200

    output = io.StringIO()
    call_command("generate_demo", *DEMO, "--force", stdout=output)
    call_command("demo_accounts", "--force", stdout=output)
    _ensure_caseload()
    assert Client.objects.count() >= 200

    # The encrypted column holds the BSN, but never in clear; the lookup hash is not the BSN.
    for bsn_hash, encrypted in Client.objects.values_list("bsn_hash", "bsn_encrypted"):
        assert bsn_decrypt(encrypted) in bsns
        assert not found(bsns, f"{bsn_hash} {encrypted}")

    seen: list[str] = [output.getvalue()]  # everything except the one legitimate place
    revealed: list[str] = []
    urls: list[str] = []
    connection.force_debug_cursor = True  # SQL and its parameters go to the log as well
    try:
        for user in User.objects.filter(username__startswith="demo-").order_by("username"):
            _visit_as(user, bsns, seen, revealed, urls)
        # The analyst's pseudonymised dataset in both formats is part of the scan, whole.
        analyst = HttpClient(HTTP_ACCEPT_LANGUAGE="nl")
        analyst.force_login(User.objects.get(username="demo-analist"))
        for file_format, row_marker in (("csv", "analytics.dataset"), ("xlsx", "<row ")):
            url = reverse("analytics:dataset_export", kwargs={"file_format": file_format})
            response = analyst.get(url)
            assert response.status_code == 200, url
            text = body_text(response)
            assert text.count(row_marker) >= 200, f"{url}: not one row per demo client"
            seen.append(text)
            urls.append(url)
    finally:
        connection.force_debug_cursor = False

    assert len(urls) > 100
    assert revealed, "the BSN reveal was exercised"
    places = {
        "URL or Location header": "\n".join(urls),
        "log output": "\n".join(log_lines) + "\n" + caplog.text,
        "page or API response": "\n".join(seen),
        "database (audit rows, sessions, import runs, tasks)": _database_text(),
    }
    leaks = {where: sorted(found(bsns, text))[:5] for where, text in places.items()}
    assert not any(leaks.values()), f"BSNs found: {leaks}"
    # The stored import runs keep no file content for the demo (import_file, keep_content=False).
    assert not ImportRun.objects.exclude(content=None).exists()


def _visit_as(
    user: User, bsns: set[str], seen: list[str], revealed: list[str], urls: list[str]
) -> None:
    http = HttpClient(HTTP_ACCEPT_LANGUAGE="nl")
    http.force_login(user)

    def record(response: Any, url: str) -> Any:
        urls.append(url)
        urls.append(response.get("Location", ""))
        return body_text(response)

    def get(url: str, **extra: Any) -> Any:
        response = http.get(url, **extra)
        seen.append(record(response, url))
        return response

    def post(url: str, data: dict[str, Any], *, json_body: bool = False) -> Any:
        response = (
            http.post(url, data, content_type="application/json")
            if json_body
            else http.post(url, data)
        )
        seen.append(record(response, url))
        if response.status_code in (302, 303) and response["Location"].startswith("/"):
            get(response["Location"])
            get(response["Location"] + "&pagina=2")
        return response

    # Objects this user can reach, and some they cannot (for searches and denied reads).
    mine = list(clients_visible_to(actor=user).order_by("sort_name")[:DETAILS_PER_ROLE])
    households = list(households_visible_to(actor=user)[:DETAILS_PER_ROLE])
    others = list(Client.objects.exclude(pk__in=[c.pk for c in mine]).order_by("pk")[:2])
    runs = list(ImportRun.objects.order_by("pk"))
    targets = mine + others

    # Searches: by surname, postcode and BSN (POST, so never in the URL), on web and API.
    client_list = reverse("web:client_list")
    for client in targets:
        post(client_list, {"q": client.surname})
        post(client_list, {"q": bsn_decrypt(client.bsn_encrypted)})
        post("/api/v1/clients/search/", {"bsn": bsn_decrypt(client.bsn_encrypted)}, json_body=True)
        get("/api/v1/clients/", data={"q": client.surname})
    if mine and mine[0].household and mine[0].household.address:
        post(client_list, {"q": mine[0].household.address.postcode})

    # Every page and endpoint of the project, for each object kind it takes.
    for name, kwargs in project_routes().items():
        if name in ("admin", "set_language", "web:logout") or name.startswith("<"):
            continue
        for filled in _fill(name, kwargs, targets, households, runs):
            get(reverse(name, kwargs=filled))
            get(reverse(name, kwargs=filled), HTTP_ACCEPT="application/json")

    # The one legitimate place for a full BSN: the answer to the reveal POST.
    for client in targets:
        url = reverse("web:client_bsn_reveal", kwargs={"client_id": client.pk})
        response = http.post(url)
        urls.append(url)
        urls.append(response.get("Location", ""))
        if response.status_code == 200:
            assert bsn_decrypt(client.bsn_encrypted) in response.content.decode()
            revealed.append(url)
    http.post(reverse("web:logout"))


def _fill(
    name: str, kwargs: set[str], clients: list[Any], households: list[Any], runs: list[Any]
) -> list[dict[str, str]]:
    if not kwargs:
        return [{}]
    if kwargs == {"file_format"}:
        return [{"file_format": "csv"}, {"file_format": "xlsx"}]
    if kwargs == {"client_id"} or (kwargs == {"id"} and ":client" in name):
        key = next(iter(kwargs))
        return [{key: str(c.pk)} for c in clients]
    if kwargs == {"id"} and ":household" in name:
        return [{"id": str(h.pk)} for h in households]
    if kwargs == {"run_id"} or (kwargs == {"id"} and ":import" in name):
        key = next(iter(kwargs))
        return [{key: str(r.pk)} for r in runs]
    return []  # a route with other arguments: the authorization matrix covers its access
