"""Catalogue, waiting list and household reads: who sees what, filters, usage, query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meedoen.instruments import selectors
from meedoen.instruments.constants import EnrolmentStatus as S
from meedoen.instruments.models import Category
from meedoen.instruments.tests.factories import enrolment_factory, instrument_factory
from meedoen.partners.models import Organisation


def queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_catalogue_visible_to_casework_and_admin_of_the_municipality(
    municipality,
    other_municipality,
    coach,
    team_lead,
    functional_admin,
    analyst,
    privacy_officer,
    other_municipality_coach,
):
    mine = instrument_factory(municipality, name="Taalcursus")
    instrument_factory(other_municipality, name="Elders")
    for actor in (coach, team_lead, functional_admin):
        assert [e.instrument for e in selectors.catalogue(actor=actor)] == [mine]
        assert selectors.instrument_get_for_actor(actor=actor, instrument_id=mine.pk) == mine
    assert [e.instrument.name for e in selectors.catalogue(actor=other_municipality_coach)] == [
        "Elders"
    ]
    for actor in (analyst, privacy_officer, other_municipality_coach, None):
        if actor is not other_municipality_coach:
            assert selectors.catalogue(actor=actor) == []
        with pytest.raises(selectors.InstrumentNotVisible):
            selectors.instrument_get_for_actor(actor=actor, instrument_id=mine.pk)
    with pytest.raises(selectors.InstrumentNotVisible):
        selectors.instrument_get_for_actor(actor=coach, instrument_id="not-a-uuid")


@pytest.mark.django_db
def test_catalogue_filters_and_usage(municipality, coach, client_factory):
    provider = Organisation.objects.create(
        municipality=municipality, name="Taalhuis", kind="education"
    )
    language = Category.objects.create(municipality=municipality, name="Taal")
    course = instrument_factory(
        municipality,
        name="Taalcursus B1",
        kind="language_course",
        provider=provider,
        provider_name="Taalhuis",
        capacity=3,
        target_groups=("refugees", "low_literacy"),
    )
    course.categories.add(language)
    coaching = instrument_factory(
        municipality, name="Jobcoach 50+", kind="job_coach", target_groups=("over_50",)
    )
    instrument_factory(municipality, name="Oud", is_active=False)
    for status in (S.STARTED, S.STARTED, S.REQUESTED, S.WAITING, S.FINISHED, S.STOPPED_EARLY):
        enrolment_factory(course, client_factory(), status=status)

    def names(**filters):
        return [e.instrument.name for e in selectors.catalogue(actor=coach, **filters)]

    assert names() == ["Jobcoach 50+", "Taalcursus B1"]
    assert names(active_only=False) == ["Jobcoach 50+", "Oud", "Taalcursus B1"]
    assert names(kind="language_course") == ["Taalcursus B1"]
    assert names(target_group="refugees") == ["Taalcursus B1"]
    assert names(target_group="over_50") == ["Jobcoach 50+"]
    assert names(target_group="young_people") == []
    assert names(category_id=language.pk) == ["Taalcursus B1"]
    assert names(category_id="bogus") == []
    assert names(query="taalhuis") == ["Taalcursus B1"]
    assert names(query="JOBCOACH") == ["Jobcoach 50+"]

    entry = selectors.catalogue(actor=coach, kind="language_course")[0]
    assert (entry.started, entry.requested, entry.waiting, entry.finished, entry.stopped_early) == (
        2,
        1,
        1,
        1,
        1,
    )
    assert (entry.places_taken, entry.places_free) == (3, 0)
    assert entry.target_groups == ["low_literacy", "refugees"]
    assert entry.target_group_labels == ["Laaggeletterden", "Statushouders"]
    assert entry.categories == [language]
    other = selectors.catalogue(actor=coach, kind="job_coach")[0]
    assert (other.started, other.places_free) == (0, None)
    assert selectors.instrument_usage(instrument=course) == selectors.Usage(
        started=2, requested=1, waiting=1
    )
    assert coaching.pk != course.pk


@pytest.mark.django_db
def test_catalogue_query_count_does_not_grow(municipality, coach, client_factory):
    category = Category.objects.create(municipality=municipality, name="Werk")
    provider = Organisation.objects.create(municipality=municipality, name="Werkfit", kind="other")
    clients = [client_factory() for _ in range(3)]

    def add(n):
        for _ in range(n):
            instrument = instrument_factory(
                municipality, provider=provider, target_groups=("refugees", "over_50")
            )
            instrument.categories.add(category)
            for client, status in zip(clients, (S.STARTED, S.WAITING, S.FINISHED), strict=True):
                enrolment_factory(instrument, client, status=status)

    add(3)
    small = queries(lambda: selectors.catalogue(actor=coach))
    add(27)
    assert len(selectors.catalogue(actor=coach)) == 30
    large = queries(lambda: selectors.catalogue(actor=coach))
    assert small == large == 3


@pytest.mark.django_db
def test_waiting_list_names_only_clients_the_actor_may_see(
    municipality, coach, colleague, functional_admin, client_factory, other_municipality_coach
):
    instrument = instrument_factory(municipality, capacity=1)
    mine, theirs, also_mine = (
        client_factory(),
        client_factory(coach=colleague),
        client_factory(),
    )
    enrolment_factory(instrument, client_factory(), status=S.STARTED)
    for client in (mine, theirs, also_mine):
        enrolment_factory(instrument, client, status=S.WAITING)
    listing = selectors.waiting_list(actor=coach, instrument=instrument)
    assert [r.position for r in listing.rows] == [1, 2, 3]
    assert [r.enrolment.client if r.enrolment else None for r in listing.rows] == [
        mine,
        None,
        also_mine,
    ]
    assert listing.usage == selectors.Usage(started=1, requested=0, waiting=3)
    assert not listing.place_free
    # The catalogue manager sees the line, not the people in it.
    admin_view = selectors.waiting_list(actor=functional_admin, instrument=instrument)
    assert [r.enrolment for r in admin_view.rows] == [None, None, None]
    with pytest.raises(selectors.InstrumentNotVisible):
        selectors.waiting_list(actor=other_municipality_coach, instrument=instrument)
    small = queries(lambda: selectors.waiting_list(actor=coach, instrument=instrument))
    for _ in range(10):
        enrolment_factory(instrument, client_factory(), status=S.WAITING)
    assert queries(lambda: selectors.waiting_list(actor=coach, instrument=instrument)) == small


@pytest.mark.django_db
def test_enrolments_for_household_with_positions_in_one_query(municipality, coach, client_factory):
    main = client_factory()
    partner = client_factory(household=main.household)
    busy = instrument_factory(municipality, capacity=1)
    open_ = instrument_factory(municipality)
    enrolment_factory(busy, client_factory(), status=S.WAITING)
    waiting = enrolment_factory(busy, partner, status=S.WAITING)
    started = enrolment_factory(open_, main, status=S.STARTED)
    enrolment_factory(open_, client_factory(), status=S.STARTED)  # another household's
    rows = selectors.enrolments_for_household(household=main.household)
    assert {r.pk: r.waiting_position for r in rows} == {waiting.pk: 2, started.pk: 0}
    assert selectors.waiting_position(enrolment=waiting) == 2

    count = queries(lambda: selectors.enrolments_for_household(household=main.household))
    for _ in range(8):
        enrolment_factory(instrument_factory(municipality), main, status=S.FINISHED)
    assert (
        queries(
            lambda: [
                (e.instrument.provider, e.client.full_name)
                for e in selectors.enrolments_for_household(household=main.household)
            ]
        )
        == count
        == 1
    )


@pytest.mark.django_db
def test_enrolment_follows_the_client_to_a_new_household(municipality, coach, client_factory):
    client = client_factory()
    old_household = client.household
    enrolment = enrolment_factory(instrument_factory(municipality), client)
    new_household = client_factory().household
    client.household = new_household
    client.save(update_fields=["household"])
    assert selectors.enrolments_for_household(household=old_household) == []
    assert selectors.enrolments_for_household(household=new_household) == [enrolment]
    assert selectors.enrolment_get(enrolment_id=enrolment.pk) == enrolment
    assert selectors.enrolment_get(enrolment_id="nope") is None
