"""conversation_record, conversation_update and conversations_bulk_create."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError

from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin, subject_pseudonym
from meedoen.caseload.access import ClientNotVisible
from meedoen.core.concurrency import ConflictError
from meedoen.profiles.inputs import ObstacleInput, ProfileInput, WorkExperienceInput
from meedoen.profiles.models import (
    Conversation,
    HelpNeed,
    Obstacle,
    ProfileSnapshot,
    WorkExperience,
    WorkPreference,
    ZrmAssessment,
)
from meedoen.profiles.services import (
    BulkConversation,
    conversation_record,
    conversation_update,
    conversations_bulk_create,
)
from meedoen.profiles.tests.factories import conversation_input, full_profile, zrm

pytestmark = pytest.mark.django_db
ORIGIN = Origin(channel="test")
LEAF_MODELS = (ZrmAssessment, Obstacle, HelpNeed, WorkExperience, WorkPreference)


def record(actor, client, *, date=dt.date(2025, 3, 4), profile=None, **conversation):
    return conversation_record(
        actor=actor,
        client=client,
        conversation=conversation_input(date=date, **conversation),
        profile=profile if profile is not None else full_profile(),
        origin=ORIGIN,
    )


def counts():
    return (
        Conversation.objects.count(),
        ProfileSnapshot.objects.count(),
        *(model.objects.count() for model in LEAF_MODELS),
    )


def test_record_writes_conversation_snapshot_and_rows_and_audits_without_free_text(
    coach, client_factory
):
    client = client_factory()
    conversation = record(coach, client)

    conversation = Conversation.objects.select_related("profile").get(pk=conversation.pk)
    assert conversation.client == client
    assert conversation.municipality_id == client.municipality_id
    assert conversation.conducted_by == coach
    assert conversation.conducted_by_name == "coach"
    assert conversation.version == 1
    assert conversation.participants == ["tolk"]
    snapshot = conversation.profile
    assert snapshot.ladder_current == 2
    assert snapshot.is_complete
    assert snapshot.completeness == 100
    assert snapshot.zrm_complete
    assert ZrmAssessment.objects.filter(profile=snapshot).count() == 13
    assert set(Obstacle.objects.filter(profile=snapshot).values_list("category", flat=True)) == {
        "schulden",
        "taal",
    }
    assert list(
        WorkPreference.objects.filter(profile=snapshot).values_list("kind", "code", "position")
    ) == [("beroep", "5120", 0), ("beroep", "9412", 1), ("sector", "horeca_toerisme", 0)]

    event = AuditEvent.objects.get(action="profiles.conversation.create")
    assert event.result == Result.ALLOWED
    assert event.object_id == str(conversation.pk)
    assert event.subject_pseudonym == subject_pseudonym(client.pk)
    assert event.detail["first"] is True
    assert event.detail["place"] == "huisbezoek"
    # Free text stays out of the audit trail.
    row = json.dumps(event.detail) + event.purpose + event.object_type
    for secret in ("geheime-notitie-tekst", "talent-tekst", "Kredietbank", "Belastingdienst"):
        assert secret not in row


def test_a_client_the_actor_may_not_see_is_refused_audited_and_nothing_is_written(
    coach, colleague, client_factory
):
    client = client_factory(coach=colleague)
    with pytest.raises(ClientNotVisible):
        record(coach, client)
    assert counts() == (0, 0, 0, 0, 0, 0, 0)
    denied = AuditEvent.objects.get(action="profiles.conversation.create")
    assert denied.result == Result.DENIED
    assert denied.subject_pseudonym == subject_pseudonym(client.pk)


def test_analyst_may_not_record(analyst, client_factory):
    with pytest.raises(ClientNotVisible):
        record(analyst, client_factory())
    assert not Conversation.objects.exists()


def test_unknown_zrm_scores_are_allowed_in_the_first_conversation_only(coach, client_factory):
    client = client_factory()
    first = record(
        coach,
        client,
        date=dt.date(2024, 1, 10),
        profile=full_profile(zrm=zrm(None, financien=2, justitie=5)),
    )
    assert not first.profile.zrm_complete
    assert not first.profile.is_complete
    assert "leefgebieden" not in first.profile.complete_parts
    assert ZrmAssessment.objects.filter(profile=first.profile, score__isnull=True).count() == 11

    with pytest.raises(ValidationError) as raised:
        record(coach, client, date=dt.date(2024, 6, 1), profile=full_profile(zrm=zrm(None)))
    messages = raised.value.message_dict
    assert messages["profile.zrm.financien"] == [
        "Leefgebied Financiën: 'onbekend' kan alleen bij een eerste gesprek; kies een score van "
        "1 tot en met 5."
    ]
    assert len([k for k in messages if k.startswith("profile.zrm.")]) == 13
    # A conversation recorded later but dated before the first one is itself the first.
    earlier = record(coach, client, date=dt.date(2023, 12, 1), profile=full_profile(zrm=zrm(None)))
    assert earlier.profile.zrm_complete is False


def test_a_zrm_assessment_must_name_all_thirteen_domains(coach, client_factory):
    scores = zrm(3)
    del scores["justitie"], scores["financien"]
    with pytest.raises(ValidationError) as raised:
        record(coach, client_factory(), profile=full_profile(zrm=scores))
    assert raised.value.message_dict["profile.zrm"] == [
        "Leefgebieden (ZRM): vul alle 13 leefgebieden in (een score, of 'onbekend' bij een eerste "
        "gesprek). Ontbreekt: Financiën, Justitie."
    ]
    assert counts()[0] == 0


def test_a_conversation_without_a_zrm_assessment_is_fine_but_not_complete(coach, client_factory):
    conversation = record(coach, client_factory(), profile=full_profile(zrm={}))
    assert conversation.profile.completeness == 86  # 6 of 7 parts
    assert not ZrmAssessment.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"date": dt.date(2999, 1, 1)},
            "date",
            "Datum van het gesprek: die ligt in de toekomst.",
        ),
        (
            {"place": "kroeg"},
            "place",
            "Plaats van het gesprek: kies huisbezoek, kantoor, telefoon, wijklocatie of video.",
        ),
        (
            {"participants": ["tolk", "Jan de buurman"]},
            "participants.1",
            "Andere deelnemers, keuze 2: dit staat niet in de lijst.",
        ),
    ],
)
def test_bad_conversation_input_is_refused_in_dutch_without_echoing_it(
    coach, client_factory, change, field, message
):
    with pytest.raises(ValidationError) as raised:
        record(coach, client_factory(), **change)
    assert raised.value.message_dict[field] == [message]
    assert "Jan de buurman" not in str(raised.value)
    assert counts() == (0, 0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("profile", "field", "message"),
    [
        (
            {"ladder_current": 5, "ladder_potential": 3},
            "profile.ladder_potential",
            "Participatieladder: de haalbare trede kan niet lager zijn dan de huidige.",
        ),
        (
            {"ladder_current": 7, "ladder_potential": 7},
            "profile.ladder_current",
            "Participatieladder, huidige trede: vul een getal in van 1 tot en met 6.",
        ),
        (
            {"obstacles": [ObstacleInput("schulden", 2), ObstacleInput("schulden", 3)]},
            "profile.obstacles.1.category",
            "Belemmering 2: deze soort staat er al; vul hem één keer in.",
        ),
        (
            {"obstacles": [ObstacleInput("schulden", 4)]},
            "profile.obstacles.0.severity",
            "Belemmering 1: kies de ernst: licht, matig of ernstig.",
        ),
        (
            {"no_obstacles": True},
            "profile.no_obstacles",
            "Belemmeringen: u vulde belemmeringen in én 'geen belemmeringen'; kies één van beide.",
        ),
        (
            {"work_experience": [WorkExperienceInput(isco_code="1234")]},
            "profile.work_experience.0.isco_code",
            "Werkervaring 1: kies een beroep uit de lijst (een ISCO-08-code van 4 cijfers).",
        ),
        (
            {"preferred_sectors": ["horeca_toerisme", "ruimtevaart"]},
            "profile.preferred_sectors.1",
            "Gewenste sectoren, keuze 2: dit staat niet in de lijst.",
        ),
        (
            {"work_readiness": "nog_niet", "work_readiness_reason": " "},
            "profile.work_readiness_reason",
            "Werkfit: schrijf kort op waarom iemand nog niet werkfit is.",
        ),
        (
            {"hours_per_week": 61},
            "profile.hours_per_week",
            "Uren per week: vul een getal in van 0 tot en met 60.",
        ),
        (
            {"other_languages": ["ar", "xx1"]},
            "profile.other_languages.1",
            "Andere talen, keuze 2: dit staat niet in de lijst.",
        ),
        (
            {"dutch_level": "D1"},
            "profile.dutch_level",
            "Niveau Nederlands: kies een niveau uit de lijst (A1 tot C2).",
        ),
        (
            {"talents": "x" * 2001},
            "profile.talents",
            "Talenten: gebruik hoogstens 2000 tekens (nu 2001).",
        ),
    ],
)
def test_bad_profile_input_says_what_and_where_and_writes_nothing(
    coach, client_factory, profile, field, message
):
    with pytest.raises(ValidationError) as raised:
        record(coach, client_factory(), profile=full_profile(**profile))
    assert raised.value.message_dict[field] == [message]
    assert counts() == (0, 0, 0, 0, 0, 0, 0)
    assert not AuditEvent.objects.filter(action="profiles.conversation.create").exists()


def test_update_replaces_the_snapshot_bumps_the_version_and_audits_field_names(
    coach, client_factory
):
    client = client_factory()
    conversation = record(coach, client)
    profile = dataclasses.replace(
        full_profile(), ladder_current=3, obstacles=[], no_obstacles=True, talents="nieuw-talent"
    )
    updated = conversation_update(
        actor=coach,
        conversation=conversation,
        expected_version=1,
        data=conversation_input(place="kantoor"),
        profile=profile,
        origin=ORIGIN,
    )
    assert updated.version == 2
    conversation.refresh_from_db()
    assert conversation.version == 2
    assert conversation.place == "kantoor"
    snapshot = ProfileSnapshot.objects.get(conversation=conversation)
    assert snapshot.ladder_current == 3
    assert snapshot.no_obstacles
    assert not Obstacle.objects.exists()
    assert ZrmAssessment.objects.count() == 13  # replaced, not doubled
    event = AuditEvent.objects.get(action="profiles.conversation.update")
    assert event.detail["fields"] == [
        "place",
        "profile.talents",
        "profile.obstacles",
        "profile.no_obstacles",
        "profile.ladder_current",
    ]
    assert "nieuw-talent" not in json.dumps(event.detail)


def test_a_stale_update_is_a_conflict_and_changes_nothing(coach, team_lead, client_factory):
    client = client_factory()
    conversation = record(coach, client)
    stale = Conversation.objects.get(pk=conversation.pk)
    conversation_update(
        actor=team_lead,
        conversation=conversation,
        expected_version=1,
        data=conversation_input(),
        profile=full_profile(ladder_current=4, ladder_potential=5),
        origin=ORIGIN,
    )
    before = counts()
    with pytest.raises(ConflictError) as raised:
        conversation_update(
            actor=coach,
            conversation=stale,
            expected_version=1,
            data=conversation_input(place="telefoon"),
            profile=full_profile(ladder_current=1, ladder_potential=1),
            origin=ORIGIN,
        )
    assert raised.value.current_version == 2
    assert counts() == before
    fresh = Conversation.objects.select_related("profile").get(pk=conversation.pk)
    assert fresh.place == "huisbezoek"
    assert fresh.profile.ladder_current == 4


def test_update_by_someone_who_may_not_see_the_client_is_refused(
    coach, other_team_coach, client_factory
):
    conversation = record(coach, client_factory())
    with pytest.raises(ClientNotVisible):
        conversation_update(
            actor=other_team_coach,
            conversation=conversation,
            expected_version=1,
            data=conversation_input(place="kantoor"),
            profile=full_profile(),
            origin=ORIGIN,
        )
    assert Conversation.objects.get().place == "huisbezoek"


def test_bulk_create_writes_many_in_one_go_and_refuses_a_bad_batch_whole(coach, client_factory):
    clients = [client_factory() for _ in range(3)]

    def item(client, date, profile):
        return BulkConversation(
            client_id=client.pk,
            municipality_id=client.municipality_id,
            conducted_by_id=coach.pk,
            conducted_by_name="Demo",
            conversation=conversation_input(date=date),
            profile=profile,
        )

    bad = [
        item(clients[0], dt.date(2024, 1, 1), full_profile(zrm=zrm(None))),
        item(clients[0], dt.date(2024, 6, 1), full_profile(zrm=zrm(None))),  # not first
    ]
    with pytest.raises(ValidationError) as raised:
        conversations_bulk_create(items=bad, actor=None, origin=ORIGIN)
    assert any("Gesprek 2: Leefgebied" in m for m in raised.value.messages)
    assert counts()[0] == 0

    items = [
        item(clients[0], dt.date(2024, 1, 1), full_profile(zrm=zrm(None))),
        item(clients[0], dt.date(2024, 6, 1), full_profile()),
        item(clients[1], dt.date(2024, 2, 1), ProfileInput()),
        item(clients[2], dt.date(2024, 3, 1), full_profile()),
    ]
    assert conversations_bulk_create(items=items, actor=None, origin=ORIGIN) == 4
    assert counts()[:2] == (4, 4)
    assert ZrmAssessment.objects.count() == 3 * 13
    assert AuditEvent.objects.get(action="profiles.conversation.bulk_create").detail["count"] == 4
    with pytest.raises(ValidationError, match="al gesprekken"):
        conversations_bulk_create(items=items[:1], actor=None, origin=ORIGIN)
