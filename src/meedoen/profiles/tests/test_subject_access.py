"""Conversations and profiles are part of the data-subject access export (AVG art. 15)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from meedoen.audit.services import Origin
from meedoen.privacy.subject_access import subject_access_export, subject_access_export_pdf
from meedoen.profiles.services import conversation_record
from meedoen.profiles.subject_access import profile_subject_access_section
from meedoen.profiles.tests.factories import conversation_input, full_profile, zrm

pytestmark = pytest.mark.django_db


def test_the_export_holds_every_conversation_with_its_profile(
    client, coach, client_factory, django_assert_max_num_queries
):
    person = client_factory()
    for day, rung in ((dt.date(2024, 1, 5), 1), (dt.date(2024, 6, 5), 2)):
        conversation_record(
            actor=coach,
            client=person,
            conversation=conversation_input(date=day),
            profile=full_profile(ladder_current=rung, zrm=zrm(None) if rung == 1 else zrm(4)),
            origin=Origin(channel="test"),
        )
    with django_assert_max_num_queries(6):
        section = profile_subject_access_section(client=person)
    assert [row["date"] for row in section.rows] == ["2024-06-05", "2024-01-05"]
    assert section.rows[1]["zrm"].startswith("Financiën onbekend")
    assert "schulden (matig, wordt aangepakt)" in section.rows[0]["obstacles"]
    assert section.rows[0]["profile"]["ladder_current"] == 2

    client.force_login(coach)
    url = reverse(
        "web:client_subject_access", kwargs={"client_id": person.pk, "file_format": "json"}
    )
    data = json.loads(client.post(url).content)
    assert [c["notes"] for c in data["conversations"]] == [conversation_input().notes] * 2
    assert data["conversations"][0]["place"] == "huisbezoek"


def test_the_pdf_renders_the_section(coach, client_factory):
    person = client_factory()
    conversation_record(
        actor=coach,
        client=person,
        conversation=conversation_input(),
        profile=full_profile(),
        origin=Origin(channel="test"),
    )
    # Registered by ProfilesConfig.ready(): every export holds the section, also the one made
    # before erasure.
    assert len(subject_access_export(client=person)["conversations"]) == 1
    assert subject_access_export_pdf(client=person).startswith(b"%PDF")


def test_erasing_an_expired_client_file_takes_the_conversations_along(coach, client_factory):
    from meedoen.clients.models import BenefitPeriod, Client, HouseholdMembership
    from meedoen.privacy.services import retention_run
    from meedoen.profiles.models import Conversation, ProfileSnapshot, ZrmAssessment

    person = client_factory()
    conversation_record(
        actor=coach,
        client=person,
        conversation=conversation_input(date=dt.date(2019, 3, 1)),
        profile=full_profile(),
        origin=Origin(channel="test"),
    )
    kept = client_factory()
    conversation_record(
        actor=coach,
        client=kept,
        conversation=conversation_input(date=dt.date(2019, 3, 1)),
        profile=full_profile(),
        origin=Origin(channel="test"),
    )
    # The person left bijstand and their household in 2020: past the 7-year term in 2030.
    BenefitPeriod.objects.filter(client=person).update(end_date=dt.date(2020, 1, 1))
    HouseholdMembership.objects.filter(client=person).update(end_date=dt.date(2020, 1, 1))
    Client.objects.filter(pk=person.pk).update(household=None)

    report = retention_run(dry_run=False, today=dt.date(2030, 6, 1))
    assert not Client.objects.filter(pk=person.pk).exists()
    # The receipt says what went, conversations included.
    (item,) = report.items
    assert item.counts["profiles.conversation"] == 1
    assert item.counts["profiles.zrmassessment"] == 13
    assert list(Conversation.objects.values_list("client_id", flat=True)) == [kept.pk]
    assert ProfileSnapshot.objects.count() == 1
    assert ZrmAssessment.objects.count() == 13
