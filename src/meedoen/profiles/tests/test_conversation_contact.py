"""A profile conversation counts as contact: it is logged in the household's contact log
(caseload.ContactMoment), and correcting its date or place corrects that entry."""

from __future__ import annotations

import pytest
from django.utils import timezone

from meedoen.audit.services import Origin
from meedoen.caseload.constants import ContactKind, ContactPurpose
from meedoen.caseload.selectors import last_contact_at
from meedoen.profiles.inputs import ConversationInput, ProfileInput
from meedoen.profiles.services import conversation_record, conversation_update

ORIGIN = Origin(channel="test")
pytestmark = pytest.mark.django_db


def test_a_profile_conversation_counts_as_contact_and_its_correction_too(coach, client_factory):
    client = client_factory()
    today = timezone.localdate()
    conversation = conversation_record(
        actor=coach,
        client=client,
        conversation=ConversationInput(date=today, place="telefoon", participants=["tolk"]),
        profile=ProfileInput(),
        origin=ORIGIN,
    )
    contact = conversation.contact
    assert contact.kind == ContactKind.PHONE
    assert contact.purpose == ContactPurpose.CONVERSATION
    assert contact.other_participants == ["interpreter"]
    assert list(contact.participants.values_list("client_id", flat=True)) == [client.pk]
    assert last_contact_at(client.household_id) == contact.occurred_at
    conversation_update(
        actor=coach,
        conversation=conversation,
        expected_version=1,
        data=ConversationInput(date=today, place="huisbezoek", participants=["tolk"]),
        profile=ProfileInput(),
        origin=ORIGIN,
    )
    conversation.refresh_from_db()
    assert conversation.contact.corrects == contact
    assert conversation.contact.kind == ContactKind.HOME_VISIT
