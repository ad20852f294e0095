"""The conversation and profile endpoints: door, audit, validation, ETag/If-Match, query counts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meedoen.api.profiles import ZrmSerializer
from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin
from meedoen.profiles.constants import ZRM_DOMAINS
from meedoen.profiles.models import Conversation, ProfileSnapshot
from meedoen.profiles.services import conversation_record
from meedoen.profiles.tests.factories import conversation_input, full_profile, zrm

pytestmark = pytest.mark.django_db
ORIGIN = Origin(channel="test")


def conversations_url(client):
    return f"/api/v1/clients/{client.pk}/conversations/"


def conversation_url(conversation):
    return f"/api/v1/conversations/{conversation.pk}/"


def body(**overrides):
    data = {
        "date": "2025-03-04",
        "place": "huisbezoek",
        "participants": ["tolk"],
        "notes": "Verslag-geheim.",
        "profile": {
            "talents": "Kookt graag",
            "skills": ["koken"],
            "wishes": "Werk overdag",
            "ambition_short": "Taalcursus",
            "ambition_long": "Eigen zaak",
            "obstacles": [{"category": "schulden", "severity": 2, "addressed": True}],
            "help_needs": [{"category": "administratie"}],
            "zrm": zrm(3),
            "ladder_current": 2,
            "ladder_potential": 4,
            "work_readiness": "met_ondersteuning",
            "education_level": "mbo2",
            "work_experience": [{"isco_code": "5120", "years": 3}],
            "preferred_occupations": ["5120"],
            "preferred_sectors": ["horeca_toerisme"],
            "hours_per_week": 24,
            "dutch_level": "A2",
            "other_languages": ["ar"],
        },
    }
    data.update(overrides)
    return data


def record(actor, client, date=dt.date(2025, 1, 6), **profile):
    return conversation_record(
        actor=actor,
        client=client,
        conversation=conversation_input(date=date),
        profile=full_profile(**profile),
        origin=ORIGIN,
    )


def test_urls_are_where_the_docs_say(client_factory):
    client = client_factory()
    assert reverse("api:client-conversations", kwargs={"id": client.pk}) == conversations_url(
        client
    )
    assert reverse("api:client-profile", kwargs={"id": client.pk}).endswith("/profile/")
    assert reverse("api:client-profile-history", kwargs={"id": client.pk}).endswith("/history/")
    assert reverse("api:conversation-detail", kwargs={"id": "x"}) == "/api/v1/conversations/x/"
    assert tuple(ZrmSerializer().fields) == ZRM_DOMAINS


def test_coach_records_a_conversation_and_reads_it_back(login, coach, client_factory):
    client = client_factory()
    api = login(coach)
    response = api.post(conversations_url(client), body(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    conversation = Conversation.objects.get()
    assert data["id"] == str(conversation.pk)
    assert data["client"] == str(client.pk)
    assert data["version"] == 1
    assert response["ETag"].startswith('"1-')
    assert data["profile"]["completeness"] == {
        "percent": 100,
        "filled": [
            "talenten",
            "wensen",
            "ambities",
            "belemmeringen",
            "leefgebieden",
            "participatieladder",
            "werkprofiel",
        ],
        "missing": [],
        "is_complete": True,
    }
    assert data["profile"]["work_experience"][0]["title"] == "Kok"
    create = AuditEvent.objects.get(action="profiles.conversation.create")
    assert create.detail["channel"] == "api"
    assert "Verslag-geheim" not in json.dumps(create.detail)

    detail = api.get(conversation_url(conversation))
    assert detail.status_code == 200
    assert detail.json()["notes"] == "Verslag-geheim."
    assert detail["ETag"] == response["ETag"]
    assert AuditEvent.objects.filter(action="profiles.conversation.read").count() == 1


def test_bad_input_is_a_400_with_dutch_messages_per_field_path(login, coach, client_factory):
    client = client_factory()
    api = login(coach)
    record(coach, client, date=dt.date(2024, 1, 1))  # so the next one is not the first
    bad = body()
    bad["profile"]["zrm"] = zrm(3, financien=None)
    bad["profile"]["ladder_potential"] = 1
    response = api.post(conversations_url(client), bad, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert errors["profile.zrm.financien"] == [
        "Leefgebied Financiën: 'onbekend' kan alleen bij een eerste gesprek; kies een score van "
        "1 tot en met 5."
    ]
    assert errors["profile.ladder_potential"] == [
        "Participatieladder: de haalbare trede kan niet lager zijn dan de huidige."
    ]
    assert Conversation.objects.count() == 1
    # Shape errors come from the serializer, in Dutch too.
    response = api.post(conversations_url(client), {"date": "gisteren"}, format="json")
    assert response.status_code == 400
    assert "place" in response.json()
    assert Conversation.objects.count() == 1


@pytest.mark.parametrize("persona", ["colleague", "other_team_coach", "analyst", "privacy_officer"])
def test_who_may_not_see_the_client_gets_404_everywhere_and_it_is_audited(
    persona, request, login, coach, client_factory
):
    client = client_factory()
    conversation = record(coach, client)
    api = login(request.getfixturevalue(persona))
    before = Conversation.objects.count(), ProfileSnapshot.objects.count()
    for method, url in [
        ("get", conversations_url(client)),
        ("post", conversations_url(client)),
        ("get", f"/api/v1/clients/{client.pk}/profile/"),
        ("get", f"/api/v1/clients/{client.pk}/profile/history/"),
        ("get", conversation_url(conversation)),
        ("patch", conversation_url(conversation)),
    ]:
        response = getattr(api, method)(url, body(), format="json", HTTP_IF_MATCH="*")
        assert response.status_code == 404, (method, url)
        assert "Verslag" not in response.content.decode()
    assert (Conversation.objects.count(), ProfileSnapshot.objects.count()) == before
    denied = AuditEvent.objects.filter(result=Result.DENIED, action__startswith="profiles.")
    assert denied.count() == 6


def test_team_lead_sees_the_teams_conversations(login, coach, team_lead, client_factory):
    client = client_factory()
    record(coach, client)
    response = login(team_lead).get(conversations_url(client))
    assert response.status_code == 200
    assert len(response.json()["results"]) == 1
    assert "notes" not in response.json()["results"][0]


def test_patch_needs_if_match_and_refuses_a_stale_one(login, coach, team_lead, client_factory):
    client = client_factory()
    conversation = record(coach, client)
    api = login(coach)
    etag = api.get(conversation_url(conversation))["ETag"]

    missing = api.patch(conversation_url(conversation), {"place": "kantoor"}, format="json")
    assert missing.status_code == 428

    ok = api.patch(
        conversation_url(conversation),
        {"place": "kantoor", "profile": {"ladder_current": 3, "ladder_potential": 5}},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert ok.status_code == 200, ok.json()
    assert ok.json()["version"] == 2
    assert ok.json()["place"] == "kantoor"
    assert ok.json()["profile"]["ladder_current"] == 3
    assert ok.json()["profile"]["talents"] == full_profile().talents  # untouched parts stay
    assert ok["ETag"] != etag

    stale = login(team_lead).patch(
        conversation_url(conversation), {"place": "telefoon"}, format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    assert Conversation.objects.get().place == "kantoor"
    update = AuditEvent.objects.get(action="profiles.conversation.update")
    assert update.detail["fields"] == [
        "place",
        "profile.ladder_current",
        "profile.ladder_potential",
    ]


def test_patch_that_breaks_a_rule_is_a_400_and_changes_nothing(login, coach, client_factory):
    client = client_factory()
    conversation = record(coach, client)
    api = login(coach)
    etag = api.get(conversation_url(conversation))["ETag"]
    response = api.patch(
        conversation_url(conversation),
        {"profile": {"zrm": {"financien": 2}}},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 400
    assert "profile.zrm" in response.json()
    assert Conversation.objects.get().version == 1


def test_profile_and_history(login, coach, client_factory):
    client = client_factory()
    api = login(coach)
    empty = api.get(f"/api/v1/clients/{client.pk}/profile/")
    assert empty.status_code == 200
    assert empty.json()["profile"] is None

    record(coach, client, date=dt.date(2024, 1, 10), zrm=zrm(None), ladder_current=1)
    record(coach, client, date=dt.date(2024, 5, 10), zrm=zrm(3), ladder_current=2)
    latest = api.get(f"/api/v1/clients/{client.pk}/profile/").json()
    assert latest["date"] == "2024-05-10"
    assert latest["profile"]["ladder_current"] == 2
    assert latest["change"]["ladder_current"] == 1
    assert latest["change"]["previous_date"] == "2024-01-10"

    history = api.get(f"/api/v1/clients/{client.pk}/profile/history/").json()
    assert [p["current"] for p in history["ladder"]] == [1, 2]
    financien = next(s for s in history["zrm"] if s["domain"] == "financien")
    assert financien["label"] == "Financiën"
    assert [p["score"] for p in financien["points"]] == [None, 3]
    assert history["big_steps"] == [
        {"start_date": "2024-01-10", "end_date": "2024-05-10", "from_rung": 1, "to_rung": 2}
    ]
    assert history["definition"] == {"big_step_min_rungs": 1, "big_step_window_days": 183}
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"profiles.profile.read", "profiles.profile.history"} <= actions


def test_query_counts_do_not_grow_with_history(login, coach, client_factory):
    api = login(coach)
    counts = {}
    for length in (1, 8):
        client = client_factory()
        for n in range(length):
            record(
                coach,
                client,
                date=dt.date(2020, 1, 6) + dt.timedelta(days=120 * n),
                zrm=zrm(None) if n == 0 else zrm(3),
            )
        latest = Conversation.objects.filter(client=client).order_by("-date").first()
        for name, url in [
            ("list", conversations_url(client)),
            ("profile", f"/api/v1/clients/{client.pk}/profile/"),
            ("history", f"/api/v1/clients/{client.pk}/profile/history/"),
            ("detail", conversation_url(latest)),
        ]:
            with CaptureQueriesContext(connection) as queries:
                assert api.get(url).status_code == 200
            counts[name, length] = len(queries)
    for name in ("list", "profile", "history", "detail"):
        assert counts[name, 1] == counts[name, 8], counts
    # Session, user and the audit row included.
    assert counts["list", 8] <= 12
    assert counts["history", 8] <= 14
    assert counts["detail", 8] <= 16
    assert counts["profile", 8] <= 20
