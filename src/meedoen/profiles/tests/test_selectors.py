"""Reads: latest profile, history, change, completeness and counts per wijk; query counts."""

from __future__ import annotations

import datetime as dt

import pytest

from meedoen.audit.constants import Result
from meedoen.audit.models import AuditEvent
from meedoen.audit.services import Origin, subject_pseudonym
from meedoen.caseload.access import ClientNotVisible, clients_visible_to
from meedoen.profiles.inputs import ObstacleInput
from meedoen.profiles.selectors import (
    conversation_get_for_actor,
    conversation_list,
    profile_completeness_of,
    profile_counts_by_district,
    profile_counts_total,
    profile_history,
    profile_input_for,
    profile_latest,
)
from meedoen.profiles.services import conversation_record
from meedoen.profiles.tests.factories import conversation_input, full_profile, zrm

pytestmark = pytest.mark.django_db
ORIGIN = Origin(channel="test")


def record(actor, client, date, **profile):
    return conversation_record(
        actor=actor,
        client=client,
        conversation=conversation_input(date=date),
        profile=full_profile(**profile),
        origin=ORIGIN,
    )


def history_of(coach, client, length):
    """`length` conversations, 3 months apart, the ladder going up every second one."""
    start = dt.date(2021, 1, 4)
    for n in range(length):
        rung = min(6, 1 + n // 2)
        record(
            coach,
            client,
            start + dt.timedelta(days=91 * n),
            zrm=zrm(None) if n == 0 else zrm(min(5, 2 + n // 3)),
            ladder_current=rung,
            ladder_potential=6,
        )


def test_latest_profile_is_the_newest_conversation_with_everything_prefetched(
    coach, client_factory, django_assert_num_queries
):
    client = client_factory()
    record(coach, client, dt.date(2024, 1, 1), ladder_current=1)
    record(coach, client, dt.date(2024, 9, 1), ladder_current=3)
    record(coach, client, dt.date(2024, 5, 1), ladder_current=2)  # recorded last, dated earlier
    with django_assert_num_queries(6):
        latest = profile_latest(client_id=client.pk)
        data = profile_input_for(latest.profile)
    assert latest.date == dt.date(2024, 9, 1)
    assert data.ladder_current == 3
    assert data.preferred_occupations == ["5120", "9412"]
    assert data.preferred_sectors == ["horeca_toerisme"]
    assert list(data.zrm) == list(zrm(3))
    assert data == full_profile(ladder_current=3)
    assert profile_latest(client_id=client_factory().pk) is None


@pytest.mark.parametrize("length", [2, 12])
def test_history_costs_three_queries_whatever_its_length(
    coach, client_factory, django_assert_num_queries, length
):
    client = client_factory()
    history_of(coach, client, length)
    with django_assert_num_queries(3):
        history = profile_history(client_id=client.pk)
    assert len(history.points) == length
    assert [p.date for p in history.ladder] == sorted(p.date for p in history.ladder)
    assert len(history.zrm["financien"]) == length
    assert history.zrm["financien"][0].score is None  # "unknown" in the first conversation


def test_history_change_and_big_steps(coach, client_factory):
    client = client_factory()
    record(
        coach,
        client,
        dt.date(2024, 1, 10),
        zrm=zrm(None, financien=1),
        ladder_current=1,
        ladder_potential=3,
        obstacles=[ObstacleInput("schulden", 3), ObstacleInput("taal", 2)],
    )
    record(
        coach,
        client,
        dt.date(2024, 4, 10),
        zrm=zrm(3, financien=2),
        ladder_current=2,
        ladder_potential=4,
        obstacles=[ObstacleInput("schulden", 2), ObstacleInput("kinderopvang", 1)],
    )
    history = profile_history(client_id=client.pk)
    change = history.change
    assert change.previous_date == dt.date(2024, 1, 10)
    assert change.ladder_current == 1
    assert change.ladder_potential == 1
    assert change.zrm["financien"] == 1
    assert change.zrm["justitie"] is None  # unknown before
    assert change.zrm_improved == ("financien",)
    assert change.obstacles_new == ("kinderopvang",)
    assert change.obstacles_gone == ("taal",)
    assert [(s.start.date, s.end.date, s.rungs) for s in history.big_steps] == [
        (dt.date(2024, 1, 10), dt.date(2024, 4, 10), 1)
    ]


def test_first_conversation_has_no_change(coach, client_factory):
    client = client_factory()
    record(coach, client, dt.date(2024, 1, 10))
    history = profile_history(client_id=client.pk)
    assert history.change.previous_date is None
    assert history.change.ladder_current is None
    assert profile_history(client_id=client_factory().pk).change is None


def test_completeness_parts_are_stored_and_read_back(coach, client_factory):
    client = client_factory()
    conversation = record(
        coach, client, dt.date(2024, 1, 10), wishes="", obstacles=[], zrm=zrm(None)
    )
    completeness = profile_completeness_of(conversation.profile)
    assert completeness.missing == ("wensen", "belemmeringen", "leefgebieden")
    assert completeness.percent == 57
    assert not completeness.is_complete


def test_conversation_list_is_one_query_newest_first(
    coach, client_factory, django_assert_num_queries
):
    client = client_factory()
    history_of(coach, client, 5)
    with django_assert_num_queries(1):
        rows = [(c.date, c.profile.completeness) for c in conversation_list(client_id=client.pk)]
    assert [d for d, _ in rows] == sorted((d for d, _ in rows), reverse=True)


def test_conversation_door_audits_reads_and_denials(coach, colleague, client_factory):
    own = record(coach, client_factory(), dt.date(2024, 1, 1))
    theirs = record(colleague, client_factory(coach=colleague), dt.date(2024, 1, 1))
    found = conversation_get_for_actor(actor=coach, conversation_id=str(own.pk), origin=ORIGIN)
    assert found.pk == own.pk
    with pytest.raises(ClientNotVisible):
        conversation_get_for_actor(actor=coach, conversation_id=theirs.pk, origin=ORIGIN)
    with pytest.raises(ClientNotVisible):
        conversation_get_for_actor(actor=coach, conversation_id="not-a-uuid", origin=ORIGIN)
    reads = AuditEvent.objects.filter(action="profiles.conversation.read").order_by("seq")
    assert [e.result for e in reads] == [Result.ALLOWED, Result.DENIED, Result.DENIED]
    assert reads[1].subject_pseudonym == subject_pseudonym(theirs.client_id)


def test_counts_per_wijk_define_spoken_and_profiled(
    coach, team_lead, client_factory, django_assert_num_queries
):
    west = [
        client_factory(district_code="WK051829", district_name="Schilderswijk") for _ in range(3)
    ]
    east = [
        client_factory(district_code="WK051838", district_name="Laakkwartier") for _ in range(2)
    ]
    # Spoken to and complete; spoken to but not complete; only complete long ago.
    record(coach, west[0], dt.date(2024, 6, 1))
    record(coach, west[1], dt.date(2024, 6, 1), zrm=zrm(None))
    record(coach, east[0], dt.date(2022, 6, 1))
    clients = clients_visible_to(actor=team_lead)
    with django_assert_num_queries(1):
        rows = profile_counts_by_district(clients=clients)
    by_name = {r.district_name: (r.clients, r.spoken, r.profiled) for r in rows}
    assert by_name == {"Laakkwartier": (2, 1, 1), "Schilderswijk": (3, 2, 1)}
    since = profile_counts_by_district(clients=clients, since=dt.date(2024, 1, 1))
    assert {r.district_name: (r.spoken, r.profiled) for r in since} == {
        "Laakkwartier": (0, 0),
        "Schilderswijk": (2, 1),
    }
    total = profile_counts_total(rows)
    assert (total.clients, total.spoken, total.profiled) == (5, 3, 2)
    assert rows[1].spoken_percent == 67


def test_counts_leave_out_people_without_an_open_benefit(coach, client_factory):
    recipient = client_factory()
    child = client_factory(household=recipient.household, role="kind")
    child.benefit_periods.all().delete()
    record(coach, child, dt.date(2024, 1, 1))
    rows = profile_counts_by_district(clients=clients_visible_to(actor=coach))
    assert [(r.clients, r.spoken) for r in rows] == [(1, 0)]
    rows = profile_counts_by_district(
        clients=clients_visible_to(actor=coach), recipients_only=False
    )
    assert [(r.clients, r.spoken) for r in rows] == [(2, 1)]


def test_conversation_is_first_by_date_then_order_recorded(
    coach, client_factory, django_assert_num_queries
):
    from meedoen.profiles.selectors import conversation_is_first

    client = client_factory()
    later = record(coach, client, dt.date(2024, 6, 1))
    earlier = record(coach, client, dt.date(2024, 1, 1))  # recorded after, but earlier in time
    same_day = record(coach, client, dt.date(2024, 1, 1))
    with django_assert_num_queries(1):
        assert conversation_is_first(conversation=earlier) is True
    assert conversation_is_first(conversation=same_day) is False
    assert conversation_is_first(conversation=later) is False
    other = record(coach, client_factory(), dt.date(2025, 1, 1))
    assert conversation_is_first(conversation=other) is True


def test_latest_obstacles_and_complete_zrm_of_a_population(
    coach, colleague, client_factory, django_assert_num_queries
):
    from meedoen.profiles.selectors import latest_complete_zrm, latest_obstacles

    first, second = client_factory(), client_factory()
    record(coach, first, dt.date(2024, 1, 1), obstacles=[ObstacleInput("schulden", 2)])
    record(
        coach,
        first,
        dt.date(2024, 6, 1),
        obstacles=[ObstacleInput("taal", 1), ObstacleInput("huisvesting", 3)],
        zrm=zrm(4),
    )
    record(coach, first, dt.date(2025, 1, 1), obstacles=[ObstacleInput("taal", 1)], zrm={})
    record(coach, second, dt.date(2024, 2, 1), obstacles=[], no_obstacles=True, zrm=zrm(2))
    outside = client_factory(coach=colleague)
    record(colleague, outside, dt.date(2024, 2, 1), obstacles=[ObstacleInput("schulden", 1)])
    clients = clients_visible_to(actor=coach)
    with django_assert_num_queries(1):
        rows = sorted(
            latest_obstacles(clients=clients).values_list(
                "profile__conversation__client_id", "category"
            )
        )
    # The latest conversation of each client, and only the population's clients.
    assert rows == [(first.pk, "taal")]
    with django_assert_num_queries(1):
        scores = list(
            latest_complete_zrm(clients=clients).values_list(
                "profile__conversation__client_id", "score"
            )
        )
    # The latest COMPLETE assessment: June 2024 for the first (January 2025 had none).
    assert sorted({(c, s) for c, s in scores}) == sorted({(first.pk, 4), (second.pk, 2)})
    assert len(scores) == 26
