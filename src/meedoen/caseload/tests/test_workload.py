"""Caseload against target, the queue, suggestions and the redistribution preview: the numbers,
each scoring factor, and a fixed number of queries whatever the size of team or caseload."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meedoen.accounts.constants import Role
from meedoen.accounts.models import User
from meedoen.caseload.constants import AssignmentReason, ContactKind, Intensity
from meedoen.caseload.models import (
    Assignment,
    CaseloadPolicy,
    CoachProfile,
    ContactMoment,
    Cover,
)
from meedoen.caseload.suggestions import coach_suggestions, redistribution_preview
from meedoen.caseload.workload import assignment_queue, team_caseload

pytestmark = pytest.mark.django_db


def _coach(municipality, team, name, **profile):
    user = User.objects.create_user(
        username=name,
        last_name=name.capitalize(),
        municipality=municipality,
        role=Role.COACH,
        team=team,
    )
    if profile:
        CoachProfile.objects.create(coach=user, **profile)
    return user


def _count_queries(fn):
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def test_team_caseload_numbers(client_factory, municipality, team, coach, colleague, team_lead):
    for intensity in (Intensity.LOW, Intensity.NORMAL, Intensity.HIGH):
        household = client_factory().household
        Assignment.objects.open().filter(household=household).update(intensity=intensity)
    CoachProfile.objects.create(coach=colleague, hours_factor=Decimal("0.80"))
    Cover.objects.create(
        absent_coach=coach, covering_coach=colleague, start_date=dt.date(2024, 1, 1), reason="leave"
    )
    result = team_caseload(team_id=team.pk)
    assert result.target == 50
    assert not result.has_policy
    rows = {row.coach.pk: row for row in result.coaches}
    assert team_lead.pk not in rows  # a team lead without caseload is not a coach row
    assert rows[coach.pk].households == 3
    assert rows[coach.pk].load == Decimal("3.5")
    assert rows[coach.pk].target == Decimal(50)
    assert rows[coach.pk].percent == 7
    assert rows[colleague.pk].target == Decimal(40)
    assert len(rows[coach.pk].covers) == 1
    assert len(rows[colleague.pk].covers) == 1
    CaseloadPolicy.objects.create(team=team, caseload_target=20)
    result = team_caseload(team_id=team.pk)
    assert {row.coach.pk: row.target for row in result.coaches}[colleague.pk] == Decimal(16)


@pytest.mark.parametrize("size", [3, 12])
def test_team_caseload_queries_constant(size, client_factory, municipality, team):
    coaches = [_coach(municipality, team, f"c{size}x{n}", languages=["en"]) for n in range(size)]
    for coach in coaches:
        for _ in range(2):
            client_factory(coach=coach)
    assert _count_queries(lambda: team_caseload(team_id=team.pk)) == 3


def test_queue(client_factory, team_lead, coach):
    client_factory()
    old = client_factory(coach=None).household
    Assignment.objects.create(
        household=old,
        coach=coach,
        start_date=dt.date(2023, 1, 1),
        end_date=dt.date(2023, 6, 1),
        reason=AssignmentReason.FIRST,
    )
    new = client_factory(coach=None).household
    client_factory(household=new, coach=None)
    queue = list(assignment_queue(actor=team_lead))
    assert [h.pk for h in queue] == [new.pk, old.pk]
    assert queue[0].member_count == 2
    assert queue[0].unassigned_since == timezone.localdate()
    assert queue[1].unassigned_since == dt.date(2023, 6, 1)
    assert queue[0].address.district_name == "Schilderswijk"
    assert list(assignment_queue(actor=coach)) == []


@pytest.mark.parametrize("size", [2, 40])
def test_queue_queries_constant(size, client_factory, team_lead):
    for _ in range(size):
        client_factory(coach=None)
    team_lead.refresh_from_db()
    assert _count_queries(lambda: list(assignment_queue(actor=team_lead))) == 1


# Suggestions ---------------------------------------------------------------------------------


@pytest.fixture
def pair(municipality, team):
    """Two coaches with equal facts: each test gives one of them one factor."""
    return _coach(municipality, team, "anna"), _coach(municipality, team, "bram")


def _ranked(household, actor, among=None):
    ranked = [s.coach.pk for s in coach_suggestions(household=household, actor=actor, limit=20)]
    return [pk for pk in ranked if among is None or pk in {c.pk for c in among}]


def _fill(client_factory, coach, n, **where):
    for _ in range(n):
        client_factory(coach=coach, **where)


def test_headroom_moves_ranking(client_factory, pair, team_lead):
    anna, bram = pair
    _fill(client_factory, anna, 3, district_code="WK051801", district_name="Oud Centrum")
    _fill(client_factory, bram, 1, district_code="WK051801", district_name="Oud Centrum")
    household = client_factory(coach=None, district_code="WK051899").household
    assert _ranked(household, team_lead, pair) == [bram.pk, anna.pk]
    bram_row = next(
        s for s in coach_suggestions(household=household, actor=team_lead) if s.coach == bram
    )
    assert bram_row.reasons[0] == "caseload 1 van 50 (2%)"


def test_same_wijk_moves_ranking(client_factory, pair, team_lead):
    anna, bram = pair
    _fill(client_factory, anna, 2, district_code="WK051899", district_name="Escamp")
    _fill(client_factory, bram, 2, district_code="WK051801", district_name="Oud Centrum")
    household = client_factory(
        coach=None, district_code="WK051899", district_name="Escamp"
    ).household
    suggestions = coach_suggestions(household=household, actor=team_lead)
    assert _ranked(household, team_lead, pair) == [anna.pk, bram.pk]
    assert "werkt al met 2 huishoudens in Escamp" in suggestions[0].reasons


def test_language_moves_ranking(client_factory, pair, team_lead):
    anna, bram = pair
    CoachProfile.objects.create(coach=anna, languages=["nl"])
    CoachProfile.objects.create(coach=bram, languages=["nl", "ar"])
    household = client_factory(coach=None, languages=["nl", "ar"]).household
    suggestions = coach_suggestions(household=household, actor=team_lead)
    assert suggestions[0].coach == bram
    assert "spreekt Arabisch" in suggestions[0].reasons


def test_history_moves_ranking(client_factory, pair, team_lead, municipality):
    anna, bram = pair
    household = client_factory(coach=None).household
    Assignment.objects.create(
        household=household,
        coach=bram,
        start_date=dt.date(2023, 2, 1),
        end_date=dt.date(2024, 3, 1),
        reason=AssignmentReason.FIRST,
    )
    suggestions = coach_suggestions(household=household, actor=team_lead)
    assert suggestions[0].coach == bram
    assert "was eerder contactpersoon (2023\N{EN DASH}2024)" in suggestions[0].reasons
    ContactMoment.objects.create(
        municipality=municipality,
        household=household,
        occurred_at=timezone.make_aware(dt.datetime(2025, 3, 12, 10, 0)),
        kind=ContactKind.PHONE,
        summary="Telefoon",
        coach=anna,
        coach_name="Anna",
    )
    Assignment.objects.filter(coach=bram).delete()
    suggestions = coach_suggestions(household=household, actor=team_lead)
    assert suggestions[0].coach == anna
    assert "had contact op 12-03-2025" in suggestions[0].reasons


def test_other_team_lower_and_no_new_excluded(
    client_factory, municipality, other_team, pair, team_lead
):
    anna, bram = pair
    _fill(client_factory, anna, 5)
    outsider = _coach(municipality, other_team, "olga")
    CoachProfile.objects.create(coach=bram, accepts_new=False)
    household = client_factory(coach=None).household
    ranked = _ranked(household, team_lead)
    assert bram.pk not in ranked
    assert ranked.index(anna.pk) < ranked.index(outsider.pk)
    current = client_factory(coach=anna).household
    assert anna.pk not in _ranked(current, team_lead)


@pytest.mark.parametrize("size", [3, 12])
def test_suggestions_queries_constant(size, client_factory, municipality, team, team_lead):
    coaches = [_coach(municipality, team, f"s{size}x{n}", languages=["ar"]) for n in range(size)]
    for coach in coaches:
        client_factory(coach=coach)
    household = client_factory(coach=None, languages=["ar"]).household
    assert _count_queries(lambda: coach_suggestions(household=household, actor=team_lead)) == 4


# Redistribution preview ------------------------------------------------------------------------


def test_redistribution_preview_respects_targets(client_factory, municipality, team, coach):
    CoachProfile.objects.create(coach=coach, accepts_new=False)
    leaving = _coach(municipality, team, "vertrekt")
    roomy = _coach(municipality, team, "ruim")
    full = _coach(municipality, team, "vol")
    CaseloadPolicy.objects.create(team=team, caseload_target=4)
    _fill(client_factory, full, 4)
    _fill(client_factory, leaving, 3)
    plan = redistribution_preview(from_coach=leaving)
    assert len(plan) == 3
    assert {row.to_coach.pk for row in plan} == {roomy.pk}
    _fill(client_factory, leaving, 3)
    plan = redistribution_preview(from_coach=leaving)
    # Room for four at "ruim" (target 4, load 0); the rest goes over target to whoever is lowest.
    chosen = [row.to_coach.pk for row in plan]
    assert chosen.count(roomy.pk) >= 4


@pytest.mark.parametrize("size", [3, 12])
def test_redistribution_preview_queries_constant(size, client_factory, municipality, team):
    leaving = _coach(municipality, team, f"weg{size}")
    for n in range(size):
        _coach(municipality, team, f"r{size}x{n}")
    _fill(client_factory, leaving, size)
    assert _count_queries(lambda: redistribution_preview(from_coach=leaving)) == 7
